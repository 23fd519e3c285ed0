"""Adaptive concurrency: the per-host limit on its own, then the engine
against real servers that throttle (429 beyond a few requests at once) or
drop connections (a listen backlog of one), several hosts at once, and the
same servers with adaptation switched off."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from yarl import URL

from flaggui.core.adaptive import (
    INITIAL_LIMIT,
    AdaptiveLimits,
    HostLimit,
    LimitChange,
    NotableChanges,
    ServerSign,
    Ticket,
)
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagState
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import ScriptedServer

CODES = [f"{a}{b}" for a in "abcd" for b in "abcdefghijklmnopqrstuvwxyz"][:60]


def host(ceiling: int = 100, changes: list[LimitChange] | None = None) -> HostLimit:
    """A limit with every place taken, as in a batch larger than it."""
    listener = changes.append if changes is not None else None
    limit = HostLimit("http://h:80", ceiling, clock=lambda: 0.0, listener=listener)
    limit.in_flight = ceiling
    return limit


# The limit on its own -------------------------------------------------------------------


async def test_slow_start_doubles_on_prompt_connects_up_to_the_ceiling() -> None:
    limit = host(ceiling=10)
    assert limit.allowed == INITIAL_LIMIT
    for _ in range(INITIAL_LIMIT):
        limit.report_connected(0.0, 0.001)
    assert limit.allowed == 2 * INITIAL_LIMIT
    for _ in range(50):
        limit.report_connected(0.0, 0.001)
        limit.report_success(Ticket(limit.epoch, limit.allowed))
    assert limit.allowed == 10  # never past the user's ceiling


async def test_one_decrease_per_epoch_and_growth_stops_short_of_the_overload() -> None:
    changes: list[LimitChange] = []
    limit = host(ceiling=100, changes=changes)
    for _ in range(16):
        limit.report_connected(0.0, 0.001)
    assert limit.allowed == 20
    burst = [Ticket(limit.epoch, limit.allowed) for _ in range(20)]
    for ticket in burst:  # twenty 429s to requests admitted together
        limit.report_sign(ticket, ServerSign.THROTTLED)
    assert limit.allowed == 14  # 0.7 x 20, once
    assert limit.decreases == 1
    assert changes[-1].cause is ServerSign.THROTTLED
    assert (changes[-1].previous, changes[-1].limit) == (20, 14)
    # Answers to the old, larger burst don't grow the new limit...
    for ticket in burst:
        limit.report_success(ticket)
    assert limit.allowed == 14
    # ... answers under it do, one per limit's worth, but not back to 20.
    for _ in range(150):
        limit.report_success(Ticket(limit.epoch, limit.allowed))
    assert limit.allowed == 19
    # A long calm there, and it probes higher.
    for _ in range(2000):
        limit.report_success(Ticket(limit.epoch, limit.allowed))
    assert limit.allowed > 20


async def test_after_a_long_calm_growth_probes_past_the_old_overload() -> None:
    limit = host(ceiling=100)
    for _ in range(6):
        limit.report_connected(0.0, 0.001)
    limit.report_sign(Ticket(limit.epoch, limit.allowed), ServerSign.STALLED)
    assert limit.allowed == 5  # 0.5 x 10
    for _ in range(400):
        limit.report_success(Ticket(limit.epoch, limit.allowed))
    assert 10 < limit.allowed < 100


async def test_many_failures_lower_the_limit_and_a_few_do_not() -> None:
    limit = host()
    for _ in range(12):
        limit.report_connected(0.0, 0.001)
    top = limit.allowed
    ok = Ticket(limit.epoch, top)
    for outcome in [True, True, False, True, True, False, True, True]:
        if outcome:
            limit.report_success(ok)
        else:
            limit.report_sign(ok, ServerSign.SLOW)  # not overload: no decrease
    assert limit.allowed >= top
    top = limit.allowed
    for _ in range(6):
        limit.report_error(Ticket(limit.epoch, top))
    assert limit.allowed < top


async def test_a_stalled_connect_is_overload_only_if_a_later_one_opened() -> None:
    limit = host()
    limit.report_connected(10.000, 10.001)
    # A connect begun at 10.0 abandoned at 10.05, and nothing began later:
    # a slow network or a busy loop, not a dropped SYN; more patience next.
    before = limit.connect_timeout()
    assert limit.judge_stalled_connect(10.0, 10.05) is ServerSign.SLOW
    assert limit.connect_timeout() == 2 * before
    # One begun later that opened in time: this one's SYN was dropped.
    limit.report_connected(10.010, 10.011)
    assert limit.judge_stalled_connect(10.005, 10.05) is ServerSign.STALLED
    # ... but not if it opened only after the deadline (the loop was busy).
    limit.report_connected(10.020, 10.200)
    assert limit.judge_stalled_connect(10.015, 10.05) is ServerSign.SLOW


async def test_a_limit_that_holds_nothing_back_does_not_grow() -> None:
    limit = host(ceiling=100)
    limit.in_flight = 1
    for _ in range(20):
        limit.report_connected(0.0, 0.001)
    assert limit.allowed == INITIAL_LIMIT


async def test_admission_is_first_come_first_served_and_cancel_safe() -> None:
    limit = host(ceiling=1)
    limit.in_flight = 0
    first = await limit.admit()
    assert first.limit == 1
    order: list[str] = []

    async def request(name: str) -> None:
        await limit.admit()
        order.append(name)
        limit.release()

    waiting = [asyncio.create_task(request(name)) for name in "abc"]
    await asyncio.sleep(0)
    waiting[1].cancel()  # b gives up while waiting
    await asyncio.sleep(0)
    limit.release()
    await asyncio.gather(waiting[0], waiting[2])
    assert order == ["a", "c"]
    assert waiting[1].cancelled()
    assert limit.in_flight == 0


async def test_a_request_woken_then_cancelled_passes_its_place_on() -> None:
    limit = host(ceiling=1)
    limit.in_flight = 0
    await limit.admit()
    woken = asyncio.create_task(limit.admit())
    after = asyncio.create_task(limit.admit())
    await asyncio.sleep(0)
    limit.release()  # wakes *woken* ...
    woken.cancel()  # ... which is cancelled before it runs
    await asyncio.wait_for(after, 1)
    assert limit.in_flight == 1


def test_notable_changes_are_big_decreases_and_recoveries() -> None:
    notable = NotableChanges()

    def change(previous: int, new: int, cause: ServerSign | None) -> bool:
        return notable(LimitChange("h", 0.0, previous, new, 0, cause))

    assert not change(4, 8, None)  # slow start: not news
    assert change(40, 20, ServerSign.STALLED)
    assert not change(20, 17, ServerSign.STALLED)  # a small step
    assert change(17, 10, ServerSign.STALLED)
    assert not change(10, 19, None)
    assert change(19, 20, None)  # twice the last one shown
    text = LimitChange("http://127.0.0.1:8000", 0.0, 20, 6, 20, ServerSign.STALLED).explanation
    assert text == "127.0.0.1:8000 is dropping connections: 6 at once"


def test_one_limit_per_scheme_host_and_port() -> None:
    limits = AdaptiveLimits(50)
    a = limits.for_url(URL("http://a.test/flags/fr.gif"))
    assert limits.for_url(URL("http://a.test/other/de.gif")) is a
    assert limits.for_url(URL("https://a.test/flags/fr.gif")) is not a
    assert limits.for_url(URL("http://a.test:8080/flags/fr.gif")) is not a
    assert limits.for_url(URL("http://b.test/flags/fr.gif")) is not a


# The engine against real servers -------------------------------------------------------


async def test_a_throttling_server_gets_every_flag_and_the_limit_shrinks(
    server: ScriptedServer, dest: Path
) -> None:
    for code in CODES:
        server.route(code, faults.throttling(server, 5, faults.healthy(code)))
    changes: list[LimitChange] = []
    options = DownloadOptions(server=server.base_url, concurrency=100, retries=1, backoff=0.01)
    engine = DownloadEngine(dest, options, on_limit=changes.append)
    summary = await engine.run(CODES)
    assert summary.count(FlagState.DONE) == len(CODES)
    assert folder_files(dest) == sorted(f"{c}.gif" for c in CODES)
    assert any(c.cause is ServerSign.THROTTLED for c in changes)
    assert all(c.limit <= 100 for c in changes)
    final = changes[-1].limit
    assert final <= 8  # settled near what the server takes
    assert_no_temporaries(dest)


async def test_without_adaptation_the_same_server_fails_flags(
    server: ScriptedServer, dest: Path
) -> None:
    for code in CODES:
        server.route(code, faults.throttling(server, 5, faults.healthy(code)))
    changes: list[LimitChange] = []
    options = DownloadOptions(
        server=server.base_url, concurrency=100, retries=1, backoff=0.01, adaptive=False
    )
    engine = DownloadEngine(dest, options, on_limit=changes.append)
    summary = await engine.run(CODES)
    assert summary.failed  # 429 twice in a row for some: retries used up
    assert all("HTTP 429" in r.reason for r in summary.failed)
    assert changes == []
    assert engine.max_in_flight > 50  # the user's 100, as asked


async def test_an_always_throttled_flag_still_ends_after_bounded_attempts(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, CODES[:20])
    server.route("zz", faults.status(429))
    options = DownloadOptions(server=server.base_url, concurrency=20, retries=1, backoff=0.01)
    summary = await DownloadEngine(dest, options).run([*CODES[:20], "zz"])
    by_code = {r.code: r for r in summary.results}
    assert by_code["ZZ"].state is FlagState.ERROR
    assert "HTTP 429" in by_code["ZZ"].reason
    assert 2 <= server.hits["zz"] <= 2 + 10
    assert summary.count(FlagState.DONE) == 20


async def test_only_the_throttling_host_slows_down(dest: Path) -> None:
    calm, busy = ScriptedServer(), ScriptedServer()
    await calm.start()
    await busy.start()
    try:
        for code in CODES:
            calm.route(code, faults.healthy(code))
            busy.route(code, faults.throttling(busy, 3, faults.healthy(code)))
        calm_port = URL(calm.base_url).port
        # Half the codes on each server: the template picks the port.
        template = "http://127.0.0.1:{port}/flags/{cc}/{cc}.gif"
        changes: list[LimitChange] = []
        for port, codes in ((calm_port, CODES[:30]), (URL(busy.base_url).port, CODES[30:])):
            options = DownloadOptions(
                server="http://127.0.0.1",
                url_template=template.replace("{port}", str(port)),
                concurrency=50,
            )
            engine = DownloadEngine(dest, options, on_limit=changes.append)
            summary = await engine.run(codes)
            assert summary.count(FlagState.DONE) == 30
        throttled = {c.host for c in changes if c.cause is not None}
        assert throttled == {f"http://127.0.0.1:{URL(busy.base_url).port}"}
    finally:
        await calm.close()
        await busy.close()


class BacklogServer:
    """A blocking HTTP server with a listen backlog of one that accepts one
    connection at a time and takes a moment over each: a burst of connects
    overflows its queue and the kernel drops SYNs, as it does for Python's
    own ``http.server``."""

    def __init__(self, work: float = 0.002) -> None:
        self.work = work
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=1)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.served = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/flags"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    head = conn.recv(4096)
                    code = head.split(b" ")[1].split(b"/")[-1].removesuffix(b".gif").decode()
                    time.sleep(self.work)
                    body = make_gif(code)
                    conn.sendall(
                        b"HTTP/1.0 200 OK\r\nContent-Type: image/gif\r\n"
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    self.served += 1
                except (OSError, IndexError):
                    pass

    def __enter__(self) -> BacklogServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def backlog_server() -> Iterator[BacklogServer]:
    with BacklogServer() as served:
        yield served


@pytest.mark.timeout(60)
async def test_a_server_dropping_connections_gets_every_flag_with_a_small_limit(
    backlog_server: BacklogServer, dest: Path
) -> None:
    changes: list[LimitChange] = []
    options = DownloadOptions(server=backlog_server.base_url, concurrency=200)
    engine = DownloadEngine(dest, options, on_limit=changes.append)
    summary = await engine.run(CODES)
    assert summary.count(FlagState.DONE) == len(CODES), summary.failed
    assert folder_files(dest) == sorted(f"{c}.gif" for c in CODES)
    stalls = [c for c in changes if c.cause is ServerSign.STALLED]
    assert stalls, "the dropped connects were not noticed"
    assert all(c.limit <= 200 for c in changes)
    assert stalls[-1].limit <= 8
    assert_no_temporaries(dest)


async def test_slow_start_holds_while_a_connect_lags_far_behind() -> None:
    limit = host(ceiling=100)
    for _ in range(4):
        limit.report_connected(10.0, 10.001)
    grown = limit.allowed
    limit.connect_began("late", 10.002)  # its SYN may have been dropped
    limit.report_connected(10.050, 10.051)  # others still open promptly
    assert limit.allowed == grown
    limit.connect_ended("late")
    limit.report_connected(10.060, 10.061)
    assert limit.allowed == grown + 1
