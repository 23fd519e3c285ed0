"""The window's event loop: asyncio's callbacks due now run in order, in
batches that leave Qt its turn, with asyncio's semantics kept."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from flaggui.ui import event_loop
from tests.ui.conftest import Loop


def test_callbacks_run_in_the_order_they_were_scheduled(loop: Loop) -> None:
    seen: list[int] = []

    async def schedule() -> None:
        running = asyncio.get_running_loop()
        for n in range(500):
            running.call_soon(seen.append, n)
        await asyncio.sleep(0.05)

    loop.run(schedule())
    assert seen == list(range(500))


def test_a_callback_scheduled_by_a_callback_runs_after_qt_had_its_turn(loop: Loop) -> None:
    """As in asyncio's own loops, what a callback schedules runs in the next
    round, and what Qt has posted in between (a repaint, a queued signal)
    comes first."""
    order: list[str] = []

    async def chain() -> None:
        running = asyncio.get_running_loop()

        def first() -> None:
            order.append("first")
            QTimer.singleShot(0, lambda: order.append("qt"))  # a posted event
            running.call_soon(lambda: order.append("second"))

        running.call_soon(first)
        await asyncio.sleep(0.05)

    loop.run(chain())
    assert order == ["first", "qt", "second"]


def test_a_long_run_of_callbacks_is_cut_into_slices(loop: Loop) -> None:
    """A hundred callbacks of a millisecond each do not hold Qt for a
    hundred milliseconds: a Qt timer fires in between, about every slice."""
    ticks: list[float] = []
    done: list[float] = []

    def busy() -> None:
        end = time.perf_counter() + 0.001
        while time.perf_counter() < end:
            pass
        done.append(time.perf_counter())

    async def burst() -> None:
        running = asyncio.get_running_loop()
        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        for _ in range(100):
            running.call_soon(busy)
        while len(done) < 100:
            await asyncio.sleep(0.01)
        timer.stop()

    loop.run(burst())
    during = [t for t in ticks if done[0] < t < done[-1]]
    # About 100 ms of work in slices of SLICE seconds: Qt got many turns.
    assert len(during) >= 5


def test_after_a_busy_turn_of_qt_the_callbacks_get_less_time(loop: Loop) -> None:
    """When the window's own work (a repaint, a queued signal) took most of
    a turn of Qt's loop, the callbacks due run for what is left of it, at
    least MIN_SLICE, rather than a whole SLICE: a turn stays about TURN."""
    assert event_loop.MIN_SLICE < event_loop.TURN - 0.005 < event_loop.SLICE
    per_turn: list[int] = []
    ran: list[int] = [0]

    def busy(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass

    def callback() -> None:
        busy(0.0005)
        ran[0] += 1

    def window_work() -> None:  # 5 ms of Qt's turn, between two drains
        per_turn.append(ran[0])
        ran[0] = 0
        busy(0.005)

    async def burst() -> None:
        running = asyncio.get_running_loop()
        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(window_work)
        timer.start()
        for _ in range(200):
            running.call_soon(callback)
        await asyncio.sleep(0)  # runs after the 200
        timer.stop()

    loop.run(burst())
    turns = [n for n in per_turn if n]
    # Half-millisecond callbacks: a whole slice would run about eight.
    assert len(turns) >= 10
    assert sorted(turns)[len(turns) // 2] <= 5


def test_cancelled_handles_do_not_run_and_errors_reach_the_handler(loop: Loop) -> None:
    seen: list[str] = []
    errors: list[dict[str, Any]] = []

    def fail() -> None:
        raise RuntimeError("boom")

    async def schedule() -> None:
        running = asyncio.get_running_loop()
        running.set_exception_handler(lambda _loop, context: errors.append(context))
        try:
            cancelled = running.call_soon(seen.append, "cancelled")
            running.call_soon(fail)
            running.call_soon(seen.append, "after")
            cancelled.cancel()
            await asyncio.sleep(0.05)
        finally:
            running.set_exception_handler(None)

    loop.run(schedule())
    assert seen == ["after"]
    assert [type(e["exception"]) for e in errors] == [RuntimeError]


def test_call_soon_threadsafe_and_executors_work(loop: Loop) -> None:
    async def from_a_thread() -> tuple[str, int]:
        running = asyncio.get_running_loop()
        woken: asyncio.Future[str] = running.create_future()
        threading.Thread(
            target=lambda: running.call_soon_threadsafe(woken.set_result, "woken")
        ).start()
        result = await asyncio.wait_for(woken, 5)
        return result, await asyncio.to_thread(lambda: 42)

    assert loop.run(from_a_thread()) == ("woken", 42)


def test_call_soon_refuses_what_asyncio_refuses_in_debug_mode(loop: Loop) -> None:
    async def refuse() -> None:
        running = asyncio.get_running_loop()
        running.set_debug(True)

        async def coroutine() -> None:
            pass

        with pytest.raises(TypeError):
            running.call_soon(coroutine)
        with pytest.raises(TypeError):
            running.call_soon("not callable")  # type: ignore[arg-type]
        running.set_debug(False)

    loop.run(refuse())


def test_run_is_asyncio_run_on_the_windows_loop(qapp: QApplication) -> None:
    """What the app starts with: the coroutine's result, tasks it left
    cancelled, and the loop closed and unset afterwards."""
    left: list[asyncio.Task[None]] = []

    async def main() -> str:
        assert isinstance(asyncio.get_running_loop(), event_loop.EventLoop)
        left.append(asyncio.ensure_future(asyncio.sleep(60)))
        await asyncio.sleep(0)
        return "done"

    previous = asyncio.get_event_loop_policy()
    assert event_loop.run(main()) == "done"
    assert left[0].cancelled()
    assert asyncio.get_event_loop_policy() is previous


def test_qt_ending_its_loop_by_itself_is_told_from_a_stop(qapp: QApplication) -> None:
    """Qt ends its loop by itself when it loses its display; the coroutine
    the loop ran has then not finished, which :func:`run` says as
    QtLoopEnded (a coroutine that fails, or stops the loop, is not that)."""
    cancelled: list[bool] = []

    async def display_lost() -> None:
        QTimer.singleShot(10, lambda: QApplication.exit(1))  # as Qt's xcb plugin does
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    with pytest.raises(event_loop.QtLoopEnded):
        event_loop.run(display_lost())
    assert cancelled == [True]

    async def fails() -> None:
        raise RuntimeError("not a lost display")

    with pytest.raises(RuntimeError, match="not a lost display"):
        event_loop.run(fails())

    async def stops() -> None:
        asyncio.get_running_loop().stop()
        await asyncio.sleep(60)

    with pytest.raises(RuntimeError) as stopped:
        event_loop.run(stops())
    assert not isinstance(stopped.value, event_loop.QtLoopEnded)
    # The application runs loops again afterwards.
    assert event_loop.run(asyncio.sleep(0, "again")) == "again"


def test_a_closed_loop_refuses_callbacks(qapp: QApplication) -> None:
    loop = event_loop.EventLoop(qapp)
    loop.close()
    with pytest.raises(RuntimeError, match="closed"):
        loop.call_soon(print)
