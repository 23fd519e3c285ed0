"""The window on Qt's offscreen platform, with its event loop (qasync's) per test."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from flaggui.ui import i18n
from flaggui.ui.event_loop import EventLoop
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings
from tests.scripted_server import ScriptedServer

T = TypeVar("T")


def wheel_notch(
    position: QPointF,
    global_position: QPointF | None = None,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> QWheelEvent:
    """One notch of a mouse wheel turned away from the user at *position*."""
    return QWheelEvent(
        position,
        position if global_position is None else global_position,
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )


class Loop:
    """Runs coroutines on the window's event loop (qasync's), so Qt and
    asyncio share it."""

    def __init__(self, app: QApplication) -> None:
        self.loop = EventLoop(app)
        asyncio.set_event_loop(self.loop)

    def run(self, work: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return self.loop.run_until_complete(asyncio.wait_for(work, timeout))

    def until(self, condition: Callable[[], object], timeout: float = 20) -> None:
        async def poll() -> None:
            deadline = time.monotonic() + timeout
            while not condition():
                if time.monotonic() > deadline:
                    raise AssertionError("condition not reached in time")
                await asyncio.sleep(0.01)

        self.run(poll(), timeout + 5)

    def close(self) -> None:
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        assert pending == [], f"tasks left running: {pending}"
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture(autouse=True, scope="session")
def catalogues(qapp: QApplication) -> None:
    """The window's catalogues, as flaggui loads them at start-up: English
    has one too, for its plural forms."""
    i18n.install("en")


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[Loop]:
    # As in the app: the window closes itself after stopping its downloads,
    # and the loop must outlive that.
    qapp.setQuitOnLastWindowClosed(False)
    runner = Loop(qapp)
    yield runner
    runner.close()


@pytest.fixture
def flag_server(loop: Loop) -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    loop.run(scripted.start())
    yield scripted
    loop.run(scripted.close())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


class WindowFactory:
    def __init__(self, loop: Loop, settings: Settings) -> None:
        self.loop, self.settings = loop, settings
        self.windows: list[MainWindow] = []

    def __call__(self, **options: Any) -> MainWindow:
        window = MainWindow(self.settings, StartOptions(**options))
        window.show()
        self.windows.append(window)
        # Let the initial folder scan finish.
        self.loop.until(lambda: not window.controller.scanning)
        return window

    def close(self, window: MainWindow, timeout: float = 20) -> None:
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))
        window.close()
        self.loop.until(lambda: closed, timeout)
        self.windows.remove(window)


@pytest.fixture
def make_window(loop: Loop, settings: Settings) -> Iterator[WindowFactory]:
    factory = WindowFactory(loop, settings)
    yield factory
    for window in list(factory.windows):
        factory.close(window)
        window.deleteLater()


class PaintCounter(QObject):
    """Counts the paint events of the widgets it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False
