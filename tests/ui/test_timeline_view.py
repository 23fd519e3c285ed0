"""The Timeline panel, fed by a real download in the window."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from flaggui.core.countries import FLAG_CODES
from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.core.timeline import Segment, Timeline
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Settings
from flaggui.ui.timeline_header import FLIGHT_COLOUR, LIMIT_COLOUR
from flaggui.ui.timeline_view import SEGMENT_COLOURS, TimelineCanvas, TimelineView
from tests import faults
from tests.conftest import folder_files
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory

CODES = ["BR", "CN", "JP"]


def rows_with_bars(canvas: TimelineCanvas) -> int:
    """How many rows of the rendered canvas show a coloured bar."""
    image = canvas.grab().toImage()
    colours = {colour.rgb() for colour in SEGMENT_COLOURS.values()}
    rows = 0
    for row in range(len(canvas.timeline.tracks)):
        y = canvas.row_top(row) + canvas.ROW // 2
        if any(image.pixel(x, y) in colours for x in range(canvas.LABEL, image.width())):
            rows += 1
    return rows


def downloaded(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> MainWindow:
    flag_server.delay = 0.1
    faults.route_healthy(flag_server, CODES)
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "f", countries=CODES, concurrency=2
    )
    window.timeline_dock.toggleViewAction().trigger()
    assert window.timeline_dock.isVisible()
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    return window


def test_timeline_draws_a_bar_per_request_and_the_in_flight_line(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = downloaded(loop, flag_server, make_window, tmp_path)
    canvas = window.timeline_panel.canvas
    timeline = canvas.timeline
    assert timeline is window.controller.timeline
    assert [t.code for t in timeline.tracks] == CODES
    assert timeline.limit == 2
    assert timeline.peak_in_flight() == 2
    assert canvas.span_seconds == timeline.duration  # a finished batch fills the axis
    assert rows_with_bars(canvas) == 3

    span = next(s for s in timeline.tracks[1].spans if s.segment is Segment.CONNECTING)
    middle = QPoint(int(canvas.x_of((span.start + span.end) / 2)), canvas.row_top(1) + 5)
    text = canvas.hover_text(middle)
    assert text is not None
    assert text.startswith("CN — waiting for the server, attempt 1")
    assert "ended: done" in text
    assert canvas.hover_text(QPoint(5, 5)) is None


def test_timeline_exports(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = downloaded(loop, flag_server, make_window, tmp_path)
    panel = window.timeline_panel
    panel.export_to(tmp_path / "t.csv", "CSV")
    panel.export_to(tmp_path / "t.json", "JSON")
    panel.export_to(tmp_path / "t.png", "PNG")
    loop.until(lambda: not panel.export.writes)
    rows = list(csv.DictReader((tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()))
    assert {row["code"] for row in rows} == set(CODES)
    assert json.loads((tmp_path / "t.json").read_text())["peak_in_flight"] == 2
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")


def test_a_thousand_rows(qapp: object) -> None:
    timeline = Timeline(limit=1000)
    for number in range(1000):
        code = f"{chr(65 + number // 26 % 26)}{chr(65 + number % 26)}"
        timeline.add(FlagEvent(code, Phase.QUEUED, 0.0))
        timeline.add(FlagEvent(code, Phase.STARTED, 0.001 * number, 1))
    canvas = TimelineCanvas()
    canvas.resize(800, 600)
    canvas.set_timeline(timeline)
    assert canvas.minimumHeight() == len(timeline.tracks) * canvas.ROW
    assert canvas.span_seconds == 1.0
    image = canvas.grab().toImage()
    assert image.pixelColor(canvas.LABEL + 400, canvas.row_top(10) + 6) != QColor("white")


def chart_rows_with(view: TimelineView, colour: QColor) -> set[int]:
    """The rows of pixels in the in-flight chart where *colour* appears."""
    image = view.picture().toImage()
    canvas = view.canvas
    return {
        y
        for y in range(view.header.CHART)
        for x in range(canvas.LABEL, image.width() - canvas.RIGHT)
        if image.pixel(x, y) == colour.rgb()
    }


MANY = list(FLAG_CODES[:40])


def test_the_adaptive_limit_moves_on_the_chart_and_can_be_switched_off(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    for code in MANY:
        flag_server.route(code, faults.throttling(flag_server, 4, faults.healthy(code.lower())))
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "f", countries=MANY, concurrency=50
    )
    assert window.panel.adaptive_check.isChecked()
    window.timeline_dock.toggleViewAction().trigger()
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    assert len(folder_files(tmp_path / "f")) == 40  # throttled, and still every flag
    timeline = window.timeline_panel.canvas.timeline
    steps = timeline.adaptive_limit()
    assert steps
    assert steps[-1][1] < 50
    assert max(limit for _at, limit in steps) <= 50
    assert json.loads(timeline.to_json())["adaptive_limit"][-1][1] == steps[-1][1]
    # A moving limit is a step line: dashes at several heights, not one.
    assert len(chart_rows_with(window.timeline_panel.view, LIMIT_COLOUR)) > 2

    # Switched off, the same server gets the full 50 at once, and the limit
    # is the flat line of the user's number.
    window.panel.adaptive_check.click()
    for path in (tmp_path / "f").iterdir():
        path.unlink()
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    timeline = window.timeline_panel.canvas.timeline
    assert timeline.adaptive_limit() == []
    assert timeline.peak_in_flight() > 4
    make_window.close(window)
    assert settings.adaptive is False


def saturated(limit: int, seconds: float) -> Timeline:
    """*limit* requests in flight for *seconds*, all ended."""
    timeline = Timeline(limit=limit)
    for n in range(limit):
        code = f"A{chr(65 + n)}"
        timeline.add(FlagEvent(code, Phase.QUEUED, 0.0))
        timeline.add(FlagEvent(code, Phase.STARTED, 0.0, 1))
        timeline.add(FlagEvent(code, Phase.RECEIVED, seconds, 1))
        result = FlagResult(code, FlagState.DONE)
        timeline.add(FlagEvent(code, Phase.FINISHED, seconds, 1, "", result))
    return timeline


def shown(view: TimelineView, width: int, height: int) -> TimelineView:
    view.resize(width, height)
    view.show()
    return view


def test_a_finished_batch_fills_the_axis_and_no_label_is_cut_off(qapp: object) -> None:
    view = shown(TimelineView(), 500, 200)
    canvas = view.canvas
    canvas.set_timeline(saturated(2, 2.08))
    assert canvas.timeline.finished
    assert canvas.span_seconds == 2.08  # not a 0-5 s axis
    labels = view.header.axis_labels()
    assert [text for _x, _rect, text in labels][-1] == "2 s"
    for _x, rect, _text in labels:
        assert rect.left() >= 0
        assert rect.right() < view.header.width()
    view.resize(320 + view.verticalScrollBar().sizeHint().width(), 200)  # the narrowest
    assert all(rect.right() < view.header.width() for _x, rect, _text in view.header.axis_labels())
    view.deleteLater()


def test_the_limit_and_the_in_flight_line_both_show_where_they_meet(qapp: object) -> None:
    view = shown(TimelineView(), 500, 200)
    canvas = view.canvas
    canvas.set_timeline(saturated(3, 1.0))  # in flight = limit throughout
    image = view.picture().toImage()
    rows = {
        y: {image.pixel(x, y) for x in range(canvas.LABEL + 20, canvas.width() - 40)}
        for y in range(view.header.CHART)
    }
    assert any(
        LIMIT_COLOUR.rgb() in colours and FLIGHT_COLOUR.rgb() in colours
        for colours in rows.values()
    )


def test_the_chart_and_the_axis_stay_in_view_when_the_rows_scroll(qapp: QApplication) -> None:
    view = shown(TimelineView(), 600, 260)
    canvas, header = view.canvas, view.header
    canvas.set_timeline(saturated(194, 1.0))
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_End)  # the last row, scrolled into view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()
    last = canvas.row_rect(193)
    shown_rows = view.viewport().rect()
    assert shown_rows.contains(QRect(canvas.mapTo(view.viewport(), last.topLeft()), last.size()))

    # The header is where it was, above the rows, whole and unscrolled.
    assert header.isVisible()
    assert header.geometry().top() >= 0
    assert header.geometry().bottom() < view.viewport().geometry().top()
    assert header.height() == header.full_height()
    image = view.grab().toImage()
    top = header.geometry().top()
    chart = {
        image.pixel(x, y)
        for y in range(top, top + header.CHART)
        for x in range(header.geometry().left() + canvas.LABEL, header.geometry().right())
    }
    assert FLIGHT_COLOUR.rgb() in chart
    assert LIMIT_COLOUR.rgb() in chart
    axis = [text for _x, _rect, text in header.axis_labels()]
    assert axis[0] == "0 s"
    assert axis[-1] == "1 s"
    view.deleteLater()


def test_the_png_holds_every_row_not_only_those_in_view(qapp: QApplication) -> None:
    view = shown(TimelineView(), 600, 260)
    view.canvas.set_timeline(saturated(194, 1.0))
    picture = view.picture()
    assert picture.height() == view.header.full_height() + 194 * view.canvas.ROW
    image = picture.toImage()
    colours = {colour.rgb() for colour in SEGMENT_COLOURS.values()}
    y = view.header.full_height() + view.canvas.row_top(193) + view.canvas.ROW // 2
    assert any(image.pixel(x, y) in colours for x in range(view.canvas.LABEL, image.width()))
    view.deleteLater()
