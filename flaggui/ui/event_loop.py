"""The window's event loop: qasync's, with ready callbacks run in batches.

qasync makes every ``call_soon`` a Qt timer of its own: a timer started,
an event sent to Python, the timer killed. asyncio calls ``call_soon`` for
every step of every task, thousands of times in a batch of flags, and that
bookkeeping costs more than many of the steps themselves. Here, callbacks
due now wait in a queue that one zero-timer drains, as asyncio's own loops
do, and a drain yields to Qt after :data:`SLICE` seconds so the window
repaints in between (sooner when the window's own work since the last drain
took most of a :data:`TURN`); callbacks scheduled during a drain run in the
next one, after Qt has had its turn.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimerEvent
from PySide6.QtWidgets import QApplication

# After PySide6: qasync picks its Qt binding from what is already imported.
import qasync

T = TypeVar("T")

# Within a 60 Hz frame, with room for the window's own work.
SLICE = 0.004
# A turn of Qt's loop that does the window's work (a repaint, a queued
# signal) and then the callbacks due aims to end within this; the callbacks
# run for at least MIN_SLICE, so downloads go on however busy the window is.
TURN = 0.007
MIN_SLICE = 0.001


class _Due(QObject):
    """The queue of callbacks due now, drained by one zero-timer."""

    def __init__(self) -> None:
        super().__init__()
        self.handles: deque[asyncio.Handle] = deque()
        self._timer = 0
        self._ended = 0.0  # when the last drain that left callbacks ended

    def add(self, handle: asyncio.Handle) -> None:
        self.handles.append(handle)
        if not self._timer:
            self._timer = self.startTimer(0)

    def timerEvent(self, event: QTimerEvent) -> None:
        self.drain()

    def drain(self) -> None:
        """Run what was due when the drain began, for one slice at most:
        shorter when Qt's turn since the last drain was busy."""
        handles = self.handles
        now = time.perf_counter()
        slice_ = SLICE
        if self._ended:
            # The zero-timer stayed on since then, so Qt did not wait: all
            # that time was the window's work, in the same turn as this.
            slice_ = min(SLICE, max(MIN_SLICE, TURN - (now - self._ended)))
        end = now + slice_
        for _ in range(len(handles)):
            handle = handles.popleft()
            if not handle._cancelled:
                handle._run()
            if time.perf_counter() > end:
                break
        if handles:
            self._ended = time.perf_counter()
        else:
            self.stop()

    def stop(self) -> None:
        self._ended = 0.0
        if self._timer:
            self.killTimer(self._timer)
            self._timer = 0


class QtLoopEnded(RuntimeError):
    """Qt ended its event loop by itself before what the loop ran had
    finished: it does so when it loses its display (an X server that died,
    a Wayland compositor gone)."""


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop, with callbacks that are due now run in batches."""

    def __init__(self, app: QApplication | None = None) -> None:
        super().__init__(app)
        self._due = _Due()
        self._stopped = False  # stop() was called: Qt's loop ends as asked

    def stop(self) -> None:
        self._stopped = True
        super().stop()

    def run_until_complete(self, future: Any) -> Any:
        self._stopped = False
        try:
            return super().run_until_complete(future)
        except RuntimeError as exc:
            if self._stopped:
                raise
            raise QtLoopEnded("Qt's event loop ended by itself") from exc

    def call_soon(
        self,
        callback: Callable[..., object],
        *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        self._check_closed()
        # As asyncio's own loops: the callback is checked in debug mode only,
        # as the check costs more than scheduling it.
        if self.get_debug():
            if asyncio.iscoroutinefunction(callback):
                raise TypeError("coroutines cannot be used with call_soon")
            if not callable(callback):
                raise TypeError(f"callback must be callable: {type(callback).__name__}")
        handle = asyncio.Handle(callback, args, self, context=context)
        self._due.add(handle)
        return handle

    def close(self) -> None:
        self._due.stop()
        self._due.handles.clear()
        super().close()


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return EventLoop(QApplication.instance())  # type: ignore[arg-type]


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on an :class:`EventLoop` of the application,
    which must exist (Python 3.11's ``asyncio.run`` takes no loop factory)."""
    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(_Policy())
    try:
        return asyncio.run(main)
    finally:
        asyncio.set_event_loop_policy(previous)
