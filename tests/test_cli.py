"""``flaggui get`` and ``flaggui serve`` run as a user runs them: as processes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from flaggui.core.countries import FLAG_CODES
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import ScriptedServer
from tests.serving import flaggui_serve
from tests.test_server import write_zip

DOWNLOADED = re.compile(r"^(\d+) flags? downloaded in \d+\.\d\ds$")


@dataclass
class Outcome:
    code: int
    out: str
    err: str


async def flaggui(*args: str, timeout: float = 60, env: dict[str, str] | None = None) -> Outcome:
    """Run ``flaggui *args``; *env* is added to (or, with "", removes from) the environment."""
    environ = {**os.environ, **(env or {})}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        *args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in environ.items() if v},
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Outcome(process.returncode, out.decode(), err.decode())


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


async def test_get_downloads_and_prints_the_classic_line(
    server: ScriptedServer, dest: Path
) -> None:
    faults.route_healthy(server, ["cn", "br", "jp"])
    result = await flaggui("get", "CN", "br", "JP", "-s", server.base_url, "-d", str(dest))
    assert result.code == 0, result
    assert DOWNLOADED.match(last_line(result.out)).group(1) == "3"
    assert "3 done, 0 skipped, 0 not found, 0 failed, 0 cancelled" in result.out
    assert result.err == ""  # piped: no progress bar
    assert folder_files(dest) == ["br.gif", "cn.gif", "jp.gif"]

    again = await flaggui("get", "CN", "-s", server.base_url, "-d", str(dest), "-v")
    assert again.code == 0
    assert re.search(r"^CN  China\s+skipped\s+already in the folder$", again.out, re.M)
    assert last_line(again.out).startswith("0 flags downloaded in ")


async def test_not_found_is_not_a_failure(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.healthy("cn"))
    result = await flaggui("get", "cn", "br", "-s", server.base_url, "-d", str(dest))
    assert result.code == 0
    assert "not found on the server: BR" in result.out


async def test_failures_exit_1_with_reasons(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.healthy("cn"))
    server.route("br", faults.HOSTILE["he"])
    server.route("jp", faults.status(503))
    result = await flaggui(
        "get",
        "cn",
        "br",
        "jp",
        "-s",
        server.base_url,
        "-d",
        str(dest),
        "--retries",
        "1",
        "--no-adapt",
    )
    assert result.code == 1
    assert "2 failed:" in result.out
    assert "BR  the data is an HTML page, not an image" in result.out
    assert "JP  HTTP 503 Service Unavailable (after 2 attempts)" in result.out
    assert DOWNLOADED.match(last_line(result.out)).group(1) == "1"
    assert folder_files(dest) == ["cn.gif"]


async def test_one_cause_for_every_failure_is_said_once(dest: Path) -> None:
    from tests.test_diagnosis import closed_port

    port = closed_port()
    server = f"http://127.0.0.1:{port}/flags"
    result = await flaggui("get", "cn", "br", "jp", "-s", server, "-d", str(dest), "--retries", "0")
    assert result.code == 1
    lines = result.out.splitlines()
    cause = f"Cannot reach 127.0.0.1:{port}: no network connection, or the server is not running?"
    assert lines.count(cause) == 1
    # After each flag's own reason, before the counts.
    flag_reasons = [i for i, line in enumerate(lines) if line.startswith("  ")]
    assert len(flag_reasons) == 3
    assert max(flag_reasons) < lines.index(cause)
    assert lines[lines.index(cause) + 1] == (
        "The flags that come with flaggui need no network: flaggui get -s BUILTIN"
    )
    assert lines[lines.index(cause) + 2].startswith("0 done, 0 skipped, 0 not found, 3 failed")


async def test_mixed_failures_have_no_one_cause(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.healthy("cn"))
    server.route("br", faults.status(403))
    result = await flaggui("get", "cn", "br", "jp", "-s", server.base_url, "-d", str(dest))
    assert result.code == 1
    assert "BR  HTTP 403" in result.out
    assert "not found on the server: JP" in result.out
    assert "?" not in result.out
    assert "BUILTIN" not in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["CHN"], "'CHN' is not a country code"),
        (["QQ"], "unknown country code 'QQ'"),
        (
            ["-s", "ftp://example.org"],
            "neither an http or https URL nor one of REMOTE, LOCAL, BUILTIN",
        ),
        (["-s", "http://"], "has no host"),
        (["-s", "http://host:99999/x"], "not a valid URL"),
        (["-m", "0"], "the number of requests must be a whole number from 1 to 1000, not '0'"),
        (["-m", "5000"], "from 1 to 1000, not '5000'"),
        (["-m", "many"], "from 1 to 1000, not 'many'"),
        (["-m", "١٢"], "from 1 to 1000, not '١٢'"),
        (["-m", "1_0"], "from 1 to 1000, not '1_0'"),
        (["-l", "0"], "the limit must be a whole number from 1 to 676, not '0'"),
        (["--timeout", "0"], "the timeout must be a number above 0 and at most 3600, not '0'"),
        (["--timeout", "nan"], "above 0 and at most 3600, not 'nan'"),
        (["--timeout", "inf"], "above 0 and at most 3600, not 'inf'"),
        (["--timeout", "1e3"], "above 0 and at most 3600, not '1e3'"),
        (["--retries", "-1"], "the number of retries must be a whole number from 0 to 10"),
        (["--retries", "²"], "the number of retries must be a whole number from 0 to 10, not '²'"),
        (["--timeout", "\x1b[2J5"], "not '[2J5'"),
        (["-a", "-e"], "not allowed with argument"),
    ],
)
async def test_bad_usage_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = await flaggui("get", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert "\x1b" not in result.err
    assert result.out == ""


async def test_unusable_destinations(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("keep")
    for dest, message in [
        (a_file, "is a file"),
        (a_file / "sub", "cannot create folder"),
        (Path("~no-such-user-here/flags"), "cannot find the home folder in ~no-such-user-here"),
    ]:
        result = await flaggui("get", "cn", "-s", "http://127.0.0.1:9/flags", "-d", str(dest))
        assert result.code == 2
        assert message in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert a_file.read_text() == "keep"


async def test_ctrl_c_cancels_cleanly(server: ScriptedServer, dest: Path) -> None:
    codes = ["cn", "br", "jp", "in"]
    server.route("cn", faults.healthy("cn"))
    for cc in codes[1:]:
        server.route(cc, faults.drips(cc, interval=0.05))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "get",
        *codes,
        "-s",
        server.base_url,
        "-d",
        str(dest),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    while server.hits["in"] == 0 or not (dest / "cn.gif").exists():
        await asyncio.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, _err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 130
    assert "1 done, 0 skipped, 0 not found, 0 failed, 3 cancelled" in out.decode()
    assert folder_files(dest) == ["cn.gif"]
    assert_no_temporaries(dest)


async def test_serve_then_get_everything_byte_identical(tmp_path: Path) -> None:
    codes = [c.lower() for c in FLAG_CODES]
    source = write_zip(tmp_path / "flags.zip", codes)
    async with flaggui_serve(str(source)) as served:
        assert served.banner.startswith(f"Serving 194 flags from {source} at http://127.0.0.1:")
        dest = tmp_path / "out"
        result = await flaggui("get", "-a", "-m", "1000", "-s", served.url, "-d", str(dest))
    assert result.code == 0, result
    assert DOWNLOADED.match(last_line(result.out)).group(1) == "194"
    assert folder_files(dest) == sorted(f"{cc}.gif" for cc in codes)
    assert all((dest / f"{cc}.gif").read_bytes() == make_gif(cc) for cc in codes)


async def test_serve_counts_one_flag_in_the_singular(tmp_path: Path) -> None:
    source = write_zip(tmp_path / "flags.zip", ["cn"])
    async with flaggui_serve(str(source)) as served:
        assert served.banner.startswith(f"Serving 1 flag from {source} at http://127.0.0.1:")


async def test_serve_reports_a_port_in_use_and_bad_sources(tmp_path: Path) -> None:
    blocker = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = blocker.sockets[0].getsockname()[1]
    source = write_zip(tmp_path / "flags.zip", ["cn"])
    try:
        result = await flaggui("serve", str(source), "--port", str(port))
    finally:
        blocker.close()
        await blocker.wait_closed()
    assert result.code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.err
    assert "Traceback" not in result.err

    missing = await flaggui("serve", str(tmp_path / "nope.zip"))
    assert missing.code == 2
    assert "does not exist" in missing.err
    bad_delay = await flaggui("serve", str(source), "--delay", "slow")
    assert bad_delay.code == 2
    assert "bad delay" in bad_delay.err


def test_headless_commands_never_import_qt() -> None:
    code = (
        "import sys, flaggui.cli, flaggui.server, flaggui.core.engine;"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'qasync'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version() -> None:
    from flaggui import __version__

    out = subprocess.run(
        [sys.executable, "-m", "flaggui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"flaggui {__version__}"
