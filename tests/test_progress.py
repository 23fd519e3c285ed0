"""The tally of a batch: counts, bytes, speed and time left, on a clock the
test turns by hand."""

from __future__ import annotations

import pytest

from flaggui.core.events import FlagResult, FlagState
from flaggui.core.progress import MIN_SPAN, BatchProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def done(code: str, size: int = 1024) -> FlagResult:
    return FlagResult(code, FlagState.DONE, size=size)


def test_counts_each_state_and_the_bytes_saved() -> None:
    progress = BatchProgress(5, clock=Clock())
    for item in (
        done("AA", 2000),
        FlagResult("AB", FlagState.SKIPPED, size=999),
        FlagResult("AC", FlagState.ERROR, "x"),
        FlagResult("AD", FlagState.CANCELLED, "x"),
    ):
        progress.add(item)
    assert progress.finished == 4
    assert progress.remaining == 1
    assert progress.count(FlagState.DONE) == 1
    assert progress.count(FlagState.CANCELLED) == 1
    assert progress.bytes == 2000  # a flag already in the folder cost nothing


def test_no_speed_until_the_batch_has_run_a_while_and_a_flag_came() -> None:
    clock = Clock()
    progress = BatchProgress(10, clock=clock)
    progress.add(FlagResult("AA", FlagState.SKIPPED))
    clock.now += 5
    assert progress.speed() is None  # nothing came over the network yet
    progress = BatchProgress(10, clock=clock)
    progress.add(done("AA"))
    clock.now += MIN_SPAN / 2
    assert progress.speed() is None  # too early to say
    clock.now += MIN_SPAN
    assert progress.speed() is not None


def test_speed_is_the_pace_of_the_last_seconds_and_sets_the_time_left() -> None:
    clock = Clock()
    progress = BatchProgress(100, window=5.0, clock=clock)
    for second in range(10):  # 2 flags of 3 KiB a second for 10 s
        clock.now += 1
        progress.add(done(f"A{second}", 3072))
        progress.add(done(f"B{second}", 3072))
    speed = progress.speed()
    assert speed is not None
    assert speed.flags == pytest.approx(2.0)
    assert speed.bytes == pytest.approx(6144)
    assert speed.seconds_left == pytest.approx(80 / 2.0)
    # A faster spell shows within the window.
    for second in range(5):
        clock.now += 1
        for i in range(8):
            progress.add(done(f"C{second}{i}"))
    speed = progress.speed()
    assert speed is not None
    assert speed.flags == pytest.approx(8.0)


def test_a_stall_brings_the_speed_to_nothing_and_the_time_left_to_unknown() -> None:
    clock = Clock()
    progress = BatchProgress(10, clock=clock)
    clock.now += 2
    progress.add(done("AA"))
    clock.now += 30
    speed = progress.speed()
    assert speed is not None
    assert speed.flags == 0
    assert speed.seconds_left is None


def test_failures_count_towards_the_pace_but_not_the_bytes() -> None:
    clock = Clock()
    progress = BatchProgress(4, clock=clock)
    clock.now += 2
    progress.add(FlagResult("AA", FlagState.ERROR, "x", size=5000))
    progress.add(FlagResult("AB", FlagState.NOT_FOUND, "x"))
    speed = progress.speed()
    assert speed is not None
    assert speed.flags == pytest.approx(1.0)
    assert speed.bytes == 0
    assert speed.seconds_left == pytest.approx(2.0)
