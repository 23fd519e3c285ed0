"""How the grid copes with a large folder.

Two folders, each with all 676 codes AA..ZZ as flag files:

- ``10000``: the flags at 1000x600 pixels (the real flags of
  ``../shared/data/flags.zip`` scaled up, or generated ones) among 10,000
  other files: heavy thumbnails;
- ``100000``: flags as flaggui saves them (the 194 real ones at their own
  size, generated GIFs of that size for the other codes) among 100,000 other
  files, many of them named almost like a flag: a heavy folder.

Each folder is built once (or reused with ``--keep``) and opened, in a fresh
process per run, in the real window (offscreen unless QT_QPA_PLATFORM says
otherwise), which measures:

- listing: the longest gap between two ticks of a 1 ms timer from the moment
  the folder is opened until all its flags are listed, the scan is over and
  the first screenful of thumbnails is shown; the time to list, and to a
  full first screenful of thumbnails (the screen filled with tiles, each
  showing its thumbnail, whether or not the flags below are listed yet);
- a change: one flag file removed by another program, until its tile goes;
  the longest gap between ticks meanwhile;
- scrolling from top to bottom at the largest zoom, one step every 16 ms:
  how late the 1 ms timer fires;
- peak resident memory of the process.

Every case runs ``--repeats`` times; figures are medians, with the lowest
and highest beside them. Goals for the 100,000-file folder: no listing gap
over 16.7 ms, first screenful <= 200 ms, peak RSS <= 300 MB; scrolling
stall max <= 50 ms. The last line is one JSON object: the 100,000-file
figures at the top level, every case under ``cases``.

    python benchmarks/grid_scale.py [--zip PATH] [--keep DIR] [--repeats N]
                                    [--cases 10000,100000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import os
import resource
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QSettings, Qt, QTimer

from flaggui.core.servers import LOCAL
from flaggui.ui import event_loop
from flaggui.ui.app import create_application, settle_heap
from flaggui.ui.grid import MAX_ZOOM
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED_ZIP
from ui_responsiveness import StallMeter, visible_keys

CODES = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase]
LARGE = (1000, 600)
SAVED = (450, 300)  # about the size of the flags flaggui downloads
CASES = {10_000: LARGE, 100_000: SAVED}
MAIN_CASE = 100_000
REPEATS = 3
FRAME_MS = 1000 / 60


def flag_images(source_zip: Path, size: tuple[int, int] | None) -> dict[str, bytes]:
    """The real flags (code -> GIF), scaled to *size* unless None."""
    images: dict[str, bytes] = {}
    if not source_zip.exists():
        return images
    with zipfile.ZipFile(source_zip) as archive:
        for name in sorted(n for n in archive.namelist() if n.endswith(".gif")):
            data = archive.read(name)
            if size is not None:
                image = Image.open(io.BytesIO(data)).convert("RGB").resize(size)
                out = io.BytesIO()
                image.save(out, format="GIF")
                data = out.getvalue()
            images[Path(name).stem] = data
    return images


def generated_gif(shade: int, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (shade * 6 % 256, 90, 255 - shade * 6 % 256)).save(out, format="GIF")
    return out.getvalue()


def other_name(number: int) -> str:
    """Names that are not flags, a quarter of them as long as a flag's name
    or starting like one."""
    code = CODES[number % len(CODES)]
    kind = number % 4
    if kind == 0:
        return f"notes-{number:06}.txt"
    if kind == 1:
        return f"{code}{number:06}.gif"  # starts like a flag, ends like one
    if kind == 2:
        return f"IMG_{number:06}.JPG"
    return f"{code}.{number:06}"


def build_folder(folder: Path, source_zip: Path, unrelated: int) -> None:
    """The 676 flags and *unrelated* other (empty) files."""
    size = CASES[unrelated]
    folder.mkdir(parents=True, exist_ok=True)
    if size == LARGE:
        # A few distinct large images, copied: decoding them is the load.
        real = list(flag_images(source_zip, LARGE).values())[:40]
        images = real or [generated_gif(shade, LARGE) for shade in range(40)]
        for code, data in zip(CODES, itertools.cycle(images), strict=False):
            (folder / f"{code}.gif").write_bytes(data)
    else:
        real = flag_images(source_zip, None)
        for number, code in enumerate(CODES):
            data = real.get(code) or generated_gif(number, SAVED)
            (folder / f"{code}.gif").write_bytes(data)
    for number in range(unrelated):
        os.close(os.open(folder / other_name(number), os.O_CREAT | os.O_WRONLY, 0o644))
    (folder / "complete").touch()


class GapMeter:
    """A 1 ms timer; records the longest gap between two of its ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.ticks = 0
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest, self.ticks = 0.0, 0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tick()  # a stall that is still going on counts too

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1000)
        self._last = now
        self.ticks += 1


async def wait_for(condition: Callable[[], bool], limit: float = 120.0) -> None:
    started = time.perf_counter()
    while not condition():
        await asyncio.sleep(0.001)
        if time.perf_counter() - started > limit:
            raise SystemExit(f"gave up after {limit:.0f} s")


async def measure(folder: Path, scratch: Path) -> dict[str, Any]:
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, StartOptions(server=LOCAL, folder=scratch / "empty"))
    settle_heap()  # as the app does once its window is made
    window.resize(1280, 800)
    window.show()
    await asyncio.sleep(0.3)
    controller = window.controller

    def listed() -> bool:
        return window.flags.rowCount() == len(CODES) and not controller.scanning

    def screenful() -> bool:
        """The screen is full of tiles (or every flag is listed), and each of
        them shows its thumbnail. Cheap until the screen is full: it is
        asked every millisecond while the folder is listed."""
        grid, proxy = window.grid, window.browser.proxy
        rows = proxy.rowCount()
        bottom = grid.viewport().rect().bottom()
        if not rows or (not listed() and grid.visualRect(proxy.index(rows - 1, 0)).top() <= bottom):
            return False
        keys = visible_keys(window)
        return bool(keys) and all(window.cache.pixmap(key) is not None for key in keys)

    async def moment(condition: Callable[[], bool]) -> float:
        await wait_for(condition)
        return time.perf_counter() - start

    meter = GapMeter()
    meter.start()
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    window.set_folder(folder)
    # Both watched from the start: the first screenful may come before the
    # last flags are listed.
    screen = asyncio.ensure_future(moment(screenful))
    listed_s = await moment(listed)
    screenful_s = await screen
    renders_at_screenful = window.cache.renders
    await asyncio.sleep(0.1)
    meter.stop()
    listing_gap, listing_ticks = meter.longest, meter.ticks

    # Another program takes one flag away: the folder is scanned again.
    await asyncio.sleep(0.5)
    meter.start()
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    (folder / "zz.gif").rename(scratch / "zz.gif")
    try:
        await wait_for(lambda: window.flags.rowCount() == len(CODES) - 1)
        change_s = time.perf_counter() - start
        await asyncio.sleep(0.1)
        meter.stop()
    finally:
        (scratch / "zz.gif").rename(folder / "zz.gif")
    change_gap = meter.longest
    await wait_for(lambda: window.flags.rowCount() == len(CODES))

    window.browser.set_zoom(MAX_ZOOM)
    await asyncio.sleep(0.5)
    bar = window.grid.verticalScrollBar()
    stall = StallMeter()
    stall.start()
    scroll_start = time.perf_counter()
    step = max(1, window.grid.viewport().height() // 4)
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        await asyncio.sleep(0.016)
    scroll_s = time.perf_counter() - scroll_start
    stall.stop()
    scrolling = stall.figures()

    figures = {
        "listed_s": listed_s,
        "first_screenful_s": screenful_s,
        "renders_at_screenful": renders_at_screenful,
        "listing_stall_max_ms": listing_gap,
        "listing_ticks": listing_ticks,
        "change_s": change_s,
        "change_stall_max_ms": change_gap,
        "scroll_s": scroll_s,
        "scroll_stall_p99_ms": scrolling["stall_p99_ms"],
        "scroll_stall_max_ms": scrolling["stall_max_ms"],
        "renders": window.cache.renders,
        "cache_mb": window.cache.bytes_used / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    closed = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: closed.done() or closed.set_result(None))
    window.close()
    await closed
    return figures


def measure_once(folder: Path) -> dict[str, Any]:
    """One run in a fresh process, so that each has its own peak RSS."""
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each figure, and its lowest and highest as ``..._spread``."""
    summary: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [run[key] for run in runs]
        summary[key] = statistics.median(values)
        summary[f"{key}_spread"] = [min(values), max(values)]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    parser.add_argument("--keep", type=Path, help="build the folders here and keep them")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--cases", default=",".join(str(case) for case in CASES))
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        with tempfile.TemporaryDirectory(prefix="flaggui-grid-") as scratch:
            create_application()
            print(json.dumps(event_loop.run(measure(args.measure, Path(scratch)))))
        return

    cases = [int(case) for case in args.cases.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="flaggui-grid-"))
    results: dict[str, Any] = {}
    try:
        for unrelated in cases:
            folder = (args.keep or scratch) / f"flags-{unrelated}"
            if not (folder / "complete").exists():
                started = time.perf_counter()
                build_folder(folder, args.zip, unrelated)
                print(f"built {folder} in {time.perf_counter() - started:.1f}s", flush=True)
            runs = []
            for _ in range(args.repeats):
                run = measure_once(folder)
                runs.append(run)
                print(
                    f"{len(CODES)} flags + {unrelated} other files: listed in "
                    f"{run['listed_s'] * 1000:.0f} ms (longest gap "
                    f"{run['listing_stall_max_ms']:.1f} ms), first screenful "
                    f"{run['first_screenful_s'] * 1000:.0f} ms; a flag removed: "
                    f"{run['change_s'] * 1000:.0f} ms (gap {run['change_stall_max_ms']:.1f} ms); "
                    f"scrolling stall p99 {run['scroll_stall_p99_ms']:.1f} ms, max "
                    f"{run['scroll_stall_max_ms']:.1f} ms; peak RSS {run['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
            results[str(unrelated)] = summarise(runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    for unrelated, summary in results.items():
        print(
            f"{unrelated} other files, median of {summary['runs']} [lowest, highest]: "
            f"longest listing gap {summary['listing_stall_max_ms']:.1f} ms "
            f"{_spread(summary, 'listing_stall_max_ms')}, first screenful "
            f"{summary['first_screenful_s'] * 1000:.0f} ms "
            f"{_spread(summary, 'first_screenful_s', 1000)}, peak RSS "
            f"{summary['peak_rss_mb']:.0f} MB {_spread(summary, 'peak_rss_mb')}"
        )
    main_case = results.get(str(MAIN_CASE)) or next(iter(results.values()))
    figures = {
        "flags": len(CODES),
        "unrelated_files": MAIN_CASE if str(MAIN_CASE) in results else cases[0],
        **{key: value for key, value in main_case.items() if not key.endswith("_spread")},
        "cases": results,
    }
    figures["goals"] = {
        "listing_stall_max_le_16_7ms": main_case["listing_stall_max_ms"] <= FRAME_MS,
        "first_screenful_le_200ms": main_case["first_screenful_s"] <= 0.2,
        "scroll_stall_max_le_50ms": main_case["scroll_stall_max_ms"] <= 50,
        "peak_rss_le_300mb": main_case["peak_rss_mb"] <= 300,
    }
    print(json.dumps(figures))


def _spread(summary: dict[str, Any], key: str, scale: float = 1) -> str:
    low, high = summary[f"{key}_spread"]
    return f"[{low * scale:.1f}, {high * scale:.1f}]"


if __name__ == "__main__":
    main()
