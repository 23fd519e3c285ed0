"""Plain data the download engine reports: per-flag phases and final results.

The engine calls a listener with a :class:`FlagEvent` for every step of every
flag, in order, on the event loop's thread. A UI renders them live (tiles,
a timeline); the CLI drives a progress bar. Times are seconds since the
batch started, from the monotonic clock.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flaggui.core.i18n import _, ngettext


class FlagState(enum.Enum):
    """The one final state each flag ends in."""

    DONE = "done"
    SKIPPED = "skipped"
    NOT_FOUND = "not found"
    ERROR = "error"
    CANCELLED = "cancelled"


class FailureKind(enum.Enum):
    """What kind of trouble ended a flag that did not arrive: what tells a
    cause the whole batch shares (no network, a wrong address) from a flag's
    own bad luck."""

    DNS = "dns"  # the server's name did not resolve
    CONNECT = "connect"  # no connection: refused, unreachable, or none in time
    TLS = "tls"  # no secure connection: a certificate or handshake failed
    TIMEOUT = "timeout"  # no complete answer within the deadline
    CONNECTION = "connection"  # the connection broke before the answer was whole
    HTTP_STATUS = "http status"  # an answer other than the flag (``status`` says which)
    BAD_ANSWER = "bad answer"  # malformed HTTP, a refused redirect, a file too large
    INVALID_IMAGE = "invalid image"  # an answer, but not the image expected
    STORAGE = "storage"  # the flag arrived but could not be saved
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a flag did not arrive, for a machine: its kind, the HTTP status
    for HTTP_STATUS, and the host and port the request went to."""

    kind: FailureKind
    status: int | None = None
    host: str | None = None
    port: int | None = None


class Phase(enum.Enum):
    """Steps of one flag's download, reported as they happen."""

    QUEUED = "queued"  # waiting for a concurrency slot (again, after a retry's pause)
    STARTED = "started"  # holds a slot; connecting and sending the request
    FIRST_BYTE = "first byte"  # response status and headers received
    RECEIVED = "received"  # whole body received and validated
    SAVED = "saved"  # file renamed into place
    RETRY = "retry"  # attempt failed; slot released, pausing before the next
    FINISHED = "finished"  # final state reached; ``result`` is set


@dataclass(frozen=True, slots=True)
class FlagResult:
    """How one flag ended. ``reason`` explains every state but DONE to a
    person; ``failure`` classifies a NOT_FOUND or ERROR for the program."""

    code: str
    state: FlagState
    reason: str = ""
    path: Path | None = None
    size: int = 0
    attempts: int = 0
    country: str | None = None
    failure: Failure | None = None

    @property
    def failed(self) -> bool:
        return self.state is FlagState.ERROR


@dataclass(frozen=True, slots=True)
class FlagEvent:
    code: str
    phase: Phase
    at: float
    attempt: int = 0
    detail: str = ""
    result: FlagResult | None = None


FlagListener = Callable[[FlagEvent], None]


@dataclass(frozen=True)
class BatchSummary:
    """The results of one batch, in the order the codes were given."""

    results: tuple[FlagResult, ...]
    elapsed: float
    counts: Counter[FlagState] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", Counter(r.state for r in self.results))

    @classmethod
    def of(cls, results: Iterable[FlagResult], elapsed: float) -> BatchSummary:
        return cls(tuple(results), elapsed)

    def count(self, state: FlagState) -> int:
        return self.counts[state]

    @property
    def failed(self) -> tuple[FlagResult, ...]:
        return tuple(r for r in self.results if r.failed)

    @property
    def downloaded_line(self) -> str:
        """The classic script's closing line."""
        done = self.count(FlagState.DONE)
        return ngettext(
            "{n} flag downloaded in {seconds:.2f}s", "{n} flags downloaded in {seconds:.2f}s", done
        ).format(n=done, seconds=self.elapsed)

    @property
    def counts_line(self) -> str:
        """``194 done, 0 skipped, 0 not found, 0 failed, 0 cancelled``"""
        return _(
            "{done} done, {skipped} skipped, {not_found} not found, {failed} failed, "
            "{cancelled} cancelled"
        ).format(
            done=self.count(FlagState.DONE),
            skipped=self.count(FlagState.SKIPPED),
            not_found=self.count(FlagState.NOT_FOUND),
            failed=self.count(FlagState.ERROR),
            cancelled=self.count(FlagState.CANCELLED),
        )
