"""Concurrency that adapts to the server: an AIMD limit per host.

The user's concurrency is the ceiling on requests in flight; below it, each
host gets its own limit that behaves like TCP's congestion window:

- it starts small (:data:`INITIAL_LIMIT`) and, in *slow start*, grows by one
  for every new connection that opens promptly and every request answered,
  so it doubles per round trip and a server that takes everything has all
  requests in flight after a few milliseconds;
- a sign of overload (the server answers 429 or 503, a connect stalls while
  later ones open, a connection is refused or reset, most recent answers
  fail) lowers it multiplicatively, at most once per *epoch*: answers to
  requests admitted before the last decrease do not lower it again;
- after the first decrease it grows additively, by one per limit's worth of
  answers.

A stalled connect is the one sign a small listen backlog gives: the kernel
drops the SYN and the client would wait a second or more for its
retransmission. So a new connection gets a deadline from the host's recent
connect times (:meth:`HostLimit.connect_timeout`), after which it is
abandoned and opened again at once; it counts as overload only if a connect
that began later has opened in the meantime, as TCP's fast retransmit
trusts later segments' acknowledgements, so an event loop that was busy for
a while, or a host that is merely far away, is not mistaken for one that
drops connections.

No aiohttp and no Qt here: the engine admits requests and reports answers,
the HTTP fetcher reports connects, and a listener hears the changes.
"""

from __future__ import annotations

import asyncio
import enum
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from yarl import URL

from flaggui.core.i18n import _

# Below most listen backlogs (Python's socketserver: 5), so a fresh host is
# never overrun by the first burst; slow start doubles it per round trip.
INITIAL_LIMIT = 4
# A connect slower than this many times the host's recent 90th percentile
# may have stalled (its SYN dropped)...
STALL_FACTOR = 4.0
# ... but it is given at least this long.
MIN_CONNECT_TIMEOUT = 0.05
# Before the host's first connect time is known: the kernel's own first
# SYN retransmission, so abandoning a connect costs nothing it would not.
FIRST_CONNECT_TIMEOUT = 1.0
CONNECT_SAMPLES = 32
# A pending connect this many times the usual time old (and at least
# LAG_MIN) holds slow start back.
LAG_FACTOR = 2.0
LAG_MIN = 0.02
# Answers per place in the limit, all healthy, before growth probes one step
# past the level where the server was last overloaded.
PROBE_AFTER = 8
# The answers that make up the error rate, and the rate that is overload.
ERROR_WINDOW = 10
ERROR_RATE = 0.5


class ServerSign(enum.Enum):
    """What a failed request says about the server."""

    THROTTLED = "throttled"  # answered 429 Too Many Requests or 503
    STALLED = "stalled"  # a connect stalled while later ones opened: a dropped SYN
    REFUSED = "refused"  # the connection was refused or reset
    ERRORS = "errors"  # most recent answers were failures
    # A connect outlived its deadline with no sign of the others being
    # dropped (a busy event loop, a far host): tried again with more patience.
    SLOW = "slow"

    @property
    def decrease(self) -> float:
        """The share of the limit kept after this sign (1: no decrease)."""
        # Every dropped SYN costs a connect deadline, while a 429 costs one
        # quick answer: back off harder from the first.
        return _DECREASE[self]


_DECREASE = {
    ServerSign.THROTTLED: 0.7,
    ServerSign.STALLED: 0.5,
    ServerSign.REFUSED: 0.5,
    ServerSign.ERRORS: 0.7,
    ServerSign.SLOW: 1.0,
}


@dataclass(frozen=True, slots=True)
class LimitChange:
    """The limit for *host* went from *previous* to *limit* at *at* seconds
    (batch time), because of *cause* (None: it grew on healthy answers)."""

    host: str
    at: float
    previous: int
    limit: int
    in_flight: int
    cause: ServerSign | None

    @property
    def explanation(self) -> str:
        """One line for a person: what happened and the new limit."""
        n = self.limit
        if self.cause is ServerSign.THROTTLED:
            text = _("{host} asks to slow down: {n} at once")
        elif self.cause is ServerSign.STALLED:
            text = _("{host} is dropping connections: {n} at once")
        elif self.cause is ServerSign.REFUSED:
            text = _("{host} refuses or resets connections: {n} at once")
        elif self.cause is ServerSign.ERRORS:
            text = _("{host} is failing most requests: {n} at once")
        elif self.cause is ServerSign.SLOW:
            text = _("{host} is slow to connect: {n} at once")
        else:
            text = _("{host} keeps up: {n} at once")
        return text.format(host=self.host.partition("://")[2] or self.host, n=n)


LimitListener = Callable[[LimitChange], None]


@dataclass(frozen=True, slots=True)
class Ticket:
    """One admitted request: the epoch it was admitted in and the limit then,
    which is what an overload it meets says was too much."""

    epoch: int
    limit: int


class HostLimit:
    """The adaptive limit on requests in flight to one host.

    :meth:`admit` waits (first come, first served) until a request may start
    and returns its :class:`Ticket`; :meth:`release` gives the place back.
    The ``report_*`` methods take what happened to an admitted request.
    """

    def __init__(
        self,
        key: str,
        ceiling: int,
        clock: Callable[[], float],
        listener: LimitListener | None = None,
    ) -> None:
        if ceiling < 1:
            raise ValueError(f"the ceiling must be at least 1, not {ceiling}")
        self.key = key
        self.ceiling = ceiling
        self.limit = float(min(INITIAL_LIMIT, ceiling))
        self.slow_start = True
        self.in_flight = 0
        self.epoch = 0
        self.decreases = 0
        self._clock = clock
        self._listener = listener
        self._waiters: deque[asyncio.Future[None]] = deque()
        # (opened at, took) of the most recent new connections
        self._connects: deque[tuple[float, float]] = deque(maxlen=CONNECT_SAMPLES)
        self._pending: dict[object, float] = {}  # connects under way, oldest first
        self._usual: float | None = None  # 90th percentile of the connect times
        self._slow_in_a_row = 0
        self._slow_mark = -math.inf  # deadline of the last slow connect counted
        self._answers: deque[bool] = deque(maxlen=ERROR_WINDOW)
        # The lowest limit that met overload: growth stays below it, probing
        # one step higher after a long calm.
        self._known_bad = ceiling + 1
        self._calm = 0

    @property
    def allowed(self) -> int:
        """How many requests may be in flight now."""
        return max(1, min(self.ceiling, int(self.limit)))

    # Admission ---------------------------------------------------------------------

    async def admit(self) -> Ticket:
        if self.in_flight < self.allowed and not self._waiters:
            self.in_flight += 1
            return Ticket(self.epoch, self.allowed)
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # Woken, then cancelled before it could start: the place
                # it was given goes to the next in line.
                self.in_flight -= 1
                self._wake()
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise
        return Ticket(self.epoch, self.allowed)

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < self.allowed:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)

    # What happened -----------------------------------------------------------------

    def connect_timeout(self) -> float:
        """Seconds after which a new connection to this host may have stalled."""
        usual = self._usual_connect()
        timeout = (
            FIRST_CONNECT_TIMEOUT
            if usual is None
            else max(MIN_CONNECT_TIMEOUT, STALL_FACTOR * usual)
        )
        # Each slow connect in a row doubles it, as the kernel backs off its
        # SYNs: a host that is merely far away is not abandoned for ever.
        return timeout * 2.0 ** min(self._slow_in_a_row, 6)

    def _usual_connect(self) -> float | None:
        """The 90th percentile of the recent connect times (None before the
        first), worked out once per new connect rather than per request."""
        if self._usual is None and self._connects:
            self._usual = _percentile([took for _, took in self._connects], 0.9)
        return self._usual

    def connect_began(self, key: object, started: float) -> None:
        """A new connection, known by *key*, began at *started* (seconds on
        the event loop's clock); :meth:`connect_ended` when it opened or
        failed."""
        self._pending[key] = started

    def connect_ended(self, key: object) -> None:
        self._pending.pop(key, None)

    def report_connected(self, started: float, opened: float) -> None:
        """A new connection began at *started* and opened at *opened*."""
        self._connects.append((opened, opened - started))
        self._usual = None
        self._slow_in_a_row = 0
        if self.slow_start and not self._connects_lagging(opened):
            self._grow(1.0)

    def _connects_lagging(self, now: float) -> bool:
        """Whether a connect still pending is already well past the usual
        time: the first sign of dropped SYNs, long before its deadline says
        so. Slow start holds while it lasts, so fewer are sent into a full
        queue."""
        oldest = next(iter(self._pending.values()), None)
        if oldest is None:
            return False
        return now - oldest > max(LAG_MIN, LAG_FACTOR * (self._usual_connect() or 0.0))

    def judge_stalled_connect(self, started: float, deadline: float) -> ServerSign:
        """A connect begun at *started* was abandoned at its *deadline*:
        STALLED if a connect begun later opened before that deadline (this
        one's SYN was dropped), else SLOW (and the next deadline is longer)."""
        for opened, took in reversed(self._connects):
            if opened - took > started and opened < deadline:
                return ServerSign.STALLED
        if started >= self._slow_mark:
            # Once for the connects begun together, not once for each.
            self._slow_in_a_row += 1
            self._slow_mark = deadline
        return ServerSign.SLOW

    def report_success(self, ticket: Ticket) -> None:
        """An answer that is not an overload or an error (a 404 counts)."""
        self._answers.append(True)
        if ticket.epoch != self.epoch:
            # Admitted under a higher limit that has since proved too much:
            # its answer says nothing about the lower one (TCP's recovery).
            return
        if self.slow_start:
            self._grow(1.0)
            return
        if self.allowed >= self._known_bad - 1:
            self._calm += 1
            if self._calm >= PROBE_AFTER * self.allowed:
                # A long calm just below the last overload: the server may
                # have more room now, so growth probes one step higher.
                self._known_bad += 1
                self._calm = 0
        self._grow(1.0 / self.limit)

    def report_sign(self, ticket: Ticket, sign: ServerSign) -> None:
        """A request failed with this sign of the server's state."""
        if sign is not ServerSign.SLOW:
            self._answers.append(False)
            self._decrease(ticket, sign)

    def report_error(self, ticket: Ticket) -> None:
        """A failed answer that says nothing about load by itself (a 500, a
        broken transfer, a timeout); many of them in a row do."""
        self._answers.append(False)
        failures = self._answers.count(False)
        if len(self._answers) >= ERROR_WINDOW // 2 and failures >= ERROR_RATE * len(self._answers):
            self._decrease(ticket, ServerSign.ERRORS)

    # The limit ---------------------------------------------------------------------

    def _grow(self, by: float) -> None:
        top = min(self.ceiling, self._known_bad - 1)
        if self.limit >= top or (self.in_flight < self.allowed and not self._waiters):
            # Only a limit that holds requests back grows (TCP's congestion
            # window validation): it stays a measure of what was tried.
            return
        before = self.allowed
        self.limit = min(float(top), self.limit + by)
        if self.allowed != before:
            self._announce(before, None)
            self._wake()

    def _decrease(self, ticket: Ticket, cause: ServerSign) -> bool:
        """Lower the limit below what *ticket* was admitted under, unless an
        earlier overload in its epoch already did; whether it did."""
        if ticket.epoch != self.epoch:
            return False  # admitted before the last decrease: accounted for
        before = self.allowed
        self.epoch += 1
        self.decreases += 1
        self.slow_start = False
        self.limit = max(1.0, min(self.limit, math.floor(ticket.limit * cause.decrease)))
        if cause is not ServerSign.ERRORS:
            # Overload is a level: growth stops short of where it began.
            self._known_bad = max(2, min(self._known_bad, ticket.limit))
        self._calm = 0
        self._answers.clear()
        self._announce(before, cause)
        return True

    def _announce(self, before: int, cause: ServerSign | None) -> None:
        if self._listener is not None:
            self._listener(
                LimitChange(self.key, self._clock(), before, self.allowed, self.in_flight, cause)
            )


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def host_key(url: URL) -> str:
    """What one limit covers: a scheme, a host and a port."""
    return f"{url.scheme}://{url.host}:{url.port}"


class AdaptiveLimits:
    """One :class:`HostLimit` per host of a batch, all under one ceiling."""

    def __init__(
        self,
        ceiling: int,
        listener: LimitListener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ceiling = ceiling
        self._listener = listener
        self._clock = clock
        self._hosts: dict[str, HostLimit] = {}

    def for_url(self, url: URL) -> HostLimit:
        key = host_key(url)
        limit = self._hosts.get(key)
        if limit is None:
            limit = self._hosts[key] = HostLimit(key, self.ceiling, self._clock, self._listener)
        return limit

    @property
    def hosts(self) -> dict[str, HostLimit]:
        return dict(self._hosts)


class NotableChanges:
    """Which limit changes are worth a line to a person: a decrease by a
    quarter or more since the last one shown, and a recovery to at least
    twice that. Slow start's steady growth is not news."""

    def __init__(self) -> None:
        self._shown: dict[str, int] = {}

    def __call__(self, change: LimitChange) -> bool:
        shown = self._shown.get(change.host)
        if change.cause is not None:
            notable = change.limit <= 0.75 * (shown if shown is not None else change.previous)
        else:
            notable = shown is not None and change.limit >= 2 * shown
        if notable:
            self._shown[change.host] = change.limit
        return notable
