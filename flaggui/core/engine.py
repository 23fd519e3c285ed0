"""The download engine shared by the CLI and the window.

One :class:`DownloadEngine` downloads a batch of flags into one folder:
at most ``concurrency`` requests in flight (aiohttp's connector limit is set
to match, so nothing caps it lower), a total deadline per attempt that
starts once a slot is held, retries with backoff, streaming with a size cap,
validation, atomic saves, and one final :class:`FlagResult` per flag.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import logging
import random
import re
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import aiohttp
import certifi
from yarl import URL

from flaggui import __version__
from flaggui.core import storage
from flaggui.core.countries import country_name, normalize_code
from flaggui.core.events import (
    BatchSummary,
    FlagEvent,
    FlagListener,
    FlagResult,
    FlagState,
    Phase,
)
from flaggui.core.i18n import _
from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.limits import DEFAULT_CONCURRENCY, fit_concurrency
from flaggui.core.saver import BatchSaver, finish_even_if_cancelled
from flaggui.core.servers import (
    DEFAULT_SERVER,
    DEFAULT_TEMPLATE,
    flag_url,
    metadata_url,
    template_format,
)
from flaggui.core.untrusted import clean_text

log = logging.getLogger(__name__)


RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_MAX_BACKOFF = 10.0
_METADATA_TIMEOUT = 5.0
_METADATA_MAX_BYTES = 64 * 1024
# A reason is one short line, whatever the server or the system put in it.
_MAX_REASON = 200
# RFC 9110 delay-seconds; anything longer than a day's worth of digits is noise.
_DELAY_SECONDS = re.compile(r"[0-9]{1,9}")


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


class _AttemptFailed(Exception):
    """One attempt failed; ``retry_after`` is the server's wish, if any."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = clean_text(reason, _MAX_REASON)
        self.retryable = retryable
        self.retry_after = retry_after


class _NotFound(Exception):
    pass


class DownloadEngine:
    """Downloads flags into ``destination``; reports each step to ``listener``.

    Call :meth:`run` with codes; call :meth:`cancel` at any moment to end the
    batch early (every unfinished flag then ends CANCELLED). One batch runs at
    a time. ``concurrency_note`` says why the concurrency was lowered, if the
    system's open-file limit forced that.
    """

    def __init__(
        self,
        destination: Path,
        options: DownloadOptions | None = None,
        listener: FlagListener | None = None,
    ) -> None:
        self.destination = Path(destination)
        self.options = options or DownloadOptions()
        self.concurrency, self.concurrency_note = fit_concurrency(self.options.concurrency)
        self._format = template_format(self.options.url_template)
        self._listener = listener
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
        cannot be used, and ValueError for a malformed code.
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
            return await self._run_batch(unique, survey)
        finally:
            self._running = False

    async def _run_batch(self, codes: list[str], survey: storage.FolderSurvey) -> BatchSummary:
        self.in_flight = self.max_in_flight = 0
        self._t0 = time.monotonic()
        connector = aiohttp.TCPConnector(
            limit=self.concurrency, limit_per_host=0, ssl=tls_context()
        )
        # The engine enforces its own per-attempt deadline (which excludes the
        # wait for a slot), so aiohttp's default 5-minute total is switched off.
        async with aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None),
            headers={"User-Agent": f"flaggui/{__version__}"},
        ) as session:
            slots = asyncio.Semaphore(self.concurrency)
            saver = BatchSaver(self.destination)
            tasks = {
                asyncio.create_task(
                    self._download(session, slots, saver, code, survey), name=f"flag-{code}"
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
        results = [
            # A task cancelled before it began never reported; it ends here.
            self._end(code, FlagState.CANCELLED, _("cancelled"))
            if task.cancelled()
            else task.result()
            for task, code in tasks.items()
        ]
        return BatchSummary.of(results, time.monotonic() - self._t0)

    def _emit(self, code: str, phase: Phase, attempt: int = 0, detail: str = "") -> None:
        if self._listener is not None:
            self._listener(FlagEvent(code, phase, time.monotonic() - self._t0, attempt, detail))

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
    ) -> FlagResult:
        """Build the flag's final result and report it."""
        country = country or country_name(code)
        result = FlagResult(
            code, state, clean_text(reason, _MAX_REASON), path, size, attempts, country
        )
        if self._listener is not None:
            at = time.monotonic() - self._t0
            self._listener(FlagEvent(code, Phase.FINISHED, at, attempts, reason, result))
        return result

    async def _download(
        self,
        session: aiohttp.ClientSession,
        slots: asyncio.Semaphore,
        saver: BatchSaver,
        code: str,
        survey: storage.FolderSurvey,
    ) -> FlagResult:
        attempt = 0
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
                return self._end(code, FlagState.ERROR, survey.blocked[code])
            url = URL(flag_url(self.options.server, code, self.options.url_template))
            name = country_name(code)
            while True:
                attempt += 1
                try:
                    async with slots:
                        data = await self._attempt_in_slot(session, url, code, attempt)
                        if name is None and self.options.url_template == DEFAULT_TEMPLATE:
                            name = await self._name_from_metadata(session, code)
                    break
                except _AttemptFailed as failure:
                    if not failure.retryable or attempt > self.options.retries:
                        suffix = _(" (after {n} attempts)").format(n=attempt) if attempt > 1 else ""
                        return self._end(
                            code, FlagState.ERROR, failure.reason + suffix, attempts=attempt
                        )
                    delay = self._retry_delay(attempt, failure.retry_after)
                    detail = _("{reason}; retry in {delay:.1f}s").format(
                        reason=failure.reason, delay=delay
                    )
                    self._emit(code, Phase.RETRY, attempt, detail)
                    await asyncio.sleep(delay)
            # A save that has begun completes: the flag is then really done.
            path = await finish_even_if_cancelled(saver.save(filename, data))
            self._emit(code, Phase.SAVED, attempt)
            return self._end(
                code, FlagState.DONE, attempts=attempt, path=path, size=len(data), country=name
            )
        except _NotFound:
            reason = _("the server has no flag for this code")
            return self._end(code, FlagState.NOT_FOUND, reason, attempts=attempt)
        except asyncio.CancelledError:
            return self._end(code, FlagState.CANCELLED, _("cancelled"), attempts=attempt)
        except OSError as exc:
            reason = storage.describe_os_error(exc)
            return self._end(code, FlagState.ERROR, reason, attempts=attempt)
        except Exception as exc:
            # One flag's reason, not a traceback on the user's terminal; the
            # details are there for whoever turns debug logging on.
            log.debug("unexpected failure while downloading %s", code, exc_info=True)
            reason = _("unexpected error: {error}").format(error=type(exc).__name__)
            return self._end(code, FlagState.ERROR, reason, attempts=attempt)

    async def _attempt_in_slot(
        self, session: aiohttp.ClientSession, url: URL, code: str, attempt: int
    ) -> bytes:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._emit(code, Phase.STARTED, attempt)
        try:
            async with asyncio.timeout(self.options.timeout):
                data = await self._fetch(session, url, code, attempt)
        except TimeoutError:
            raise _AttemptFailed(
                _("no complete answer within {timeout:g}s").format(timeout=self.options.timeout),
                retryable=True,
            ) from None
        except aiohttp.ClientPayloadError:
            raise _AttemptFailed(
                _("the connection broke before the whole file arrived"), retryable=True
            ) from None
        except aiohttp.ClientConnectorError as exc:
            raise _AttemptFailed(
                _("cannot connect to {host}:{port}: {error}").format(
                    host=url.host, port=url.port, error=exc.os_error.strerror or exc
                ),
                retryable=True,
            ) from None
        except aiohttp.ServerDisconnectedError:
            raise _AttemptFailed(
                _("the server closed the connection without an answer"), retryable=True
            ) from None
        except (aiohttp.ClientConnectionError, ConnectionError) as exc:
            detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise _AttemptFailed(
                _("connection error: {error}").format(error=detail), retryable=True
            ) from None
        except aiohttp.ClientResponseError as exc:
            # aiohttp's message quotes the offending bytes; the first words
            # ("Bad status line") say enough.
            detail = clean_text((exc.message or "").partition("\n")[0], 40).rstrip(":")
            raise _AttemptFailed(
                _("the server sent a malformed HTTP answer ({error})").format(error=detail),
                retryable=False,
            ) from None
        except aiohttp.ClientError as exc:
            raise _AttemptFailed(
                _("HTTP error: {error}").format(error=exc), retryable=False
            ) from None
        finally:
            self.in_flight -= 1
        self._emit(code, Phase.RECEIVED, attempt, f"{len(data)} bytes")
        return data

    async def _fetch(
        self, session: aiohttp.ClientSession, url: URL, code: str, attempt: int
    ) -> bytes:
        for _hop in range(self.options.max_redirects + 1):
            async with session.get(url, allow_redirects=False) as response:
                status = response.status
                self._emit(code, Phase.FIRST_BYTE, attempt, f"HTTP {status}")
                if status in REDIRECT_STATUSES:
                    url = _redirect_target(url, response.headers.get("Location"))
                    continue
                if status == 404:
                    raise _NotFound
                status_text = f"HTTP {status} {clean_text(response.reason or '', 60)}".rstrip()
                if status in RETRYABLE_STATUSES:
                    retry_after = _parse_retry_after(response.headers.get("Retry-After"))
                    raise _AttemptFailed(status_text, retryable=True, retry_after=retry_after)
                if status != 200:
                    raise _AttemptFailed(status_text, retryable=False)
                data = await self._read_capped(response)
                try:
                    image = validate_image(data, self._format)
                except InvalidImage as exc:
                    raise _AttemptFailed(str(exc), retryable=False) from None
                # Bytes after the image's end are not part of the flag.
                return data[: image.length]
        raise _AttemptFailed(
            _("too many redirects (more than {n})").format(n=self.options.max_redirects),
            retryable=False,
        )

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        cap = self.options.max_bytes
        too_big = _AttemptFailed(
            _("the file is larger than {kib} KiB, too large for a flag").format(kib=cap // 1024),
            retryable=False,
        )
        if response.content_length is not None and response.content_length > cap:
            raise too_big
        body = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            body += chunk
            if len(body) > cap:
                raise too_big
        return bytes(body)

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.options.retry_after_cap)
        base: float = self.options.backoff * 2.0 ** (attempt - 1)
        return min(base, _MAX_BACKOFF) * random.uniform(0.75, 1.25)

    async def _name_from_metadata(self, session: aiohttp.ClientSession, code: str) -> str | None:
        """The server's ``metadata.json`` name for codes pycountry lacks.

        Decoration only: whatever goes wrong (no answer, a huge or deeply
        nested body, the wrong types) leaves the flag's result as it is and
        logs one line; a name from the server is cleaned before it is shown.
        """
        try:
            async with (
                asyncio.timeout(min(self.options.timeout, _METADATA_TIMEOUT)),
                session.get(
                    metadata_url(self.options.server, code), allow_redirects=False
                ) as response,
            ):
                if response.status != 200:
                    return None
                raw = await response.content.read(_METADATA_MAX_BYTES)
            # Nesting deep enough to exhaust the parser's recursion raises
            # RecursionError, which is not a ValueError.
            document = json.loads(raw)
        except (TimeoutError, aiohttp.ClientError, ValueError, RecursionError) as exc:
            log.info("no country name from %s metadata: %s", code, type(exc).__name__)
            return None
        name = document.get("country") if isinstance(document, dict) else None
        name = clean_text(name, 60) if isinstance(name, str) else ""
        return name or None


@cache
def tls_context() -> ssl.SSLContext:
    """Certificate checks against certifi's authorities: the same everywhere,
    including a packaged app on a system whose own store Python cannot find."""
    return ssl.create_default_context(cafile=certifi.where())


def _redirect_target(current: URL, location: str | None) -> URL:
    if not location:
        raise _AttemptFailed(_("the server sent a redirect without a location"), retryable=False)
    try:
        target = current.join(URL(location))
    except ValueError:
        raise _AttemptFailed(
            _("the server redirected to a bad URL: {url!r}").format(url=location), retryable=False
        ) from None
    if target.scheme not in ("http", "https"):
        raise _AttemptFailed(
            _("refused a redirect to a {scheme}: URL").format(scheme=target.scheme),
            retryable=False,
        )
    if current.scheme == "https" and target.scheme == "http":
        raise _AttemptFailed(_("refused a redirect from https to plain http"), retryable=False)
    return target


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: RFC 9110's delay-seconds (ASCII
    digits only) or an HTTP date; anything else is ignored (None)."""
    if not value or not value.isascii():
        return None
    value = value.strip()
    if _DELAY_SECONDS.fullmatch(value):
        return float(value)
    with contextlib.suppress(TypeError, ValueError, OverflowError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None
