"""The download engine against real servers on 127.0.0.1 and real folders."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from yarl import URL

from flaggui.core import http
from flaggui.core.countries import FLAG_CODES
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagEvent, FlagState, Phase
from flaggui.core.fetching import FetchFailed
from flaggui.core.http import redirect_target
from flaggui.core.storage import TEMP_PREFIX, DestinationError
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import Exchange, ScriptedServer

HEALTHY = ["aa", "ab", "ac"]


def quick(server: ScriptedServer, **overrides: object) -> DownloadOptions:
    settings: dict[str, object] = {
        "server": server.base_url,
        "concurrency": 20,
        "timeout": 0.5,
        "retries": 1,
        "backoff": 0.01,
        # Each fault's own retries and hits; tests/test_adaptive.py has the
        # adaptive limit's answer to the overload signs among them.
        "adaptive": False,
    }
    settings.update(overrides)
    return DownloadOptions(**settings)  # type: ignore[arg-type]


def assert_healthy_saved(dest: Path, codes: list[str]) -> None:
    for code in codes:
        assert (dest / f"{code}.gif").read_bytes() == make_gif(code)


# (behaviour key, expected state, words expected in the reason, expected hits with retries=1)
FAULTS = [
    ("ha", FlagState.NOT_FOUND, "no flag", 1),
    ("hb", FlagState.ERROR, "HTTP 503 Service Unavailable (after 2 attempts)", 2),
    ("hc", FlagState.ERROR, "connection broke", 2),
    ("hd", FlagState.ERROR, "truncated", 1),
    ("he", FlagState.ERROR, "HTML page", 1),
    ("hf", FlagState.ERROR, "not an image", 1),
    ("hg", FlagState.ERROR, "PNG image, expected a GIF", 1),
    ("hh", FlagState.ERROR, "60000x60000", 1),
    ("hi", FlagState.ERROR, "larger than 2048 KiB", 1),
    ("hj", FlagState.ERROR, "no complete answer within 0.5s", 2),
    ("hk", FlagState.ERROR, "no complete answer within 0.5s", 2),
    ("hl", FlagState.ERROR, "too many redirects", 6),  # the first request + 5 redirects
    # aiohttp itself retries an idempotent request once after a reset.
    ("hm", FlagState.ERROR, "connection", 4),
    ("hn", FlagState.ERROR, "HTTP 500 Internal Server Error", 2),
]


@pytest.mark.parametrize(("key", "state", "reason", "hits"), FAULTS, ids=[f[0] for f in FAULTS])
async def test_each_fault_ends_in_one_clear_state(
    server: ScriptedServer, dest: Path, key: str, state: FlagState, reason: str, hits: int
) -> None:
    faults.route_healthy(server, HEALTHY)
    server.route(key, faults.HOSTILE[key])
    summary = await DownloadEngine(dest, quick(server)).run([*HEALTHY, key])

    by_code = {r.code: r for r in summary.results}
    bad = by_code[key.upper()]
    assert bad.state is state
    assert reason in bad.reason
    assert server.hits[key] == hits
    assert all(by_code[c.upper()].state is FlagState.DONE for c in HEALTHY)
    assert_healthy_saved(dest, HEALTHY)
    assert folder_files(dest) == [f"{c}.gif" for c in HEALTHY]
    assert_no_temporaries(dest)


async def test_hostile_server_all_faults_at_once(server: ScriptedServer, dest: Path) -> None:
    healthy = [f"a{c}" for c in "abcdefghij"]
    faults.route_healthy(server, healthy)
    for key, behaviour in faults.HOSTILE.items():
        server.route(key, behaviour)
    codes = healthy + list(faults.HOSTILE)

    summary = await asyncio.wait_for(DownloadEngine(dest, quick(server)).run(codes), 30)

    assert summary.count(FlagState.DONE) == len(healthy)
    assert summary.count(FlagState.NOT_FOUND) == 1
    assert summary.count(FlagState.ERROR) == len(faults.HOSTILE) - 1
    assert all(r.reason for r in summary.results if r.state is not FlagState.DONE)
    assert folder_files(dest) == sorted(f"{c}.gif" for c in healthy)
    assert_healthy_saved(dest, healthy)


async def test_server_error_then_success_is_retried(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.first_then(1, faults.status(500), faults.healthy("cn")))
    summary = await DownloadEngine(dest, quick(server)).run(["CN"])
    (result,) = summary.results
    assert result.state is FlagState.DONE
    assert result.attempts == 2
    assert_healthy_saved(dest, ["cn"])


async def test_retry_after_is_honoured(server: ScriptedServer, dest: Path) -> None:
    busy = faults.status(429, {"Retry-After": "1"})
    server.route("cn", faults.first_then(1, busy, faults.healthy("cn")))
    summary = await DownloadEngine(dest, quick(server)).run(["CN"])
    assert summary.results[0].state is FlagState.DONE
    first, second = server.hit_times["cn"]
    assert second - first >= 0.95


async def test_retry_after_is_capped(server: ScriptedServer, dest: Path) -> None:
    busy = faults.status(503, {"Retry-After": "3600"})
    server.route("cn", faults.first_then(1, busy, faults.healthy("cn")))
    options = quick(server, retry_after_cap=0.1)
    summary = await asyncio.wait_for(DownloadEngine(dest, options).run(["CN"]), 10)
    assert summary.results[0].state is FlagState.DONE


async def test_redirect_is_followed(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.redirect_to("/flags/zz/zz.gif"))
    server.route("zz", faults.healthy("cn"))
    summary = await DownloadEngine(dest, quick(server)).run(["CN"])
    assert summary.results[0].state is FlagState.DONE
    assert_healthy_saved(dest, ["cn"])


def test_https_to_http_redirect_is_refused() -> None:
    with pytest.raises(FetchFailed, match="https to plain http"):
        redirect_target(URL("https://flags.example/cn/cn.gif"), "http://x/cn.gif")
    target = redirect_target(URL("http://a.example/x/cn.gif"), "/y/cn.gif")
    assert str(target) == "http://a.example/y/cn.gif"


async def run_slow_server(
    dest: Path, delay: float, codes: list[str], **options: object
) -> tuple[BatchSummary, DownloadEngine, ScriptedServer]:
    """Run a batch of healthy flags from a server that waits *delay* seconds."""
    server = ScriptedServer(delay=delay)
    await server.start()
    faults.route_healthy(server, codes)
    try:
        engine = DownloadEngine(dest, quick(server, **options))
        summary = await engine.run(codes)
    finally:
        await server.close()
    return summary, engine, server


async def test_requests_in_flight_reach_and_never_exceed_the_limit(dest: Path) -> None:
    codes = [c.lower() for c in FLAG_CODES[:60]]
    summary, engine, server = await run_slow_server(dest, 0.2, codes, concurrency=7, timeout=5)
    assert summary.count(FlagState.DONE) == 60
    assert server.max_in_flight == 7
    assert engine.max_in_flight == 7


async def test_high_concurrency_is_not_capped_by_the_connector(dest: Path) -> None:
    codes = [c.lower() for c in FLAG_CODES]
    summary, _engine, server = await run_slow_server(dest, 0.5, codes, concurrency=1000, timeout=10)
    assert summary.count(FlagState.DONE) == 194
    assert server.max_in_flight == 194
    assert len(folder_files(dest)) == 194


async def test_waiting_for_a_slot_does_not_count_against_the_timeout(dest: Path) -> None:
    codes = [*HEALTHY, "ad"]
    summary, _engine, _server = await run_slow_server(
        dest, 0.3, codes, concurrency=1, timeout=0.6, retries=0
    )
    # Four answers of 0.3 s one after the other: the last waited 0.9 s for
    # its slot, longer than the 0.6 s deadline, and still succeeded.
    assert [r.state for r in summary.results] == [FlagState.DONE] * 4


async def test_cancel_in_the_middle_of_a_batch(server: ScriptedServer, dest: Path) -> None:
    fast = [f"a{c}" for c in "abcde"]
    slow = [f"b{c}" for c in "abcdefghij"]
    faults.route_healthy(server, fast)
    for code in slow:
        server.route(code, faults.drips(code, interval=0.05))
    finished: list[str] = []
    engine: DownloadEngine

    def listen(event: FlagEvent) -> None:
        if event.phase is Phase.FINISHED:
            finished.append(event.code)
            if len(finished) == len(fast):
                engine.cancel()

    engine = DownloadEngine(dest, quick(server, timeout=30), listen)
    summary = await asyncio.wait_for(engine.run(fast + slow), 10)

    states = {r.code.lower(): r.state for r in summary.results}
    assert all(states[c] is FlagState.DONE for c in fast)
    assert all(states[c] is FlagState.CANCELLED for c in slow)
    assert folder_files(dest) == sorted(f"{c}.gif" for c in fast)
    assert not engine.running


async def test_cancelling_the_run_task_leaves_nothing_behind(
    server: ScriptedServer, dest: Path
) -> None:
    codes = [f"b{c}" for c in "abcdefghij"]
    for code in codes:
        server.route(code, faults.drips(code, interval=0.01))
    engine = DownloadEngine(dest, quick(server, timeout=30))
    task = asyncio.create_task(engine.run(codes))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert folder_files(dest) == []


async def test_existing_valid_flags_are_skipped_unless_forced(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, HEALTHY)
    dest.mkdir()
    (dest / "aa.gif").write_bytes(make_gif("old"))
    (dest / "ab.gif").write_bytes(b"GIF89a broken")

    summary = await DownloadEngine(dest, quick(server)).run(HEALTHY)
    states = {r.code: r.state for r in summary.results}
    assert states == {"AA": FlagState.SKIPPED, "AB": FlagState.DONE, "AC": FlagState.DONE}
    assert server.hits["aa"] == 0
    assert (dest / "aa.gif").read_bytes() == make_gif("old")
    assert (dest / "ab.gif").read_bytes() == make_gif("ab")

    forced = await DownloadEngine(dest, quick(server, force=True)).run(HEALTHY)
    assert forced.count(FlagState.DONE) == 3
    assert_healthy_saved(dest, HEALTHY)


async def test_retry_only_the_failed_ones(server: ScriptedServer, dest: Path) -> None:
    faults.route_healthy(server, HEALTHY)
    server.route("ad", faults.first_then(2, faults.status(500), faults.healthy("ad")))
    first = await DownloadEngine(dest, quick(server)).run([*HEALTHY, "ad"])
    failed = [r.code for r in first.failed]
    assert failed == ["AD"]

    second = await DownloadEngine(dest, quick(server)).run(failed)
    assert second.results[0].state is FlagState.DONE
    assert server.hits["aa"] == 1
    assert_healthy_saved(dest, [*HEALTHY, "ad"])


async def test_events_follow_the_phases_in_order(server: ScriptedServer, dest: Path) -> None:
    faults.route_healthy(server, ["cn"])
    events: list[FlagEvent] = []
    await DownloadEngine(dest, quick(server), events.append).run(["CN"])
    assert [e.phase for e in events] == [
        Phase.QUEUED,
        Phase.STARTED,
        Phase.FIRST_BYTE,
        Phase.RECEIVED,
        Phase.SAVED,
        Phase.FINISHED,
    ]
    times = [e.at for e in events]
    assert times == sorted(times)
    assert events[-1].result is not None
    assert events[-1].result.country == "China"


async def test_retry_events_are_reported(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.first_then(1, faults.status(503), faults.healthy("cn")))
    events: list[FlagEvent] = []
    await DownloadEngine(dest, quick(server), events.append).run(["CN"])
    retry = next(e for e in events if e.phase is Phase.RETRY)
    assert "HTTP 503" in retry.detail
    assert [e.attempt for e in events if e.phase is Phase.STARTED] == [1, 2]


async def test_country_name_falls_back_to_server_metadata(
    server: ScriptedServer, dest: Path
) -> None:
    flag = make_gif("xk")

    async def kosovo(exchange: Exchange) -> None:
        if exchange.path.endswith("metadata.json"):
            await exchange.send(200, json.dumps({"country": "Kosovo"}).encode())
        else:
            await exchange.send(200, flag)

    server.route("xk", kosovo)
    summary = await DownloadEngine(dest, quick(server)).run(["XK"])
    assert summary.results[0].country == "Kosovo"
    assert folder_files(dest) == ["xk.gif"]


async def test_without_names_neither_pycountry_nor_the_server_is_asked(
    server: ScriptedServer, dest: Path
) -> None:
    """A caller that shows no names (``flaggui get`` without ``-v``) gets
    results without them, and no ``metadata.json`` is requested."""
    server.route("xk", faults.healthy("xk"))
    server.route("cn", faults.healthy("cn"))
    summary = await DownloadEngine(dest, quick(server, names=False)).run(["XK", "CN"])
    assert [(r.code, r.state, r.country) for r in summary.results] == [
        ("XK", FlagState.DONE, None),
        ("CN", FlagState.DONE, None),
    ]
    assert server.metadata_hits == {}
    assert folder_files(dest) == ["cn.gif", "xk.gif"]


async def test_a_plain_http_batch_does_not_load_the_certificate_store(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, HEALTHY)
    http.tls_context.cache_clear()
    summary = await DownloadEngine(dest, quick(server)).run(HEALTHY)
    assert summary.count(FlagState.DONE) == len(HEALTHY)
    assert http.tls_context.cache_info().currsize == 0


async def test_saved_files_have_normal_permissions(server: ScriptedServer, dest: Path) -> None:
    faults.route_healthy(server, ["cn"])
    await DownloadEngine(dest, quick(server)).run(["CN"])
    umask = os.umask(0o022)
    os.umask(umask)
    assert (dest / "cn.gif").stat().st_mode & 0o777 == 0o666 & ~umask


async def test_stale_temporaries_of_dead_processes_are_removed(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, ["cn"])
    dest.mkdir()
    stale = dest / f"{TEMP_PREFIX}cn-999999999-abc.part"
    stale.write_bytes(b"GIF89a half")
    foreign = dest / "notes.txt"
    foreign.write_text("mine")
    await DownloadEngine(dest, quick(server)).run(["CN"])
    assert folder_files(dest) == ["cn.gif", "notes.txt"]


@pytest.mark.parametrize("bad", ["C1", "CHN", "../", "", "é1"])
async def test_invalid_codes_are_refused_before_any_request(
    server: ScriptedServer, dest: Path, bad: str
) -> None:
    with pytest.raises(ValueError, match="not a country code"):
        await DownloadEngine(dest, quick(server)).run(["CN", bad])
    assert sum(server.hits.values()) == 0
    assert not dest.exists()


async def test_destination_that_is_a_file_is_refused(
    server: ScriptedServer, tmp_path: Path
) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(DestinationError, match="is a file"):
        await DownloadEngine(target, quick(server)).run(["CN"])
    with pytest.raises(DestinationError, match="cannot create"):
        await DownloadEngine(target / "sub", quick(server)).run(["CN"])


async def test_unreachable_server_is_an_error_with_a_reason(dest: Path) -> None:
    options = DownloadOptions(server="http://127.0.0.1:9/flags", retries=1, backoff=0.01)
    summary = await DownloadEngine(dest, options).run(["CN"])
    (result,) = summary.results
    assert result.state is FlagState.ERROR
    assert "cannot connect to 127.0.0.1:9" in result.reason
    assert folder_files(dest) == []


def test_options_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="timeout"):
        DownloadOptions(timeout=0)
    with pytest.raises(ValueError, match="retries"):
        DownloadOptions(retries=-1)
    with pytest.raises(ValueError, match="between 1 and 1000"):
        DownloadEngine(Path("."), DownloadOptions(concurrency=1001))
