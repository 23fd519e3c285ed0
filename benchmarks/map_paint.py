"""How fast the world map paints with all 194 flags on it.

Extracts the real flags of ``../shared/data/flags.zip`` (or generates
striped ones) into a folder, shows the map at 1280x800 (offscreen unless
QT_QPA_PLATFORM says otherwise) with every flag rendered, and measures:

- a full repaint (every country copied from its pixmap, the markers, the
  selection and the legend), repeated;
- a zoom step (the wheel, 1.41x around a point, in and out between the
  whole world and 8x): the first frame after it, which paints countries
  anew for a few milliseconds and shows the rest scaled, and the time until
  every country is painted at the new zoom (the frames that follow);
- a pan step (a 40-pixel drag) at 4x.

Goal: a full repaint within a frame at 60 Hz (repaint_ms_max <= 16.7).
The last line is one JSON object.

    python benchmarks/map_paint.py [--zip PATH] [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image

from flaggui.core.countries import FLAG_CODES
from flaggui.ui import event_loop
from flaggui.ui.app import create_application
from flaggui.ui.flag_model import FlagListModel
from flaggui.ui.folder import scan_folder
from flaggui.ui.map_view import MapView
from flaggui.ui.thumbnail_cache import ThumbnailCache

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED_ZIP

FRAME_MS = 1000 / 60


def build_folder(folder: Path, source_zip: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if source_zip.exists():
        with zipfile.ZipFile(source_zip) as archive:
            for name in archive.namelist():
                if name.endswith(".gif"):
                    (folder / Path(name).name).write_bytes(archive.read(name))
        return
    for number, code in enumerate(FLAG_CODES):
        image = Image.new("RGB", (450, 300), (number * 37 % 256, 90, 255 - number % 256))
        image.paste((255, 255, 255), (0, 100, 450, 200))
        out = io.BytesIO()
        image.save(out, format="GIF")
        (folder / f"{code.lower()}.gif").write_bytes(out.getvalue())


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def spread(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "max": round(ordered[-1], 2),
    }


async def settle(view: MapView) -> float:
    """Repaint until every country is painted at the current zoom and every
    flag the map asked for is rendered; the time spent painting."""
    painting = 0.0
    while True:
        start = time.perf_counter()
        view.repaint()
        painting += time.perf_counter() - start
        await asyncio.sleep(0.02)  # the thumbnail cache's renders come back
        if view.complete and not view.cache._queued and not view.cache._running:
            start = time.perf_counter()
            view.repaint()
            painting += time.perf_counter() - start
            if view.complete:
                return painting


async def measure(folder: Path, repeats: int) -> dict[str, Any]:
    cache = ThumbnailCache()
    model = FlagListModel(cache)
    model.show_on_disk(scan_folder(folder))
    view = MapView(model)
    view.resize(1280, 800)
    view.show()
    view.set_selection(FLAG_CODES, "FR")  # All checked, as for a download of every flag
    await asyncio.sleep(0.2)
    first = await settle(view)

    repaint = []
    for _ in range(repeats):
        start = time.perf_counter()
        view.repaint()
        repaint.append(ms(time.perf_counter() - start))

    anchor = view.to_widget(*view.world.places["IT"].anchor)
    step_frame, step_settle = [], []
    factors = [2**0.5] * 6 + [2**-0.5] * 6
    for _ in range(max(1, repeats // 20)):
        for factor in factors:
            view.zoom_at(factor, anchor)
            start = time.perf_counter()
            view.repaint()
            step_frame.append(ms(time.perf_counter() - start))
            step_settle.append(ms(time.perf_counter() - start + await settle(view)))

    view.zoom_at(4.0, anchor)
    await settle(view)
    pan = []
    for number in range(repeats):
        view.pan_by(40 if number % 2 else -40, 0)
        start = time.perf_counter()
        view.repaint()
        pan.append(ms(time.perf_counter() - start))
        await asyncio.sleep(0)

    figures = {
        "flags": sum(1 for code in FLAG_CODES if model.tile(code) is not None),
        "size": [view.width(), view.height()],
        "first_paint_ms": ms(first),
        "repaint_ms_p50": spread(repaint)["p50"],
        "repaint_ms_p90": spread(repaint)["p90"],
        "repaint_ms_max": spread(repaint)["max"],
        "zoom_step_frame_ms": spread(step_frame),
        "zoom_step_settled_ms": spread(step_settle),
        "pan_step_ms": spread(pan),
        "repeats": repeats,
    }
    view.close()
    await cache.aclose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=SHARED_ZIP)
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="flaggui-map-"))
    try:
        build_folder(scratch / "flags", args.zip)
        create_application()
        figures = event_loop.run(measure(scratch / "flags", args.repeats))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"{figures['flags']} flags at {figures['size'][0]}x{figures['size'][1]}: "
        f"repaint p50 {figures['repaint_ms_p50']} ms, max {figures['repaint_ms_max']} ms; "
        f"zoom step frame p50 {figures['zoom_step_frame_ms']['p50']} ms "
        f"(max {figures['zoom_step_frame_ms']['max']}), all countries at the new zoom "
        f"p50 {figures['zoom_step_settled_ms']['p50']} ms; "
        f"pan step p50 {figures['pan_step_ms']['p50']} ms"
    )
    figures["goals"] = {"repaint_max_le_16_7ms": figures["repaint_ms_max"] <= FRAME_MS}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
