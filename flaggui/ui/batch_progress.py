"""The batch's progress bar, which tells how flags ended and how fast they come."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette
from PySide6.QtWidgets import QProgressBar, QWidget

from flaggui.core.events import FlagState
from flaggui.core.progress import BatchProgress, Speed

# The states in the order their segments run from the left, and their colours.
SEGMENTS: dict[FlagState, QColor] = {
    FlagState.DONE: QColor("#1e8e3e"),
    FlagState.SKIPPED: QColor("#81c995"),
    FlagState.NOT_FOUND: QColor("#f29900"),
    FlagState.ERROR: QColor("#d93025"),
    FlagState.CANCELLED: QColor("#9aa0a6"),
}
_BAR_HEIGHT = 6
_GAP = 3
# While a batch runs, its speed and time left are worked out again this often
# (milliseconds), so that they fall when nothing arrives.
TICK = 1000


class BatchProgressBar(QProgressBar):
    """A progress bar whose segments show how the finished flags ended
    (saved, already saved, not found, failed, cancelled, each in its own
    colour), with the same in words under it ("49 saved · 145 cancelled"),
    and while the batch runs, its speed and the time left.

    Its value is the number of flags that have ended, as a QProgressBar's;
    :meth:`text` and the accessible description say how they ended.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._progress: BatchProgress | None = None
        self._running = False
        self._text = ""
        # The counts per state as last shown, and the batch's size: the
        # segments are painted from these, so they agree with the words.
        self._shown: dict[FlagState, int] = {}
        self._total = 0
        self.setAccessibleName(self.tr("Download progress"))
        self.setTextVisible(False)  # it paints its own
        self.setValue(0)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK)
        self._tick.timeout.connect(self.refresh)

    # The batch --------------------------------------------------------------
    def start(self, progress: BatchProgress) -> None:
        """Follow *progress*, the tally of a batch that has begun."""
        self._progress = progress
        self._running = True
        self._tick.start()
        self.refresh()

    def finish(self) -> None:
        """The batch has ended: show how, without a speed."""
        self._running = False
        self._tick.stop()
        self.refresh()

    def clear(self) -> None:
        """Show no batch."""
        self._progress = None
        self._running = False
        self._tick.stop()
        self.refresh()

    def refresh(self) -> None:
        """Show the tally as it is now."""
        progress = self._progress
        if progress is None:
            self._text = ""
            self._shown, self._total = {}, 0
            self.setMaximum(1)
            self.setValue(0)
            self.setAccessibleDescription("")
            self.setToolTip("")
            self.update()
            return
        speed = progress.speed() if self._running else None
        self._shown = {state: progress.count(state) for state in SEGMENTS}
        self._total = progress.total
        # QProgressBar repaints itself at once, within setValue, when the
        # value moved since its own paintEvent last ran, which never runs
        # here: such a repaint paints what is behind the bar too, ~3 ms
        # each time during a batch. It is repainted with the window instead.
        self.setUpdatesEnabled(False)
        self.setMaximum(max(progress.total, 1))
        self.setValue(progress.finished)
        self.setUpdatesEnabled(True)
        self._text = self._words(progress, speed)
        description = self._description(progress, speed)
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    def text(self) -> str:
        return self._text

    # Words ------------------------------------------------------------------
    def _parts(self, progress: BatchProgress, states: tuple[FlagState, ...]) -> list[str]:
        words = {
            FlagState.DONE: lambda n: self.tr("%n saved", "", n),
            FlagState.SKIPPED: lambda n: self.tr("%n already saved", "", n),
            FlagState.NOT_FOUND: lambda n: self.tr("%n not found", "", n),
            FlagState.ERROR: lambda n: self.tr("%n failed", "", n),
            FlagState.CANCELLED: lambda n: self.tr("%n cancelled", "", n),
        }
        return [words[state](n) for state in states if (n := progress.count(state))]

    def _words(self, progress: BatchProgress, speed: Speed | None) -> str:
        """``49 saved · 145 cancelled``; while running ``49 of 194 · 2 failed
        · 9.8 flags/s · 120 KiB/s · about 15 s left``."""
        if not self._running:
            return " · ".join(self._parts(progress, tuple(SEGMENTS)))
        troubles = (FlagState.NOT_FOUND, FlagState.ERROR, FlagState.CANCELLED)
        parts = [
            self.tr("{finished} of {total}").format(
                finished=progress.finished, total=progress.total
            ),
            *self._parts(progress, troubles),
            *self._speed(speed),
        ]
        return " · ".join(parts)

    def tally(self, progress: BatchProgress) -> str:
        """``49 of 194 saved, 145 cancelled``: the description without the
        speed, also what a screen reader is told now and then."""
        return self._description(progress, None)

    def _description(self, progress: BatchProgress, speed: Speed | None) -> str:
        """``49 of 194 saved, 145 cancelled``, and the speed while running."""
        saved = progress.count(FlagState.DONE) + progress.count(FlagState.SKIPPED)
        troubles = (FlagState.NOT_FOUND, FlagState.ERROR, FlagState.CANCELLED)
        parts = [
            self.tr("%n of {total} saved", "", saved).format(total=progress.total),
            *self._parts(progress, troubles),
            *(self._speed(speed) if self._running else []),
        ]
        return self.tr(", ", "between the parts of a list").join(parts)

    def _speed(self, speed: Speed | None) -> list[str]:
        if speed is None:
            return []
        flags = f"{speed.flags:.1f}" if speed.flags < 10 else f"{speed.flags:.0f}"
        kib = speed.bytes / 1024
        parts = [
            self.tr("{rate} flags/s").format(rate=flags),
            self.tr("{rate} MiB/s").format(rate=f"{kib / 1024:.1f}")
            if kib >= 1024
            else self.tr("{rate} KiB/s").format(rate=f"{kib:.0f}"),
        ]
        left = speed.seconds_left
        if left is not None:
            if left < 60:
                parts.append(self.tr("about %n s left", "", max(1, math.ceil(left))))
            else:
                parts.append(self.tr("about %n min left", "", round(left / 60)))
        return parts

    # Painting ---------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(200, _BAR_HEIGHT + _GAP + self.fontMetrics().height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(0, 1, self.width(), _BAR_HEIGHT)
        track = QPainterPath()
        track.addRoundedRect(bar, _BAR_HEIGHT / 2, _BAR_HEIGHT / 2)
        empty = QColor(self.palette().color(QPalette.ColorRole.Mid))
        empty.setAlpha(110)
        painter.fillPath(track, empty)
        if self._total:
            painter.setClipPath(track)
            done = 0
            for state, colour in SEGMENTS.items():
                count = self._shown.get(state, 0)
                if not count:
                    continue
                # Whole pixels: neighbours meet without a blended seam.
                left = round(bar.width() * done / self._total)
                done += count
                right = round(bar.width() * done / self._total)
                painter.fillRect(QRectF(left, bar.top(), right - left, bar.height()), colour)
            painter.setClipping(False)
        if self._text:
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            line = self.rect().adjusted(0, _BAR_HEIGHT + _GAP, 0, 0)
            shown = self.fontMetrics().elidedText(
                self._text, Qt.TextElideMode.ElideRight, line.width()
            )
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, shown)
        painter.end()
