"""The grid following a batch: the flag being downloaded stays in view,
until the user scrolls by hand."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from flaggui.core.countries import FLAG_CODES
from flaggui.ui.flag_model import TileState
from flaggui.ui.follow import FOLLOW_INTERVAL
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Settings
from tests import faults
from tests.scripted_server import Exchange, ScriptedServer
from tests.ui.conftest import Loop, WindowFactory, wheel_notch
from tests.ui.test_browsing import grid_codes

CODES = sorted(FLAG_CODES)[:60]


def in_view(window: MainWindow, code: str) -> bool:
    grid = window.grid
    index = window.browser.proxy.index(grid_codes(window).index(code), 0)
    return grid.viewport().rect().contains(grid.visualRect(index))


def held(release: asyncio.Event, code: str) -> faults.Behaviour:
    """A good flag, sent once *release* is set."""

    async def behaviour(exchange: Exchange) -> None:
        await release.wait()
        await faults.healthy(code.lower())(exchange)

    return behaviour


def holding_window(
    flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path, *held_codes: str
) -> tuple[MainWindow, dict[str, asyncio.Event]]:
    """A window downloading CODES one at a time, a few tiles in view, from
    a server that holds *held_codes* until their events are set."""
    faults.route_healthy(flag_server, CODES)
    releases = {code: asyncio.Event() for code in held_codes}
    for code, release in releases.items():
        flag_server.route(code.lower(), held(release, code))
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "flags", countries=CODES, concurrency=1
    )
    window.resize(800, 600)
    window.browser.set_zoom(192)
    return window, releases


def scroll_up_by_hand(window: MainWindow) -> None:
    """Turns of the mouse wheel over the grid, upwards, to its top."""
    for _turn in range(100):
        if window.grid.verticalScrollBar().value() == 0:
            return
        wheel_up(window)


def wheel_up(window: MainWindow) -> None:
    QApplication.sendEvent(window.grid.viewport(), wheel_notch(QPointF(20, 20)))


def test_the_grid_follows_the_flag_in_flight_and_pauses_when_scrolled_by_hand(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    first, second = CODES[40], CODES[50]
    window, releases = holding_window(flag_server, make_window, tmp_path, first, second)
    assert window.follow_action.isChecked()  # on unless switched off
    window.start_download()
    tile = window.flags.tile

    # One flag at a time: the 41st waits for the server, the grid shows it.
    loop.until(lambda: tile(first).state is TileState.DOWNLOADING)  # type: ignore[union-attr]
    loop.until(lambda: in_view(window, first))
    assert not in_view(window, CODES[0])
    assert window.grid.verticalScrollBar().value() > 0

    # Scrolled back by hand: the grid stays where the user put it.
    scroll_up_by_hand(window)
    top = window.grid.verticalScrollBar().value()
    assert in_view(window, CODES[0])
    assert top == 0
    assert window.follower.paused
    assert not window.follow_action.isChecked()
    assert "Scrolled by hand" in window.summary_label.text()
    releases[first].set()
    loop.until(lambda: tile(second).state is TileState.DOWNLOADING)  # type: ignore[union-attr]
    loop.run(asyncio.sleep(FOLLOW_INTERVAL * 3))
    assert window.grid.verticalScrollBar().value() == top
    assert not in_view(window, second)

    # Switched on again, it follows at once; the choice was not changed.
    window.follow_action.trigger()
    assert window.follow_action.isChecked()
    loop.until(lambda: in_view(window, second))
    assert settings.follow
    # Keys that move the view are scrolling by hand too.
    QTest.keyClick(window.grid, Qt.Key.Key_Home)
    assert window.follower.paused
    assert in_view(window, CODES[0])
    releases[second].set()
    loop.until(lambda: not window.controller.busy)
    assert window.follow_action.isChecked()


def test_switched_off_the_grid_stays_put_and_the_choice_is_remembered(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    window, releases = holding_window(flag_server, make_window, tmp_path, CODES[40])
    window.follow_action.trigger()
    assert not settings.follow
    window.start_download()
    loop.until(lambda: window.flags.tile(CODES[40]).state is TileState.DOWNLOADING)  # type: ignore[union-attr]
    loop.run(asyncio.sleep(FOLLOW_INTERVAL * 3))
    assert window.grid.verticalScrollBar().value() == 0
    releases[CODES[40]].set()
    loop.until(lambda: not window.controller.busy)
    make_window.close(window)

    again = make_window(folder=tmp_path / "flags")
    assert not again.follow_action.isChecked()
    assert not again.follower.enabled
