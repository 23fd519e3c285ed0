"""The Timeline panel: every request of a batch as a bar over time, and the
number of requests in flight above them. It makes concurrency visible."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.timeline import Segment, Span, Timeline, Track
from flaggui.ui.flag_model import TileState
from flaggui.ui.theme import is_dark

SEGMENT_COLOURS = {
    Segment.WAITING: QColor("#c9ced6"),
    Segment.BACKOFF: QColor("#a142f4"),
    Segment.CONNECTING: QColor("#f4b400"),
    Segment.RECEIVING: QColor("#1a73e8"),
    Segment.SAVING: QColor("#1e8e3e"),
}
_SEGMENT_NAMES = {
    Segment.WAITING: QT_TRANSLATE_NOOP("TimelinePanel", "waiting for a slot"),
    Segment.BACKOFF: QT_TRANSLATE_NOOP("TimelinePanel", "pause before a retry"),
    # Connecting, sending the request, and the server's time to answer.
    Segment.CONNECTING: QT_TRANSLATE_NOOP("TimelinePanel", "waiting for the server"),
    Segment.RECEIVING: QT_TRANSLATE_NOOP("TimelinePanel", "receiving"),
    Segment.SAVING: QT_TRANSLATE_NOOP("TimelinePanel", "saving"),
}


def segment_name(segment: Segment) -> str:
    """What a request was doing, in the interface language."""
    return QCoreApplication.translate("TimelinePanel", str(_SEGMENT_NAMES[segment]))


FAILED_COLOUR = QColor("#d93025")
# The chart's lines on a light ground, and their lighter twins for a dark
# one, where the grey and the red would sink into the ground.
LIMIT_COLOUR = QColor("#d93025")
FLIGHT_COLOUR = QColor("#5f6368")
_DARK_LIMIT_COLOUR = QColor("#f28b82")
_DARK_FLIGHT_COLOUR = QColor("#bdc1c6")


def chart_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """The in-flight line's colour and the limit's, for the canvas's ground."""
    if is_dark(palette.color(QPalette.ColorRole.Base)):
        return _DARK_FLIGHT_COLOUR, _DARK_LIMIT_COLOUR
    return FLIGHT_COLOUR, LIMIT_COLOUR


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is >= *value* (axis ends); an
    empty timeline spans 0.1 s."""
    if value <= 0:
        return 0.1
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


class TimelineCanvas(QWidget):
    """Draws a :class:`Timeline`: the in-flight chart with the configured
    limit on top, a time axis, then one row per request, coloured by phase
    (waiting, connecting, receiving, saving); failed attempts are outlined
    in red. Hovering shows a span's exact timings. Only the rows inside the
    repainted area are drawn, so a thousand rows stay smooth."""

    ROW = 12
    CHART = 84
    AXIS = 18
    LABEL = 34
    RIGHT = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = Timeline()
        self.span_seconds = 0.1
        self.setMouseTracking(True)
        self.setMinimumWidth(320)
        self._resize_to_rows()

    def set_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.span_seconds = 0.1
        self.refresh()

    def refresh(self, span: float | None = None) -> None:
        """Follow the timeline as it grows: the axis end moves up in steps
        (1, 2, 5 ...), so it rescales without jitter; once every request has
        ended, the batch fills the axis. *span* sets the axis instead."""
        if span is not None:
            self.span_seconds = span
        elif self.timeline.finished:
            self.span_seconds = max(self.timeline.duration, 0.001)
        else:
            self.span_seconds = max(self.span_seconds, nice_ceiling(self.timeline.duration))
        self._resize_to_rows()
        self.update()

    def _resize_to_rows(self) -> None:
        self.setMinimumHeight(self.CHART + self.AXIS + max(1, len(self.timeline.tracks)) * self.ROW)

    def sizeHint(self) -> QSize:
        return QSize(720, self.minimumHeight())

    # Geometry -------------------------------------------------------------
    def x_of(self, seconds: float) -> float:
        width = max(1, self.width() - self.LABEL - self.RIGHT)
        return self.LABEL + seconds / self.span_seconds * width

    def seconds_at(self, x: float) -> float:
        width = max(1, self.width() - self.LABEL - self.RIGHT)
        return (x - self.LABEL) / width * self.span_seconds

    def row_top(self, row: int) -> int:
        return self.CHART + self.AXIS + row * self.ROW

    def row_at(self, y: int) -> int | None:
        row = (y - self.CHART - self.AXIS) // self.ROW
        return row if 0 <= row < len(self.timeline.tracks) and y >= self.row_top(0) else None

    # Painting ---------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        if event.rect().top() < self.CHART + self.AXIS:
            self._paint_chart(painter)
            self._paint_axis(painter)
        first = max(0, (event.rect().top() - self.CHART - self.AXIS) // self.ROW)
        last = min(
            len(self.timeline.tracks) - 1,
            (event.rect().bottom() - self.CHART - self.AXIS) // self.ROW,
        )
        now = self.timeline.now
        for row in range(first, last + 1):
            self._paint_row(painter, row, self.timeline.tracks[row], now)
        painter.end()

    def _paint_chart(self, painter: QPainter) -> None:
        series = self.timeline.in_flight()
        peak = self.timeline.peak_in_flight()
        adaptive = self.timeline.adaptive_limit()
        highest = max((limit for _at, limit in adaptive), default=self.timeline.limit)
        top = max(highest, peak, 1)
        if highest > 4 * max(peak, 1):
            top = max(peak, 1)  # a far limit would flatten the chart
        caption_height = 16  # the caption sits above the plot, not across it
        height = self.CHART - caption_height - 4

        def y_of(count: int) -> float:
            return caption_height + height - count / top * height

        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        points = QPolygonF([QPointF(self.x_of(0), y_of(0))])
        for at, count in series:
            points.append(QPointF(self.x_of(at), points.last().y()))
            points.append(QPointF(self.x_of(at), y_of(count)))
        points.append(QPointF(self.x_of(self.timeline.now), points.last().y()))
        flight_colour, limit_colour = chart_colours(self.palette())
        painter.setPen(QPen(flight_colour, 2))
        painter.drawPolyline(points)
        # The limit is dashed on top: where the in-flight line runs along it,
        # both show, one through the other's gaps.
        painter.setPen(QPen(limit_colour, 1, Qt.PenStyle.DashLine))
        if adaptive:
            # The adaptive limit moves: a step line, clipped to the chart.
            limits = QPolygonF()
            for at, limit in adaptive:
                y = y_of(min(limit, top))
                if not limits.isEmpty():
                    limits.append(QPointF(self.x_of(at), limits.last().y()))
                limits.append(QPointF(self.x_of(at), y))
            limits.append(QPointF(self.x_of(self.timeline.now), limits.last().y()))
            painter.drawPolyline(limits)
        elif self.timeline.limit and self.timeline.limit <= top:
            y = y_of(self.timeline.limit)
            painter.drawLine(QPointF(self.LABEL, y), QPointF(self.width() - self.RIGHT, y))
        painter.setPen(self.palette().text().color())
        if adaptive:
            caption = self.tr(
                "in flight (peak {peak}, adaptive limit now {now} of {limit})"
            ).format(peak=peak, now=adaptive[-1][1], limit=self.timeline.limit or "—")
        else:
            caption = self.tr("in flight (peak {peak}, limit {limit})").format(
                peak=peak, limit=self.timeline.limit or "—"
            )
        painter.drawText(QRect(self.LABEL + 4, 1, 400, 14), Qt.AlignmentFlag.AlignLeft, caption)

    def _paint_axis(self, painter: QPainter) -> None:
        top = self.CHART
        painter.setPen(self.palette().mid().color())
        painter.drawLine(self.LABEL, top, self.width() - self.RIGHT, top)
        painter.setPen(self.palette().text().color())
        for x, rect, label in self.axis_labels():
            painter.drawLine(x, top, x, top + 4)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter, label)

    def axis_labels(self) -> list[tuple[int, QRect, str]]:
        """Each tick of the time axis: its x, its label's place and text. A
        label is centred on its tick but kept inside the canvas."""
        step = nice_ceiling(self.span_seconds / 8)
        metrics = self.fontMetrics()
        labels = []
        for number in range(int(self.span_seconds / step + 1e-9) + 1):
            seconds = number * step
            x = int(self.x_of(seconds))
            label = f"{seconds:g} s"
            width = metrics.horizontalAdvance(label) + 4
            left = min(max(0, x - width // 2), self.width() - width)
            labels.append((x, QRect(left, self.CHART + 3, width, self.AXIS - 3), label))
        return labels

    def _paint_row(self, painter: QPainter, row: int, track: Track, now: float) -> None:
        top = self.row_top(row)
        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRect(2, top, self.LABEL - 4, self.ROW), Qt.AlignmentFlag.AlignVCenter, track.code
        )
        for span in track.current(now):
            left = self.x_of(span.start)
            rect = QRectF(left, top + 2, max(1.0, self.x_of(span.end) - left), self.ROW - 4)
            painter.fillRect(rect, SEGMENT_COLOURS[span.segment])
            if span.failed:
                painter.setPen(QPen(FAILED_COLOUR, 1.5))
                painter.drawRect(rect)

    # Hover ------------------------------------------------------------------
    def span_at(self, position: QPoint) -> tuple[Track, Span] | None:
        row = self.row_at(position.y())
        if row is None:
            return None
        track = self.timeline.tracks[row]
        seconds = self.seconds_at(position.x())
        slack = self.span_seconds / max(1, self.width())  # about a pixel
        for span in track.current(self.timeline.now):
            if span.start - slack <= seconds <= span.end + slack:
                return track, span
        return None

    def hover_text(self, position: QPoint) -> str | None:
        found = self.span_at(position)
        if found is None:
            return None
        track, span = found
        text = self.tr(
            "{code} — {segment}, attempt {attempt}\n{start:.3f} s → {end:.3f} s ({ms:.0f} ms)"
        ).format(
            code=track.code,
            segment=segment_name(span.segment),
            attempt=span.attempt,
            start=span.start,
            end=span.end,
            ms=(span.end - span.start) * 1000,
        )
        if span.failed:
            text += "\n" + self.tr("this attempt failed")
        if track.state is not None:
            state = TileState.final(track.state).label()
            text += "\n" + self.tr("ended: {state}").format(state=state)
            if track.reason:
                text += f" — {track.reason}"
        return text

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        text = self.hover_text(event.position().toPoint())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()


def add_legend(row: QHBoxLayout) -> None:
    """The colours of the phases and of a failed attempt, as labels."""
    for segment, colour in SEGMENT_COLOURS.items():
        row.addWidget(
            QLabel(f'<span style="color:{colour.name()}">■</span> {segment_name(segment)}')
        )
    failed = QCoreApplication.translate("TimelinePanel", "failed attempt")
    row.addWidget(QLabel(f'<span style="color:{FAILED_COLOUR.name()}">□</span> {failed}'))


class TimelineExport(QObject):
    """Export buttons (PNG, CSV, JSON) for a picture and its timings: the
    file dialog opens without blocking the event loop and the text is
    written on a worker thread. *picture* is what PNG grabs; *text* gives
    the CSV or JSON."""

    def __init__(
        self,
        row: QHBoxLayout,
        picture: Callable[[], QWidget],
        text: Callable[[str], str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._picture = picture
        self._text = text
        self._dialog: QFileDialog | None = None
        self.writes: set[asyncio.Future[int]] = set()
        self.buttons: dict[str, QPushButton] = {}
        for kind in ("PNG", "CSV", "JSON"):
            button = QPushButton(
                QCoreApplication.translate("TimelinePanel", "Export {kind}…").format(kind=kind)
            )
            button.clicked.connect(lambda _checked=False, kind=kind: self.choose(kind))
            row.addWidget(button)
            self.buttons[kind] = button

    def choose(self, kind: str) -> None:
        title = QCoreApplication.translate("TimelinePanel", "Export the timeline")
        dialog = QFileDialog(self._parent, title, f"timeline.{kind.lower()}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind.lower())
        dialog.setNameFilter(f"{kind} (*.{kind.lower()})")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path), kind))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()

    def export_to(self, path: Path, kind: str) -> None:
        if kind == "PNG":
            self._picture().grab().save(str(path), "PNG")
            return
        text = self._text(kind)
        write = asyncio.ensure_future(asyncio.to_thread(path.write_text, text, encoding="utf-8"))
        self.writes.add(write)
        write.add_done_callback(self.writes.discard)


class TimelinePanel(QWidget):
    """The canvas in a scroll area, a legend, and export buttons (PNG, CSV,
    JSON)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas()
        scroll = QScrollArea()
        scroll.setWidget(self.canvas)
        scroll.setWidgetResizable(True)
        legend = QHBoxLayout()
        add_legend(legend)
        legend.addStretch(1)
        self.export = TimelineExport(
            legend,
            lambda: self.canvas,
            lambda kind: (
                self.canvas.timeline.to_csv() if kind == "CSV" else self.canvas.timeline.to_json()
            ),
            self,
        )
        self.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(legend)
        layout.addWidget(scroll, 1)

    def export_to(self, path: Path, kind: str) -> None:
        self.export.export_to(path, kind)
