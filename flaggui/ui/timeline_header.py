"""The timeline's header: how many requests are in flight over time, with
their limit, above the time axis. It stays in view while the rows scroll."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from flaggui.ui.theme import is_dark

if TYPE_CHECKING:
    from flaggui.ui.timeline_view import TimelineCanvas

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


class TimelineHeader(QWidget):
    """The in-flight chart, with the configured (or adaptive) limit dashed
    on top, and the time axis, drawn on the horizontal scale of *canvas*'s
    rows so that the ticks line up with the bars. Its height grows with the
    font. Its accessible description is the chart's caption.

    Signals:
        heightChanged(): the font changed the header's height.
    """

    heightChanged = Signal()

    # The smallest sizes; a larger font makes them larger (see _measure).
    CHART = 84
    AXIS = 18

    def __init__(self, canvas: TimelineCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setAccessibleName(self.tr("Requests in flight"))
        self._measure()
        canvas.changed.connect(self._timeline_changed)
        self._timeline_changed()

    def _measure(self) -> None:
        """Caption and axis tall enough for the font, so a large font (or a
        high-contrast theme's) is never cut off."""
        line = self.fontMetrics().height()
        self.caption_height = max(16, line + 2)
        self.AXIS = max(TimelineHeader.AXIS, line + 4)
        self.CHART = max(TimelineHeader.CHART, self.caption_height + 68)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measure()
            self.heightChanged.emit()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(self.canvas.sizeHint().width(), self.full_height())

    def full_height(self) -> int:
        return self.CHART + self.AXIS

    def _timeline_changed(self) -> None:
        self.update()
        timeline = self.canvas.timeline
        # Told when it settles, not every frame of a running batch.
        if timeline.finished or not timeline.tracks:
            self.setAccessibleDescription(self.caption())

    # Painting ---------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        # The rows may be scrolled sideways in a narrow window; follow them.
        painter.translate(self.canvas.x(), 0)
        self.paint(painter)
        painter.end()

    def paint(self, painter: QPainter) -> None:
        """The chart and the axis, in the canvas's coordinates."""
        self._paint_chart(painter)
        self._paint_axis(painter)

    def caption(self) -> str:
        timeline = self.canvas.timeline
        return self._caption(timeline.peak_in_flight(), timeline.adaptive_limit())

    def _caption(self, peak: int, adaptive: list[tuple[float, int]]) -> str:
        timeline = self.canvas.timeline
        if adaptive:
            return self.tr("in flight (peak {peak}, adaptive limit now {now} of {limit})").format(
                peak=peak, now=adaptive[-1][1], limit=timeline.limit or "—"
            )
        return self.tr("in flight (peak {peak}, limit {limit})").format(
            peak=peak, limit=timeline.limit or "—"
        )

    def _paint_chart(self, painter: QPainter) -> None:
        canvas = self.canvas
        timeline = canvas.timeline
        series = timeline.in_flight()
        peak = timeline.peak_in_flight()
        adaptive = timeline.adaptive_limit()
        highest = max((limit for _at, limit in adaptive), default=timeline.limit)
        top = max(highest, peak, 1)
        if highest > 4 * max(peak, 1):
            top = max(peak, 1)  # a far limit would flatten the chart
        caption_height = self.caption_height  # above the plot, not across it
        height = self.CHART - caption_height - 4

        def y_of(count: int) -> float:
            return caption_height + height - count / top * height

        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        points = QPolygonF([QPointF(canvas.x_of(0), y_of(0))])
        for at, count in series:
            points.append(QPointF(canvas.x_of(at), points.last().y()))
            points.append(QPointF(canvas.x_of(at), y_of(count)))
        points.append(QPointF(canvas.x_of(timeline.now), points.last().y()))
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
                    limits.append(QPointF(canvas.x_of(at), limits.last().y()))
                limits.append(QPointF(canvas.x_of(at), y))
            limits.append(QPointF(canvas.x_of(timeline.now), limits.last().y()))
            painter.drawPolyline(limits)
        elif timeline.limit and timeline.limit <= top:
            y = y_of(timeline.limit)
            painter.drawLine(QPointF(canvas.LABEL, y), QPointF(canvas.width() - canvas.RIGHT, y))
        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRect(canvas.LABEL + 4, 1, canvas.width() - canvas.LABEL - 4, caption_height - 2),
            Qt.AlignmentFlag.AlignLeft,
            self._caption(peak, adaptive),
        )

    def _paint_axis(self, painter: QPainter) -> None:
        top = self.CHART
        canvas = self.canvas
        painter.setPen(self.palette().mid().color())
        painter.drawLine(canvas.LABEL, top, canvas.width() - canvas.RIGHT, top)
        painter.setPen(self.palette().text().color())
        for x, rect, label in self.axis_labels():
            painter.drawLine(x, top, x, top + 4)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter, label)

    def axis_labels(self) -> list[tuple[int, QRect, str]]:
        """Each tick of the time axis: its x, its label's place and text. A
        label is centred on its tick but kept inside the canvas's width."""
        canvas = self.canvas
        step = nice_ceiling(canvas.span_seconds / 8)
        metrics = self.fontMetrics()
        labels = []
        for number in range(int(canvas.span_seconds / step + 1e-9) + 1):
            seconds = number * step
            x = int(canvas.x_of(seconds))
            label = f"{seconds:g} s"
            width = metrics.horizontalAdvance(label) + 4
            left = min(max(0, x - width // 2), canvas.width() - width)
            labels.append((x, QRect(left, self.CHART + 3, width, self.AXIS - 3), label))
        return labels
