"""flaggui.core.http on its own (the retry policy, one fetch against a real
scripted server on 127.0.0.1), and the engine with no HTTP at all: a plain
async function as its fetcher."""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import socket
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from flaggui.core import http as http_module
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagEvent, FlagState, Phase
from flaggui.core.fetching import (
    FetchFailed,
    FlagFetcher,
    NotFound,
    RetryPolicy,
    StatusListener,
)
from flaggui.core.http import (
    FAILURES,
    FailureRule,
    failure_from,
    fetch_image,
    fetch_metadata_name,
    open_session,
    redirect_target,
)
from tests import faults
from tests.conftest import folder_files
from tests.images import make_gif, make_png
from tests.scripted_server import Exchange, ScriptedServer

# The retry policy ---------------------------------------------------------------------


def test_backoff_doubles_and_stops_at_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "uniform", lambda low, high: (low + high) / 2)
    policy = RetryPolicy(backoff=0.5, max_backoff=3.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@pytest.mark.parametrize("attempt", [1, 2, 3, 8, 40])
def test_jitter_stays_within_a_quarter_of_the_backoff(attempt: int) -> None:
    policy = RetryPolicy(backoff=0.2, max_backoff=5.0)
    base = min(0.2 * 2 ** (attempt - 1), 5.0)
    delays = [policy.delay(attempt) for _ in range(500)]
    assert all(0.75 * base <= d <= 1.25 * base for d in delays)
    assert max(delays) - min(delays) > 0.25 * base  # it does vary


def test_retry_after_is_taken_as_is_up_to_its_cap() -> None:
    policy = RetryPolicy(retry_after_cap=30.0)
    assert policy.delay(1, 7.0) == 7.0
    assert policy.delay(5, 0.0) == 0.0
    assert policy.delay(1, 3600.0) == 30.0


def test_retries_are_allowed_for_retryable_failures_only() -> None:
    policy = RetryPolicy(retries=2)
    busy = FetchFailed("HTTP 503", retryable=True)
    broken = FetchFailed("not an image", retryable=False)
    assert [policy.allows_retry(busy, n) for n in (1, 2, 3)] == [True, True, False]
    assert not policy.allows_retry(broken, 1)


def test_options_make_the_policy() -> None:
    policy = DownloadOptions(retries=4, backoff=0.1, retry_after_cap=2.0).retry_policy
    assert (policy.retries, policy.backoff, policy.retry_after_cap) == (4, 0.1, 2.0)


# Redirects and failures, rule by rule ---------------------------------------------


@pytest.mark.parametrize(
    ("current", "location", "reason"),
    [
        ("https://a.example/x.gif", "http://a.example/x.gif", "from https to plain http"),
        ("http://a.example/x.gif", "ftp://a.example/x.gif", "redirect to a ftp: URL"),
        ("http://a.example/x.gif", "file:///etc/passwd", "redirect to a file: URL"),
        ("http://a.example/x.gif", None, "without a location"),
        ("http://a.example/x.gif", "", "without a location"),
        ("http://a.example/x.gif", "http://[::1", "redirected to a bad URL"),
    ],
)
def test_redirects_that_are_refused(current: str, location: str | None, reason: str) -> None:
    with pytest.raises(FetchFailed, match=reason) as caught:
        redirect_target(URL(current), location)
    assert not caught.value.retryable


@pytest.mark.parametrize(
    ("current", "location", "target"),
    [
        ("http://a.example/x/cn.gif", "/y/cn.gif", "http://a.example/y/cn.gif"),
        ("http://a.example/x/cn.gif", "https://b.example/cn.gif", "https://b.example/cn.gif"),
        ("https://a.example/x/cn.gif", "../z/cn.gif", "https://a.example/z/cn.gif"),
    ],
)
def test_redirects_that_are_followed(current: str, location: str, target: str) -> None:
    assert str(redirect_target(URL(current), location)) == target


def test_every_failure_rule_can_match() -> None:
    """No rule hides behind an earlier, broader one."""

    def kinds(rule: FailureRule) -> tuple[type[BaseException], ...]:
        return rule.exceptions if isinstance(rule.exceptions, tuple) else (rule.exceptions,)

    for i, later in enumerate(FAILURES):
        for earlier in FAILURES[:i]:
            for kind in kinds(later):
                assert not issubclass(kind, kinds(earlier)), (kind, earlier.exceptions)


def test_failures_map_to_reasons() -> None:
    url = URL("http://flags.example:8001/cn/cn.gif")
    timed_out = failure_from(aiohttp.ServerTimeoutError("read"), url, 2.5)
    assert timed_out is not None
    assert (timed_out.reason, timed_out.retryable) == ("no complete answer within 2.5s", True)
    reset = failure_from(ConnectionResetError(104, "Connection reset by peer"), url, 1)
    assert reset is not None
    assert (reset.reason, reset.retryable) == ("connection error: Connection reset by peer", True)
    other = failure_from(aiohttp.InvalidURL("x"), url, 1)
    assert other is not None
    assert (other.reason, other.retryable) == ("HTTP error: x", False)
    assert failure_from(ValueError("not ours"), url, 1) is None
    assert failure_from(NotFound(), url, 1) is None


# fetch_image against a real server ------------------------------------------------


async def fetch(
    server: ScriptedServer, code: str, statuses: list[int] | None = None, **overrides: object
) -> bytes:
    settings: dict[str, object] = {
        "expected_format": "gif",
        "max_bytes": 64 * 1024,
        "max_redirects": 5,
        "timeout": 2.0,
    }
    settings.update(overrides)
    url = URL(f"{server.base_url}/{code}/{code}.gif")
    async with open_session(10) as session:
        return await fetch_image(
            session,
            url,
            on_status=None if statuses is None else statuses.append,
            **settings,  # type: ignore[arg-type]
        )


async def fetch_failure(server: ScriptedServer, code: str, **overrides: object) -> FetchFailed:
    with pytest.raises(FetchFailed) as caught:
        await fetch(server, code, **overrides)
    return caught.value


async def test_a_flag_is_fetched_up_to_the_image_end(server: ScriptedServer) -> None:
    server.route("cn", faults.serve(make_gif("cn") + b"trailing junk"))
    statuses: list[int] = []
    assert await fetch(server, "cn", statuses) == make_gif("cn")
    assert statuses == [200]


async def test_redirects_are_followed_and_each_hop_heard(server: ScriptedServer) -> None:
    server.route("cn", faults.redirect_to("/flags/zz/zz.gif"))
    server.route("zz", faults.redirect_to(f"{server.base_url}/yy/yy.gif"))
    server.route("yy", faults.healthy("cn"))
    statuses: list[int] = []
    assert await fetch(server, "cn", statuses) == make_gif("cn")
    assert statuses == [302, 302, 200]


@pytest.mark.parametrize("cap", [0, 1, 3])
async def test_redirect_hops_are_capped(server: ScriptedServer, cap: int) -> None:
    server.route("cn", faults.redirect_loop())
    statuses: list[int] = []
    with pytest.raises(FetchFailed) as caught:
        await fetch(server, "cn", statuses, max_redirects=cap)
    assert caught.value.reason == f"too many redirects (more than {cap})"
    assert not caught.value.retryable
    assert statuses == [302] * (cap + 1)
    assert server.hits["cn"] == cap + 1


async def test_a_redirect_to_another_scheme_is_refused(server: ScriptedServer) -> None:
    server.route("cn", faults.redirect_to("ftp://127.0.0.1/cn.gif"))
    failure = await fetch_failure(server, "cn")
    assert failure.reason == "refused a redirect to a ftp: URL"


async def test_404_is_not_found(server: ScriptedServer) -> None:
    server.route("cn", faults.status(404))
    with pytest.raises(NotFound):
        await fetch(server, "cn")


@pytest.mark.parametrize(
    ("status", "retry_after", "retryable", "wait"),
    [
        (503, "7", True, 7.0),
        (429, "soon", True, None),
        (408, None, True, None),
        (500, None, True, None),
        (403, "7", False, None),
        (418, None, False, None),
        (401, None, False, None),
    ],
)
async def test_statuses(
    server: ScriptedServer,
    status: int,
    retry_after: str | None,
    retryable: bool,
    wait: float | None,
) -> None:
    headers = {"Retry-After": retry_after} if retry_after else None
    server.route("cn", faults.status(status, headers))
    failure = await fetch_failure(server, "cn")
    assert failure.reason.startswith(f"HTTP {status}")
    assert failure.retryable is retryable
    assert failure.retry_after == wait


async def test_retryable_statuses_are_the_callers_choice(server: ScriptedServer) -> None:
    server.route("cn", faults.status(503))
    failure = await fetch_failure(server, "cn", retryable_statuses=frozenset())
    assert (failure.reason, failure.retryable) == ("HTTP 503 Service Unavailable", False)


async def test_size_cap_with_and_without_a_length(server: ScriptedServer) -> None:
    big = make_gif("cn", (200, 200)) + b"\0" * 8192
    server.route("aa", faults.serve(big))
    server.route("ab", faults.endless_body())
    for code in ("aa", "ab"):
        failure = await fetch_failure(server, code, max_bytes=4096)
        assert failure.reason == "the file is larger than 4 KiB, too large for a flag"
        assert not failure.retryable
    assert await fetch(server, "aa", max_bytes=len(big)) == big[: len(make_gif("cn", (200, 200)))]


async def test_a_compressed_body_is_capped_as_it_inflates(server: ScriptedServer) -> None:
    """A small gzip body with an honest Content-Length that inflates to far
    more than the cap is cut off, not read whole."""
    inflating = gzip.compress(make_gif("cn") + b"\0" * (1024 * 1024))

    async def gzip_bomb(exchange: Exchange) -> None:
        await exchange.send(200, inflating, headers={"Content-Encoding": "gzip"})

    server.route("aa", gzip_bomb)
    failure = await fetch_failure(server, "aa", max_bytes=64 * 1024)
    assert len(inflating) < 64 * 1024
    assert failure.reason == "the file is larger than 64 KiB, too large for a flag"


async def test_a_length_beside_endless_chunks_is_not_trusted(server: ScriptedServer) -> None:
    """A small Content-Length and chunked transfer both: the chunks would
    set the end, so the length is no cap."""

    async def endless_chunks(exchange: Exchange) -> None:
        headers = {"Transfer-Encoding": "chunked"}
        await exchange.send(200, b"", headers=headers, content_length=100)
        chunk = b"%x\r\n%s\r\n" % (65536, b"\0" * 65536)
        for _ in range(2000):
            exchange.writer.write(chunk)
            await exchange.writer.drain()

    server.route("aa", endless_chunks)
    failure = await fetch_failure(server, "aa", max_bytes=64 * 1024)
    assert not failure.retryable


async def test_the_image_is_validated(server: ScriptedServer) -> None:
    server.route("aa", faults.serve(b"<!DOCTYPE html><html><body>Oops</body></html>"))
    server.route("ab", faults.serve(make_png()))
    html = await fetch_failure(server, "aa")
    assert "HTML page" in html.reason
    assert not html.retryable
    assert "PNG image, expected a GIF" in (await fetch_failure(server, "ab")).reason
    assert await fetch(server, "ab", expected_format="png") == make_png()


async def test_connection_failures_are_retryable(server: ScriptedServer) -> None:
    async def hang_up(exchange: Exchange) -> None:
        exchange.writer.close()

    server.route("aa", faults.never_answers())
    server.route("ab", faults.truncated_with_length("ab"))
    server.route("ac", hang_up)
    expected = {
        "aa": "no complete answer within 0.3s",
        "ab": "the connection broke before the whole file arrived",
        "ac": "the server closed the connection without an answer",
    }
    for code, reason in expected.items():
        failure = await fetch_failure(server, code, timeout=0.3)
        assert (failure.reason, failure.retryable) == (reason, True)


async def test_a_refused_connection_names_the_address() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with open_session(1) as session:
        with pytest.raises(FetchFailed, match=f"cannot connect to 127.0.0.1:{port}: ") as caught:
            await fetch_image(
                session,
                URL(f"http://127.0.0.1:{port}/flags/cn/cn.gif"),
                expected_format="gif",
                max_bytes=1024,
                max_redirects=0,
                timeout=2,
            )
    assert caught.value.retryable


async def test_a_malformed_answer_is_not_retried(server: ScriptedServer) -> None:
    async def garbage(exchange: Exchange) -> None:
        exchange.writer.write(b"\x1b[2J garbage\r\n\r\n")
        await exchange.writer.drain()

    server.route("cn", garbage)
    failure = await fetch_failure(server, "cn")
    assert failure.reason.startswith("the server sent a malformed HTTP answer (")
    assert "\x1b" not in failure.reason
    assert not failure.retryable


@pytest.mark.parametrize(
    ("status", "body", "name"),
    [
        (200, json.dumps({"country": "Kosovo"}).encode(), "Kosovo"),
        (200, json.dumps({"country": "\x1bKo\u202esovo\n"}).encode(), "Kosovo"),
        (200, b"[" * 100_000, None),
        (200, b"{not json", None),
        (200, json.dumps({"country": 42}).encode(), None),
        (404, b"{}", None),
    ],
)
async def test_metadata_name_is_decoration(
    server: ScriptedServer, status: int, body: bytes, name: str | None
) -> None:
    async def metadata(exchange: Exchange) -> None:
        await exchange.send(status, body)

    server.route("xk", metadata)
    async with open_session(1) as session:
        url = f"{server.base_url}/xk/metadata.json"
        assert await fetch_metadata_name(session, url, 2.0) == name


# The engine with no HTTP ------------------------------------------------------------

OPTIONS = DownloadOptions(server="http://nowhere.invalid/flags", retries=2, backoff=0.001)


def code_of(url: URL) -> str:
    return url.name.removesuffix(".gif")


@pytest.fixture
def no_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any HTTP session the engine opened would fail the test."""

    def refuse(limit: int) -> aiohttp.ClientSession:
        raise AssertionError("the engine opened an HTTP session")

    monkeypatch.setattr(http_module, "open_session", refuse)


@pytest.mark.usefixtures("no_http")
async def test_the_scheduler_keeps_its_concurrency_limit(dest: Path) -> None:
    in_flight = most = 0

    async def fetcher(url: URL, attempt: int, on_status: StatusListener) -> bytes:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(0.01)
        finally:
            in_flight -= 1
        return make_gif(code_of(url))

    codes = [f"{a}{b}" for a in "abc" for b in "abcdefghijklmnop"]  # 48 flags
    engine = DownloadEngine(dest, DownloadOptions(concurrency=5), fetcher=fetcher)
    summary = await engine.run(codes)
    assert summary.count(FlagState.DONE) == 48
    assert most == engine.max_in_flight == 5
    assert folder_files(dest) == sorted(f"{c}.gif" for c in codes)
    assert all((dest / f"{c}.gif").read_bytes() == make_gif(c) for c in codes)


@pytest.mark.usefixtures("no_http")
async def test_the_scheduler_counts_retries_and_reports_each_step(dest: Path) -> None:
    calls: list[tuple[str, int]] = []

    async def fetcher(url: URL, attempt: int, on_status: StatusListener) -> bytes:
        code = code_of(url)
        calls.append((code, attempt))
        if code == "nf":  # not found
            raise NotFound
        if code == "kr":  # broken
            raise FetchFailed("not an image", retryable=False)
        if code == "jp" or (code == "cn" and attempt < 3):  # busy, always or twice
            on_status(503)
            raise FetchFailed("HTTP 503 Busy", retryable=True, retry_after=0.0)
        on_status(302)
        on_status(200)
        return make_gif(code)

    events: list[FlagEvent] = []
    engine = DownloadEngine(dest, OPTIONS, events.append, fetcher=fetcher)
    summary = await engine.run(["CN", "JP", "KR", "NF"])

    by_code = {r.code: r for r in summary.results}
    assert (by_code["CN"].state, by_code["CN"].attempts) == (FlagState.DONE, 3)
    assert (by_code["JP"].state, by_code["JP"].attempts) == (FlagState.ERROR, 3)
    assert by_code["JP"].reason == "HTTP 503 Busy (after 3 attempts)"
    assert (by_code["KR"].state, by_code["KR"].reason) == (FlagState.ERROR, "not an image")
    assert by_code["NF"].state is FlagState.NOT_FOUND
    assert sorted(calls) == sorted(
        [("cn", 1), ("cn", 2), ("cn", 3), ("jp", 1), ("jp", 2), ("jp", 3), ("kr", 1), ("nf", 1)]
    )
    assert by_code["CN"].country == "China"
    assert folder_files(dest) == ["cn.gif"]

    steps = [(e.phase, e.attempt, e.detail) for e in events if e.code == "CN"]

    def failed_try(n: int) -> list[tuple[Phase, int, str]]:
        return [
            (Phase.STARTED, n, ""),
            (Phase.FIRST_BYTE, n, "HTTP 503"),
            (Phase.RETRY, n, "HTTP 503 Busy; retry in 0.0s"),
            (Phase.QUEUED, n, ""),
        ]

    assert steps == [
        (Phase.QUEUED, 0, ""),
        *failed_try(1),
        *failed_try(2),
        (Phase.STARTED, 3, ""),
        (Phase.FIRST_BYTE, 3, "HTTP 302"),
        (Phase.FIRST_BYTE, 3, "HTTP 200"),
        (Phase.RECEIVED, 3, f"{len(make_gif('cn'))} bytes"),
        (Phase.SAVED, 3, ""),
        (Phase.FINISHED, 3, ""),
    ]


def blocked_fetcher(started: list[str]) -> FlagFetcher:
    async def fetcher(url: URL, attempt: int, on_status: StatusListener) -> bytes:
        started.append(code_of(url))
        await asyncio.Event().wait()  # forever, until cancelled
        raise AssertionError("unreachable")

    return fetcher


@pytest.mark.usefixtures("no_http")
async def test_cancel_ends_a_batch_the_fetcher_never_finishes(dest: Path) -> None:
    started: list[str] = []
    engine = DownloadEngine(dest, DownloadOptions(concurrency=4), fetcher=blocked_fetcher(started))
    run = asyncio.create_task(engine.run([f"a{c}" for c in "abcdefgh"]))
    while len(started) < 4:
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.05)
    assert len(started) == 4  # the other four wait for a slot
    engine.cancel()
    summary = await asyncio.wait_for(run, 5)
    assert [r.state for r in summary.results] == [FlagState.CANCELLED] * 8
    assert engine.in_flight == 0
    assert folder_files(dest) == []
    assert not engine.running


@pytest.mark.usefixtures("no_http")
async def test_cancel_before_any_task_exists(dest: Path) -> None:
    started: list[str] = []
    engine = DownloadEngine(dest, OPTIONS, fetcher=blocked_fetcher(started))
    run = asyncio.create_task(engine.run(["CN", "JP"]))
    await asyncio.sleep(0)  # the folder is being looked at in a thread
    engine.cancel()
    summary = await asyncio.wait_for(run, 5)
    assert [r.state for r in summary.results] == [FlagState.CANCELLED] * 2
    assert started == []
