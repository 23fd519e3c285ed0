"""The window as assistive technology sees it (Qt's accessibility
interfaces, which screen readers read through AT-SPI, UI Automation or
NSAccessibility), and driven from the keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)

from flaggui.ui.flag_model import FlagRoles, TileState
from flaggui.ui.main_window import MainWindow
from flaggui.ui.timeline_view import TimelineCanvas, TimelinePanel, TimelineView
from tests import faults
from tests.conftest import folder_files
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory

Role = QAccessible.Role
NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def accessible(widget: QWidget) -> QAccessibleInterface:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    assert interface.isValid()
    return interface


def labels(widget: QWidget) -> list[str]:
    """The texts of the labels that label *widget* (a QLabel's buddy, or a
    form row's label): what a screen reader says before a combo box's value."""
    return [
        label.text(NAME)
        for label, _flag in accessible(widget).relations(QAccessible.RelationFlag.Label)
    ]


def unnamed_controls(top: QWidget) -> list[QWidget]:
    """The controls in *top* that Tab reaches and a screen reader could
    only call by their role."""
    return [
        widget
        for widget in top.findChildren(QWidget)
        if widget.isVisible()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        # A spin box's line edit is the spin box to assistive technology.
        and not isinstance(widget.parentWidget(), QAbstractSpinBox)
        and not accessible(widget).text(NAME)
        and not labels(widget)
    ]


def tab_chain(start: QWidget, count: int, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """Where the focus goes, from *start*, pressing *key* *count* times."""
    start.setFocus()
    chain = []
    for _ in range(count):
        chain.append(focused())
        press(key)
    return chain


def focused() -> QWidget:
    """Where a key pressed now goes: an open menu, else the active window's
    focused widget (or the window itself)."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup
    window = QApplication.activeWindow()
    assert window is not None
    return window.focusWidget() or window


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed on the keyboard."""
    QTest.keyClick(focused(), key, modifier)


@pytest.fixture
def finished(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> MainWindow:
    """A window after a batch: BR and JP saved, CN not found."""
    faults.route_healthy(flag_server, ["BR", "JP"])
    flag_server.route("cn", faults.status(404))
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "flags", countries=["BR", "CN", "JP"]
    )
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    return window


# Names, descriptions, roles ------------------------------------------------


def test_a_tile_reads_its_country_state_and_reason(finished: MainWindow) -> None:
    grid = accessible(finished.grid)
    assert grid.role() == Role.List
    assert grid.text(NAME) == "Flags"
    assert "Shift+F10" in grid.text(DESCRIPTION)
    tiles = [grid.child(row) for row in range(grid.childCount())]
    assert [(tile.role(), tile.text(NAME), tile.text(DESCRIPTION)) for tile in tiles] == [
        (Role.ListItem, "Brazil (BR)", "done"),
        (Role.ListItem, "China (CN)", "not found: the server has no flag for this code"),
        (Role.ListItem, "Japan (JP)", "done"),
    ]


def test_a_tile_waiting_to_be_retried_says_why(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    flag_server.route("cn", faults.first_then(1, faults.status(503), faults.never_answers()))
    window = make_window(server=flag_server.base_url, folder=tmp_path, countries=["CN"])
    window.start_download()
    loop.until(lambda: window.flags.tile("CN").reason)  # type: ignore[union-attr]
    tile = accessible(window.grid).child(0)
    assert tile.text(NAME) == "China (CN)"
    # Waiting for the retry, or already trying again: with the reason.
    shown = window.flags.tile("CN")
    assert shown is not None
    assert tile.text(DESCRIPTION) == f"{shown.state.label()}: {shown.reason}"
    assert "HTTP 503" in tile.text(DESCRIPTION)
    window.controller.cancel()
    loop.until(lambda: not window.controller.busy)


def test_every_control_has_a_name_and_combos_say_their_label(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(folder=tmp_path, countries=["BR"])
    window.timeline_dock.show()
    assert unnamed_controls(window) == []

    panel, browser = window.panel, window.browser
    # On Linux a combo box's name is its value ("Custom URL"); its label comes
    # with it as a relation, and a screen reader says both.
    assert "Server:" in labels(panel.server_combo)
    assert "Network:" in labels(panel.network_combo)
    assert "Source:" in labels(panel.source_combo)
    assert "Sort by:" in labels(browser.sort_combo)
    assert "Show:" in labels(browser.shown_combo)
    assert browser.shown_combo.accessibleName() == "Show"  # its name elsewhere than Linux
    assert "Requests at once:" in labels(panel.concurrency_spin)
    assert "Zoom:" in labels(browser.zoom_slider)
    named = {
        panel.folder_edit: (Role.EditableText, "Destination folder"),
        panel.search_edit: (Role.EditableText, "Search countries"),
        panel.country_view: (Role.List, "Countries to download"),
        browser.filter_edit: (Role.EditableText, "Filter flags"),
        browser.zoom_slider: (Role.Slider, "Thumbnail size"),
        window.progress: (Role.ProgressBar, "Download progress"),
        window.download_button: (Role.Button, "Download"),
        window.timeline_panel.canvas: (Role.Chart, "Timeline of the requests"),
    }
    assert {
        widget: (accessible(widget).role(), accessible(widget).text(NAME)) for widget in named
    } == named
    assert "Space checks" in accessible(panel.country_view).text(DESCRIPTION)
    assert accessible(window.timeline_panel.canvas).text(DESCRIPTION) == "No requests yet."


def test_a_wrong_url_is_read_with_the_url_field(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(folder=tmp_path, server="ftp://example.org")
    assert "is not an http:// or https:// URL" in accessible(window.panel.server_edit).text(
        DESCRIPTION
    )
    # Once right, the field is described by what it is for, not by the
    # example URL it shows when empty.
    window.panel.server_edit.setText("http://127.0.0.1:8000/flags")
    assert accessible(window.panel.server_edit).text(DESCRIPTION) == (
        "The address of the flag server, http:// or https://"
    )


def test_progress_is_described_and_announced_at_the_start_and_the_end(
    finished: MainWindow,
) -> None:
    progress = accessible(finished.progress)
    assert progress.text(DESCRIPTION) == "2 of 3 saved, 1 not found"
    announced = list(finished.announcer.announced)
    assert announced[0] == "Downloading: 0 of 3 saved"
    assert announced[-1].startswith("2 of 3 saved, 1 not found. 2 flags downloaded in ")
    # Three flags finish well within the quiet interval: nothing in between.
    assert len(announced) == 2


def test_a_long_batch_is_summed_up_now_and_then_not_flag_by_flag(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    codes = ["BR", "CN", "DE", "FR", "IN", "JP", "US", "ZA"]
    for code in codes:
        flag_server.route(code.lower(), faults.drips(code.lower(), interval=0.02))
    window = make_window(
        server=flag_server.base_url, folder=tmp_path, countries=codes, concurrency=2
    )
    window.announcer.interval = 100
    window.start_download()
    loop.until(lambda: not window.controller.busy, 60)
    announced = list(window.announcer.announced)
    assert announced[0] == "Downloading: 0 of 8 saved"
    assert announced[-1].startswith("8 of 8 saved. 8 flags downloaded in ")
    between = announced[1:-1]
    assert between, announced
    assert len(between) < len(codes)
    assert all(text.endswith(" of 8 saved") for text in between)


def test_the_timeline_reads_as_a_summary_and_row_by_row(
    finished: MainWindow,
) -> None:
    window = finished
    window.timeline_dock.show()
    canvas = window.timeline_panel.canvas
    summary = accessible(canvas).text(DESCRIPTION)
    assert summary.startswith("Requests: 3, in ")
    assert "in flight at once (limit 20)" in summary
    assert "slowest: " in summary
    assert summary.endswith("failed: 1, retried: 0.")
    assert window.timeline_panel.summary_label.text() == summary

    codes = [track.code for track in canvas.timeline.tracks]
    canvas.setFocus()
    press(Qt.Key.Key_Down)
    assert canvas.current_row == 0
    first = accessible(canvas).text(DESCRIPTION)
    assert first.startswith(f"{codes[0]}: ")
    assert "waiting for the server " in first
    assert " s" in first
    press(Qt.Key.Key_End)
    assert canvas.current_row == 2
    press(Qt.Key.Key_Down)  # stays on the last row
    assert canvas.current_row == 2
    press(Qt.Key.Key_Up)
    assert canvas.current_row == 1
    missing = codes.index("CN")
    canvas.set_current_row(missing)
    assert (
        accessible(canvas)
        .text(DESCRIPTION)
        .startswith("CN: not found (the server has no flag for this code). ")
    )
    assert ", failed" in accessible(canvas).text(DESCRIPTION)
    press(Qt.Key.Key_Home)
    assert canvas.current_row == 0


def test_the_canvas_row_text_groups_attempts(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    flag_server.route("cn", faults.first_then(1, faults.status(503), faults.healthy("cn")))
    window = make_window(server=flag_server.base_url, folder=tmp_path, countries=["CN"])
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    canvas = TimelineCanvas()
    canvas.set_timeline(window.controller.timeline)
    text = canvas.row_text(0)
    assert text.startswith("CN: done. attempt 1: waiting for a slot ")
    assert "; attempt 2: pause before a retry " in text
    assert "retried: 1" in canvas.summary()


# The keyboard -------------------------------------------------------------


# Offscreen, a menu cannot take the keyboard for itself; the keys are sent
# to it directly.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
@pytest.mark.parametrize(
    "keys",
    [
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_shift_f10_and_the_menu_key_open_the_actions_of_the_current_tile(
    finished: MainWindow, keys: tuple[Qt.Key, Qt.KeyboardModifier]
) -> None:
    window = finished
    window.activateWindow()
    window.grid.setFocus()
    press(Qt.Key.Key_End)  # Japan, the last tile: current and selected
    press(*keys)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert menu.activeAction() is window.browser.flag_actions.view
    # The tile stays current (the Menu key used to pick the one at the corner).
    assert window.grid.currentIndex().data(FlagRoles.CODE) == "JP"
    press(Qt.Key.Key_Escape)
    assert QApplication.activePopupWidget() is None


def test_the_focus_stays_on_the_buttons_through_a_batch(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, ["BR", "CN"])
    window = make_window(server=flag_server.base_url, folder=tmp_path, countries=["BR", "CN"])
    window.activateWindow()
    window.download_button.setFocus()
    press(Qt.Key.Key_Space)
    assert window.controller.busy
    assert focused() is window.cancel_button  # Esc or Space cancels
    loop.until(lambda: not window.controller.busy)
    assert focused() is window.download_button  # not the next control in the tab chain

    # Ctrl+D from a control that a batch disables: Qt would pass the focus on
    # to the next one that is enabled, the country search.
    window.panel.concurrency_spin.setFocus()
    press(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.busy
    assert focused() is window.cancel_button
    loop.until(lambda: not window.controller.busy)
    assert focused() is window.download_button


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_shift_f10_on_the_map_opens_the_actions_of_its_current_country(
    finished: MainWindow,
) -> None:
    window = finished
    window.activateWindow()
    window.browser.show_map(True)
    window.browser.map.setFocus()
    window.grid.setCurrentIndex(window.browser.proxy.index(2, 0))  # Japan
    press(Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert menu.parentWidget() is window.browser.map
    assert window.browser.map.current() == "JP"
    press(Qt.Key.Key_Escape)


def test_tab_goes_through_the_window_in_the_documented_order(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(folder=tmp_path, countries=["BR"])
    window.timeline_dock.show()
    window.activateWindow()
    window.panel.folder_edit.setFocus()
    order = []
    for _ in range(25):
        order.append(focused())
        press(Qt.Key.Key_Tab)
    panel, browser = window.panel, window.browser
    assert (
        order
        == [
            panel.folder_edit,
            panel.choose_button,
            panel.server_combo,
            panel.server_edit,
            panel.concurrency_spin,
            panel.adaptive_check,
            panel.source_combo,
            panel.sources_button,
            panel.search_edit,
            panel.pop20_button,
            panel.all_button,
            panel.none_button,
            panel.invert_button,
            panel.country_view,
            browser.filter_edit,
            browser.shown_combo,
            browser.sort_combo,
            browser.labels_check,
            window.grid,
            window.download_button,  # Cancel and Retry failed when enabled
            *window.timeline_panel.export.buttons.values(),
            window.timeline_panel.canvas,
            browser.zoom_slider,
            panel.folder_edit,
        ][:25]
    )


def test_the_whole_flow_from_the_keyboard(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Choose two countries, download, open a flag, delete it, quit: keys only."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    faults.route_healthy(flag_server, ["FR", "JP"])
    folder = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=folder, countries=[])
    window.activateWindow()
    window.panel.folder_edit.setFocus()

    def tab_to(widget: QWidget) -> None:
        for _ in range(30):
            if focused() is widget:
                return
            press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {widget}")

    # Choose: search the list, move into it, check with Space.
    panel = window.panel
    tab_to(panel.search_edit)
    QTest.keyClicks(focused(), "japan")
    tab_to(panel.country_view)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Space)
    tab_to(panel.search_edit)
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused(), "fr")
    tab_to(panel.country_view)
    press(Qt.Key.Key_Down)  # FR, the first match
    press(Qt.Key.Key_Space)
    assert window.countries.checked_codes() == ["FR", "JP"]

    # Download.
    press(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.busy
    loop.until(lambda: not window.controller.busy)
    assert folder_files(folder) == ["fr.gif", "jp.gif"]

    # Open a flag in the large view, and close it.
    tab_to(window.grid)
    press(Qt.Key.Key_End)
    press(Qt.Key.Key_Return)
    viewer = window.browser.viewer
    assert viewer is not None
    assert viewer.isVisible()
    assert viewer.title.text() == "Japan  (JP)"
    loop.until(lambda: QApplication.activeWindow() is viewer)
    press(Qt.Key.Key_Escape)
    assert not viewer.isVisible()
    window.activateWindow()  # the window manager's part, which offscreen has none
    loop.until(lambda: QApplication.activeWindow() is window)

    # Delete it: asked first, Enter says yes.
    assert focused() is window.grid
    assert window.grid.currentIndex().data(FlagRoles.CODE) == "JP"
    press(Qt.Key.Key_Delete)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "Move 1 flag file to the trash?" in box.text()
    loop.until(lambda: QApplication.activeWindow() is box)
    press(Qt.Key.Key_Return)
    assert folder_files(folder) == ["fr.gif"]
    assert window.flags.tile("JP") is None
    assert window.flags.tile("FR").state is TileState.DONE  # type: ignore[union-attr]

    # Quit.
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.activateWindow()
    loop.until(lambda: QApplication.activeWindow() is window)
    press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    loop.until(lambda: closed)
    make_window.windows.remove(window)


# What Orca heard on the way ----------------------------------------------


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[QAccessible.Event, str]]]:
    """The accessibility events flaggui sends from now on (Qt's own go
    straight to the platform), each with the name of the object it is
    about (the item, for an item of a list)."""
    events: list[tuple[QAccessible.Event, str]] = []
    update = QAccessible.updateAccessibility

    def record(event: QAccessibleEvent) -> None:
        about = event.accessibleInterface()
        events.append((event.type(), about.text(NAME) if about is not None else ""))
        update(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    was_active = QAccessible.isActive()
    QAccessible.setActive(True)
    yield events
    QAccessible.setActive(was_active)


def test_an_empty_field_reached_with_tab_moves_no_caret(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    """Qt tells a caret move before the focus, and Orca 43 then took the
    empty search field for focused without reading its name."""
    window = make_window(folder=tmp_path, countries=["BR"])
    window.activateWindow()
    moves: list[tuple[int, int]] = []
    for edit in (window.panel.search_edit, window.browser.filter_edit):
        edit.cursorPositionChanged.connect(lambda old, new: moves.append((old, new)))
    window.panel.sources_button.setFocus()
    press(Qt.Key.Key_Tab)
    assert focused() is window.panel.search_edit
    window.browser.shown_combo.setFocus()
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is window.browser.filter_edit
    assert moves == []


def test_a_list_reached_with_tab_tells_its_current_item(
    finished: MainWindow, loop: Loop, told: list[tuple[QAccessible.Event, str]]
) -> None:
    window = finished
    window.activateWindow()
    window.grid.setCurrentIndex(window.browser.proxy.index(1, 0))
    window.panel.country_view.setCurrentIndex(window.panel.country_filter.index(0, 0))
    window.browser.labels_check.setFocus()
    told.clear()
    press(Qt.Key.Key_Tab)
    assert focused() is window.grid
    # After the list's own focus, which Qt tells as the Tab is handled.
    loop.until(lambda: (QAccessible.Event.Focus, "China (CN)") in told)

    window.panel.invert_button.setFocus()
    told.clear()
    press(Qt.Key.Key_Tab)
    assert focused() is window.panel.country_view
    first = window.panel.country_view.currentIndex().data(Qt.ItemDataRole.DisplayRole)
    loop.until(lambda: (QAccessible.Event.Focus, first) in told)


def test_the_flag_views_are_not_read_as_a_layered_pane(make_window: WindowFactory) -> None:
    window = make_window(countries=["BR"])
    assert accessible(window.browser.views).role() == Role.Client  # layout, not a pane
    assert accessible(window.browser.views).text(NAME) == ""


def test_the_timeline_legend_says_its_colours_in_words(qapp: QApplication) -> None:
    panel = TimelinePanel()
    names = [
        accessible(label).text(NAME)
        for label in panel.findChildren(QLabel)
        if "■" in label.text() or "□" in label.text()
    ]
    assert names == [
        "grey: waiting for a slot",
        "purple: pause before a retry",
        "yellow: waiting for the server",
        "blue: receiving",
        "green: saving",
        "red outline: failed attempt",
    ]
    panel.deleteLater()


# Dialogs ---------------------------------------------------------------------


def opened(loop: Loop, dialog: QWidget) -> QWidget:
    """*dialog* once it is the active window."""
    loop.until(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_the_sources_dialog_from_the_keyboard(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(folder=tmp_path, countries=["BR"])
    dialog = window.panel.edit_sources()
    opened(loop, dialog)
    # It opens on the list, with a name and a current source.
    assert focused() is dialog.list
    assert accessible(dialog.list).text(NAME) == "Flag sources"
    assert dialog.list.currentRow() == 0
    assert unnamed_controls(dialog) == []
    assert "Name:" in labels(dialog.name_edit)
    assert "URL template:" in labels(dialog.template_edit)
    assert accessible(dialog.template_edit).text(DESCRIPTION).startswith("{base} is the server")
    assert tab_chain(dialog.list, 6) == [
        dialog.list,
        dialog.name_edit,
        dialog.template_edit,  # Remove and Add, disabled, are skipped
        dialog.ok_button,
        dialog.button_box.button(QDialogButtonBox.StandardButton.Cancel),
        dialog.list,
    ]

    # Enter adds what is typed, and does nothing while it cannot be added.
    assert dialog.ok_button.isDefault()
    dialog.name_edit.setFocus()
    QTest.keyClicks(dialog.name_edit, "Mirror")
    assert dialog.add_button.isDefault()
    press(Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.template_edit.setFocus()
    QTest.keyClicks(dialog.template_edit, "{base}/w320/{cc}.jpg")
    assert "must end in .gif, .png or .svg" in accessible(dialog.template_edit).text(DESCRIPTION)
    press(Qt.Key.Key_Backspace)
    press(Qt.Key.Key_Backspace)
    press(Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.template_edit, "png")
    press(Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.list.count() == 4
    assert dialog.name_edit.text() == ""
    # Nothing typed: Enter is OK.
    assert dialog.ok_button.isDefault()
    press(Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.panel.source_combo.count() == 4

    # Esc cancels.
    again = window.panel.edit_sources()
    opened(loop, again)
    press(Qt.Key.Key_Escape)
    assert not again.isVisible()
    assert again.result() == QDialog.DialogCode.Rejected


def test_the_compare_dialog_from_the_keyboard(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    faults.route_healthy(flag_server, ["BR", "JP"])
    window = make_window(
        server=flag_server.base_url, folder=tmp_path, countries=["BR", "JP"], concurrency=2
    )
    dialog = window.compare()
    assert dialog is not None
    opened(loop, dialog)
    # It opens on Stop, the default button while it runs.
    assert focused() is dialog.stop_button
    assert dialog.stop_button.isDefault()
    assert unnamed_controls(dialog) == []
    first, second = dialog.canvases
    assert accessible(first).role() == Role.Chart
    assert accessible(first).text(NAME) == "Sequential: 1 request at a time"
    assert accessible(second).text(NAME) == "Concurrent: up to 2 at a time"
    loop.run(dialog.wait())
    # Then the focus and Enter go to Close; the outcome was announced.
    assert focused() is dialog.close_button
    assert dialog.close_button.isDefault()
    assert tab_chain(dialog.close_button, 7) == [
        dialog.close_button,
        first,
        second,
        *dialog.export.buttons.values(),
        dialog.close_button,  # Stop is disabled
    ]
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_esc_stops_a_comparison(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    flag_server.route("br", faults.never_answers())
    window = make_window(server=flag_server.base_url, folder=tmp_path, countries=["BR"])
    dialog = window.compare()
    assert dialog is not None
    opened(loop, dialog)
    loop.until(lambda: flag_server.hits["br"] == 1)
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    loop.run(dialog.wait(), timeout=10)
    assert dialog.outcome.text() == "Stopped."


def test_the_flag_viewer_reads_each_flag_and_esc_closes_it(
    loop: Loop, finished: MainWindow
) -> None:
    window = finished
    window.activateWindow()
    window.grid.setFocus()
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Return)
    viewer = window.browser.viewer
    assert viewer is not None
    opened(loop, viewer)
    assert unnamed_controls(viewer) == []
    assert accessible(viewer).text(NAME) == "Brazil — flag"
    assert accessible(viewer).text(DESCRIPTION) == "done"
    loop.until(lambda: accessible(viewer.image).text(NAME) == "Flag of Brazil")
    press(Qt.Key.Key_Right)
    assert accessible(viewer).text(NAME) == "China — flag"
    assert accessible(viewer).text(DESCRIPTION) == (
        "not found: the server has no flag for this code"
    )
    assert accessible(viewer.image).text(NAME) == "No image"
    press(Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_the_about_box_opens_on_ok_and_esc_closes_it(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(folder=tmp_path, countries=["BR"])
    window.show_about()
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    opened(loop, box)
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert focused() is ok
    assert ok.isDefault()
    assert "flaggui" in accessible(box).text(NAME)
    press(Qt.Key.Key_Escape)
    assert not box.isVisible()


# Large text and small screens ---------------------------------------------


def test_the_window_fits_800_by_600_with_the_timeline_open(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(folder=tmp_path, countries=["BR"])
    window.timeline_dock.show()
    window.resize(800, 600)
    loop.until(lambda: window.size() == QSize(800, 600))
    hint = window.minimumSizeHint()
    assert hint.width() <= 800
    assert hint.height() <= 600
    # The legend and the export buttons wrap rather than widen the window.
    legend = window.timeline_panel.export.buttons["PNG"].parentWidget()
    assert legend.height() >= legend.layout().heightForWidth(legend.width())


def test_a_large_font_makes_the_timeline_rows_and_captions_taller(qapp: QApplication) -> None:
    view = TimelineView()
    canvas, header = view.canvas, view.header
    before = header.full_height()
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    metrics = canvas.fontMetrics()
    assert metrics.capHeight() + 3 <= canvas.ROW
    assert metrics.height() <= header.AXIS
    assert header.caption_height >= metrics.height()
    assert metrics.horizontalAdvance("WW") <= canvas.LABEL
    assert canvas.minimumHeight() == canvas.ROW
    # The header grew, and the rows start below it.
    assert header.full_height() > before
    assert header.height() == header.full_height()
    assert view.viewport().geometry().top() >= header.geometry().bottom()
    view.deleteLater()
