"""Adaptive concurrency, and the fixed limit of ``get --no-adapt``, against four servers.

The engine runs in this process, into a fresh folder each time, with the
CLI's defaults (15 s per attempt, 2 retries) at ``-m 1, 20, 100, 1000``.
Each server is a subprocess serving the 194 flags of
``../shared/data/flags.zip`` (or generated images if it is missing); between
them they take everything, drop connections or throttle:

- Python's own ``python -m http.server`` (one thread per connection, a
  listen backlog of 5: a burst of connects overflows it and the kernel drops
  SYNs, which TCP sends again after 1 s, 3 s, 7 s...);
- ``flaggui serve --delay 0.3``, where all 194 requests should be in flight
  at once at ``-m 1000``, adaptive or not;
- ``flaggui serve`` with no delay, where adaptation should cost nothing;
- a small aiohttp server of this file's that answers 429 (no Retry-After) to
  a request beyond 10 in flight and takes 20 ms over each one it accepts
  (plus ``-m 10`` without adaptation: what a user who knew the server's
  limit would ask for).

Adaptive and fixed runs take turns; each row's elapsed time is the median of
its repeats (15 at zero delay, where the margin is 10 %), with their min and
max, and the median CPU time of this process. A row reports the fewest flags
saved and the most failed in any repeat, the engine's highest number of
requests in flight, for adaptive runs the host's final limit and how many
times it was lowered, and for the throttling server its 429s (medians).
Without adaptation ``-m 100`` and ``-m 1000``
against ``http.server`` wait for SYN retransmissions (about 15 s each) and
run once; so does ``-m 1`` at a 0.3 s delay (58 s). ``--quick`` skips all
three. A table first, then one JSON object on the last line, with the goals.

    python benchmarks/adaptive.py [--zip PATH] [--quick] [--repeats N]
    python benchmarks/adaptive.py --throttling-server SOURCE  # that server alone
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import aiohttp
from aiohttp import web

from flaggui.core.adaptive import LimitChange
from flaggui.core.countries import FLAG_CODES
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagState

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED_ZIP, FlagServer, generated_zip, tree_env

CONCURRENCIES = (1, 20, 100, 1000)
# The throttling server: a request beyond this many in flight is answered
# 429, and each accepted one takes this long.
THROTTLE_AT = 10
THROTTLE_WORK = 0.02
# Zero-delay runs last well under a second, and the goal there is a 10 %
# margin: they need more repeats than the rest.
ZERO_DELAY_REPEATS = 15
HTTP_SERVER_LINE = re.compile(r"port (\d+)")


# Servers ----------------------------------------------------------------------------


@contextmanager
def http_server(site: Path) -> Iterator[str]:
    """``python -m http.server`` on a free port serving *site*; yields the
    flags' base URL."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a log line per request
        text=True,
    )
    try:
        assert process.stdout is not None
        match = HTTP_SERVER_LINE.search(process.stdout.readline())
        if match is None:
            raise SystemExit("python -m http.server did not start")
        yield f"http://127.0.0.1:{match.group(1)}/flags"
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def flaggui_serve(source: Path, delay: float) -> Iterator[str]:
    with FlagServer(source, delay) as server:
        yield server.url


@contextmanager
def throttling_server(source: Path) -> Iterator[str]:
    """This file's :func:`throttling_app` in a subprocess; yields its flags' URL."""
    process = subprocess.Popen(
        [sys.executable, "-u", __file__, "--throttling-server", str(source)],
        stdout=subprocess.PIPE,
        text=True,
        env=tree_env(),
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split(" at ")[1].strip()
    finally:
        process.terminate()
        process.wait(10)


def throttling_app(source: Path) -> web.Application:
    """Flags under ``/flags/{cc}/``; 429 to a request beyond
    :data:`THROTTLE_AT` in flight; ``/_stats`` reads and resets the counts."""
    from flaggui.server import FlagStore

    store = FlagStore.load(source)
    counts = Counter[str]()
    in_flight = 0

    async def flag(request: web.Request) -> web.Response:
        nonlocal in_flight
        in_flight += 1
        counts["requests"] += 1
        try:
            if in_flight > THROTTLE_AT:
                counts["throttled"] += 1
                return web.Response(status=429, text="too many requests\n")
            await asyncio.sleep(THROTTLE_WORK)
            cc, name = request.match_info["cc"], request.match_info["name"]
            if name == f"{cc}.gif" and cc in store.flags:
                return web.Response(body=store.flags[cc], content_type="image/gif")
            if name == "metadata.json" and cc in store.flags:
                return web.Response(body=store.metadata_for(cc), content_type="application/json")
            return web.Response(status=404, text="no such flag\n")
        finally:
            in_flight -= 1

    async def stats(request: web.Request) -> web.Response:
        report = dict(counts)
        counts.clear()
        return web.json_response(report)

    app = web.Application()
    app.router.add_get("/flags/{cc}/{name}", flag)
    app.router.add_get("/_stats", stats)
    return app


def serve_throttling(source: Path) -> None:
    from flaggui.server import serve_forever

    def announce(base: str) -> None:
        print(f"throttling flags of {source} at {base}/flags", flush=True)

    asyncio.run(serve_forever(throttling_app(source), "127.0.0.1", 0, announce))


async def throttled_count(url: str) -> int:
    base = url.rsplit("/flags", 1)[0]
    async with aiohttp.ClientSession() as session, session.get(f"{base}/_stats") as response:
        return int((await response.json()).get("throttled", 0))


# Runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    elapsed: float
    cpu: float
    saved: int
    failed: int
    max_in_flight: int
    final_limit: int | None
    decreases: int | None
    reasons: Counter[str]
    throttled: int | None = None


async def engine_run(url: str, dest: Path, concurrency: int, adaptive: bool) -> Run:
    changes: list[LimitChange] = []
    options = DownloadOptions(server=url, concurrency=concurrency, adaptive=adaptive)
    engine = DownloadEngine(dest, options, on_limit=changes.append)
    start, cpu = time.perf_counter(), time.process_time()
    summary = await engine.run(FLAG_CODES)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    final_limit = decreases = None
    if engine.limits is not None:
        (host,) = engine.limits.hosts.values()
        final_limit = host.allowed
        decreases = sum(1 for change in changes if change.cause is not None)
    return Run(
        elapsed,
        cpu,
        summary.count(FlagState.DONE),
        len(summary.failed),
        engine.max_in_flight,
        final_limit,
        decreases,
        Counter(r.reason for r in summary.failed),
    )


def measure(
    server: str,
    url: str,
    scratch: str,
    concurrency: int,
    repeats: dict[bool, int],
    throttling: bool = False,
) -> list[dict[str, object]]:
    """*repeats[adaptive]* runs each way at *concurrency*, taking turns, into
    fresh folders; one row per way run at least once. A *throttling* server
    is asked after each run how many 429s it sent."""
    repeats = {adaptive: wanted for adaptive, wanted in repeats.items() if wanted}
    runs: dict[bool, list[Run]] = {adaptive: [] for adaptive in repeats}
    for turn in range(max(repeats.values())):
        for adaptive, wanted in repeats.items():
            if turn < wanted:
                dest = Path(tempfile.mkdtemp(dir=scratch))
                run = asyncio.run(engine_run(url, dest, concurrency, adaptive))
                if throttling:
                    run = replace(run, throttled=asyncio.run(throttled_count(url)))
                runs[adaptive].append(run)
    rows = []
    for adaptive, measured in runs.items():
        elapsed = [r.elapsed for r in measured]
        row: dict[str, object] = {
            "server": server,
            "m": concurrency,
            "adaptive": adaptive,
            "elapsed_s": round(statistics.median(elapsed), 4),
            "spread": [round(min(elapsed), 4), round(max(elapsed), 4)],
            "repeats": len(measured),
            "cpu_s": round(statistics.median(r.cpu for r in measured), 4),
            "saved": min(r.saved for r in measured),
            "failed": max(r.failed for r in measured),
            "max_in_flight": max(r.max_in_flight for r in measured),
            "final_limit": median_or_none([r.final_limit for r in measured]),
            "decreases": median_or_none([r.decreases for r in measured]),
        }
        if throttling:
            row["throttled_429s"] = median_or_none([r.throttled for r in measured])
        reasons = sum((r.reasons for r in measured), Counter[str]())
        if reasons:
            row["failure_reasons"] = dict(reasons.most_common(3))
        rows.append(row)
        print_row(row)
    return rows


def median_or_none(values: list[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


HEADER = (
    f"{'server':<27} {'m':>4} {'adapt':>5} {'elapsed s':>9} {'min-max s':>15} {'n':>2} "
    f"{'cpu s':>6} {'saved':>5} {'failed':>6} {'in flight':>9} {'limit':>5} {'cuts':>4} {'429s':>5}"
)


def print_row(row: dict[str, object]) -> None:
    low, high = row["spread"]
    spread = f"{low:.3f}-{high:.3f}"

    def shown(key: str) -> str:
        value = row.get(key)
        return "-" if value is None else f"{value:g}"

    print(
        f"{row['server']:<27} {row['m']:>4} {'yes' if row['adaptive'] else 'no':>5} "
        f"{row['elapsed_s']:>9.3f} {spread:>15} {row['repeats']:>2} {row['cpu_s']:>6.3f} "
        f"{row['saved']:>5} {row['failed']:>6} {row['max_in_flight']:>9} {shown('final_limit'):>5} "
        f"{shown('decreases'):>4} {shown('throttled_429s'):>5}",
        flush=True,
    )
    for reason, count in row.get("failure_reasons", {}).items():
        print(f"{'':<27}   {count} x {reason}")


# The cases --------------------------------------------------------------------------


def cases(
    source: Path, scratch: str, quick: bool, repeats: int
) -> dict[str, list[dict[str, object]]]:
    site = Path(scratch) / "site"
    with zipfile.ZipFile(source) as archive:
        archive.extractall(site)
    report: dict[str, list[dict[str, object]]] = {}
    both = {True: repeats, False: repeats}

    rows = report["http_server"] = []
    for m in CONCURRENCIES:
        # Without adaptation the dropped SYNs' retransmissions make a run
        # last about 15 s: once is enough to see it, and --quick skips it.
        fixed = repeats if m < 100 else (0 if quick else 1)
        with http_server(site) as url:
            rows += measure("python -m http.server", url, scratch, m, {True: repeats, False: fixed})

    rows = report["serve_delay_0.3"] = []
    for m in CONCURRENCIES:
        # One flag at a time at 0.3 s each: 58 s a run.
        ways = both if m > 1 else ({} if quick else {True: 1, False: 1})
        if ways:
            with flaggui_serve(source, 0.3) as url:
                rows += measure("flaggui serve --delay 0.3", url, scratch, m, ways)

    rows = report["serve_delay_0"] = []
    for m in CONCURRENCIES:
        with flaggui_serve(source, 0.0) as url:
            zero = max(repeats, ZERO_DELAY_REPEATS)
            rows += measure("flaggui serve", url, scratch, m, {True: zero, False: zero})

    rows = report["throttling_429"] = []
    server = f"429 beyond {THROTTLE_AT} in flight"
    for m in (1, 10, *CONCURRENCIES[1:]):
        # -m 10 without adaptation is the reference: the server's own limit.
        ways = {False: repeats} if m == 10 else both
        with throttling_server(source) as url:
            rows += measure(server, url, scratch, m, ways, throttling=True)
    return report


def goals(report: dict[str, list[dict[str, object]]]) -> dict[str, dict[str, object]]:
    def row(case: str, m: int, adaptive: bool) -> dict[str, object]:
        return next(r for r in report[case] if r["m"] == m and r["adaptive"] is adaptive)

    def elapsed(case: str, m: int, adaptive: bool) -> float:
        return float(row(case, m, adaptive)["elapsed_s"])

    http_ratio = elapsed("http_server", 1000, True) / elapsed("http_server", 20, True)
    throttled = row("throttling_429", 1000, True)
    throttled_ratio = float(throttled["elapsed_s"]) / elapsed("throttling_429", 10, False)
    zero = {
        m: round(elapsed("serve_delay_0", m, True) / elapsed("serve_delay_0", m, False), 3)
        for m in CONCURRENCIES
    }
    delay = {
        adaptive: row("serve_delay_0.3", 1000, adaptive)["max_in_flight"]
        for adaptive in (True, False)
    }
    n = len(FLAG_CODES)
    return {
        "http_server_adaptive_m1000_within_1.2x_m20": {
            "measured": round(http_ratio, 3),
            "met": http_ratio <= 1.2,
        },
        "throttling_adaptive_m1000_all_saved_within_2x_fixed_m10": {
            "measured": {"saved": throttled["saved"], "ratio": round(throttled_ratio, 3)},
            "met": throttled["saved"] == n and throttled_ratio <= 2.0,
        },
        "delay_0.3_m1000_adaptive_max_in_flight_194": {
            "measured": delay[True],
            "met": delay[True] == n,
        },
        "delay_0.3_m1000_fixed_max_in_flight_194": {
            "measured": delay[False],
            "met": delay[False] == n,
        },
        "delay_0_adaptive_within_10%_of_fixed": {
            "measured": zero,
            "met": all(abs(ratio - 1.0) <= 0.10 for ratio in zero.values()),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip the runs that wait for retransmitted SYNs or take a minute (one each)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per row (default 3)")
    parser.add_argument(
        "--throttling-server",
        type=Path,
        metavar="SOURCE",
        help="only serve SOURCE's flags as the throttling server does",
    )
    args = parser.parse_args()
    if args.throttling_server:
        serve_throttling(args.throttling_server)
        return
    n = len(FLAG_CODES)
    with tempfile.TemporaryDirectory() as scratch:
        source = args.zip if args.zip.exists() else generated_zip(Path(scratch))
        print(f"source: {source}  ({n} flags)")
        print(HEADER)
        report = cases(source, scratch, args.quick, args.repeats)
    checked = goals(report)
    print()
    for name, goal in checked.items():
        print(f"{'met    ' if goal['met'] else 'MISSED '} {name}: {goal['measured']}")
    print(json.dumps({"flags": n, "quick": args.quick, "cases": report, "goals": checked}))


if __name__ == "__main__":
    main()
