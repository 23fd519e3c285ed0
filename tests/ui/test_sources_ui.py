"""Adding a flag source in the window and downloading PNG flags from it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from flaggui.core.servers import DEFAULT_TEMPLATE
from flaggui.ui.flag_model import TileState
from flaggui.ui.settings import Settings
from tests.conftest import folder_files
from tests.images import make_png
from tests.scripted_server import ScriptedServer
from tests.test_sources import by_path
from tests.ui.conftest import Loop, WindowFactory


def test_add_a_source_and_download_from_it(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    png = make_png((60, 40))
    flag_server.route("w320", by_path({"/flags/w320/cn.png": png}))
    window = make_window(server=flag_server.base_url, folder=tmp_path / "f", countries=["CN"])
    assert window.panel.url_template() == DEFAULT_TEMPLATE
    assert window.panel.source_combo.count() == 3

    dialog = window.panel.edit_sources()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Mirror")
    qtbot.keyClicks(dialog.template_edit, "{base}/w320/{cc}.jpg")
    assert not dialog.add_button.isEnabled()
    assert "must end in .gif, .png or .svg" in dialog.error.text()
    dialog.template_edit.setText("{base}/w320/{cc}.png")
    assert dialog.add_button.isEnabled()
    dialog.add_button.click()
    dialog.list.setCurrentRow(0)
    assert not dialog.remove_button.isEnabled()  # built-in sources stay
    dialog.accept()

    assert window.panel.source_combo.count() == 4
    window.panel.source_combo.setCurrentIndex(3)
    assert window.panel.url_template() == "{base}/w320/{cc}.png"
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    assert window.flags.tile("CN").state is TileState.DONE
    assert folder_files(tmp_path / "f") == ["cn.png"]
    assert (tmp_path / "f" / "cn.png").read_bytes() == png

    make_window.close(window)
    assert settings.url_template == "{base}/w320/{cc}.png"
    again = make_window()
    assert again.panel.source_combo.count() == 4
    assert again.panel.url_template() == "{base}/w320/{cc}.png"
