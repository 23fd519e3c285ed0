"""The engine and ``flaggui get`` against hostile servers, prepared folders
and odd values: every flag ends in one clear state, with a short, clean
reason; nothing hangs, nothing special in the folder is ever opened."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagEvent, FlagState, Phase
from flaggui.core.http import parse_retry_after
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import Exchange, ScriptedServer
from tests.test_engine import quick as engine_options

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m\u202e"


def quick(server: ScriptedServer, **overrides: object) -> DownloadOptions:
    # A longer deadline than the engine tests': these runs time nothing out.
    return engine_options(server, **{"timeout": 2.0, **overrides})


def raw(response: bytes) -> faults.Behaviour:
    """Write exactly these bytes as the answer."""

    async def behaviour(exchange: Exchange) -> None:
        exchange.writer.write(response)
        await exchange.writer.drain()

    return behaviour


def flag_with_metadata(code: str, metadata: bytes) -> faults.Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        if exchange.path.endswith("/metadata.json"):
            await exchange.send(200, metadata, headers={"Content-Type": "application/json"})
        else:
            await exchange.send(200, make_gif(code))

    return behaviour


# Text from the server ---------------------------------------------------------------
async def test_a_hostile_reason_phrase_is_shown_clean(server: ScriptedServer, dest: Path) -> None:
    phrase = (ESCAPES + "Server Error " + "A" * 500).encode("latin-1", "ignore")
    server.route("cn", raw(b"HTTP/1.1 500 " + phrase + b"\r\nContent-Length: 0\r\n\r\n"))
    result = (await DownloadEngine(dest, quick(server, retries=0)).run(["CN"])).results[0]
    assert result.state is FlagState.ERROR
    assert "\x1b" not in result.reason
    assert "\x07" not in result.reason
    assert "\u202e" not in result.reason
    assert len(result.reason) <= 200


async def test_a_body_longer_than_its_length_gives_a_short_reason(
    server: ScriptedServer, dest: Path
) -> None:
    body = make_gif("cn") + os.urandom(70_000)

    async def overlong(exchange: Exchange) -> None:
        await exchange.send(200, body, content_length=len(make_gif("cn")) // 2)

    server.route("cn", overlong)
    result = (await DownloadEngine(dest, quick(server, retries=0)).run(["CN"])).results[0]
    assert result.state is FlagState.ERROR
    assert (
        result.reason == "the server sent a malformed HTTP answer (Data after `Connection: close`)"
    )
    assert not [c for c in result.reason if ord(c) < 32 or 0x7F <= ord(c) < 0xA0]
    assert folder_files(dest) == []


async def test_the_country_name_in_metadata_is_cleaned(server: ScriptedServer, dest: Path) -> None:
    name = ESCAPES + "Atlantis" + "\x1b[0m"
    metadata = json.dumps({"country": name}).encode()
    server.route("aa", flag_with_metadata("aa", metadata))
    result = (await DownloadEngine(dest, quick(server)).run(["AA"])).results[0]
    assert result.state is FlagState.DONE
    assert result.country == "[2J]0;pwned[31mAtlantis[0m"


@pytest.mark.parametrize(
    "metadata",
    [
        b"[" * 60_000,  # RecursionError in the JSON parser
        b'{"country": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",
        b'{"country": 12}',
        b'["country"]',
        b"\xff\xfe garbage",
        b"{" * 200_000,  # beyond the read cap
    ],
)
async def test_bad_metadata_never_fails_a_good_flag(
    server: ScriptedServer, dest: Path, metadata: bytes
) -> None:
    server.route("aa", flag_with_metadata("aa", metadata))
    result = (await DownloadEngine(dest, quick(server)).run(["AA"])).results[0]
    assert result.state is FlagState.DONE, result.reason
    assert (dest / "aa.gif").read_bytes() == make_gif("aa")
    assert result.country is None


# Headers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 12 ", 12.0),
        ("²", None),
        ("١٢", None),
        ("1_0", None),
        ("-5", None),
        ("1e9", None),
        ("9" * 400, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Wed, 99 Foo 99999 99:99:99 GMT", None),
        ("\x00\x1b", None),
        ("", None),
    ],
)
def test_retry_after_follows_rfc_9110_and_ignores_the_rest(
    value: str, seconds: float | None
) -> None:
    assert parse_retry_after(value) == seconds


async def test_a_unicode_digit_in_retry_after_still_retries(
    server: ScriptedServer, dest: Path
) -> None:
    server.route(
        "cn", faults.first_then(1, faults.status(503, {"Retry-After": "²"}), faults.healthy("cn"))
    )
    result = (await DownloadEngine(dest, quick(server)).run(["CN"])).results[0]
    assert result.state is FlagState.DONE, result.reason
    assert server.hits["cn"] == 2


async def test_an_unexpected_failure_is_one_reason_not_a_traceback(
    server: ScriptedServer, dest: Path, caplog: pytest.LogCaptureFixture
) -> None:
    faults.route_healthy(server, ["cn", "jp"])

    def listener(event: FlagEvent) -> None:
        if event.code == "CN" and event.phase is Phase.RECEIVED:
            raise RuntimeError("\x1b[2J boom")

    summary = await DownloadEngine(dest, quick(server), listener).run(["CN", "JP"])
    by_code = {r.code: r for r in summary.results}
    assert by_code["CN"].state is FlagState.ERROR
    assert by_code["CN"].reason == "unexpected error: RuntimeError"
    assert by_code["JP"].state is FlagState.DONE
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]


# What is already in the folder ----------------------------------------------------
async def test_special_files_where_flags_go_are_never_opened(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, ["cn", "jp", "us", "br"])
    dest.mkdir()
    os.mkfifo(dest / "cn.gif")
    (dest / "jp.gif").symlink_to("/dev/zero")
    with (dest / "us.gif").open("wb") as sparse:
        sparse.truncate(4 * 1024**3)  # 4 GiB of nothing
    (dest / "br.gif").mkdir()
    results = await asyncio.wait_for(
        DownloadEngine(dest, quick(server)).run(["CN", "JP", "US", "BR"]), 10
    )
    by_code = {r.code: r for r in results.results}
    assert by_code["CN"].state is FlagState.ERROR
    assert by_code["CN"].reason == (
        "cn.gif is a FIFO (named pipe), not a regular file (--force replaces it)"
    )
    assert (
        by_code["JP"].reason
        == "jp.gif is a symbolic link, not a regular file (--force replaces it)"
    )
    assert by_code["BR"].reason == "br.gif is a folder, not a regular file"
    # A regular file that is no valid flag is flaggui's to replace.
    assert by_code["US"].state is FlagState.DONE
    assert (dest / "us.gif").read_bytes() == make_gif("us")
    assert server.hits["cn"] == server.hits["jp"] == server.hits["br"] == 0
    assert (dest / "jp.gif").is_symlink()


async def test_force_replaces_a_fifo_and_a_link_without_following_them(
    server: ScriptedServer, dest: Path, tmp_path: Path
) -> None:
    faults.route_healthy(server, ["cn", "jp"])
    dest.mkdir()
    os.mkfifo(dest / "cn.gif")
    outside = tmp_path / "outside.gif"
    outside.write_bytes(b"keep me")
    (dest / "jp.gif").symlink_to(outside)
    summary = await asyncio.wait_for(
        DownloadEngine(dest, quick(server, force=True)).run(["CN", "JP"]), 10
    )
    assert [r.state for r in summary.results] == [FlagState.DONE, FlagState.DONE]
    assert (dest / "cn.gif").read_bytes() == make_gif("cn")
    assert not (dest / "jp.gif").is_symlink()
    assert (dest / "jp.gif").read_bytes() == make_gif("jp")
    assert outside.read_bytes() == b"keep me"
    assert_no_temporaries(dest)


# Cancelling ------------------------------------------------------------------------
async def test_cancel_while_the_folder_is_being_prepared_ends_the_batch(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, ["cn", "jp"])
    engine = DownloadEngine(dest, quick(server))
    batch = asyncio.create_task(engine.run(["CN", "JP"]))
    await asyncio.sleep(0)  # the batch is now in its trip to the worker thread
    assert engine.running
    engine.cancel()
    summary = await asyncio.wait_for(batch, 10)
    assert [r.state for r in summary.results] == [FlagState.CANCELLED, FlagState.CANCELLED]
    assert sum(server.hits.values()) == 0
    assert folder_files(dest) == []


# The command line ------------------------------------------------------------------
async def start_get(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "get",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
async def test_a_stop_signal_ends_get_with_its_summary(
    server: ScriptedServer, dest: Path, signum: int, code: int
) -> None:
    faults.route_healthy(server, ["cn"])
    server.route("jp", faults.never_answers())
    process = await start_get("CN", "JP", "-s", server.base_url, "-d", str(dest))
    for _ in range(500):  # the hanging request has arrived: the batch is under way
        if server.hits["jp"] and (dest / "cn.gif").exists():
            break
        await asyncio.sleep(0.02)
    process.send_signal(signum)
    out, err = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == code
    assert "1 done, 0 skipped, 0 not found, 0 failed, 1 cancelled" in out.decode()
    assert "Traceback" not in err.decode()
    assert folder_files(dest) == ["cn.gif"]


async def test_get_never_prints_escape_codes_from_the_server(
    server: ScriptedServer, dest: Path
) -> None:
    server.route("ab", raw(b"HTTP/1.1 500 " + ESCAPES.encode("latin-1", "ignore") + b"\r\n\r\n"))
    server.route("aa", flag_with_metadata("aa", b'{"country": "\\u001b[2JAtlantis"}'))
    args = ["-e", "-l", "3", "-v", "--retries", "0", "-s", server.base_url, "-d", str(dest)]
    process = await start_get(*args)
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert b"\x1b" not in out + err
    assert b"\x07" not in out + err
    assert "Atlantis" in out.decode()


@pytest.mark.parametrize(
    ("dest_name", "words"),
    [("x" * 300, "File name too long"), ("loop/inside", "Too many levels of symbolic links")],
)
async def test_an_unusable_dest_path_is_one_line_and_exit_2(
    tmp_path: Path, dest_name: str, words: str
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    process = await start_get(
        "CN", "-s", "http://127.0.0.1:9/flags", "-d", str(tmp_path / dest_name)
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1
    assert words in lines[0]
    assert out == b""


async def test_bytes_after_the_end_of_a_flag_are_not_kept(
    server: ScriptedServer, dest: Path
) -> None:
    server.route("cn", faults.serve(make_gif("cn") + os.urandom(100_000)))
    dest.mkdir()
    (dest / "jp.gif").write_bytes(make_gif("jp") + b"junk after the trailer")
    faults.route_healthy(server, ["jp"])
    summary = await DownloadEngine(dest, quick(server)).run(["CN", "JP"])
    assert [r.state for r in summary.results] == [FlagState.DONE, FlagState.DONE]
    assert (dest / "cn.gif").read_bytes() == make_gif("cn")
    assert summary.results[0].size == len(make_gif("cn"))
    assert (dest / "jp.gif").read_bytes() == make_gif("jp")  # downloaded again, exact
