"""The download engine shared by the CLI and the window: the scheduler.

One :class:`DownloadEngine` downloads a batch of flags into one folder: at
most ``concurrency`` attempts in flight (the HTTP session's connector limit
is set to match, so nothing caps it lower) and, unless adaptation is off,
no more per host than its :class:`~flaggui.core.adaptive.HostLimit` allows,
retries as a
:class:`~flaggui.core.fetching.RetryPolicy` says, atomic saves by one
:class:`~flaggui.core.saver.BatchSaver`, events for every step, and one final
:class:`FlagResult` per flag. Each attempt is one call of a
:class:`~flaggui.core.fetching.FlagFetcher`, made once a slot is held (so its
deadline does not count the wait for a slot); by default that is
:class:`~flaggui.core.http.HttpFetcher`, and nothing else here speaks HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from yarl import URL

from flaggui.core import storage
from flaggui.core.adaptive import AdaptiveLimits, HostLimit, LimitListener, ServerSign
from flaggui.core.countries import country_name, normalize_code
from flaggui.core.events import (
    BatchSummary,
    Failure,
    FailureKind,
    FlagEvent,
    FlagListener,
    FlagResult,
    FlagState,
    Phase,
)
from flaggui.core.fetching import MAX_REASON, FetchFailed, FlagFetcher, NotFound, RetryPolicy
from flaggui.core.i18n import _
from flaggui.core.limits import DEFAULT_CONCURRENCY, fit_concurrency
from flaggui.core.network import NetworkConditions
from flaggui.core.saver import BatchSaver, finish_even_if_cancelled
from flaggui.core.servers import (
    BUILTIN,
    DEFAULT_SERVER,
    DEFAULT_TEMPLATE,
    flag_url,
    metadata_url,
    template_format,
)
from flaggui.core.untrusted import clean_text

if TYPE_CHECKING:
    import aiohttp

    from flaggui.core.builtin import BuiltinServer

log = logging.getLogger(__name__)

_METADATA_TIMEOUT = 5.0
# With adaptive concurrency an overload answer (429, 503, a stalled or
# refused connect) lowers the host's limit and the flag waits for a place
# under it, without using up a retry; this many times at most.
MAX_FREE_REQUEUES = 10

# A country name for a code, or None; looked up while the flag's slot is held.
NameLookup = Callable[[str], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class DownloadOptions:
    """How a batch is downloaded. Times are in seconds."""

    server: str = DEFAULT_SERVER
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = 15.0
    retries: int = 2
    force: bool = False
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5
    backoff: float = 0.5
    retry_after_cap: float = 30.0
    url_template: str = DEFAULT_TEMPLATE
    # Requests in flight per host adapt to the server, up to ``concurrency``.
    adaptive: bool = True
    # What the built-in server plays when ``server`` is BUILTIN.
    network: NetworkConditions = field(default_factory=NetworkConditions)
    # Each result carries its country's name (pycountry's, or the server's
    # metadata.json for a code pycountry lacks); off for a caller that never
    # shows names, which spares it loading pycountry's database.
    names: bool = True

    def __post_init__(self) -> None:
        template_format(self.url_template)  # raises ServerError (a ValueError)
        if self.timeout <= 0:
            raise ValueError(
                _("the timeout must be positive, not {timeout}").format(timeout=self.timeout)
            )
        if self.retries < 0:
            raise ValueError(
                _("retries cannot be negative, not {retries}").format(retries=self.retries)
            )

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            retries=self.retries, backoff=self.backoff, retry_after_cap=self.retry_after_cap
        )


class DownloadEngine:
    """Downloads flags into ``destination``; reports each step to ``listener``.

    Call :meth:`run` with codes; call :meth:`cancel` at any moment to end the
    batch early (every unfinished flag then ends CANCELLED). One batch runs at
    a time. ``concurrency_note`` says why the concurrency was lowered, if the
    system's open-file limit forced that.

    By default each attempt is an HTTP request to ``options.server``; a
    *fetcher* given here makes every attempt instead (no HTTP session is
    opened and no ``metadata.json`` names are looked up).

    With ``options.adaptive`` (the default), ``concurrency`` is the ceiling
    and each host's requests in flight follow an
    :class:`~flaggui.core.adaptive.HostLimit`; *on_limit* hears every change
    of a host's limit, its time in seconds since the batch started.

    When ``options.server`` is BUILTIN, the flags come from the built-in
    server, playing ``options.network``: *builtin* if given (it is started,
    and left running for the next batch), else one started for the batch
    and stopped when it ends.
    """

    def __init__(
        self,
        destination: Path,
        options: DownloadOptions | None = None,
        listener: FlagListener | None = None,
        *,
        fetcher: FlagFetcher | None = None,
        on_limit: LimitListener | None = None,
        builtin: BuiltinServer | None = None,
    ) -> None:
        self.destination = Path(destination)
        self.options = options or DownloadOptions()
        self.concurrency, self.concurrency_note = fit_concurrency(self.options.concurrency)
        self._format = template_format(self.options.url_template)
        self._listener = listener
        self._fetcher = fetcher
        self._on_limit = on_limit
        self._builtin = builtin
        # Where the batch's requests go: options.server, or the built-in
        # server's address once it has started.
        self.server_url = self.options.server
        self.limits: AdaptiveLimits | None = None
        self._policy = self.options.retry_policy
        self._tasks: set[asyncio.Task[FlagResult]] = set()
        self._running = False
        self._cancel_requested = False
        self._t0 = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Cancel every flag of the running batch; :meth:`run` then returns.
        Called before the requests start (while the folder is being looked
        at), it still ends the batch: every flag then ends CANCELLED."""
        self._cancel_requested = True
        # A listener may call this while the task of the flag it hears about
        # is finishing; that flag has its result, so its task is spared.
        try:
            current = asyncio.current_task()
        except RuntimeError:  # called with no loop running
            current = None
        for task in self._tasks:
            if task is not current:
                task.cancel()

    async def run(self, codes: Sequence[str]) -> BatchSummary:
        """Download *codes* (duplicates ignored); return when all have ended.

        Raises ``storage.DestinationError`` before any request if the folder
        cannot be used, ValueError for a malformed code, and ServerError (a
        ValueError) if the built-in server cannot start.
        """
        if self._running:
            raise RuntimeError("a batch is already running")
        unique = list(dict.fromkeys(normalize_code(c) for c in codes))
        self._running = True
        self._cancel_requested = False
        try:
            # One trip to a worker thread for all the folder's I/O before the
            # requests: per-flag trips cost more than the checks themselves.
            survey = await asyncio.to_thread(
                storage.open_destination,
                self.destination,
                [] if self.options.force else unique,
                self._format,
            )
            self.destination = survey.folder
            async with self._base_url() as self.server_url:
                return await self._run_batch(unique, survey)
        finally:
            self._running = False

    @contextlib.asynccontextmanager
    async def _base_url(self) -> AsyncIterator[str]:
        """The base URL of the batch's server: the built-in one's address
        while it serves the batch, else ``options.server``."""
        if self.options.server != BUILTIN:
            yield self.options.server
            return
        from flaggui.core.builtin import BuiltinServer

        if self._builtin is not None:
            yield await self._builtin.start(self.options.network)
            return
        builtin = BuiltinServer()
        try:
            yield await builtin.start(self.options.network)
        finally:
            await builtin.stop()

    async def _run_batch(self, codes: list[str], survey: storage.FolderSurvey) -> BatchSummary:
        self.in_flight = self.max_in_flight = 0
        self._t0 = time.monotonic()
        self.limits = (
            AdaptiveLimits(self.concurrency, self._on_limit, clock=self._elapsed)
            if self.options.adaptive
            else None
        )
        if self._fetcher is not None:
            tasks = await self._schedule(codes, survey, self._fetcher, None)
        else:
            # aiohttp is imported with the first batch that speaks HTTP, not
            # with the engine: the window is up before that cost is paid.
            from flaggui.core import http

            options = self.options
            async with http.open_session(self.concurrency) as session:
                fetcher = http.HttpFetcher(
                    session,
                    expected_format=self._format,
                    max_bytes=options.max_bytes,
                    max_redirects=options.max_redirects,
                    timeout=options.timeout,
                    retryable_statuses=self._policy.retryable_statuses,
                    limits=self.limits,
                )
                names = self._metadata_names(session)
                tasks = await self._schedule(codes, survey, fetcher, names)
        results = [
            # A task cancelled before it began never reported; it ends here.
            self._end(code, FlagState.CANCELLED, _("cancelled"))
            if task.cancelled()
            else task.result()
            for task, code in tasks.items()
        ]
        return BatchSummary.of(results, time.monotonic() - self._t0)

    def _metadata_names(self, session: aiohttp.ClientSession) -> NameLookup | None:
        """Names from the server's ``metadata.json``, which only the default
        layout has, for the codes pycountry lacks."""
        server, template = self.server_url, self.options.url_template
        if template != DEFAULT_TEMPLATE or not self.options.names:
            return None
        timeout = min(self.options.timeout, _METADATA_TIMEOUT)
        from flaggui.core.http import fetch_metadata_name

        def lookup(code: str) -> Awaitable[str | None]:
            return fetch_metadata_name(session, metadata_url(server, code), timeout)

        return lookup

    async def _schedule(
        self,
        codes: list[str],
        survey: storage.FolderSurvey,
        fetcher: FlagFetcher,
        names: NameLookup | None,
    ) -> dict[asyncio.Task[FlagResult], str]:
        """One task per flag; returns when every task has ended."""
        slots = asyncio.Semaphore(self.concurrency)
        saver = BatchSaver(self.destination)
        tasks = {
            asyncio.create_task(
                self._download(fetcher, names, slots, saver, code, survey), name=f"flag-{code}"
            ): code
            for code in codes
        }
        self._tasks.update(tasks)
        if self._cancel_requested:
            self.cancel()
        try:
            if tasks:
                await asyncio.wait(tasks)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            raise
        finally:
            self._tasks.difference_update(tasks)
            await saver.wait_idle()
        return tasks

    def _elapsed(self) -> float:
        return time.monotonic() - self._t0

    def _emit(self, code: str, phase: Phase, attempt: int = 0, detail: str = "") -> None:
        if self._listener is not None:
            self._listener(FlagEvent(code, phase, self._elapsed(), attempt, detail))

    def _end(
        self,
        code: str,
        state: FlagState,
        reason: str = "",
        *,
        attempts: int = 0,
        path: Path | None = None,
        size: int = 0,
        country: str | None = None,
        failure: Failure | None = None,
    ) -> FlagResult:
        """Build the flag's final result and report it."""
        if country is None and self.options.names:
            country = country_name(code)
        reason = clean_text(reason, MAX_REASON)
        result = FlagResult(code, state, reason, path, size, attempts, country, failure)
        if self._listener is not None:
            self._listener(
                FlagEvent(code, Phase.FINISHED, self._elapsed(), attempts, reason, result)
            )
        return result

    async def _download(
        self,
        fetcher: FlagFetcher,
        names: NameLookup | None,
        slots: asyncio.Semaphore,
        saver: BatchSaver,
        code: str,
        survey: storage.FolderSurvey,
    ) -> FlagResult:
        attempt = 0
        url: URL | None = None
        try:
            self._emit(code, Phase.QUEUED)
            filename = storage.flag_filename(code, self._format)
            target = self.destination / filename
            if code in survey.existing:
                return self._end(
                    code,
                    FlagState.SKIPPED,
                    _("already in the folder"),
                    path=target,
                    size=survey.existing[code],
                )
            if code in survey.blocked:
                return self._end(
                    code,
                    FlagState.ERROR,
                    survey.blocked[code],
                    failure=Failure(FailureKind.STORAGE),
                )
            url = URL(flag_url(self.server_url, code, self.options.url_template))
            host = self.limits.for_url(url) if self.limits is not None else None
            name = country_name(code) if self.options.names else None
            charged = free = 0  # failed attempts that used up a retry, and that did not
            while True:
                attempt += 1
                try:
                    async with self._admitted(host), slots:
                        data = await self._attempt_in_slot(fetcher, url, code, attempt)
                        if name is None and names is not None:
                            name = await names(code)
                    break
                except FetchFailed as failure:
                    if self._requeue_free(host, failure, free):
                        free += 1
                        delay = self._policy.delay(attempt, failure.retry_after or 0.0)
                        detail = _("{reason}; waiting for room at the server").format(
                            reason=failure.reason
                        )
                    else:
                        charged += 1
                        if not self._policy.allows_retry(failure, charged):
                            suffix = (
                                _(" (after {n} attempts)").format(n=attempt) if attempt > 1 else ""
                            )
                            return self._end(
                                code,
                                FlagState.ERROR,
                                failure.reason + suffix,
                                attempts=attempt,
                                failure=_failure(failure.kind, url, failure.status),
                            )
                        delay = self._policy.delay(charged, failure.retry_after)
                        detail = _("{reason}; retry in {delay:.1f}s").format(
                            reason=failure.reason, delay=delay
                        )
                    self._emit(code, Phase.RETRY, attempt, detail)
                    await asyncio.sleep(delay)
                    self._emit(code, Phase.QUEUED, attempt)
            # A save that has begun completes: the flag is then really done.
            path = await finish_even_if_cancelled(saver.save(filename, data))
            self._emit(code, Phase.SAVED, attempt)
            return self._end(
                code, FlagState.DONE, attempts=attempt, path=path, size=len(data), country=name
            )
        except NotFound:
            reason = _("the server has no flag for this code")
            return self._end(
                code,
                FlagState.NOT_FOUND,
                reason,
                attempts=attempt,
                failure=_failure(FailureKind.HTTP_STATUS, url, 404),
            )
        except asyncio.CancelledError:
            return self._end(code, FlagState.CANCELLED, _("cancelled"), attempts=attempt)
        except OSError as exc:
            reason = storage.describe_os_error(exc)
            return self._end(
                code,
                FlagState.ERROR,
                reason,
                attempts=attempt,
                failure=Failure(FailureKind.STORAGE),
            )
        except Exception as exc:
            # One flag's reason, not a traceback on the user's terminal; the
            # details are there for whoever turns debug logging on.
            log.debug("unexpected failure while downloading %s", code, exc_info=True)
            reason = _("unexpected error: {error}").format(error=type(exc).__name__)
            return self._end(
                code,
                FlagState.ERROR,
                reason,
                attempts=attempt,
                failure=_failure(FailureKind.OTHER, url),
            )

    @staticmethod
    def _requeue_free(host: HostLimit | None, failure: FetchFailed, free: int) -> bool:
        """Whether an overloaded server's answer only sends the flag back to
        wait for a place under the host's (now lower) limit: while the limit
        can still go down, or the connect merely stalled, and a few times."""
        return (
            host is not None
            and failure.sign is not None
            and free < MAX_FREE_REQUEUES
            and (host.allowed > 1 or failure.sign in (ServerSign.STALLED, ServerSign.SLOW))
        )

    @contextlib.asynccontextmanager
    async def _admitted(self, host: HostLimit | None) -> AsyncIterator[None]:
        """A place under *host*'s adaptive limit, and what its answer says
        about the server reported to the limit."""
        if host is None:
            yield
            return
        ticket = await host.admit()
        try:
            yield
        except FetchFailed as failure:
            if failure.sign is not None:
                host.report_sign(ticket, failure.sign)
            elif failure.retryable:
                host.report_error(ticket)
            else:
                host.report_success(ticket)  # an answer, if not a flag
            raise
        except NotFound:
            host.report_success(ticket)
            raise
        else:
            host.report_success(ticket)
        finally:
            host.release()

    async def _attempt_in_slot(
        self, fetcher: FlagFetcher, url: URL, code: str, attempt: int
    ) -> bytes:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._emit(code, Phase.STARTED, attempt)

        def on_status(status: int) -> None:
            self._emit(code, Phase.FIRST_BYTE, attempt, f"HTTP {status}")

        try:
            data = await fetcher(url, attempt, on_status)
        finally:
            self.in_flight -= 1
        self._emit(code, Phase.RECEIVED, attempt, f"{len(data)} bytes")
        return data


def _failure(kind: FailureKind, url: URL | None, status: int | None = None) -> Failure:
    """A failure of the request for *url* (None if it was never made)."""
    if url is None:
        return Failure(kind, status)
    return Failure(kind, status, url.host, url.port)
