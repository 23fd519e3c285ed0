"""What the event loop was doing while it stalled.

Every event Qt delivers at the top level of its loop (a timer, a socket, a
repaint, a queued signal, a posted event) is timed, and so is every asyncio
callback the loop runs: one due later is a Qt timer event of qasync's,
named after the task's coroutines or the callback; those due now run
together in one timer event of the window's loop, each listed within it. Set up before
``create_application`` by :func:`install`; :func:`report` then lists, for the
gaps of a :class:`~ui_responsiveness.StallMeter` longer than a frame budget,
what filled them. Garbage collections and the paints inside an update are
listed too, marked with a dot: they happen within the events listed.

    python benchmarks/ui_responsiveness.py --trace
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import sys
import time
from collections import Counter
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

import qasync

from flaggui.ui import event_loop


class EventTrace:
    """Top-level events as (start, seconds, label), in order."""

    def __init__(self) -> None:
        self.records: list[tuple[float, float, str]] = []
        self.depth = 0
        self.label: str | None = None
        self.enabled = False

    def clear(self) -> None:
        self.records.clear()


TRACE = EventTrace()
DRAIN = "asyncio callbacks due"


def _coroutine_chain(coro: Any) -> str:
    names: list[str] = []
    while coro is not None and len(names) < 4:
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        if code is None:
            break
        names.append(code.co_qualname)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return " > ".join(names)


def describe(callback: Any, args: tuple[Any, ...]) -> str:
    """A short name for an asyncio callback."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        return f"task {_coroutine_chain(owner.get_coro())}"
    name = getattr(callback, "__qualname__", None) or type(callback).__qualname__
    if name.endswith("__notifier_cb_wrapper") and len(args) >= 4:
        return f"socket {describe(args[3], ())}"
    return f"callback {name}"


class TracingApplication(QApplication):
    """A QApplication that times the events it delivers while tracing."""

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        trace = TRACE
        if not trace.enabled:
            return super().notify(receiver, event)
        # Paints happen inside a top-level update request; they are listed
        # too, to say which widget took the time.
        nested_paint = trace.depth > 0 and event.type() == QEvent.Type.Paint
        if trace.depth and not nested_paint:
            return super().notify(receiver, event)
        if not trace.depth:
            trace.label = None
        trace.depth += 1
        start = time.perf_counter()
        cpu = time.thread_time()
        queued = _run_queue_wait()
        try:
            return super().notify(receiver, event)
        finally:
            seconds = time.perf_counter() - start
            queued = _run_queue_wait() - queued
            trace.depth -= 1
            if nested_paint:
                owner = receiver.parent() if type(receiver) is QWidget else receiver
                label = f"· paint {type(owner).__name__}"
            else:
                label = trace.label or _event_label(receiver, event)
            trace.records.append((start, seconds, label))
            # Time this thread did not run: waiting for a processor (the
            # system's run queue), or for the GIL or a lock.
            waited = seconds - (time.thread_time() - cpu)
            if queued > 0.0005:
                trace.records.append((start, queued, f"· waiting for a processor in {label}"))
            if waited - queued > 0.0005:
                trace.records.append(
                    (start, waited - queued, f"· waiting for the GIL or a lock in {label}")
                )


_schedstat: list[int] = []  # the window thread's /proc schedstat, opened once


def _run_queue_wait() -> float:
    """Seconds the window's thread has spent ready to run but without a
    processor (Linux; 0 elsewhere)."""
    try:
        if not _schedstat:
            _schedstat.append(os.open("/proc/thread-self/schedstat", os.O_RDONLY))
        return int(os.pread(_schedstat[0], 128, 0).split()[1]) / 1e9
    except OSError:
        return 0.0


def _event_label(receiver: QObject, event: QEvent) -> str:
    if isinstance(receiver, QTimer):
        try:
            parent = receiver.parent()
        except RuntimeError:  # a single-shot timer, gone once it fired
            return "QTimer single shot"
        owner = type(parent).__name__ if parent is not None else "no parent"
        return f"QTimer {receiver.interval()} ms of {owner}"
    return f"{type(receiver).__name__}: {event.type().name}"


def install() -> None:
    """Make the application a TracingApplication and name qasync's callbacks."""
    if QApplication.instance() is None:
        TracingApplication(sys.argv[:1])
    original = qasync._SimpleTimer.timerEvent
    callbacks_attr = "_SimpleTimer__callbacks"

    def timer_event(self: Any, event: Any) -> None:
        if TRACE.enabled and TRACE.depth == 1 and TRACE.label is None:
            handle = getattr(self, callbacks_attr).get(event.timerId())
            if handle is not None:
                TRACE.label = describe(handle._callback, handle._args)
        original(self, event)

    qasync._SimpleTimer.timerEvent = timer_event
    # The window's loop runs the callbacks that are due together, in one
    # timer event: each is listed within it, as paints are.
    run_handle = asyncio.Handle._run

    def timed_run(handle: asyncio.Handle) -> None:
        if not (TRACE.enabled and TRACE.depth == 1 and TRACE.label == DRAIN):
            run_handle(handle)
            return
        start = time.perf_counter()
        try:
            run_handle(handle)
        finally:
            label = describe(handle._callback, handle._args)  # type: ignore[attr-defined]
            TRACE.records.append((start, time.perf_counter() - start, f"· {label}"))

    asyncio.Handle._run = timed_run  # type: ignore[method-assign]
    original_drain = event_loop._Due.drain

    def drain(self: Any) -> None:
        if TRACE.enabled and TRACE.depth == 1 and TRACE.label is None:
            TRACE.label = DRAIN
        original_drain(self)

    event_loop._Due.drain = drain  # type: ignore[method-assign]
    collecting: list[float] = []

    def garbage_collection(phase: str, info: dict[str, int]) -> None:
        if not TRACE.enabled:
            return
        if phase == "start":
            collecting[:] = [time.perf_counter()]
        elif collecting:
            start = collecting.pop()
            label = f"· garbage collection, generation {info['generation']}"
            TRACE.records.append((start, time.perf_counter() - start, label))

    gc.callbacks.append(garbage_collection)


Records = list[tuple[float, float, str]]


Totals = dict[str, float]


def attribute(
    records: Records, ticks: list[float], start: float, end: float, budget_ms: float
) -> tuple[Totals, Counter[str], list[tuple[float, float, list[tuple[float, str]]]]]:
    """For each gap between *ticks* longer than *budget_ms* within
    [start, end]: the time each label took inside it. Returns the totals by
    label (ms), how many long gaps each label appeared in, and the gaps as
    (at, length ms, [(ms, label)...]) from the longest."""
    totals: Totals = {}
    seen: Counter[str] = Counter()
    gaps = []
    for before, after in itertools.pairwise(ticks):
        length = (after - before) * 1000
        if after <= start or before >= end or length <= budget_ms:
            continue
        inside: dict[str, float] = {}
        for at, seconds, label in records:
            if at >= before and at < after:
                inside[label] = inside.get(label, 0.0) + seconds * 1000
        for label, ms in inside.items():
            totals[label] = totals.get(label, 0.0) + ms
        seen.update(inside.keys())
        parts = sorted(((float(ms), label) for label, ms in inside.items()), reverse=True)
        gaps.append((before - start, length, parts))
    gaps.sort(key=lambda gap: -gap[1])
    return totals, seen, gaps


# Work of the download engine and the network (aiohttp's transports and
# callbacks), as opposed to the window's own.
_ENGINE = (
    "task DownloadEngine",
    "task DownloadController._run > DownloadEngine",
    "socket ",
    "callback ",
    "QSocketNotifier",
)


def led_by_engine(parts: list[tuple[float, str]]) -> bool:
    """Whether the largest top-level part of a gap is the engine's."""
    top = [label for _ms, label in parts if not label.startswith("·")]
    return bool(top) and top[0].startswith(_ENGINE)


def report(runs: list[tuple[str, Records, list[float], float, float]], budget_ms: float) -> None:
    """Print what filled the gaps longer than *budget_ms*, over all *runs*
    (name, records, ticks, start, end): the time by label, and the longest
    gaps, those led by the engine's work apart from the window's."""
    totals: Totals = {}
    seen: Counter[str] = Counter()
    engine: list[tuple[str, float, float, list[tuple[float, str]]]] = []
    window: list[tuple[str, float, float, list[tuple[float, str]]]] = []
    for name, records, ticks, start, end in runs:
        run_totals, run_seen, gaps = attribute(records, ticks, start, end, budget_ms)
        for label, ms in run_totals.items():
            totals[label] = totals.get(label, 0.0) + ms
        seen.update(run_seen)
        for at, length, parts in gaps:
            (engine if led_by_engine(parts) else window).append((name, at, length, parts))
    print(f"\nwhat filled the gaps over {budget_ms:g} ms ({len(runs)} runs):")
    for label, ms in sorted(totals.items(), key=lambda item: -item[1])[:20]:
        print(f"  {ms:8.1f} ms in {seen[label]:3} gaps  {label}")
    for kind, listed in (("the engine's", engine), ("the window's", window)):
        listed.sort(key=lambda gap: -gap[2])
        print(f"\n{len(listed)} gaps led by {kind} work; the longest:")
        for name, at, length, parts in listed[:8]:
            shown = ", ".join(f"{label} {ms:.1f}" for ms, label in parts[:6])
            print(f"  {name} at {at * 1000:6.0f} ms: {length:5.1f} ms = {shown}")
