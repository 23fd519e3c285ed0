"""The Timeline panel: every request of a batch as a bar over time, and the
number of requests in flight above them. It makes concurrency visible."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleInterface,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAccessibleWidget,
    QFileDialog,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.timeline import Segment, Span, Timeline, Track
from flaggui.ui.accessibility import install_factory
from flaggui.ui.flag_model import TileState
from flaggui.ui.flow_layout import FlowBar
from flaggui.ui.timeline_header import TimelineHeader, nice_ceiling

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


def _accessible_chart(_key: str, widget: QObject) -> QAccessibleInterface | None:
    """Screen readers are told the rows and the header are charts (Qt would
    say a bare "filler")."""
    if isinstance(widget, TimelineCanvas | TimelineHeader):
        return QAccessibleWidget(widget, QAccessible.Role.Chart)
    return None


class TimelineCanvas(QWidget):
    """Draws the rows of a :class:`Timeline`, one per request, coloured by
    phase (waiting, connecting, receiving, saving); failed attempts are
    outlined in red. Hovering shows a span's exact timings. Only the rows
    inside the repainted area are drawn, so a thousand rows stay smooth.
    The in-flight chart and the time axis above the rows are a
    :class:`TimelineHeader` on the same horizontal scale.

    For the keyboard and screen readers: the arrow keys (Home, End, Page
    Up, Page Down) move a highlighted row, whose timings become the
    canvas's accessible description; with no row highlighted it is
    :meth:`summary`.

    Signals:
        rowShown(QRect): the highlighted row moved here (to scroll to).
        changed(): the timeline or its scale changed (the header follows).
    """

    rowShown = Signal(QRect)
    changed = Signal()

    # The smallest sizes; a larger font makes them larger (see _measure).
    ROW = 12
    LABEL = 34
    RIGHT = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        install_factory(_accessible_chart)
        super().__init__(parent)
        self.timeline = Timeline()
        self.span_seconds = 0.1
        self.current_row = -1  # highlighted by the keyboard; -1 for none
        self.setMouseTracking(True)
        self.setMinimumWidth(320)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Timeline of the requests"))
        self._measure()
        self.describe()

    def set_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.span_seconds = 0.1
        self.current_row = -1
        self.refresh()
        self.describe()

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
        self.changed.emit()

    def _measure(self) -> None:
        """Rows and codes tall and wide enough for the font, so a large
        font (or a high-contrast theme's) is never cut off."""
        metrics = self.fontMetrics()
        self.ROW = max(TimelineCanvas.ROW, metrics.capHeight() + 3)  # codes: capitals
        self.LABEL = max(TimelineCanvas.LABEL, metrics.horizontalAdvance("WW") + 8)
        self._resize_to_rows()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measure()
            self.update()
            self.changed.emit()

    def _resize_to_rows(self) -> None:
        self.setMinimumHeight(max(1, len(self.timeline.tracks)) * self.ROW)

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
        return row * self.ROW

    def row_rect(self, row: int) -> QRect:
        return QRect(0, self.row_top(row), self.width(), self.ROW)

    def row_at(self, y: int) -> int | None:
        row = y // self.ROW
        return row if y >= 0 and row < len(self.timeline.tracks) else None

    # Painting ---------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        first = max(0, event.rect().top() // self.ROW)
        last = min(len(self.timeline.tracks) - 1, event.rect().bottom() // self.ROW)
        now = self.timeline.now
        for row in range(first, last + 1):
            self._paint_row(painter, row, self.timeline.tracks[row], now)
        if 0 <= self.current_row < len(self.timeline.tracks):
            self._paint_current(painter)
        painter.end()

    def _paint_current(self, painter: QPainter) -> None:
        """The highlighted row: a 2 px ring in the highlight colour while
        the canvas has the focus, a thin one otherwise."""
        rect = self.row_rect(self.current_row).adjusted(1, 0, -1, 0)
        focused = self.hasFocus()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self.palette().highlight().color(), 2 if focused else 1))
        painter.drawRect(rect.adjusted(1, 1, -1, -1) if focused else rect)

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

    # Keyboard and screen readers --------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        rows = len(self.timeline.tracks)
        page = max(1, self.visibleRegion().boundingRect().height() // self.ROW)
        moves = {
            Qt.Key.Key_Down: self.current_row + 1,
            Qt.Key.Key_Up: self.current_row - 1 if self.current_row >= 0 else 0,
            Qt.Key.Key_PageDown: self.current_row + page,
            Qt.Key.Key_PageUp: self.current_row - page,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: rows - 1,
        }
        key = Qt.Key(event.key())
        if key not in moves or not rows:
            super().keyPressEvent(event)
            return
        self.set_current_row(max(0, min(rows - 1, moves[key])))

    def set_current_row(self, row: int) -> None:
        """Highlight *row* (-1 for none), show it and describe it."""
        if row == self.current_row:
            return
        if self.current_row >= 0:
            self.update(self.row_rect(self.current_row))
        self.current_row = row
        if row >= 0:
            self.update(self.row_rect(row))
            self.rowShown.emit(self.row_rect(row))
        self.describe()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.current_row >= 0:
            self.update(self.row_rect(self.current_row))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.current_row >= 0:
            self.update(self.row_rect(self.current_row))

    def describe(self, summary: str | None = None) -> None:
        """The accessible description: the highlighted row's timings, or the
        summary (*summary* if the caller has it already). Not changed as a
        batch runs while the canvas has the focus, so a screen reader is not
        interrupted every frame."""
        rows = len(self.timeline.tracks)
        text = self.row_text(self.current_row) if 0 <= self.current_row < rows else ""
        self.setAccessibleDescription(text or summary or self.summary())

    def summary(self) -> str:
        """The timeline in words: requests, time, peak in flight, the
        slowest request, failures and retries."""
        timeline = self.timeline
        if not timeline.tracks:
            return self.tr("No requests yet.")
        code, seconds = timeline.slowest()
        text = self.tr("Requests: {count}, in {duration:.2f} s").format(
            count=len(timeline.tracks), duration=timeline.duration
        )
        text += "; " + self.tr("at most {peak} in flight at once (limit {limit})").format(
            peak=timeline.peak_in_flight(), limit=timeline.limit or "—"
        )
        if code:
            text += "; " + self.tr("slowest: {code}, {seconds:.2f} s").format(
                code=code, seconds=seconds
            )
        text += "; " + self.tr("failed: {failed}, retried: {retried}").format(
            failed=timeline.failed_count(), retried=timeline.retried_count()
        )
        return text + "."

    def row_text(self, row: int) -> str:
        """One request in words: how it ended, then each step with its
        times, grouped by attempt when it took more than one."""
        track = self.timeline.tracks[row]
        spans = track.current(self.timeline.now)
        if track.state is None:
            ending = self.tr("in progress")
        else:
            ending = TileState.final(track.state).label()
            if track.reason:
                ending += f" ({track.reason})"
        steps: dict[int, list[str]] = {}
        for span in spans:
            step = self.tr("{segment} {start:.3f} to {end:.3f} s").format(
                segment=segment_name(span.segment), start=span.start, end=span.end
            )
            if span.failed:
                step = self.tr("{step}, failed").format(step=step)
            steps.setdefault(span.attempt, []).append(step)
        if len(steps) == 1:
            parts = [", ".join(*steps.values())]
        else:
            parts = [
                self.tr("attempt {attempt}: {steps}").format(attempt=attempt, steps=", ".join(s))
                for attempt, s in steps.items()
            ]
        return self.tr("{code}: {ending}. {steps}").format(
            code=track.code, ending=ending, steps="; ".join(parts)
        )


# The legend's swatches in words, for screen readers (which would say
# "black square").
_SWATCH_NAMES = {
    Segment.WAITING: QT_TRANSLATE_NOOP("TimelinePanel", "grey: {segment}"),
    Segment.BACKOFF: QT_TRANSLATE_NOOP("TimelinePanel", "purple: {segment}"),
    Segment.CONNECTING: QT_TRANSLATE_NOOP("TimelinePanel", "yellow: {segment}"),
    Segment.RECEIVING: QT_TRANSLATE_NOOP("TimelinePanel", "blue: {segment}"),
    Segment.SAVING: QT_TRANSLATE_NOOP("TimelinePanel", "green: {segment}"),
}


def add_legend(row: QLayout) -> None:
    """The colours of the phases and of a failed attempt, as labels."""
    for segment, colour in SEGMENT_COLOURS.items():
        label = QLabel(f'<span style="color:{colour.name()}">■</span> {segment_name(segment)}')
        name = QCoreApplication.translate("TimelinePanel", str(_SWATCH_NAMES[segment]))
        label.setAccessibleName(name.format(segment=segment_name(segment)))
        row.addWidget(label)
    failed = QCoreApplication.translate("TimelinePanel", "failed attempt")
    label = QLabel(f'<span style="color:{FAILED_COLOUR.name()}">□</span> {failed}')
    name = QCoreApplication.translate("TimelinePanel", "red outline: {segment}")
    label.setAccessibleName(name.format(segment=failed))
    row.addWidget(label)


class TimelineExport(QObject):
    """Export buttons (PNG, CSV, JSON) for a picture and its timings: the
    file dialog opens without blocking the event loop and the text is
    written on a worker thread. *picture* gives what PNG saves; *text* gives
    the CSV or JSON."""

    def __init__(
        self,
        row: QLayout,
        picture: Callable[[], QPixmap],
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
            self._picture().save(str(path), "PNG")
            return
        text = self._text(kind)
        write = asyncio.ensure_future(asyncio.to_thread(path.write_text, text, encoding="utf-8"))
        self.writes.add(write)
        write.add_done_callback(self.writes.discard)


class TimelineView(QScrollArea):
    """The rows of a timeline scrolling under a header that stays in view:
    the in-flight chart and the time axis sit in the scroll area's top
    margin, outside the scrolled viewport, and follow the rows when a
    narrow window scrolls them sideways. The canvas takes the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas()
        self.header = TimelineHeader(self.canvas, self)
        self.setWidget(self.canvas)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.rowShown.connect(
            lambda rect: self.ensureVisible(rect.center().x(), rect.center().y(), 0, rect.height())
        )
        self.horizontalScrollBar().valueChanged.connect(lambda _value: self.header.update())
        self.header.heightChanged.connect(self._make_room)
        self._make_room()

    def _make_room(self) -> None:
        self.setViewportMargins(0, self.header.full_height(), 0, 0)
        self._place_header()
        self.updateGeometry()

    def _place_header(self) -> None:
        viewport = self.viewport().geometry()
        height = self.header.full_height()
        self.header.setGeometry(viewport.left(), viewport.top() - height, viewport.width(), height)

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport narrows when the vertical scroll bar appears.
        if event.type() == QEvent.Type.Resize:
            self._place_header()
        return super().viewportEvent(event)

    def sizeHint(self) -> QSize:
        return super().sizeHint() + QSize(0, self.header.full_height())

    def minimumSizeHint(self) -> QSize:
        # The header, and room for the scroll bar or three rows under it.
        least = super().minimumSizeHint()
        rows = 3 * self.canvas.ROW + 2 * self.frameWidth()
        return QSize(least.width(), max(least.height(), rows) + self.header.full_height())

    def picture(self) -> QPixmap:
        """The whole timeline as one picture: the header over every row,
        not only those scrolled into view."""
        canvas = self.canvas
        top = self.header.full_height()
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(QSize(canvas.width(), top + canvas.height()) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().base().color())
        painter = QPainter(pixmap)
        self.header.paint(painter)
        painter.end()
        canvas.render(pixmap, QPoint(0, top))
        return pixmap


class TimelinePanel(QWidget):
    """The timeline's view, a legend and export buttons (PNG, CSV, JSON)
    that wrap onto more rows in a narrow window, and the timeline's summary
    in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = TimelineView()
        self.canvas = self.view.canvas
        legend = FlowBar()
        add_legend(legend.flow)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._summarise = QTimer(self)
        self._summarise.setSingleShot(True)
        self._summarise.setInterval(500)
        self._summarise.timeout.connect(self.summarise)
        self.export = TimelineExport(
            legend.flow,
            self.view.picture,
            lambda kind: (
                self.canvas.timeline.to_csv() if kind == "CSV" else self.canvas.timeline.to_json()
            ),
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(legend)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view, 1)
        self.summarise()

    def set_timeline(self, timeline: Timeline) -> None:
        self.canvas.set_timeline(timeline)
        self.summarise()

    def refresh(self) -> None:
        """Draw the timeline as it is now; its summary follows at most twice
        a second, and at once when the batch has ended."""
        self.canvas.refresh()
        if self.canvas.timeline.finished:
            self.summarise()
        elif not self._summarise.isActive():
            self._summarise.start()

    def summarise(self) -> None:
        self._summarise.stop()
        summary = self.canvas.summary()
        self.summary_label.setText(summary)
        if not self.canvas.hasFocus():
            self.canvas.describe(summary)

    def export_to(self, path: Path, kind: str) -> None:
        self.export.export_to(path, kind)
