"""Narrowing the grid to the saved, failed or cancelled flags, and the words
of the tile menu for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.ui.flag_model import TileGroup, TileState
from flaggui.ui.main_window import MainWindow
from tests import faults
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.test_accessibility import focused, press
from tests.ui.test_browsing import grid_codes
from tests.ui.test_main_window import states


def choices(window: MainWindow) -> list[str]:
    combo = window.browser.shown_combo
    return [combo.itemText(row) for row in range(combo.count())]


@pytest.fixture
def ended(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> MainWindow:
    """A window after a batch: BR and FR saved, CN not found, DE refused
    (HTTP 403), JP cancelled."""
    faults.route_healthy(flag_server, ["BR", "FR"])
    flag_server.route("cn", faults.status(404))
    flag_server.route("de", faults.status(403))
    flag_server.route("jp", faults.drips("jp", interval=0.05))
    window = make_window(
        server=flag_server.base_url,
        folder=tmp_path / "flags",
        countries=["BR", "CN", "DE", "FR", "JP"],
    )
    window.start_download()
    loop.until(
        lambda: (
            flag_server.hits["jp"]
            and all(not state.busy for code, state in states(window).items() if code != "JP")
        )
    )
    window.controller.cancel()
    loop.until(lambda: not window.controller.busy)
    assert states(window) == {
        "BR": TileState.DONE,
        "CN": TileState.NOT_FOUND,
        "DE": TileState.ERROR,
        "FR": TileState.DONE,
        "JP": TileState.CANCELLED,
    }
    return window


def test_show_narrows_the_grid_to_a_state_and_combines_with_the_text_filter(
    loop: Loop, ended: MainWindow
) -> None:
    window, browser = ended, ended.browser
    loop.until(lambda: choices(window)[0] == "All (5)")
    assert choices(window) == ["All (5)", "Saved (2)", "Failed (2)", "Cancelled (1)"]

    # From the keyboard: Alt+O goes to "Show:", the arrows choose.
    window.activateWindow()
    browser.filter_edit.setFocus()
    press(Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert focused() is browser.shown_combo
    press(Qt.Key.Key_Down)
    assert browser.shown_group() is TileGroup.SAVED
    assert grid_codes(window) == ["BR", "FR"]
    press(Qt.Key.Key_Down)
    assert browser.shown_group() is TileGroup.FAILED
    assert grid_codes(window) == ["CN", "DE"]  # not found and refused alike
    press(Qt.Key.Key_Down)
    assert grid_codes(window) == ["JP"]

    # With the text filter: both apply, and an empty grid says which.
    browser.show_group(TileGroup.FAILED)
    browser.filter_edit.setText("germ")
    assert grid_codes(window) == ["DE"]
    browser.filter_edit.setText("zz")
    assert grid_codes(window) == []
    assert window.grid.empty_text == "No failed flag matches 'zz'."
    browser.filter_edit.setText("fail")  # the state's own name matches no flag
    assert grid_codes(window) == []
    browser.filter_edit.clear()
    browser.show_group(TileGroup.CANCELLED)
    browser.filter_edit.setText("jap")
    assert grid_codes(window) == ["JP"]
    browser.filter_edit.setText("br")
    assert window.grid.empty_text == "No cancelled flag matches 'br'."
    browser.filter_edit.clear()
    browser.show_group(None)
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "JP"]
    assert "Pick countries" in window.grid.empty_text


def test_the_choice_follows_the_tiles_as_a_batch_changes_them(
    loop: Loop, flag_server: ScriptedServer, ended: MainWindow
) -> None:
    """A failed flag retried leaves "Failed" once it arrives; the counts
    follow, and an emptied choice says so."""
    window, browser = ended, ended.browser
    browser.show_group(TileGroup.FAILED)
    faults.route_healthy(flag_server, ["DE", "JP"])
    window.retry_failed()  # DE and JP
    loop.until(lambda: not window.controller.busy)
    assert grid_codes(window) == ["CN"]
    loop.until(lambda: choices(window)[2] == "Failed (1)")
    assert choices(window) == ["All (5)", "Saved (4)", "Failed (1)", "Cancelled (0)"]
    browser.show_group(TileGroup.CANCELLED)
    assert grid_codes(window) == []
    assert window.grid.empty_text == "No cancelled flags."


def test_opening_a_flag_from_the_map_shows_it_in_the_grid_whatever_the_choice(
    ended: MainWindow,
) -> None:
    browser = ended.browser
    browser.show_group(TileGroup.FAILED)
    browser.map.activated.emit("BR")
    assert browser.shown_group() is None
    assert browser.viewer is not None
    assert browser.viewer.isVisible()
    browser.viewer.close()


def menu_words(window: MainWindow, code: str, on_map: bool = False) -> str:
    """The text of the download action in the tile menu of *code*, opened
    with Shift+F10 from the grid or the map."""
    window.activateWindow()
    browser = window.browser
    browser.show_map(on_map)
    row = grid_codes(window).index(code)
    window.grid.setCurrentIndex(browser.proxy.index(row, 0))
    (browser.map if on_map else window.grid).setFocus()
    press(Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert menu.parentWidget() is (browser.map if on_map else window.grid)
    actions = window.browser.flag_actions
    assert actions.retry in menu.actions()
    text = actions.retry.text()
    press(Qt.Key.Key_Escape)
    return text


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_the_tile_menu_retries_what_failed_and_downloads_again_what_is_saved(
    ended: MainWindow,
) -> None:
    window = ended
    assert menu_words(window, "BR") == "Do&wnload again"
    assert menu_words(window, "CN") == "&Retry"
    assert menu_words(window, "DE") == "&Retry"
    assert menu_words(window, "JP") == "&Retry"
    # The world map's menu is the grid's.
    assert menu_words(window, "FR", on_map=True) == "Do&wnload again"
    assert menu_words(window, "DE", on_map=True) == "&Retry"
    # A selection of both is downloaded again; the Flag menu says the same.
    window.browser.show_map(False)
    window.grid.selectAll()
    window.browser.flag_actions.update_enabled()
    assert window.browser.flag_actions.retry.text() == "Do&wnload again"


def test_the_show_choice_keeps_its_width_as_the_counts_grow(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Counts change many times during a batch: the drop-down is as wide as
    a four-digit count from the start, so the window is not laid out again
    at each change."""
    window = make_window(folder=tmp_path / "flags", countries=[])
    combo = window.browser.shown_combo
    hint = combo.sizeHint()
    window.flags.prepare_batch([f"{a}{b}" for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJ"])
    window.browser.update_counts()
    assert choices(window)[0] == "All (100)"
    assert combo.sizeHint() == hint
    assert combo.sizeHint().width() >= combo.fontMetrics().horizontalAdvance("Cancelled (9999)")


def test_the_counts_follow_tiles_that_change_every_frame(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    """During a batch the tiles change once a frame, for seconds: the counts
    still follow within a few tenths of a second, not only once it ends."""
    window = make_window(folder=tmp_path / "flags", countries=[])
    codes = [f"{first}{second}" for first in "ABCDE" for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    window.flags.prepare_batch(codes)
    window.browser.update_counts()
    finished = iter(codes)

    def next_frame() -> None:
        code = next(finished, None)
        if code is not None:
            result = FlagResult(code, FlagState.CANCELLED, "cancelled")
            window.flags.apply_events([FlagEvent(code, Phase.FINISHED, 0.1, 1, "", result)])

    frames = QTimer()
    frames.timeout.connect(next_frame)
    frames.start(16)
    try:
        # Well before the 130 frames (over 2 s) are over, the counts have
        # moved (they are due 100 ms after the first change).
        loop.until(lambda: choices(window)[3] != "Cancelled (0)", timeout=1.5)
    finally:
        frames.stop()
