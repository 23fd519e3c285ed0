"""The grid of flags: the view, and the filter/sort model in front of it."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QObject,
    QRect,
    QRegularExpression,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QRegion, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from flaggui.ui.delegate import FlagTileDelegate
from flaggui.ui.flag_model import FlagListModel, FlagRoles, FlagTile, TileGroup

MIN_ZOOM = 32
MAX_ZOOM = 512
DEFAULT_ZOOM = 96
ZOOM_STEPS = (32, 48, 64, 96, 128, 192, 256, 384, 512)
# During a batch, a repaint draws changed tiles for this long (seconds); the
# rest are shown as they were and drawn a frame later.
PAINT_BUDGET = 0.005
FRAME_MS = 16


def thumbnail_size(zoom: int) -> QSize:
    """Thumbnail box for a zoom level (its width): flags are about 3:2."""
    return QSize(zoom, zoom * 2 // 3)


def next_zoom(zoom: int, steps: int) -> int:
    """The zoom *steps* stops above (or below, if negative) *zoom*."""
    if steps > 0:
        larger = [z for z in ZOOM_STEPS if z > zoom]
        return larger[min(steps, len(larger)) - 1] if larger else MAX_ZOOM
    smaller = [z for z in ZOOM_STEPS if z < zoom]
    return smaller[-min(-steps, len(smaller))] if smaller else MIN_ZOOM


class SortKey(enum.Enum):
    CODE = "code"
    NAME = "name"
    TIME = "time"
    SIZE = "size"


# Role compared for each order; time and size show the newest and the
# largest first. The model itself keeps its tiles in code order.
_SORT_ROLES = {
    SortKey.NAME: (FlagRoles.NAME, Qt.SortOrder.AscendingOrder),
    SortKey.TIME: (FlagRoles.MODIFIED, Qt.SortOrder.DescendingOrder),
    SortKey.SIZE: (FlagRoles.FILE_SIZE, Qt.SortOrder.DescendingOrder),
}


class FlagFilterModel(QSortFilterProxyModel):
    """What the grid shows: the tiles of the chosen group (saved, failed,
    cancelled, or all) whose code or name contains the filter text (any
    case), in the chosen order. In code order, the model's own, nothing is
    sorted: tiles inserted or changed by a batch are passed on without
    being compared with the others."""

    def __init__(self, source: FlagListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(FlagRoles.FILTER)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self.set_sort_key(SortKey.CODE)

    def set_filter(self, text: str, group: TileGroup | None) -> None:
        """Show the tiles of *group* (all if None) that match *text*."""
        # FlagRoles.FILTER is "group<tab>code name…": the group is matched
        # whole before the tab, the text anywhere after it.
        pattern = "\t.*" + QRegularExpression.escape(text) if text else ""
        if group is not None:
            pattern = f"^{group.value}" + (pattern or "\t")
        self.setFilterRegularExpression(
            QRegularExpression(pattern, QRegularExpression.PatternOption.CaseInsensitiveOption)
        )

    def set_sort_key(self, key: SortKey) -> None:
        if key is SortKey.CODE:
            # The tiles are in code order already: column -1 keeps that
            # order rather than sorting it again, which places every new row
            # with a dozen comparisons, two calls into Python each.
            self.sort(-1)
            return
        role, order = _SORT_ROLES[key]
        self.setSortRole(role)
        self.sort(0, order)


class FlagGrid(QListView):
    """Thumbnails in rows that reflow with the width.

    Ctrl + mouse wheel asks for a zoom step; Enter or a double-click
    activates a tile; tiles can be dragged out to other applications. After
    scrolling, the thumbnails of the next screenful are asked for ahead.
    While ``paced`` (during a batch or a listing) a repaint spends at most
    :data:`PAINT_BUDGET` drawing changed tiles.

    Signals:
        zoomRequested(int): steps up (positive) or down (negative).
        scrolledByHand(): the user scrolled the grid (wheel, scroll bar, or
            keys that moved the view), not a program.
    """

    zoomRequested = Signal(int)
    scrolledByHand = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.empty_text = ""
        self.paced = False
        # How the screenful below is asked for: behind what is on screen.
        self.ask_ahead: Callable[[FlagTile], None] | None = None
        # Tiles a paced repaint left for the next frame: the grid's own
        # timer, so that none fires once the grid is gone.
        self._owed = QRegion()
        self._next_frame = QTimer(self)
        self._next_frame.setSingleShot(True)
        self._next_frame.setInterval(FRAME_MS)
        self._next_frame.timeout.connect(self._repaint_owed)
        self._look_ahead = QTimer(self)
        self._look_ahead.setSingleShot(True)
        self._look_ahead.setInterval(60)
        self._look_ahead.timeout.connect(self.prefetch)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._look_ahead.start())
        # Triggered by the wheel, a drag or a click on the bar, never by
        # setValue(): a layout or scrollTo() moving the view is not the user.
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self.scrolledByHand.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.verticalScrollBar().value()
        super().keyPressEvent(event)
        if self.verticalScrollBar().value() != before:
            self.scrolledByHand.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if steps:
                self.zoomRequested.emit(steps)
            event.accept()
            return
        super().wheelEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        delegate = self.itemDelegate()
        if isinstance(delegate, FlagTileDelegate):
            delegate.exposed = event.region()
            delegate.drawn = 0
            if self.paced:
                delegate.deadline = time.perf_counter() + PAINT_BUDGET
        try:
            super().paintEvent(event)
        finally:
            if isinstance(delegate, FlagTileDelegate):
                delegate.exposed = None
                delegate.deadline = None
                if not delegate.deferred.isEmpty():
                    # The tiles shown as they were get their turn next frame.
                    self._owed += delegate.deferred
                    delegate.deferred = QRegion()
                    if not self._next_frame.isActive():
                        self._next_frame.start()
        model = self.model()
        if self.empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            painter.end()

    def _repaint_owed(self) -> None:
        owed, self._owed = self._owed, QRegion()
        self.viewport().update(owed)

    def prefetch(self) -> None:
        """Ask for the thumbnails of the screenful below the visible one, so
        they are ready when scrolled to."""
        model = self.model()
        if model is None:
            return
        view = self.viewport().rect()
        ahead = QRect(view.left(), view.bottom(), view.width(), view.height())
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if self.visualRect(index).intersects(ahead):
                tile = index.data(FlagRoles.TILE)
                if self.ask_ahead is not None and isinstance(tile, FlagTile):
                    self.ask_ahead(tile)
                else:
                    index.data(Qt.ItemDataRole.DecorationRole)
