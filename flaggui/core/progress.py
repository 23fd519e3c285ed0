"""The running tally of a batch, as a download manager shows it.

:class:`BatchProgress` counts the flags that ended in each state and the
bytes saved, and estimates the speed (flags and bytes a second, over the
last few seconds, so that one burst or one pause does not swing it) and the
time left. Flags found in the folder end at once and cost no transfer: they
count as finished but not towards the speed.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from flaggui.core.events import FlagResult, FlagState

# The speed is the average over this many seconds (or the batch so far).
WINDOW = 5.0
# No speed (and no time left) until the batch has run this long: the first
# answers come together and say little about the rest.
MIN_SPAN = 1.0


@dataclass(frozen=True, slots=True)
class Speed:
    """Flags and bytes a second, and the seconds left at that pace (None
    while nothing arrives)."""

    flags: float
    bytes: float
    seconds_left: float | None


class BatchProgress:
    """The tally of a batch of ``total`` flags; :meth:`add` each flag's result
    as it ends. *clock* gives seconds (the monotonic clock by default)."""

    def __init__(
        self, total: int, *, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total = total
        self.counts: Counter[FlagState] = Counter()
        self.bytes = 0
        self._window = window
        self._clock = clock
        self._started = clock()
        # (when, bytes) of each flag that ended after a request, newest last,
        # for the last ``window`` seconds; and how many there were in all.
        self._recent: deque[tuple[float, int]] = deque()
        self._requested = 0

    @property
    def finished(self) -> int:
        return self.counts.total()

    @property
    def remaining(self) -> int:
        return max(self.total - self.finished, 0)

    def count(self, state: FlagState) -> int:
        return self.counts[state]

    def add(self, result: FlagResult) -> None:
        self.counts[result.state] += 1
        if result.state is FlagState.DONE:
            self.bytes += result.size
        if result.state in (FlagState.DONE, FlagState.NOT_FOUND, FlagState.ERROR):
            size = result.size if result.state is FlagState.DONE else 0
            self._recent.append((self._clock(), size))
            self._requested += 1

    def speed(self) -> Speed | None:
        """The pace over the last ``window`` seconds; None until the batch
        has run ``MIN_SPAN`` seconds and a flag has come over the network."""
        now = self._clock()
        span = min(now - self._started, self._window)
        if span < MIN_SPAN or not self._requested:
            return None
        while self._recent and self._recent[0][0] <= now - self._window:
            self._recent.popleft()
        flags = len(self._recent) / span
        data = sum(size for _when, size in self._recent) / span
        left = self.remaining / flags if flags > 0 else None
        return Speed(flags, data, left)
