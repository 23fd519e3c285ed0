"""``flaggui serve`` given hostile values and sources: one line and an exit
code, never a traceback, never a hang."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from flaggui.cli import main
from flaggui.core.storage import shown_path
from tests.images import make_gif
from tests.serving import flaggui_serve
from tests.test_server import write_zip

IN_USE = "flaggui serve: error: port {port} on {host} is already in use"


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port that is already listened on, so that ``serve`` stops at once
    after everything it checks first."""
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        yield blocker.getsockname()[1]


def serve(*args: str) -> int:
    """``flaggui serve *args`` in this process; argparse's exit is returned."""
    try:
        return main(["serve", *args])
    except SystemExit as exit:  # a usage error found by argparse
        code = exit.code
    assert isinstance(code, int)
    return code


def stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--delay",
            "inf",
            "bad delay 'inf': use seconds, e.g. 0.3, or MIN:MAX (each from 0 to 60 seconds)",
        ),
        (
            "--delay",
            "nan",
            "bad delay 'nan': use seconds, e.g. 0.3, or MIN:MAX (each from 0 to 60 seconds)",
        ),
        (
            "--delay",
            "0:inf",
            "bad delay '0:inf': use seconds, e.g. 0.3, or MIN:MAX (each from 0 to 60 seconds)",
        ),
        (
            "--delay",
            "61",
            "bad delay '61': use seconds, e.g. 0.3, or MIN:MAX (each from 0 to 60 seconds)",
        ),
        ("--error-rate", "nan", "the error rate must be a number from 0 to 1, not 'nan'"),
        ("--error-rate", "1.5", "the error rate must be a number from 0 to 1, not '1.5'"),
        ("--port", "70000", "the port must be a whole number from 0 to 65535, not '70000'"),
        ("--port", "-1", "the port must be a whole number from 0 to 65535, not '-1'"),
        ("--port", "٨٠", "the port must be a whole number from 0 to 65535, not '٨٠'"),
        (
            "--seed",
            "1e3",
            "the seed must be a whole number from 0 to 999999999999999999, not '1e3'",
        ),
        ("--seed", "-1", "the seed must be a whole number from 0 to 999999999999999999, not '-1'"),
    ],
)
def test_odd_numbers_are_usage_errors_naming_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    # The missing source is never reached: the value is refused first.
    code = serve(str(tmp_path / "missing.zip"), f"{option}={value}")
    assert code == 2
    assert stderr_lines(capsys)[-1] == f"flaggui serve: error: argument {option}: {message}"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / ("a" * 256), "File name too long"),
        (
            lambda p: (p / "loop", (p / "loop").symlink_to("loop"))[0],
            "Too many levels of symbolic links",
        ),
    ],
)
def test_a_source_path_the_system_refuses_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    reason: str,
) -> None:
    source = make(tmp_path)
    assert serve(str(source)) == 2
    assert stderr_lines(capsys) == [
        f"flaggui serve: error: cannot read {shown_path(source)}: {reason}"
    ]


def test_a_fifo_source_is_refused_unopened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "flags.zip")
    assert serve(str(tmp_path / "flags.zip")) == 2
    assert stderr_lines(capsys) == [
        f"flaggui serve: error: {tmp_path}/flags.zip is a FIFO (named pipe), not a regular file"
    ]


def test_skipped_entries_are_warned_about_twenty_at_most(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], busy_port: int
) -> None:
    (tmp_path / "zz.gif").write_bytes(make_gif("zz"))
    for n in range(25):
        (tmp_path / f"a{chr(97 + n)}.gif").write_bytes(b"\x1b[2J<html>")
    assert serve(str(tmp_path), "--port", str(busy_port)) == 1
    lines = stderr_lines(capsys)
    assert len(lines) == 22
    assert lines[0].startswith("flaggui serve: warning: skipped aa.gif: ")
    assert lines[19].startswith("flaggui serve: warning: skipped at.gif: ")
    assert lines[20:] == [
        "flaggui serve: warning: and 5 more warnings",
        IN_USE.format(port=busy_port, host="127.0.0.1"),
    ]


def test_a_source_of_skipped_entries_says_why_it_holds_no_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "cn.gif")
    (tmp_path / "jp.gif").symlink_to("/etc/passwd")
    assert serve(str(tmp_path)) == 2
    assert stderr_lines(capsys) == [
        "flaggui serve: warning: skipped cn.gif: cn.gif is a FIFO (named pipe), not a regular file",
        "flaggui serve: warning: skipped jp.gif: a link to a file outside the source folder",
        f"flaggui serve: error: {tmp_path} holds no flags (expected cc/cc.gif files)",
    ]


def test_only_a_host_other_machines_reach_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], busy_port: int
) -> None:
    source = write_zip(tmp_path / "flags.zip", ["cn"])
    for host, warned in [("0.0.0.0", True), ("127.0.0.1", False), ("localhost", False)]:
        assert serve(str(source), "--host", host, "--port", str(busy_port)) == 1
        warning = (
            f"flaggui serve: warning: listening on {host}: "
            "other machines on the network can reach this server"
        )
        assert stderr_lines(capsys) == [warning] * warned + [
            IN_USE.format(port=busy_port, host=host)
        ]


def test_a_prefix_with_pattern_characters_is_no_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], busy_port: int
) -> None:
    source = write_zip(tmp_path / "flags.zip", ["cn"])
    assert serve(str(source), "--prefix", "/{", "--port", str(busy_port)) == 1
    assert stderr_lines(capsys) == [IN_USE.format(port=busy_port, host="127.0.0.1")]


async def test_serve_a_hostile_folder_literally_prefixed(tmp_path: Path) -> None:
    source = tmp_path / "flags"
    (source / "cn").mkdir(parents=True)
    (source / "cn" / "cn.gif").write_bytes(make_gif("cn"))
    (source / "jp.gif").symlink_to("/etc/passwd")
    os.mkfifo(source / "br.gif")
    async with flaggui_serve(str(source), "--prefix", "/{cc}") as served:
        assert served.url.endswith("/%7Bcc%7D")
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{served.url}/cn/cn.gif") as response:
                assert await response.read() == make_gif("cn")
            for code in ("jp", "br"):
                async with session.get(f"{served.url}/{code}/{code}.gif") as response:
                    assert response.status == 404
    assert served.stderr.splitlines() == [
        "flaggui serve: warning: skipped br.gif: br.gif is a FIFO (named pipe), not a regular file",
        "flaggui serve: warning: skipped jp.gif: a link to a file outside the source folder",
    ]
