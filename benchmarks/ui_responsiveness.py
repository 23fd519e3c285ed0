"""How responsive the window stays while it downloads 194 flags.

Opens the real window (offscreen unless QT_QPA_PLATFORM says otherwise),
serves the flags of ``../shared/data/flags.zip`` (or generated ones) with
``flaggui serve`` in a subprocess, clicks Download with all 194 countries at
concurrency 1000, and measures:

- event-loop stall: how late a 1 ms repeating timer fires (p50, p99, max);
- click to last thumbnail: from the click until all 194 flags are saved and
  every tile on screen shows its thumbnail (the grid renders thumbnails only
  for what is visible);
- the CLI's time for the same download (``flaggui get -a -m 1000 --force``).

Runs at server delay 0 and 0.05-0.3 s, three times each (figures are
medians), and measures a bare qasync + aiohttp loop (no window, no saving)
the same way, as the floor to compare with. The last line is one JSON object.

    python benchmarks/ui_responsiveness.py [--zip PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import aiohttp
from PySide6.QtCore import QRect, QSettings, Qt, QTimer
from PySide6.QtTest import QTest

import qasync

from flaggui.core.countries import FLAG_CODES
from flaggui.ui.app import create_application
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings
from flaggui.ui.thumbnail_cache import ThumbnailKey

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED_ZIP, FlagServer, generated_zip

N = 194
REPEATS = 3  # figures are the median of this many runs


class StallMeter:
    """A 1 ms timer; records how late each tick comes."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lateness.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, (now - self._last) * 1000 - 1.0))
        self._last = now

    def figures(self) -> dict[str, float]:
        values = sorted(self.lateness)
        return {
            "stall_p50_ms": statistics.median(values),
            "stall_p99_ms": values[int(len(values) * 0.99) - 1],
            "stall_max_ms": values[-1],
            "ticks": len(values),
        }


def visible_keys(window: MainWindow) -> list[ThumbnailKey]:
    """The thumbnails the grid shows right now.

    The tiles flow left to right, top to bottom, so the visible ones are a
    run of rows, found by bisection: asking every row of a large folder for
    its place would itself stall the loop being measured."""
    grid, proxy = window.grid, window.browser.proxy
    view = grid.viewport().rect()

    def first_row(below: Callable[[QRect], bool]) -> int:
        low, high = 0, proxy.rowCount()
        while low < high:
            middle = (low + high) // 2
            if below(grid.visualRect(proxy.index(middle, 0))):
                high = middle
            else:
                low = middle + 1
        return low

    start = first_row(lambda rect: rect.bottom() >= view.top())
    end = first_row(lambda rect: rect.top() > view.bottom())
    keys = []
    for row in range(start, end):
        index = proxy.index(row, 0)
        if grid.visualRect(index).intersects(view):
            tile = window.flags.tile(index.data())
            if tile is not None and tile.path is not None:
                keys.append(ThumbnailKey.of(tile.path, tile.version, window.flags.thumbnail_size))
    return keys


def all_visible_rendered(window: MainWindow) -> bool:
    keys = visible_keys(window)
    return bool(keys) and all(window.cache.pixmap(key) is not None for key in keys)


async def window_run(url: str, folder: Path, scratch: Path) -> dict[str, float]:
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    options = StartOptions(server=url, folder=folder, countries=None, concurrency=1000)
    window = MainWindow(settings, options)
    window.resize(1280, 800)
    window.show()
    window.countries.check_all()
    await asyncio.sleep(0.3)  # let the window settle
    meter = StallMeter()
    meter.start()
    clicked = time.perf_counter()
    QTest.mouseClick(window.download_button, Qt.MouseButton.LeftButton)
    # Done when all 194 are saved and every tile on screen shows its
    # thumbnail (tiles off screen are rendered only when scrolled to).
    while window.controller.busy or not all_visible_rendered(window):
        await asyncio.sleep(0.005)
        if time.perf_counter() - clicked > 60:
            raise SystemExit("the window did not finish within 60 s")
    finished = time.perf_counter() - clicked
    await asyncio.sleep(0.1)
    meter.stop()
    figures = meter.figures()
    figures["click_to_last_thumbnail_s"] = finished
    closed = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: closed.done() or closed.set_result(None))
    window.close()
    await closed
    return figures


async def bare_loop_run(url: str) -> dict[str, float]:
    """The reference: a bare qasync loop gathering the 194 requests, with no
    window, validation or saving, under the same stall meter."""
    meter = StallMeter()
    meter.start()
    start = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000)) as session:

        async def one(cc: str) -> bytes:
            async with session.get(f"{url}/{cc}/{cc}.gif") as response:
                return await response.read()

        await asyncio.gather(*(one(code.lower()) for code in FLAG_CODES))
    elapsed = time.perf_counter() - start
    await asyncio.sleep(0.05)
    meter.stop()
    return {**meter.figures(), "elapsed_s": elapsed}


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def cli_run(url: str, folder: Path) -> float:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flaggui",
            "get",
            "-a",
            "-m",
            "1000",
            "--force",
            "-s",
            url,
            "-d",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"(\d+) flags downloaded in (\d+\.\d+)s", out)
    assert match, out
    assert int(match.group(1)) == N, out
    return float(match.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    args = parser.parse_args()
    create_application()
    results: list[dict[str, Any]] = []
    references: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        source = args.zip if args.zip.exists() else generated_zip(scratch)
        print(f"source: {source}  ({N} flags), platform {os.environ['QT_QPA_PLATFORM']}")
        for delay in ("0", "0.05:0.3"):
            with FlagServer(source, delay) as server:
                cli = statistics.median(
                    cli_run(server.url, Path(tempfile.mkdtemp(dir=scratch))) for _ in range(3)
                )
                run = median_of(
                    [
                        qasync.run(
                            window_run(server.url, Path(tempfile.mkdtemp(dir=scratch)), scratch)
                        )
                        for _ in range(REPEATS)
                    ]
                )
                bare = median_of([qasync.run(bare_loop_run(server.url)) for _ in range(REPEATS)])
            run["cli_s"] = cli
            run["goal_click_to_last_s"] = 2 * cli + 0.2
            results.append({"delay": delay, **run})
            references.append({"delay": delay, **bare})
            print(
                f"delay {delay:>9}: stall p50 {run['stall_p50_ms']:.1f} ms, "
                f"p99 {run['stall_p99_ms']:.1f} ms, max {run['stall_max_ms']:.1f} ms; "
                f"click to last thumbnail {run['click_to_last_thumbnail_s']:.3f} s "
                f"(CLI {cli:.3f} s, goal <= {run['goal_click_to_last_s']:.3f} s)"
            )
            print(
                f"{'':>17}bare qasync + aiohttp loop: stall p99 {bare['stall_p99_ms']:.1f} ms, "
                f"max {bare['stall_max_ms']:.1f} ms; 194 responses in {bare['elapsed_s']:.3f} s"
            )
    goals = {
        "stall_p99_le_16.7ms": all(r["stall_p99_ms"] <= 16.7 for r in results),
        "stall_max_le_50ms": all(r["stall_max_ms"] <= 50 for r in results),
        "click_to_last_le_2x_cli_plus_0.2s": all(
            r["click_to_last_thumbnail_s"] <= r["goal_click_to_last_s"] for r in results
        ),
    }
    print(json.dumps({"runs": results, "bare_qasync": references, "goals": goals}))


if __name__ == "__main__":
    main()
