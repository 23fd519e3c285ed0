"""What the engine needs to know about fetching a flag, with no HTTP in it.

The scheduler (:mod:`flaggui.core.engine`) and the window import this module
only; :mod:`flaggui.core.http`, which imports aiohttp, is loaded when the
first batch opens its session, so the window is on screen before that cost
is paid. A test or another source may pass its own :class:`FlagFetcher`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from yarl import URL

from flaggui.core.adaptive import ServerSign
from flaggui.core.events import FailureKind
from flaggui.core.untrusted import clean_text

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Answers that say the server is taking more than it can.
OVERLOAD_STATUSES = frozenset({429, 503})
# A reason is one short line, whatever the server or the system put in it.
MAX_REASON = 200
StatusListener = Callable[[int], None]


class FetchFailed(Exception):
    """One attempt failed; ``retry_after`` is the server's wish, if any, and
    ``sign`` says whether the failure is a sign of a server taking more
    than it can (which adaptive concurrency answers). ``kind`` (and
    ``status``, for an HTTP answer) classify it. The reason is cleaned: it
    may quote the server."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        sign: ServerSign | None = None,
        kind: FailureKind = FailureKind.OTHER,
        status: int | None = None,
    ):
        super().__init__(reason)
        self.reason = clean_text(reason, MAX_REASON)
        self.retryable = retryable
        self.retry_after = retry_after
        self.sign = sign
        self.kind = kind
        self.status = status


class NotFound(Exception):
    """The server has no flag at this URL (HTTP 404)."""


class FlagFetcher(Protocol):
    """Something that fetches one flag's bytes: one attempt, within its own
    deadline. Raises :class:`FetchFailed` or :class:`NotFound`; may call
    *on_status* with the HTTP status of each answer (each redirect hop)."""

    async def __call__(self, url: URL, attempt: int, on_status: StatusListener) -> bytes: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts a flag gets after the first, and the waits between."""

    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 10.0
    retry_after_cap: float = 30.0
    retryable_statuses: frozenset[int] = RETRYABLE_STATUSES

    def allows_retry(self, failure: FetchFailed, attempt: int) -> bool:
        """Whether attempt number *attempt* (from 1), which failed so, gets a successor."""
        return failure.retryable and attempt <= self.retries

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after attempt number *attempt* (from 1) failed: the
        server's Retry-After up to a cap, else exponential backoff, capped,
        with ±25 % jitter so that failed flags do not come back together."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        base: float = self.backoff * 2.0 ** (attempt - 1)
        return min(base, self.max_backoff) * random.uniform(0.75, 1.25)
