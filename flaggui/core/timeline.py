"""The timeline of a batch: each request's phases over time, from the
engine's events. No Qt here: the window draws it, tests read it, and it
exports as CSV or JSON."""

from __future__ import annotations

import csv
import enum
import io
import json
from dataclasses import dataclass, field

from flaggui.core.adaptive import LimitChange
from flaggui.core.events import FlagEvent, FlagState, Phase


class Segment(enum.Enum):
    """What a request was doing during a stretch of time."""

    WAITING = "waiting"  # for a concurrency slot
    BACKOFF = "backoff"  # pausing after a failed attempt, before the next
    CONNECTING = "connecting"  # holds a slot; connecting, until the first byte
    RECEIVING = "receiving"  # the body arriving
    SAVING = "saving"  # written to the folder


@dataclass(frozen=True, slots=True)
class Span:
    segment: Segment
    start: float
    end: float
    attempt: int  # from 1; a wait or a pause counts as part of the attempt it leads to
    failed: bool = False  # this attempt ended in a failure (retried or final)


@dataclass
class Track:
    """One flag's row: its spans in time order and how it ended."""

    code: str
    spans: list[Span] = field(default_factory=list)
    state: FlagState | None = None
    reason: str = ""
    # the segment in progress: what, since when, which attempt
    _open: tuple[Segment, float, int] | None = None

    def open(self, segment: Segment, at: float, attempt: int) -> None:
        self.close(at)
        self._open = (segment, at, attempt)

    def close(self, at: float, failed: bool = False) -> None:
        if self._open is not None:
            segment, start, attempt = self._open
            self.spans.append(Span(segment, start, max(at, start), attempt, failed))
            self._open = None

    def current(self, now: float) -> list[Span]:
        """The spans, with the one in progress drawn up to *now*."""
        if self._open is None:
            return list(self.spans)
        segment, start, attempt = self._open
        return [*self.spans, Span(segment, start, max(now, start), attempt)]


CSV_FIELDS = ("code", "attempt", "segment", "start_s", "end_s", "failed", "final_state")


class Timeline:
    """Collects a batch's events (call :meth:`add` from the engine's
    listener) into one :class:`Track` per flag, in the order flags were
    queued, and the number of requests in flight over time; with adaptive
    concurrency, :meth:`add_limit` (the engine's ``on_limit``) records how
    the limit under *limit*, the user's ceiling, moved."""

    def __init__(self, limit: int = 0) -> None:
        self.limit = limit
        self._host_limits: dict[str, int] = {}
        self._limit_steps: list[tuple[float, int]] = []  # (time, limit from then on)
        self.tracks: list[Track] = []
        self._by_code: dict[str, Track] = {}
        self._flight: list[tuple[float, int]] = []  # (time, +1 / -1)
        self._flying: set[str] = set()
        self._series: list[tuple[float, int]] | None = None  # in_flight(), until a change
        self.now = 0.0

    def add(self, event: FlagEvent) -> None:
        self.now = max(self.now, event.at)
        track = self._by_code.get(event.code)
        if track is None:
            track = Track(event.code)
            self._by_code[event.code] = track
            self.tracks.append(track)
        phase, at = event.phase, event.at
        if phase is Phase.QUEUED:
            track.open(Segment.WAITING, at, event.attempt + 1)
        elif phase is Phase.STARTED:
            track.open(Segment.CONNECTING, at, event.attempt)
            self._take_off(event.code, at)
        elif phase is Phase.FIRST_BYTE:
            track.open(Segment.RECEIVING, at, event.attempt)
        elif phase is Phase.RECEIVED:
            track.open(Segment.SAVING, at, event.attempt)
            self._land(event.code, at)
        elif phase is Phase.SAVED:
            track.close(at)
        elif phase is Phase.RETRY:
            track.close(at, failed=True)
            self._land(event.code, at)
            track.open(Segment.BACKOFF, at, event.attempt + 1)
        elif phase is Phase.FINISHED and event.result is not None:
            failed = event.result.state in (FlagState.ERROR, FlagState.NOT_FOUND)
            track.close(at, failed=failed)
            self._land(event.code, at)
            track.state, track.reason = event.result.state, event.result.reason

    def add_limit(self, change: LimitChange) -> None:
        """One host's adaptive limit changed; the batch's limit is the sum
        over its hosts, up to the ceiling."""
        if not self._host_limits:
            self._limit_steps.append((0.0, change.previous))
        self._host_limits[change.host] = change.limit
        total = sum(self._host_limits.values())
        if self.limit:
            total = min(total, self.limit)
        if self._limit_steps[-1][0] == change.at:
            self._limit_steps[-1] = (change.at, total)
        elif self._limit_steps[-1][1] != total:
            self._limit_steps.append((change.at, total))

    def adaptive_limit(self) -> list[tuple[float, int]]:
        """The adaptive limit as a step function (empty if it never moved)."""
        return list(self._limit_steps)

    def _take_off(self, code: str, at: float) -> None:
        if code not in self._flying:
            self._flying.add(code)
            self._flight.append((at, 1))
            self._series = None

    def _land(self, code: str, at: float) -> None:
        if code in self._flying:
            self._flying.discard(code)
            self._flight.append((at, -1))
            self._series = None

    def in_flight(self) -> list[tuple[float, int]]:
        """Requests in flight as a step function: (time, count from then on).
        Worked out once per change: the timeline view asks on every repaint."""
        if self._series is not None:
            return self._series
        series: list[tuple[float, int]] = []
        count = 0
        for at, change in sorted(self._flight, key=lambda item: (item[0], item[1])):
            count += change
            if series and series[-1][0] == at:
                series[-1] = (at, count)
            else:
                series.append((at, count))
        self._series = series
        return series

    def peak_in_flight(self) -> int:
        return max((count for _at, count in self.in_flight()), default=0)

    @property
    def duration(self) -> float:
        return self.now

    def slowest_request(self) -> float:
        """Seconds from the first attempt's start to the end of the slowest
        flag's last step (its waits before the first attempt not counted)."""
        return self.slowest()[1]

    def slowest(self) -> tuple[str, float]:
        """The code of the slowest flag and its seconds, as
        :meth:`slowest_request` counts them; ("", 0.0) before any starts."""
        slowest = ("", 0.0)
        for track in self.tracks:
            spans = track.current(self.now)
            started = next((s.start for s in spans if s.segment is Segment.CONNECTING), None)
            if started is not None and spans[-1].end - started > slowest[1]:
                slowest = (track.code, spans[-1].end - started)
        return slowest

    def failed_count(self) -> int:
        """Flags that ended not found or in an error."""
        return sum(t.state in (FlagState.ERROR, FlagState.NOT_FOUND) for t in self.tracks)

    def retried_count(self) -> int:
        """Flags that needed more than one attempt."""
        return sum(
            any(span.attempt > 1 for span in track.current(self.now)) for track in self.tracks
        )

    @property
    def finished(self) -> bool:
        """Whether every request of the batch has ended."""
        return bool(self.tracks) and all(track.state is not None for track in self.tracks)

    # Export -----------------------------------------------------------------
    def rows(self) -> list[dict[str, object]]:
        """Every span as a flat record."""
        return [
            {
                "code": track.code,
                "attempt": span.attempt,
                "segment": span.segment.value,
                "start_s": round(span.start, 6),
                "end_s": round(span.end, 6),
                "failed": span.failed,
                "final_state": track.state.value if track.state else "",
            }
            for track in self.tracks
            for span in track.current(self.now)
        ]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            {
                "limit": self.limit,
                "duration_s": round(self.duration, 6),
                "peak_in_flight": self.peak_in_flight(),
                "in_flight": [[round(at, 6), count] for at, count in self.in_flight()],
                "adaptive_limit": [[round(at, 6), limit] for at, limit in self._limit_steps],
                "spans": self.rows(),
            },
            indent=1,
        )
