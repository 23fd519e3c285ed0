"""How flaggui speaks HTTP to a flag server, without any scheduling.

One attempt at one flag is :func:`fetch_image`: redirects followed by hand
(a hop cap, no https→http, no other schemes), 404 as :class:`NotFound`,
other failures as :class:`FetchFailed` with a short, clean, translated reason
and whether another attempt may help; the body streamed under a size cap and
validated, keeping the bytes up to the image's end. :class:`~flaggui.core.fetching.RetryPolicy`
says how long to wait before the next attempt. ``metadata.json`` is decoration:
:func:`fetch_metadata_name` never fails.

The engine depends only on :class:`FlagFetcher`; :class:`HttpFetcher` is the
one that uses this module, and a test or another source may pass its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import errno
import json
import logging
import re
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace

from yarl import URL

from flaggui import __version__
from flaggui.core.adaptive import AdaptiveLimits, HostLimit, ServerSign
from flaggui.core.aiohttp_import import aiohttp
from flaggui.core.events import FailureKind
from flaggui.core.fetching import (
    OVERLOAD_STATUSES,
    RETRYABLE_STATUSES,
    FetchFailed,
    NotFound,
    StatusListener,
)
from flaggui.core.i18n import N_, _
from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.untrusted import clean_text

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
METADATA_MAX_BYTES = 64 * 1024
# RFC 9110 delay-seconds; anything longer than a day's worth of digits is noise.
_DELAY_SECONDS = re.compile(r"[0-9]{1,9}")
# OpenSSL's "[SSL: CODE] words (_ssl.c:1006)": the words say it.
_SSL_NOISE = re.compile(r"^\[SSL: [A-Z0-9_]+\]\s*|\s*\(_ssl\.c:[0-9]+\)$")


@cache
def tls_context() -> ssl.SSLContext:
    """Certificate checks against certifi's authorities: the same everywhere,
    including a packaged app on a system whose own store Python cannot find.
    certifi (and the importlib.resources it uses) is loaded with it."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _tls(url: URL) -> ssl.SSLContext | bool:
    """certifi's authorities for an https request. Loading them takes tens
    of milliseconds, which a batch from a plain-http server never pays."""
    return tls_context() if url.scheme == "https" else True


def open_session(limit: int) -> aiohttp.ClientSession:
    """A session for flag servers: at most *limit* connections (and no lower
    cap per host), certifi's authorities for https, flaggui's User-Agent, and no
    session-wide deadline (each fetch has its own). A request made with a
    :class:`~flaggui.core.adaptive.HostLimit` as its ``trace_request_ctx``
    reports to it how long each new connection took to open."""
    connector = aiohttp.TCPConnector(limit=limit, limit_per_host=0)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=None),
        headers={"User-Agent": f"flaggui/{__version__}"},
        trace_configs=[_connect_timing()],
    )


@dataclass(slots=True, eq=False)
class _ConnectProbe:
    """A request's view of its new connection, filled in by the trace."""

    host: HostLimit
    started: float | None = None


def _connect_timing() -> aiohttp.TraceConfig:
    async def started(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceConnectionCreateStartParams,
    ) -> None:
        probe = context.trace_request_ctx
        if isinstance(probe, _ConnectProbe):
            probe.started = asyncio.get_running_loop().time()
            probe.host.connect_began(probe, probe.started)

    async def ended(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceConnectionCreateEndParams,
    ) -> None:
        probe = context.trace_request_ctx
        if isinstance(probe, _ConnectProbe) and probe.started is not None:
            probe.host.connect_ended(probe)
            probe.host.report_connected(probe.started, asyncio.get_running_loop().time())

    timing = aiohttp.TraceConfig()
    timing.on_connection_create_start.append(started)
    timing.on_connection_create_end.append(ended)
    timing.freeze()
    return timing


def parse_retry_after(value: str | None) -> float | None:
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


def redirect_target(current: URL, location: str | None) -> URL:
    """Where a redirect from *current* leads; FetchFailed for a missing or bad
    location, a scheme other than http(s), or a step down from https to http."""
    if not location:
        raise _bad_answer(_("the server sent a redirect without a location"))
    try:
        target = current.join(URL(location))
    except ValueError:
        raise _bad_answer(
            _("the server redirected to a bad URL: {url!r}").format(url=location)
        ) from None
    if target.scheme not in ("http", "https"):
        raise _bad_answer(_("refused a redirect to a {scheme}: URL").format(scheme=target.scheme))
    if current.scheme == "https" and target.scheme == "http":
        raise _bad_answer(_("refused a redirect from https to plain http"))
    return target


def _bad_answer(reason: str) -> FetchFailed:
    """An answer no other attempt will improve: not what a flag server sends."""
    return FetchFailed(reason, retryable=False, kind=FailureKind.BAD_ANSWER)


async def read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """The whole body, or FetchFailed as soon as it is known to exceed *max_bytes*."""

    def too_big() -> FetchFailed:
        return _bad_answer(
            _("the file is larger than {kib} KiB, too large for a flag").format(
                kib=max_bytes // 1024
            )
        )

    length = response.content_length
    if length is not None and length > max_bytes:
        raise too_big()
    headers = response.headers
    if (
        length is not None
        and headers.get("Content-Encoding", "identity") == "identity"
        and "Transfer-Encoding" not in headers
    ):
        # aiohttp's parser ends the body at its announced length (and fails
        # it if the connection breaks first), so it cannot outgrow the cap:
        # read at once. A compressed or chunked body is counted as it comes.
        return await response.read()
    body = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise too_big()
    return bytes(body)


_Fields = Callable[[BaseException, URL, float], dict[str, object]]


def _no_fields(exc: BaseException, url: URL, timeout: float) -> dict[str, object]:
    return {}


@dataclass(frozen=True, slots=True)
class FailureRule:
    """How an exception of one attempt reads: the *reason* (marked with
    :func:`N_`, translated when a failure is made) filled with *fields* of
    the exception, the URL and the deadline, which may quote the system or
    the server; whether another attempt may help; and the failure's *kind*."""

    exceptions: type[BaseException] | tuple[type[BaseException], ...]
    reason: str
    retryable: bool
    kind: FailureKind
    fields: _Fields = _no_fields


def _strerror(exc: BaseException) -> object:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _connector_error(exc: BaseException) -> object:
    assert isinstance(exc, aiohttp.ClientConnectorError)
    return exc.os_error.strerror or exc


def _tls_error(exc: BaseException) -> str:
    assert isinstance(exc, aiohttp.ClientConnectorError)
    text = exc.os_error.strerror or str(exc.os_error) or type(exc.os_error).__name__
    return _SSL_NOISE.sub("", text)


def _host_port(exc: BaseException, url: URL, timeout: float) -> dict[str, object]:
    return {"host": url.host, "port": url.port}


def _first_words(exc: BaseException) -> str:
    # aiohttp's message quotes the offending bytes; the first words
    # ("Bad status line") say enough.
    assert isinstance(exc, aiohttp.ClientResponseError)
    return clean_text((exc.message or "").partition("\n")[0], 40).rstrip(":")


# Most specific type first: the first rule that matches wins.
FAILURES: tuple[FailureRule, ...] = (
    FailureRule(
        TimeoutError,
        N_("no complete answer within {timeout:g}s"),
        retryable=True,
        kind=FailureKind.TIMEOUT,
        fields=lambda exc, url, timeout: {"timeout": timeout},
    ),
    FailureRule(
        aiohttp.ClientPayloadError,
        N_("the connection broke before the whole file arrived"),
        retryable=True,
        kind=FailureKind.CONNECTION,
    ),
    FailureRule(
        aiohttp.ClientConnectorDNSError,
        N_("cannot find the server {host}: {error}"),
        retryable=True,
        kind=FailureKind.DNS,
        fields=lambda exc, url, timeout: {"host": url.host, "error": _connector_error(exc)},
    ),
    FailureRule(
        aiohttp.ClientSSLError,
        N_("no secure connection to {host}:{port}: {error}"),
        retryable=True,
        kind=FailureKind.TLS,
        fields=lambda exc, url, timeout: {
            **_host_port(exc, url, timeout),
            "error": _tls_error(exc),
        },
    ),
    FailureRule(
        aiohttp.ClientConnectorError,
        N_("cannot connect to {host}:{port}: {error}"),
        retryable=True,
        kind=FailureKind.CONNECT,
        fields=lambda exc, url, timeout: {
            **_host_port(exc, url, timeout),
            "error": _connector_error(exc),
        },
    ),
    FailureRule(
        aiohttp.ServerDisconnectedError,
        N_("the server closed the connection without an answer"),
        retryable=True,
        kind=FailureKind.CONNECTION,
    ),
    FailureRule(
        (aiohttp.ClientConnectionError, ConnectionError),
        N_("connection error: {error}"),
        retryable=True,
        kind=FailureKind.CONNECTION,
        fields=lambda exc, url, timeout: {"error": _strerror(exc)},
    ),
    FailureRule(
        aiohttp.ClientResponseError,
        N_("the server sent a malformed HTTP answer ({error})"),
        retryable=False,
        kind=FailureKind.BAD_ANSWER,
        fields=lambda exc, url, timeout: {"error": _first_words(exc)},
    ),
    FailureRule(
        aiohttp.ClientError,
        N_("HTTP error: {error}"),
        retryable=False,
        kind=FailureKind.OTHER,
        fields=lambda exc, url, timeout: {"error": exc},
    ),
)


def failure_from(exc: BaseException, url: URL, timeout: float) -> FetchFailed | None:
    """The FetchFailed that *exc*, raised by an attempt at *url* with a
    *timeout* deadline, stands for; None if it is no HTTP failure."""
    for rule in FAILURES:
        if isinstance(exc, rule.exceptions):
            reason = _(rule.reason).format(**rule.fields(exc, url, timeout))
            return FetchFailed(reason, retryable=rule.retryable, sign=sign_of(exc), kind=rule.kind)
    return None


_REFUSALS = frozenset({errno.ECONNREFUSED, errno.ECONNRESET})


def sign_of(exc: BaseException) -> ServerSign | None:
    """Whether a failed attempt is a sign of overload: a connection refused
    or reset."""
    os_error = exc.os_error if isinstance(exc, aiohttp.ClientConnectorError) else exc
    if isinstance(os_error, OSError) and os_error.errno in _REFUSALS:
        return ServerSign.REFUSED
    return None


async def fetch_image(
    session: aiohttp.ClientSession,
    url: URL,
    *,
    expected_format: str,
    max_bytes: int,
    max_redirects: int,
    # Not the caller's asyncio.timeout: the deadline is part of the reason.
    timeout: float,  # noqa: ASYNC109
    retryable_statuses: frozenset[int] = RETRYABLE_STATUSES,
    on_status: StatusListener | None = None,
    limits: AdaptiveLimits | None = None,
) -> bytes:
    """One attempt at the image at *url*, all of it within *timeout* seconds:
    its bytes up to the image's end; NotFound for a 404; FetchFailed for
    anything else that goes wrong. *on_status* hears each answer's status.
    With *limits*, each new connection has the host's connect deadline and
    its time to open is reported."""
    try:
        async with asyncio.timeout(timeout):
            return await _fetch(
                session,
                url,
                expected_format,
                max_bytes,
                max_redirects,
                retryable_statuses,
                on_status,
                limits,
            )
    except Exception as exc:
        failure = failure_from(exc, url, timeout)
        if failure is None:
            raise
        raise failure from None


def _status_failure(
    response: aiohttp.ClientResponse, retryable_statuses: frozenset[int]
) -> FetchFailed:
    """The failure an answer other than 200, 404 or a redirect makes."""
    status = response.status
    status_text = f"HTTP {status} {clean_text(response.reason or '', 60)}".rstrip()
    kind = FailureKind.HTTP_STATUS
    if status not in retryable_statuses:
        return FetchFailed(status_text, retryable=False, kind=kind, status=status)
    return FetchFailed(
        status_text,
        retryable=True,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
        sign=ServerSign.THROTTLED if status in OVERLOAD_STATUSES else None,
        kind=kind,
        status=status,
    )


async def _fetch(
    session: aiohttp.ClientSession,
    url: URL,
    expected_format: str,
    max_bytes: int,
    max_redirects: int,
    retryable_statuses: frozenset[int],
    on_status: StatusListener | None,
    limits: AdaptiveLimits | None,
) -> bytes:
    for _hop in range(max_redirects + 1):
        async with _request(session, url, limits) as response:
            status = response.status
            if on_status is not None:
                on_status(status)
            if status in REDIRECT_STATUSES:
                url = redirect_target(url, response.headers.get("Location"))
                continue
            if status == 404:
                raise NotFound
            if status != 200:
                raise _status_failure(response, retryable_statuses)
            data = await read_capped(response, max_bytes)
            try:
                image = (
                    # Parsing an SVG of a few MiB takes a while: off the loop,
                    # so the window keeps repainting. GIF and PNG checks are
                    # a walk over a few blocks, cheaper than a thread hop.
                    await asyncio.to_thread(validate_image, data, expected_format)
                    if expected_format == "svg"
                    else validate_image(data, expected_format)
                )
            except InvalidImage as exc:
                raise FetchFailed(
                    str(exc), retryable=False, kind=FailureKind.INVALID_IMAGE
                ) from None
            # Bytes after the image's end are not part of the flag.
            return data[: image.length]
    raise _bad_answer(_("too many redirects (more than {n})").format(n=max_redirects))


@contextlib.asynccontextmanager
async def _request(
    session: aiohttp.ClientSession, url: URL, limits: AdaptiveLimits | None
) -> AsyncIterator[aiohttp.ClientResponse]:
    """GET *url*; with *limits*, under its host's connect deadline."""
    if limits is None:
        async with session.get(url, allow_redirects=False, ssl=_tls(url)) as response:
            yield response
        return
    probe = _ConnectProbe(limits.for_url(url))
    timeout = probe.host.connect_timeout()
    try:
        async with session.get(
            url,
            allow_redirects=False,
            ssl=_tls(url),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout),
            trace_request_ctx=probe,
        ) as response:
            yield response
    except aiohttp.ConnectionTimeoutError:
        # Far slower than this host's usual connect: its SYN was most likely
        # dropped by a full listen queue. A fresh connect beats the kernel's
        # retransmission, which waits a second and then longer.
        started = probe.started
        if started is None:  # the deadline passed before the connect began
            started = asyncio.get_running_loop().time() - timeout
        sign = probe.host.judge_stalled_connect(started, started + timeout)
        reason = _("no connection to {host}:{port} within {timeout:.2f}s").format(
            host=url.host, port=url.port, timeout=timeout
        )
        raise FetchFailed(reason, retryable=True, sign=sign, kind=FailureKind.CONNECT) from None
    finally:
        probe.host.connect_ended(probe)  # if it failed, or the request was cancelled


async def fetch_metadata_name(
    session: aiohttp.ClientSession,
    url: URL | str,
    timeout: float,  # noqa: ASYNC109 (running out of time gives None too)
) -> str | None:
    """The country name in the ``metadata.json`` at *url*, cleaned, or None.

    Decoration only: whatever goes wrong (no answer, a huge or deeply
    nested body, the wrong types) gives None and logs one line.
    """
    try:
        async with (
            asyncio.timeout(timeout),
            session.get(url, allow_redirects=False, ssl=_tls(URL(url))) as response,
        ):
            if response.status != 200:
                return None
            raw = await response.content.read(METADATA_MAX_BYTES)
        # Nesting deep enough to exhaust the parser's recursion raises
        # RecursionError, which is not a ValueError.
        document = json.loads(raw)
    except (TimeoutError, aiohttp.ClientError, ValueError, RecursionError) as exc:
        log.info("no country name from %s: %s", url, type(exc).__name__)
        return None
    name = document.get("country") if isinstance(document, dict) else None
    name = clean_text(name, 60) if isinstance(name, str) else ""
    return name or None


@dataclass(frozen=True, slots=True)
class HttpFetcher:
    """A :class:`FlagFetcher` over one aiohttp session: :func:`fetch_image`
    with these settings."""

    session: aiohttp.ClientSession
    expected_format: str
    max_bytes: int
    max_redirects: int
    timeout: float
    retryable_statuses: frozenset[int] = RETRYABLE_STATUSES
    limits: AdaptiveLimits | None = None

    async def __call__(self, url: URL, attempt: int, on_status: StatusListener) -> bytes:
        return await fetch_image(
            self.session,
            url,
            expected_format=self.expected_format,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            timeout=self.timeout,
            retryable_statuses=self.retryable_statuses,
            on_status=on_status,
            limits=self.limits,
        )
