"""Sequential vs concurrent against a local server with a delay."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from PySide6.QtGui import QImage

from flaggui.ui.compare import CompareDialog
from flaggui.ui.main_window import MainWindow
from flaggui.ui.sources import Source
from flaggui.ui.timeline_header import TimelineHeader
from tests import faults
from tests.images import make_png
from tests.scripted_server import ScriptedServer
from tests.test_sources import by_path
from tests.ui.conftest import Loop, WindowFactory

CODES = ["BR", "CN", "DE", "FR", "IN", "JP"]


def leftovers() -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("flaggui-compare-")]


def test_concurrent_beats_sequential_on_one_time_scale(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    flag_server.delay = 0.15
    faults.route_healthy(flag_server, CODES)
    before = leftovers()
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "mine", countries=CODES, concurrency=6
    )
    dialog = window.compare()
    assert dialog is not None
    assert dialog.isVisible()
    loop.run(dialog.wait(), timeout=30)

    sequential, concurrent = dialog.totals
    assert concurrent < sequential
    assert sequential >= 6 * 0.15 * 0.9  # Qt's coarse timers may fire up to 5% early
    first, second = (canvas.timeline for canvas in dialog.canvases)
    assert len(first.tracks) == len(second.tracks) == 6
    assert first.peak_in_flight() == 1
    assert second.peak_in_flight() == 6
    assert dialog.canvases[0].span_seconds == dialog.canvases[1].span_seconds
    assert "faster" in dialog.outcome.text()
    assert "6 flags downloaded in" in dialog.titles[1].text()
    # Why, in plain words: 6 times the mean time, then all 6 together.
    explained = dialog.explanation.text()
    assert dialog.explanation.isVisible()
    assert explained.startswith("One at a time, each request waits for the one before it: 6 × 0.")
    assert "Concurrently, all 6 wait together: about as long as the slowest one (0." in explained
    assert 0.15 * 0.9 <= second.slowest_request() < sequential
    # The same exports as the timeline, for both runs.
    dialog.export.export_to(tmp_path / "c.csv", "CSV")
    dialog.export.export_to(tmp_path / "c.json", "JSON")
    dialog.export.export_to(tmp_path / "c.png", "PNG")
    loop.until(lambda: not dialog.export.writes)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8"))))
    assert {row["run"] for row in rows} == {"sequential", "concurrent"}
    both = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert both["sequential"]["peak_in_flight"] == 1
    assert both["concurrent"]["peak_in_flight"] == 6
    assert QImage(str(tmp_path / "c.png")).height() > 2 * TimelineHeader.CHART
    assert flag_server.hits["cn"] == 2
    assert not (tmp_path / "mine").exists()  # the user's folder is not touched
    assert leftovers() == before
    dialog.close()


def comparison_under_way(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> tuple[MainWindow, CompareDialog]:
    """A comparison whose first, sequential run is stuck on a slow flag."""
    for code in CODES:
        flag_server.route(code.lower(), faults.drips(code.lower(), interval=0.05))
    window = make_window(server=flag_server.base_url, folder=tmp_path / "f", countries=CODES)
    dialog = window.compare()
    assert dialog is not None
    loop.until(lambda: flag_server.hits["br"] == 1)
    return window, dialog


def test_stopping_a_comparison(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    before = leftovers()
    _window, dialog = comparison_under_way(loop, flag_server, make_window, tmp_path)
    dialog.stop_button.click()
    loop.run(dialog.wait(), timeout=10)
    assert dialog.outcome.text() == "Stopped."
    assert not dialog.running
    assert leftovers() == before


def test_closing_the_window_stops_a_comparison(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    before = leftovers()
    window, dialog = comparison_under_way(loop, flag_server, make_window, tmp_path)
    make_window.close(window)
    assert not dialog.running
    assert leftovers() == before


def test_a_comparison_downloads_from_the_chosen_source(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Both runs use the window's source (here PNG flags), not the default."""
    png = make_png((60, 40))
    files = {f"/flags/w320/{code.lower()}.png": png for code in CODES[:2]}
    flag_server.route("w320", by_path(files))
    window = make_window(server=flag_server.base_url, folder=tmp_path / "f", countries=CODES[:2])
    template = "{base}/w320/{cc}.png"
    window.panel.set_sources([Source("Mirror", template)], template)
    dialog = window.compare()
    assert dialog is not None
    loop.run(dialog.wait(), timeout=30)
    assert "2 flags downloaded in" in dialog.titles[0].text()
    assert "2 flags downloaded in" in dialog.titles[1].text()
    assert flag_server.hits["w320"] == 4
    dialog.close()
