"""Keeping the flags being downloaded in view while a batch runs."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView

from flaggui.ui.flag_model import FlagListModel, TileState
from flaggui.ui.grid import FlagGrid

# At most this often (seconds) the grid is looked at, and perhaps scrolled:
# four times a second follows a batch without the view jumping every frame.
FOLLOW_INTERVAL = 0.25


class DownloadFollower(QObject):
    """While a batch runs, scrolls the grid so that the first tile being
    downloaded is in view, once it has left the view, putting it at the top
    (the ones after it follow below). It looks at most every
    FOLLOW_INTERVAL, when told that the tiles changed (once a frame), so a
    burst of events costs nothing here.

    Scrolling by hand pauses it until the batch ends or it is switched on
    again, as a terminal stops following its output when scrolled back.

    Signals:
        followingChanged(bool): it follows now, or no longer (switched off,
            or paused by the user's scrolling).
    """

    followingChanged = Signal(bool)

    def __init__(self, grid: FlagGrid, model: FlagListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid, self.model = grid, model
        self.enabled = True
        self.paused = False
        self._running = False
        self._looked = -math.inf  # when the grid was last looked at
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.follow)
        grid.scrolledByHand.connect(self._scrolled_by_hand)

    @property
    def following(self) -> bool:
        return self.enabled and not self.paused

    def set_enabled(self, enabled: bool) -> None:
        """Switch following on or off; switched on, it follows at once."""
        self._set(enabled, paused=False)
        self.tiles_changed()

    def batch_started(self) -> None:
        self._running = True
        self._set(self.enabled, paused=False)
        self.tiles_changed()

    def batch_ended(self) -> None:
        self._running = False
        self._timer.stop()
        self._set(self.enabled, paused=False)

    def tiles_changed(self) -> None:
        """The tiles changed: look at the grid soon, at most every
        FOLLOW_INTERVAL."""
        if not (self._running and self.following) or self._timer.isActive():
            return
        wait = FOLLOW_INTERVAL - (time.monotonic() - self._looked)
        self._timer.start(round(max(0.0, wait) * 1000))

    def follow(self) -> None:
        """Scroll the first tile in flight into view, if it is not."""
        if not (self._running and self.following) or not self.grid.isVisible():
            return
        self._looked = time.monotonic()
        index = self.first_in_flight()
        if index.isValid() and not self.grid.viewport().rect().contains(
            self.grid.visualRect(index)
        ):
            self.grid.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)

    def first_in_flight(self) -> QModelIndex:
        """The grid's first tile being downloaded, in the grid's order."""
        proxy = self.grid.model()
        if not isinstance(proxy, QSortFilterProxyModel):
            return QModelIndex()
        rows = (
            proxy.mapFromSource(self.model.index(row)).row()
            for row in self.model.rows_in(TileState.DOWNLOADING)
        )
        shown = (row for row in rows if row >= 0)  # not filtered out
        # Unsorted (the model's code order), the first shown is the first.
        first = next(shown, -1) if proxy.sortColumn() < 0 else min(shown, default=-1)
        return proxy.index(first, 0) if first >= 0 else QModelIndex()

    def _scrolled_by_hand(self) -> None:
        if self._running and self.following:
            self._timer.stop()
            self._set(self.enabled, paused=True)

    def _set(self, enabled: bool, paused: bool) -> None:
        following = self.following
        self.enabled, self.paused = enabled, paused
        if self.following != following:
            self.followingChanged.emit(self.following)
