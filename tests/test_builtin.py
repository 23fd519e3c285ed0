"""The built-in flag server: the flags flaggui carries, served from the
process on 127.0.0.1 with the network conditions asked for, to the engine and
to ``flaggui get -s BUILTIN``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest

from flaggui.core.builtin import BuiltinServer, builtin_flags
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagState
from flaggui.core.network import NetworkConditions, NetworkPreset, parse_preset
from flaggui.core.servers import BUILTIN, resolve_server
from tests.conftest import folder_files
from tests.test_builtin_flags import committed_flag
from tests.test_cli import flaggui, last_line


async def refused(url: str) -> bool:
    """Whether nothing listens where *url* points."""
    port = int(url.split(":")[2].split("/")[0])
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        return True
    writer.close()
    await writer.wait_closed()
    return False


def options(**overrides: object) -> DownloadOptions:
    settings: dict[str, object] = {"server": BUILTIN, "adaptive": False, "retries": 0}
    settings.update(overrides)
    return DownloadOptions(**settings)  # type: ignore[arg-type]


# The server -------------------------------------------------------------------
async def test_the_builtin_server_serves_the_real_bytes_until_stopped() -> None:
    server = BuiltinServer()
    url = await server.start()
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/flags")
    assert await server.start() == url  # already running, same conditions
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/cn/cn.gif") as response:
                assert response.status == 200
                assert await response.read() == committed_flag("cn")
            async with session.get(f"{url}/br/metadata.json") as response:
                assert (await response.json())["iso_cc"] == "BR"
            async with session.get(f"{url}/xx/xx.gif") as response:
                assert response.status == 404
    finally:
        await server.stop()
    assert server.url is None
    assert await refused(url)
    await server.stop()  # again: nothing to do


async def test_other_conditions_start_it_again() -> None:
    server = BuiltinServer()
    first = await server.start(NetworkPreset.INSTANT.conditions)
    try:
        again = await server.start(NetworkConditions(error_rate=1.0))
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{again}/cn/cn.gif") as response,
        ):
            assert response.status == 500
    finally:
        await server.stop()
    assert await refused(first)
    assert await refused(again)


async def test_a_batch_from_builtin_saves_the_real_flags_and_stops_its_server(
    dest: Path,
) -> None:
    engine = DownloadEngine(dest, options())
    summary = await engine.run(["CN", "JP", "BR"])
    assert summary.count(FlagState.DONE) == 3
    for code in ["cn", "jp", "br"]:
        assert (dest / f"{code}.gif").read_bytes() == committed_flag(code)
    assert engine.server_url.startswith("http://127.0.0.1:")
    assert await refused(engine.server_url)


async def test_a_batch_leaves_a_server_it_was_given_running(dest: Path) -> None:
    server = BuiltinServer()
    try:
        engine = DownloadEngine(dest, options(), builtin=server)
        summary = await engine.run(["FR"])
        assert summary.count(FlagState.DONE) == 1
        assert engine.server_url == server.url
        assert not await refused(engine.server_url)
    finally:
        await server.stop()


# Network conditions -----------------------------------------------------------
async def test_latency_delays_each_answer(dest: Path) -> None:
    engine = DownloadEngine(dest, options(network=NetworkConditions(latency=(0.2, 0.2))))
    summary = await engine.run(["CN"])
    assert summary.count(FlagState.DONE) == 1
    assert summary.elapsed >= 0.15


async def test_an_error_rate_of_one_fails_every_request(dest: Path) -> None:
    engine = DownloadEngine(dest, options(network=NetworkConditions(error_rate=1.0)))
    summary = await engine.run(["CN", "JP"])
    assert [r.state for r in summary.results] == [FlagState.ERROR] * 2
    assert all("HTTP 500" in r.reason for r in summary.results)
    assert folder_files(dest) == []


async def test_bandwidth_paces_the_body(dest: Path) -> None:
    code, data = next((c, d) for c, d in sorted(builtin_flags().flags.items()) if len(d) > 20_000)
    engine = DownloadEngine(dest, options(network=NetworkConditions(bandwidth=20_000)))
    summary = await engine.run([code])
    assert summary.count(FlagState.DONE) == 1
    assert (dest / f"{code}.gif").read_bytes() == data
    assert summary.elapsed >= 0.5
    assert summary.elapsed >= len(data) / 20_000 * 0.9


async def test_a_client_giving_up_on_a_paced_body_is_no_server_error(
    dest: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    slow = options(network=NetworkConditions(bandwidth=2_000), timeout=0.3)
    summary = await DownloadEngine(dest, slow).run(["CN"])
    assert summary.results[0].state is FlagState.ERROR
    assert "within 0.3s" in summary.results[0].reason
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_presets_and_their_names() -> None:
    assert parse_preset(" Mobile ") is NetworkPreset.MOBILE
    assert NetworkPreset.WIFI.conditions.describe() == "20-80 ms, 2 MB/s"
    assert NetworkPreset.MOBILE.conditions.describe() == "150-600 ms, 50 KB/s"
    assert NetworkPreset.FLAKY.conditions.describe() == "50-400 ms, 15% errors"
    assert NetworkPreset.INSTANT.conditions.describe() == "no delay, full speed"
    for bad in ["fast", "", "wi\u200bfi", "MOBİLE"]:
        with pytest.raises(ValueError, match="choose from instant, wifi, mobile, flaky"):
            parse_preset(bad)


@pytest.mark.parametrize(
    "conditions",
    [
        {"latency": (0.5, 0.1)},
        {"latency": (-1.0, 0.0)},
        {"latency": (0.0, 61.0)},
        {"error_rate": 1.5},
        {"error_rate": float("nan")},
        {"bandwidth": -1},
        {"bandwidth": 10**10},
    ],
)
def test_conditions_out_of_range_are_refused(conditions: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must be"):
        NetworkConditions(**conditions)  # type: ignore[arg-type]


def test_the_label_resolves_to_itself() -> None:
    assert resolve_server(" builtin ") == BUILTIN
    with pytest.raises(ValueError, match="nor one of REMOTE, LOCAL, BUILTIN"):
        resolve_server("bu\u0131ltin")  # a dotless i


# The command line -------------------------------------------------------------
async def test_get_from_builtin_saves_every_flag_identical_to_the_package(dest: Path) -> None:
    result = await flaggui("get", "-a", "-s", "BUILTIN", "-d", str(dest))
    assert result.code == 0, result
    assert last_line(result.out).startswith("194 flags downloaded in ")
    assert len(folder_files(dest)) == 194
    for path in dest.iterdir():
        assert path.read_bytes() == committed_flag(path.stem), path.name


async def test_get_plays_a_network_preset(dest: Path) -> None:
    result = await flaggui("get", "cn", "-s", "builtin", "--network", "mobile", "-d", str(dest))
    assert result.code == 0, result
    assert (dest / "cn.gif").read_bytes() == committed_flag("cn")
    # 150 ms at least, then 11.9 KB at 50 KB/s.
    seconds = float(last_line(result.out).split(" in ")[1].rstrip("s"))
    assert seconds >= 0.3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["get", "-s", "BUILTIN", "--network", "fast"], "unknown network 'fast'"),
        (["get", "-s", "LOCAL", "--network", "wifi"], "--network is for the built-in server"),
        (["get", "--network", "wifi"], "add -s BUILTIN"),
        (["serve", "--bandwidth", "1e3"], "the bandwidth must be a whole number from 0 to"),
        (["serve", "--bandwidth", "-5"], "the bandwidth must be a whole number from 0 to"),
    ],
)
async def test_bad_network_options_exit_2(args: list[str], message: str) -> None:
    result = await flaggui(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


async def test_a_client_giving_up_before_the_headers_is_no_server_error(
    dest: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Cancelled during the latency, before the paced answer's headers."""
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    slow = options(network=NetworkConditions(latency=(0.3, 0.3), bandwidth=2_000))
    engine = DownloadEngine(dest, slow)
    run = asyncio.ensure_future(engine.run(["CN", "JP", "FR"]))
    await asyncio.sleep(0.1)
    engine.cancel()
    summary = await run
    assert [r.state for r in summary.results] == [FlagState.CANCELLED] * 3
    await asyncio.sleep(0.5)  # the server's handlers reach their writes
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
