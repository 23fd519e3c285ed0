"""The window's built-in server: chosen in the Server box, with network
conditions beside it, started for the first download and stopped when the
window closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flaggui.core.network import NetworkPreset
from flaggui.core.servers import BUILTIN, REMOTE
from flaggui.ui.flag_model import TileState
from flaggui.ui.settings import Settings
from tests.conftest import folder_files
from tests.test_builtin import refused
from tests.test_builtin_flags import FLAGS
from tests.ui.conftest import Loop, WindowFactory

CODES = ["BR", "CN", "JP"]


def test_choosing_builtin_offers_network_conditions(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=REMOTE, folder=tmp_path / "f", countries=["CN"])
    panel = window.panel
    assert panel.server_edit.isVisible()
    assert not panel.network_combo.isVisible()

    panel.server_combo.setFocus()
    row = panel.server_combo.findData(BUILTIN)
    assert panel.server_combo.itemText(row) == "Built-in (offline demo)"
    assert "no network needed" in panel.server_combo.itemData(row, Qt.ItemDataRole.ToolTipRole)
    while panel.server_combo.currentIndex() != row:
        qtbot.keyClick(panel.server_combo, Qt.Key.Key_Down)

    assert panel.network_combo.isVisible()
    assert not panel.server_edit.isVisible()
    assert not panel.server_error.isVisible()
    assert panel.server_url() == BUILTIN
    assert window.download_button.isEnabled()
    assert panel.network_combo.accessibleName() == "Network conditions"
    assert "Slow mobile" in panel.network_combo.toolTip()
    assert [panel.network_combo.itemText(i) for i in range(panel.network_combo.count())] == [
        "Instant (no delay, full speed)",
        "Typical Wi-Fi (20-80 ms, 2 MB/s)",
        "Slow mobile (150-600 ms, 50 KB/s)",
        "Flaky (50-400 ms, 15% errors)",
    ]
    assert panel.network() is NetworkPreset.WIFI  # the default

    panel.network_combo.setCurrentIndex(panel.network_combo.findData(NetworkPreset.FLAKY))
    options = panel.download_options()
    assert options is not None
    assert options.server == BUILTIN
    assert options.network == NetworkPreset.FLAKY.conditions

    # Back to a URL of one's own: the label is not left to edit.
    panel.server_combo.setCurrentIndex(panel.server_combo.findData(""))
    assert panel.server_edit.isVisible()
    assert panel.server_edit.text() == ""
    assert not panel.network_combo.isVisible()


def test_download_from_builtin_saves_the_real_flags_and_closing_stops_the_server(
    qtbot: QtBot,
    loop: Loop,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    dest = tmp_path / "flags"
    settings.network = NetworkPreset.INSTANT
    window = make_window(server=BUILTIN, folder=dest, countries=CODES)
    assert window.panel.network() is NetworkPreset.INSTANT
    qtbot.mouseClick(window.download_button, Qt.MouseButton.LeftButton)
    loop.until(lambda: not window.controller.busy)

    assert {tile.code: tile.state for tile in window.flags.tiles()} == dict.fromkeys(
        CODES, TileState.DONE
    )
    assert folder_files(dest) == ["br.gif", "cn.gif", "jp.gif"]
    for code in ["br", "cn", "jp"]:
        assert (dest / f"{code}.gif").read_bytes() == (FLAGS / code / f"{code}.gif").read_bytes()
    url = window.controller.builtin.url
    assert url is not None  # kept for the next batch
    assert not loop.run(refused(url))

    window.panel.network_combo.setCurrentIndex(
        window.panel.network_combo.findData(NetworkPreset.MOBILE)
    )
    make_window.close(window)

    assert window.controller.builtin.url is None
    assert loop.run(refused(url))
    assert settings.server == BUILTIN
    assert settings.network is NetworkPreset.MOBILE


def test_compare_runs_against_the_builtin_server(
    loop: Loop, make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    settings.network = NetworkPreset.WIFI
    window = make_window(server=BUILTIN, folder=tmp_path / "mine", countries=CODES)
    dialog = window.compare()
    assert dialog is not None
    loop.run(dialog.wait(), timeout=30)
    assert len(dialog.totals) == 2
    assert all("3 flags downloaded in" in title.text() for title in dialog.titles)
    assert not (tmp_path / "mine").exists()
    dialog.close()
