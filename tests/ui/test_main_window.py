"""The window driven as a person drives it: clicks, keys, real files, a real
server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from flaggui.core.countries import FLAG_CODES
from flaggui.core.events import FlagState
from flaggui.core.servers import LOCAL, REMOTE
from flaggui.ui import errors
from flaggui.ui.batch_progress import SEGMENTS
from flaggui.ui.flag_model import FlagRoles, TileState
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Settings
from flaggui.ui.thumbnails import ThumbnailKey
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import Exchange, ScriptedServer
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.test_first_run import bar_colours

CODES = ["BR", "CN", "JP"]


def states(window: MainWindow) -> dict[str, TileState]:
    return {tile.code: tile.state for tile in window.flags.tiles()}


def rendered(window: MainWindow, code: str) -> bool:
    """Whether the tile's thumbnail at the current zoom is in the cache."""
    tile = window.flags.tile(code)
    if tile is None or tile.path is None:
        return False
    key = ThumbnailKey.of(tile.path, tile.version, window.flags.thumbnail_size)
    return window.cache.pixmap(key) is not None


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def attach_tester(model: QAbstractItemModel) -> QAbstractItemModelTester:
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_download_fills_the_grid_in_code_order(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, CODES)
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=["JP", "CN", "BR"])
    tester = attach_tester(window.flags)

    assert window.panel.selection_label.text() == "3 of 194 selected"
    click(qtbot, window.download_button)
    assert window.controller.busy
    assert not window.panel.choose_button.isEnabled()
    loop.until(lambda: not window.controller.busy)
    loop.until(lambda: all(rendered(window, code) for code in CODES))

    assert [t.code for t in window.flags.tiles()] == CODES
    assert states(window) == dict.fromkeys(CODES, TileState.DONE)
    assert window.flags.tile("CN").name == "China"
    assert window.progress.value() == window.progress.maximum() == 3
    assert "3 flags downloaded in" in window.summary_label.text()
    assert "3 done, 0 already saved, 0 not found, 0 failed, 0 cancelled" in (
        window.summary_label.text()
    )
    assert folder_files(dest) == ["br.gif", "cn.gif", "jp.gif"]
    assert (dest / "cn.gif").read_bytes() == make_gif("cn")
    # The picker shows a small flag beside each downloaded country.
    china = window.countries.index(FLAG_CODES.index("CN"))

    def china_icon_opaque() -> bool:
        icon = window.countries.data(china, Qt.ItemDataRole.DecorationRole)
        return icon.toImage().pixelColor(icon.width() // 2, icon.height() // 2).alpha() == 255

    loop.until(china_icon_opaque)
    andorra = window.countries.data(window.countries.index(0), Qt.ItemDataRole.DecorationRole)
    assert andorra.toImage().pixelColor(5, 5).alpha() == 0
    del tester


def test_cancel_mid_download(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, ["BR"])
    for code in ["cn", "jp"]:
        flag_server.route(code, faults.drips(code, interval=0.05))
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    click(qtbot, window.download_button)
    loop.until(lambda: states(window).get("BR") is TileState.DONE and flag_server.hits["jp"])
    assert window.cancel_button.isEnabled()
    click(qtbot, window.cancel_button)
    loop.until(lambda: not window.controller.busy)

    assert states(window) == {
        "BR": TileState.DONE,
        "CN": TileState.CANCELLED,
        "JP": TileState.CANCELLED,
    }
    assert folder_files(dest) == ["br.gif"]
    assert "1 done, 0 already saved, 0 not found, 0 failed, 2 cancelled" in (
        window.summary_label.text()
    )
    # The bar is full (every flag has ended) but says how they ended.
    assert window.progress.text() == "1 saved · 2 cancelled"
    assert window.progress.accessibleDescription() == "1 of 3 saved, 2 cancelled"
    assert bar_colours(window) == {
        SEGMENTS[FlagState.DONE].name(),
        SEGMENTS[FlagState.CANCELLED].name(),
    }
    assert not window.banner.isVisible()  # nothing failed
    assert window.retry_button.isEnabled()


def test_a_batch_rescans_its_folder_once_at_its_end_not_for_each_save(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    """The batch's own saves change the folder while it runs: that news is
    held, and the folder is looked at once when the batch ends, which shows
    what another program added meanwhile and leaves the saved flags as
    they are."""
    faults.route_healthy(flag_server, ["BR", "CN"])
    release = asyncio.Event()

    async def held(exchange: Exchange) -> None:
        await release.wait()
        await faults.healthy("jp")(exchange)

    flag_server.route("jp", held)
    dest = tmp_path / "flags"
    dest.mkdir()
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    scans = window.controller.scans
    window.start_download()
    loop.until(lambda: all(rendered(window, code) for code in ["BR", "CN"]))
    (dest / "it.gif").write_bytes(make_gif("it"))  # by another program
    loop.run(asyncio.sleep(0.6))  # over twice the time a change waits to be looked at
    assert window.controller.scans == scans
    assert window.flags.tile("IT") is None

    release.set()
    loop.until(lambda: window.flags.tile("IT") is not None)
    assert window.controller.scans == scans + 1
    assert states(window) == {
        "BR": TileState.DONE,
        "CN": TileState.DONE,
        "IT": TileState.ON_DISK,
        "JP": TileState.DONE,
    }
    # The saved flags are the versions the batch made: not taken for changed.
    assert {window.flags.tile(code).version for code in CODES} == {1}


def test_closing_mid_download_stops_cleanly(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    faults.route_healthy(flag_server, ["BR"])
    for code in ["cn", "jp"]:
        flag_server.route(code, faults.drips(code, interval=0.05))
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    window.start_download()
    loop.until(lambda: flag_server.hits["jp"] and (dest / "br.gif").exists())

    make_window.close(window)  # waits for the window's closed() signal

    assert not window.isVisible()
    assert not window.controller.busy
    assert folder_files(dest) == ["br.gif"]
    assert_no_temporaries(dest)


def test_errors_show_reasons_and_retry_failed_reruns_only_those(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, ["BR", "CN"])
    html = faults.serve(b"<!DOCTYPE html><html><body>maintenance</body></html>", "text/html")
    flag_server.route("jp", faults.first_then(1, html, faults.healthy("jp")))
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    window.start_download()
    loop.until(lambda: not window.controller.busy)

    jp = window.flags.tile("JP")
    assert jp is not None
    assert jp.state is TileState.ERROR
    tooltip = window.flags.data(window.flags.index(2), Qt.ItemDataRole.ToolTipRole)
    assert "Japan (JP) — error" in tooltip
    assert "the data is an HTML page, not an image" in tooltip
    assert folder_files(dest) == ["br.gif", "cn.gif"]
    assert window.retry_button.isEnabled()

    click(qtbot, window.retry_button)
    loop.until(lambda: not window.controller.busy)
    assert states(window) == dict.fromkeys(CODES, TileState.DONE)
    assert (flag_server.hits["br"], flag_server.hits["jp"]) == (1, 2)
    assert "1 flag downloaded in" in window.summary_label.text()
    assert not window.retry_button.isEnabled()


def test_opening_a_folder_shows_the_flags_already_in_it(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for code in ["cn", "br"]:
        (folder / f"{code}.gif").write_bytes(make_gif(code))
    (folder / "jp.gif").write_bytes(b"GIF89a broken")
    (folder / "notes.txt").write_text("not a flag")
    window = make_window(server=LOCAL, folder=tmp_path / "empty", countries=[])
    assert window.flags.rowCount() == 0
    tester = attach_tester(window.flags)

    window.set_folder(folder)
    loop.until(lambda: window.flags.rowCount() == 3 and not window.controller.scanning)
    # The map knows the listed tiles.
    assert window.browser.map.tile("CN") == window.flags.tile("CN")
    assert window.browser.map.tile("BR") == window.flags.tile("BR")
    # JP turns into an error once its thumbnail has been tried, off the loop.
    loop.until(lambda: rendered(window, "CN") and window.flags.tile("JP").reason)
    assert states(window) == {
        "BR": TileState.ON_DISK,
        "CN": TileState.ON_DISK,
        "JP": TileState.ERROR,
    }
    # The reason is the image check's: the bytes after "GIF89a" read as a size.
    assert "too large for a flag" in window.flags.tile("JP").reason
    assert window.flags.data(window.flags.index(0), FlagRoles.PATH) == str(folder / "br.gif")
    del tester


def test_existing_flags_are_skipped_and_keep_their_thumbnails(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    faults.route_healthy(flag_server, CODES)
    dest = tmp_path / "flags"
    dest.mkdir()
    (dest / "cn.gif").write_bytes(make_gif("cn"))
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    assert states(window) == {"CN": TileState.ON_DISK}
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    assert states(window) == {"BR": TileState.DONE, "CN": TileState.SKIPPED, "JP": TileState.DONE}
    assert flag_server.hits["cn"] == 0
    loop.until(lambda: rendered(window, "CN"))


def test_choose_folder_uses_a_dialog_that_does_not_block(
    qtbot: QtBot, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    target = tmp_path / "chosen"
    target.mkdir()
    (target / "fr.gif").write_bytes(make_gif("fr"))
    window = make_window(server=LOCAL, folder=tmp_path / "start", countries=[])
    click(qtbot, window.panel.choose_button)
    dialog = window.findChild(QFileDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.isModal()  # window-modal, shown with open(): no nested loop
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.selectFile(str(target))
    dialog.accept()
    loop.until(lambda: window.flags.rowCount() == 1)
    assert window.folder() == target
    assert window.panel.folder_edit.text() == str(target)
    assert states(window) == {"FR": TileState.ON_DISK}


def test_country_picker_search_presets_and_count(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    tester = attach_tester(window.countries)
    filter_tester = attach_tester(window.panel.country_filter)
    assert window.panel.selection_label.text() == "0 of 194 selected"
    assert not window.download_button.isEnabled()

    click(qtbot, window.panel.pop20_button)
    assert window.panel.selection_label.text() == "20 of 194 selected"
    click(qtbot, window.panel.invert_button)
    assert window.panel.selection_label.text() == "174 of 194 selected"
    click(qtbot, window.panel.all_button)
    assert len(window.countries.checked_codes()) == 194
    click(qtbot, window.panel.none_button)
    assert window.countries.checked_codes() == []

    qtbot.keyClicks(window.panel.search_edit, "chin")
    assert window.panel.country_filter.rowCount() == 1
    index = window.panel.country_filter.index(0, 0)
    assert index.data() == "CN  China"
    window.panel.country_filter.setData(
        index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert window.countries.checked_codes() == ["CN"]
    assert window.download_button.isEnabled()
    window.panel.search_edit.clear()
    qtbot.keyClicks(window.panel.search_edit, "b")  # code or name, any case
    assert window.panel.country_filter.rowCount() > 20
    del tester, filter_tester


def test_server_choice_and_validation(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=REMOTE, folder=tmp_path / "f", countries=["CN"])
    assert window.panel.server_url() == REMOTE
    assert window.panel.server_edit.isReadOnly()
    window.panel.server_combo.setCurrentIndex(window.panel.server_combo.findData(LOCAL))
    assert window.panel.server_url() == LOCAL

    window.panel.server_combo.setCurrentIndex(window.panel.server_combo.findData(""))
    assert not window.panel.server_edit.isReadOnly()
    window.panel.server_edit.clear()
    qtbot.keyClicks(window.panel.server_edit, "ftp://example.org/flags")
    assert window.panel.server_error.isVisible()
    assert window.panel.server_error.text() == (
        "'ftp://example.org/flags' is not an http:// or https:// URL. Type one, such as "
        "http://127.0.0.1:8000/flags, or choose Public, Local or Built-in as the server."
    )
    window.panel.server_edit.clear()
    assert window.panel.server_error.text().startswith("Type the URL of a flag server")
    assert not window.download_button.isEnabled()
    window.panel.server_edit.clear()
    qtbot.keyClicks(window.panel.server_edit, "http://127.0.0.1:8080/data/flags/")
    assert not window.panel.server_error.isVisible()
    assert window.panel.server_url() == "http://127.0.0.1:8080/data/flags"
    assert window.download_button.isEnabled()


def test_settings_round_trip(
    loop: Loop, make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "remembered"
    window = make_window(server="http://127.0.0.1:9/x", folder=folder, countries=["CN", "FR"])
    window.panel.concurrency_spin.setValue(250)
    window.resize(780, 520)  # within the offscreen screen, 800x600
    size = window.size()
    make_window.close(window)

    assert settings.folder == folder
    assert settings.server == "http://127.0.0.1:9/x"
    assert settings.countries == ["CN", "FR"]
    assert settings.concurrency == 250

    again = make_window()
    assert again.folder() == folder
    assert again.panel.server_url() == "http://127.0.0.1:9/x"
    assert again.countries.checked_codes() == ["CN", "FR"]
    assert again.panel.concurrency_spin.value() == 250
    assert again.size() == size


def test_damaged_settings_fall_back_to_defaults(settings: Settings) -> None:
    settings.store.setValue("download/concurrency", "lots")
    settings.store.setValue("download/server", "gopher://x")
    settings.store.setValue("download/countries", "CN ZZ ../")
    assert settings.concurrency == 20
    assert settings.server == REMOTE
    assert settings.countries == ["CN"]


def test_unhandled_exceptions_are_shown_not_lost(qapp: object) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        errors.show_exception(type(exc), exc, exc.__traceback__)
    (box,) = errors._open_dialogs
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    assert "RuntimeError: boom" in box.text()
    assert "Traceback" in box.detailedText()
    box.close()
    assert errors._open_dialogs == []


def test_keyboard_shortcuts_download_and_cancel(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    for code in ["cn", "jp"]:
        flag_server.route(code, faults.drips(code, interval=0.05))
    window = make_window(server=flag_server.base_url, folder=tmp_path / "f", countries=["CN", "JP"])
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.busy
    loop.until(lambda: flag_server.hits["jp"])
    qtbot.keyClick(window.grid, Qt.Key.Key_Escape)
    loop.until(lambda: not window.controller.busy)
    assert states(window) == {"CN": TileState.CANCELLED, "JP": TileState.CANCELLED}
    assert folder_files(tmp_path / "f") == []
