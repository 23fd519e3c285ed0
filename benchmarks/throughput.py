"""Throughput of the download engine against a local flag server.

Serves the 194 flags of ``../shared/data/flags.zip`` (or generated images if
it is missing) with ``flaggui serve`` in a subprocess, runs the engine at
several concurrency limits and server delays, and prints elapsed time,
flags/s, the server's highest number of requests in flight and the physical
limit ceil(N/C)*d. A bare ``asyncio.gather`` over one aiohttp session (the
classic teaching script, blocking writes included) is measured in the same
run as the baseline. Short runs are repeated and their median kept.

Then whole processes, start to exit, at server delay 0: ``flaggui get -a -m
1000`` from this tree against ``classic_flags.py`` (the classic script) for
the same 194 flags, five runs each after one untimed run, taken in turns;
their medians, min and max, and the time each prints itself. The last line
is one JSON object with every figure.

    python benchmarks/throughput.py [--zip PATH] [--quick] [--processes]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import aiohttp

from flaggui.core.countries import FLAG_CODES
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagState

ROOT = Path(__file__).resolve().parents[1]
SHARED_ZIP = ROOT.parent / "shared" / "data" / "flags.zip"
CLASSIC = Path(__file__).with_name("classic_flags.py")
DOWNLOADED = re.compile(r"^(\d+) flags downloaded in (\d+\.\d+)s$", re.M)
PROCESS_REPEATS = 5


def tree_env() -> dict[str, str]:
    """The environment of a subprocess that runs flaggui from this tree.
    Bytecode is written, as for any installed package: the untimed first
    run caches it, so no timed run compiles flaggui's sources."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def generated_zip(folder: Path) -> Path:
    """194 generated flags, for machines without the shared flag set."""
    sys.path.insert(0, str(ROOT))
    from tests.images import make_gif

    path = folder / "generated-flags.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for code in FLAG_CODES:
            cc = code.lower()
            archive.writestr(f"flags/{cc}/{cc}.gif", make_gif(cc, (300, 200)))
    return path


class FlagServer:
    """``flaggui serve`` as a subprocess on a free port."""

    def __init__(self, source: Path, delay: float | str) -> None:
        self.source, self.delay = source, delay
        self.process: subprocess.Popen[str] | None = None
        self.base = self.url = ""

    def __enter__(self) -> FlagServer:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flaggui",
                "serve",
                str(self.source),
                "--port",
                "0",
                "--delay",
                str(self.delay),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=tree_env(),
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().split(" at ")[1].strip()
        self.base = self.url.rsplit("/flags", 1)[0]
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)

    async def max_in_flight(self) -> int:
        async with aiohttp.ClientSession() as session, session.get(f"{self.base}/_stats") as r:
            return int((await r.json())["max_in_flight"])


async def bare_gather(url: str, dest: Path) -> float:
    """The classic script: one session, gather everything, blocking writes."""

    async def one(session: aiohttp.ClientSession, cc: str) -> None:
        async with session.get(f"{url}/{cc}/{cc}.gif") as response:
            image = await response.read()
        with open(dest / f"{cc}.gif", "wb") as stream:  # noqa: ASYNC230 (the baseline's point)
            stream.write(image)

    start = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(session, c.lower()) for c in FLAG_CODES))
    return time.perf_counter() - start


async def engine_run(url: str, dest: Path, concurrency: int) -> float:
    options = DownloadOptions(server=url, concurrency=concurrency, force=True, timeout=30)
    start = time.perf_counter()
    summary = await DownloadEngine(dest, options).run(FLAG_CODES)
    elapsed = time.perf_counter() - start
    if summary.count(FlagState.DONE) != len(FLAG_CODES):
        raise SystemExit(f"benchmark run failed: {summary.counts_line}")
    return elapsed


def whole_process(command: list[str], dest: Path) -> tuple[float, float]:
    """Run *command*, which downloads every flag into *dest*; return its
    whole time, start to exit, and the time it prints itself."""
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=tree_env()).stdout
    elapsed = time.perf_counter() - start
    match = DOWNLOADED.search(out)
    saved = [p for p in dest.iterdir() if p.read_bytes().startswith(b"GIF8")]
    if not match or int(match.group(1)) != len(FLAG_CODES) or len(saved) != len(FLAG_CODES):
        raise SystemExit(f"benchmark run failed: {' '.join(command)}\n{out}")
    return elapsed, float(match.group(2))


def compare_processes(source: Path, scratch: str) -> dict[str, float | list[float]]:
    """``flaggui get -a -m 1000`` and the classic script as whole processes."""
    commands = {
        "flaggui_get": lambda url, dest: [
            *(sys.executable, "-m", "flaggui", "get", "-a", "-m", "1000"),
            *("-s", url, "-d", str(dest)),
        ],
        "classic": lambda url, dest: [sys.executable, str(CLASSIC), url, str(dest), *FLAG_CODES],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    with FlagServer(source, 0.0) as server:
        for turn in range(PROCESS_REPEATS + 1):  # the first turn warms up, uncounted
            for name, command in commands.items():
                dest = Path(tempfile.mkdtemp(dir=scratch))
                run = whole_process(command(server.url, dest), dest)
                if turn:
                    runs[name].append(run)
    figures: dict[str, float | list[float]] = {}
    for name, measured in runs.items():
        whole = [w for w, _ in measured]
        median = statistics.median(whole)
        reported = statistics.median(r for _, r in measured)
        figures[f"{name}_s"] = round(median, 4)
        figures[f"{name}_spread_s"] = [round(min(whole), 4), round(max(whole), 4)]
        figures[f"{name}_reported_s"] = reported
        print(
            f"whole process, {name:<11}: median {median:.3f} s (min {min(whole):.3f}, "
            f"max {max(whole):.3f}); it reports {reported:.2f} s"
        )
    return figures


def engine_table(
    source: Path, scratch: str, quick: bool
) -> tuple[list[dict[str, float | int]], float]:
    """The engine in this process at each delay and concurrency, and the bare
    ``asyncio.gather`` baseline at delay 0."""
    n = len(FLAG_CODES)
    rows: list[dict[str, float | int]] = []
    print(
        f"{'delay s':>7} {'C':>5} {'elapsed s':>9} {'flags/s':>8} {'max in flight':>13} "
        f"{'limit s':>7}"
    )
    baseline = 0.0
    for delay in (0.0, 0.3):
        for concurrency in (1, 5, 20, 100, 1000):
            if quick and delay and concurrency == 1:
                continue
            # Short runs are repeated and the median kept: on a small
            # machine one run can be off by tens of milliseconds.
            repeats = 5 if delay == 0 else (3 if concurrency >= 20 else 1)
            with FlagServer(source, delay) as server:
                elapsed = statistics.median(
                    asyncio.run(
                        engine_run(server.url, Path(tempfile.mkdtemp(dir=scratch)), concurrency)
                    )
                    for _ in range(repeats)
                )
                in_flight = asyncio.run(server.max_in_flight())
            limit = math.ceil(n / concurrency) * delay
            rows.append(
                {
                    "delay": delay,
                    "concurrency": concurrency,
                    "elapsed": elapsed,
                    "flags_per_s": n / elapsed,
                    "max_in_flight": in_flight,
                    "physical_limit": limit,
                }
            )
            print(
                f"{delay:>7.2f} {concurrency:>5} {elapsed:>9.3f} {n / elapsed:>8.0f} "
                f"{in_flight:>13} {limit:>7.2f}"
            )
        if delay == 0.0:
            with FlagServer(source, 0.0) as server:
                dest = Path(tempfile.mkdtemp(dir=scratch))
                baseline = statistics.median(
                    asyncio.run(bare_gather(server.url, dest)) for _ in range(5)
                )
            print(f"bare asyncio.gather baseline at delay 0: {baseline:.3f} s")
    return rows, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    parser.add_argument("--quick", action="store_true", help="skip concurrency 1 at 0.3 s")
    parser.add_argument(
        "--processes", action="store_true", help="only the whole-process comparison"
    )
    args = parser.parse_args()
    n = len(FLAG_CODES)
    report: dict[str, object] = {"flags": n}
    with tempfile.TemporaryDirectory() as scratch:
        source = args.zip if args.zip.exists() else generated_zip(Path(scratch))
        print(f"source: {source}  ({n} flags)")
        if not args.processes:
            rows, baseline = engine_table(source, scratch, args.quick)
            best0 = next(r for r in rows if r["delay"] == 0.0 and r["concurrency"] == 1000)
            best3 = next(r for r in rows if r["delay"] == 0.3 and r["concurrency"] == 1000)
            goals = {
                "delay_0.3_C1000_within_1.05x0.3+0.1": best3["elapsed"] <= 1.05 * 0.3 + 0.1,
                "delay_0.3_C1000_all_in_flight": best3["max_in_flight"] == n,
                "delay_0_within_1.5x_baseline": best0["elapsed"] <= 1.5 * baseline,
            }
            report.update(baseline_gather_s=baseline, runs=rows, goals=goals)
        report["whole_process"] = compare_processes(source, scratch)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
