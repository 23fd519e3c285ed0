"""How the grid copes with a large folder.

Builds a folder with all 676 codes AA..ZZ as flag files of 1000x600 pixels
(the real flags of ``../shared/data/flags.zip`` scaled up, or generated ones)
plus 10,000 unrelated files, opens it in the real window (offscreen unless
QT_QPA_PLATFORM says otherwise) and measures:

- time from opening the folder to the first thumbnail, and to a full first
  screenful of thumbnails;
- event-loop stalls (the gaps between the ticks of a 1 ms timer) while
  scrolling from top to bottom at the largest zoom, one step every 16 ms;
- peak resident memory of the process.

Goals: first thumbnails <= 300 ms, stall max <= 50 ms, peak RSS <= 300 MB.
The last line is one JSON object.

    python benchmarks/grid_scale.py [--zip PATH] [--keep DIR]
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
import string
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QSettings

import qasync

from flaggui.core.servers import LOCAL
from flaggui.ui.app import create_application
from flaggui.ui.grid import MAX_ZOOM
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED_ZIP
from ui_responsiveness import StallMeter, visible_keys

CODES = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase]
UNRELATED = 10_000
SIZE = (1000, 600)


def build_folder(folder: Path, source_zip: Path) -> None:
    """676 large flags (a few distinct images, copied) and 10,000 other files."""
    folder.mkdir(parents=True, exist_ok=True)
    images: list[bytes] = []
    if source_zip.exists():
        with zipfile.ZipFile(source_zip) as archive:
            names = sorted(n for n in archive.namelist() if n.endswith(".gif"))[:40]
            for name in names:
                image = Image.open(io.BytesIO(archive.read(name))).convert("RGB").resize(SIZE)
                out = io.BytesIO()
                image.save(out, format="GIF")
                images.append(out.getvalue())
    else:
        for shade in range(40):
            out = io.BytesIO()
            Image.new("RGB", SIZE, (shade * 6, 90, 255 - shade * 6)).save(out, format="GIF")
            images.append(out.getvalue())
    for code, data in zip(CODES, itertools.cycle(images)):
        (folder / f"{code}.gif").write_bytes(data)
    for number in range(UNRELATED):
        (folder / f"notes-{number:05}.txt").write_text("not a flag\n")


async def measure(folder: Path, scratch: Path) -> dict[str, Any]:
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, StartOptions(server=LOCAL, folder=scratch / "empty"))
    window.resize(1280, 800)
    window.show()
    await asyncio.sleep(0.3)

    first: list[float] = []
    window.cache.ready.connect(lambda _path: first.append(time.perf_counter()))
    start = time.perf_counter()
    window.set_folder(folder)
    while window.flags.rowCount() < len(CODES):  # noqa: ASYNC110 (polling is the measurement)
        await asyncio.sleep(0.001)
    listed = time.perf_counter() - start
    while not first or any(window.cache.pixmap(k) is None for k in visible_keys(window)):  # noqa: ASYNC110
        await asyncio.sleep(0.002)
    screenful = time.perf_counter() - start
    renders_at_screenful = window.cache.renders

    window.browser.set_zoom(MAX_ZOOM)
    await asyncio.sleep(0.5)
    bar = window.grid.verticalScrollBar()
    meter = StallMeter()
    meter.start()
    scroll_start = time.perf_counter()
    step = max(1, window.grid.viewport().height() // 4)
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        await asyncio.sleep(0.016)
    scroll_time = time.perf_counter() - scroll_start
    meter.stop()

    figures = {
        "flags": len(CODES),
        "unrelated_files": UNRELATED,
        "listed_ms": listed * 1000,
        "first_thumbnail_ms": (first[0] - start) * 1000,
        "first_screenful_ms": screenful * 1000,
        "renders_at_screenful": renders_at_screenful,
        "scroll_s": scroll_time,
        "scroll_stall": meter.figures(),
        "renders": window.cache.renders,
        "cache_mb": window.cache.bytes_used / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    closed = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: closed.done() or closed.set_result(None))
    window.close()
    await closed
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    parser.add_argument("--keep", type=Path, help="build the folder here and keep it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="flaggui-grid-"))
    folder = args.keep or scratch / "flags"
    try:
        if not (folder / "zz.gif").exists():
            started = time.perf_counter()
            build_folder(folder, args.zip)
            print(f"built {folder} in {time.perf_counter() - started:.1f}s")
        create_application()
        figures = qasync.run(measure(folder, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stall = figures["scroll_stall"]
    print(
        f"{figures['flags']} flags + {figures['unrelated_files']} other files: listed in "
        f"{figures['listed_ms']:.0f} ms, first thumbnail {figures['first_thumbnail_ms']:.0f} ms, "
        f"first screenful {figures['first_screenful_ms']:.0f} ms"
    )
    print(
        f"scrolling at {MAX_ZOOM} px: stall p50 {stall['stall_p50_ms']:.1f} ms, "
        f"p99 {stall['stall_p99_ms']:.1f} ms, max {stall['stall_max_ms']:.1f} ms "
        f"({figures['renders']} renders, cache {figures['cache_mb']:.0f} MB); "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB"
    )
    figures["goals"] = {
        "first_thumbnails_le_300ms": figures["first_screenful_ms"] <= 300,
        "scroll_stall_max_le_50ms": stall["stall_max_ms"] <= 50,
        "peak_rss_le_300mb": figures["peak_rss_mb"] <= 300,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
