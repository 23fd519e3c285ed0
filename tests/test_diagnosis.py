"""One cause for a batch that failed for one reason: how each failure is
classified, against real servers on 127.0.0.1, and when a batch gets a
diagnosis."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from flaggui.core.diagnosis import diagnose
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, Failure, FailureKind, FlagResult, FlagState
from tests import faults
from tests.scripted_server import ScriptedServer

CODES = ["BR", "CN", "IN", "JP", "US"]


def options(server: str, **overrides: object) -> DownloadOptions:
    settings: dict[str, object] = {
        "server": server,
        "timeout": 0.5,
        "retries": 1,
        "backoff": 0.01,
        "adaptive": False,
    }
    settings.update(overrides)
    return DownloadOptions(**settings)  # type: ignore[arg-type]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was just let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# What each hostile behaviour is classified as: (kind, HTTP status).
KINDS = {
    "ha": (FailureKind.HTTP_STATUS, 404),
    "hb": (FailureKind.HTTP_STATUS, 503),
    "hc": (FailureKind.CONNECTION, None),
    "hd": (FailureKind.INVALID_IMAGE, None),
    "he": (FailureKind.INVALID_IMAGE, None),
    "hf": (FailureKind.INVALID_IMAGE, None),
    "hg": (FailureKind.INVALID_IMAGE, None),
    "hh": (FailureKind.INVALID_IMAGE, None),
    "hi": (FailureKind.BAD_ANSWER, None),
    "hj": (FailureKind.TIMEOUT, None),
    "hk": (FailureKind.TIMEOUT, None),
    "hl": (FailureKind.BAD_ANSWER, None),
    "hm": (FailureKind.CONNECTION, None),
    "hn": (FailureKind.HTTP_STATUS, 500),
}


async def test_each_failure_has_its_kind_host_and_port(server: ScriptedServer, dest: Path) -> None:
    assert set(KINDS) == set(faults.HOSTILE)
    for key, behaviour in faults.HOSTILE.items():
        server.route(key, behaviour)
    faults.route_healthy(server, ["aa"])
    summary = await DownloadEngine(dest, options(server.base_url)).run(["aa", *faults.HOSTILE])

    port = int(server.base_url.split(":")[2].split("/")[0])
    by_code = {r.code.lower(): r for r in summary.results}
    assert by_code["aa"].failure is None
    for key, (kind, status) in KINDS.items():
        assert by_code[key].failure == Failure(kind, status, "127.0.0.1", port), key
    # Mixed failures: no one cause to name.
    assert diagnose(summary) is None


async def test_closed_port_is_one_cause(dest: Path) -> None:
    port = closed_port()
    summary = await DownloadEngine(dest, options(f"http://127.0.0.1:{port}/flags")).run(CODES)

    diagnosis = diagnose(summary)
    assert diagnosis is not None
    assert diagnosis.failure == Failure(FailureKind.CONNECT, None, "127.0.0.1", port)
    assert (diagnosis.failed, diagnosis.tried) == (5, 5)
    assert diagnosis.offline_helps
    assert diagnosis.message == (
        f"Cannot reach 127.0.0.1:{port}: no network connection, or the server is not running?"
    )


async def test_a_name_that_does_not_resolve_is_one_cause(dest: Path) -> None:
    # .invalid never resolves (RFC 6761): no network is needed to see it fail.
    summary = await DownloadEngine(dest, options("http://nonexistent.invalid/flags")).run(CODES)

    assert {r.state for r in summary.results} == {FlagState.ERROR}
    assert all("cannot find the server nonexistent.invalid" in r.reason for r in summary.results)
    diagnosis = diagnose(summary)
    assert diagnosis is not None
    assert diagnosis.kind is FailureKind.DNS
    assert diagnosis.message.startswith("Cannot find the server nonexistent.invalid: ")


async def test_404_for_everything_is_one_cause(server: ScriptedServer, dest: Path) -> None:
    summary = await DownloadEngine(dest, options(server.base_url)).run(CODES)  # nothing routed

    diagnosis = diagnose(summary)
    assert diagnosis is not None
    assert (diagnosis.kind, diagnosis.failure.status) == (FailureKind.HTTP_STATUS, 404)
    assert not diagnosis.offline_helps
    assert "has none of these flags (HTTP 404)" in diagnosis.message


async def test_403_for_everything_is_one_cause(server: ScriptedServer, dest: Path) -> None:
    for code in CODES:
        server.route(code.lower(), faults.status(403))
    summary = await DownloadEngine(dest, options(server.base_url)).run(CODES)

    diagnosis = diagnose(summary)
    assert diagnosis is not None
    assert diagnosis.message == (
        "127.0.0.1 refuses to hand out the flags (HTTP 403): a proxy or firewall in the way?"
    )


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
async def self_signed(certificate: tuple[Path, Path]) -> AsyncIterator[str]:
    """An HTTPS server with a certificate no authority signed."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    runner = web.AppRunner(web.Application())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    assert site._server is not None
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"https://127.0.0.1:{port}/flags"
    await runner.cleanup()


async def test_a_certificate_nobody_signed_is_one_cause(self_signed: str, dest: Path) -> None:
    summary = await DownloadEngine(dest, options(self_signed)).run(CODES)

    (reason,) = {r.reason for r in summary.results}
    assert "no secure connection to 127.0.0.1:" in reason
    assert "self-signed certificate" in reason
    assert "_ssl.c" not in reason
    diagnosis = diagnose(summary)
    assert diagnosis is not None
    assert diagnosis.kind is FailureKind.TLS
    assert diagnosis.message.startswith("No secure connection to 127.0.0.1: ")


def result(code: str, state: FlagState, failure: Failure | None = None) -> FlagResult:
    return FlagResult(code, state, "" if state is FlagState.DONE else "x", failure=failure)


REFUSED = Failure(FailureKind.CONNECT, None, "flags.example", 443)
MISSING = Failure(FailureKind.HTTP_STATUS, 404, "flags.example", 443)


def summary_of(*results: FlagResult) -> BatchSummary:
    return BatchSummary.of(results, 1.0)


def test_most_of_the_tried_flags_must_share_the_failure() -> None:
    four_of_five = [result(f"A{i}", FlagState.ERROR, REFUSED) for i in range(4)]
    assert diagnose(summary_of(*four_of_five, result("ZZ", FlagState.DONE))) is not None
    three_of_five = four_of_five[:3]
    assert diagnose(summary_of(*three_of_five, *(result(c, FlagState.DONE) for c in "XY"))) is None


def test_flags_in_the_folder_or_cancelled_are_not_counted() -> None:
    # The user cancelled after the first failures: those are the evidence.
    batch = summary_of(
        result("AA", FlagState.ERROR, REFUSED),
        result("AB", FlagState.ERROR, REFUSED),
        *(result(f"C{i}", FlagState.CANCELLED) for i in range(10)),
        *(result(f"S{i}", FlagState.SKIPPED) for i in range(10)),
    )
    diagnosis = diagnose(batch)
    assert diagnosis is not None
    assert (diagnosis.failed, diagnosis.tried) == (2, 2)
    # Nothing tried, nothing to say.
    assert diagnose(summary_of(result("AA", FlagState.CANCELLED))) is None
    assert diagnose(summary_of()) is None


def test_one_flag_missing_is_that_flag_s_own_trouble() -> None:
    # A refused connection says something about the server even once; a 404
    # says something about a flag until a few flags have it.
    assert diagnose(summary_of(result("AA", FlagState.ERROR, REFUSED))) is not None
    assert diagnose(summary_of(result("AA", FlagState.NOT_FOUND, MISSING))) is None
    two = [result(c, FlagState.NOT_FOUND, MISSING) for c in ("AA", "AB")]
    assert diagnose(summary_of(*two)) is None
    assert diagnose(summary_of(*two, result("AC", FlagState.NOT_FOUND, MISSING))) is not None


def test_failures_of_the_folder_or_of_different_hosts_are_not_one_cause() -> None:
    disk = Failure(FailureKind.STORAGE)
    assert diagnose(summary_of(*(result(c, FlagState.ERROR, disk) for c in "ABCD"))) is None
    hosts = [
        result(f"A{i}", FlagState.ERROR, Failure(FailureKind.CONNECT, None, f"h{i}", 80))
        for i in range(4)
    ]
    assert diagnose(summary_of(*hosts)) is None
