"""The grid's model: one tile per flag, in code order, with its live state."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPixmap

from flaggui.core.countries import country_name
from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase

_Index = QModelIndex | QPersistentModelIndex


class TileState(enum.Enum):
    """What a tile shows. The final ones mirror the engine's FlagState."""

    ON_DISK = "on disk"  # found in the folder, not part of a batch
    WAITING = "waiting"
    DOWNLOADING = "downloading"
    DONE = "done"
    SKIPPED = "skipped"
    NOT_FOUND = "not found"
    ERROR = "error"
    CANCELLED = "cancelled"

    @property
    def has_file(self) -> bool:
        return self in (TileState.ON_DISK, TileState.DONE, TileState.SKIPPED)

    @property
    def busy(self) -> bool:
        return self in (TileState.WAITING, TileState.DOWNLOADING)

    def label(self) -> str:
        return QCoreApplication.translate("TileState", _LABELS[self])


_LABELS = {
    TileState.ON_DISK: "saved",
    TileState.WAITING: "waiting",
    TileState.DOWNLOADING: "downloading",
    TileState.DONE: "done",
    TileState.SKIPPED: "already saved",
    TileState.NOT_FOUND: "not found",
    TileState.ERROR: "error",
    TileState.CANCELLED: "cancelled",
}
_FINAL = {
    FlagState.DONE: TileState.DONE,
    FlagState.SKIPPED: TileState.SKIPPED,
    FlagState.NOT_FOUND: TileState.NOT_FOUND,
    FlagState.ERROR: TileState.ERROR,
    FlagState.CANCELLED: TileState.CANCELLED,
}


@dataclass
class FlagTile:
    code: str
    name: str
    state: TileState
    reason: str = ""
    path: Path | None = None
    size: int = 0
    thumbnail: QPixmap | None = None
    finished_at: float | None = None


class FlagRoles(enum.IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    NAME = enum.auto()
    STATE = enum.auto()
    REASON = enum.auto()
    PATH = enum.auto()
    TILE = enum.auto()


class FlagListModel(QAbstractListModel):
    """Tiles sorted by country code.

    Every change emits ``dataChanged`` for the one row it touched; rows are
    inserted in place so the order stays stable while a batch runs.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tiles: list[FlagTile] = []
        self._codes: list[str] = []  # sorted, parallel to _tiles

    # Qt API ---------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tiles)

    def roleNames(self) -> dict[int, bytes]:
        names = {int(role): role.name.lower().encode() for role in FlagRoles}
        return {**super().roleNames(), **names}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._tiles):
            return None
        tile = self._tiles[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return tile.code
        if role == Qt.ItemDataRole.DecorationRole:
            return tile.thumbnail
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(tile)
        if role == FlagRoles.CODE:
            return tile.code
        if role == FlagRoles.NAME:
            return tile.name
        if role == FlagRoles.STATE:
            return tile.state
        if role == FlagRoles.REASON:
            return tile.reason
        if role == FlagRoles.PATH:
            return str(tile.path) if tile.path else None
        if role == FlagRoles.TILE:
            return tile
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Reading --------------------------------------------------------------
    def tile(self, code: str) -> FlagTile | None:
        row = self._row(code)
        return None if row is None else self._tiles[row]

    def tiles(self) -> list[FlagTile]:
        return list(self._tiles)

    def codes_in(self, *states: TileState) -> list[str]:
        return [t.code for t in self._tiles if t.state in states]

    # Changing -------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self._tiles.clear()
        self._codes.clear()
        self.endResetModel()

    def show_on_disk(self, files: dict[str, Path]) -> None:
        """Add tiles for flags found in the folder (code -> path)."""
        self._merge(files, TileState.ON_DISK)
        for code, path in files.items():
            tile = self.tile(code)
            if tile is not None and tile.state is TileState.ON_DISK:
                tile.path = path

    def prepare_batch(self, codes: list[str]) -> None:
        """Every code of a new batch starts WAITING; other tiles stay."""
        self._merge(codes, TileState.WAITING)
        for code in codes:
            self._update(code, state=TileState.WAITING, reason="")

    def apply_event(self, event: FlagEvent) -> None:
        """Mirror one engine event into its tile."""
        if event.phase is Phase.STARTED:
            self._update(event.code, state=TileState.DOWNLOADING)
        elif event.phase is Phase.RETRY:
            self._update(event.code, state=TileState.WAITING, reason=event.detail)
        elif event.phase is Phase.FINISHED and event.result is not None:
            self._finish(event.result, event.at)

    def mark_failed(self, code: str, reason: str) -> None:
        self._update(code, state=TileState.ERROR, reason=reason)

    def set_thumbnail(self, code: str, pixmap: QPixmap | None) -> None:
        self._update(code, thumbnail=pixmap)

    def remove(self, code: str) -> None:
        row = self._row(code)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._tiles[row]
        del self._codes[row]
        self.endRemoveRows()

    # Internals ------------------------------------------------------------
    def _finish(self, result: FlagResult, at: float) -> None:
        state = _FINAL[result.state]
        tile = self.tile(result.code)
        if state is TileState.CANCELLED and tile is not None and tile.path is not None:
            # A flag already in the folder stays shown as saved.
            state = TileState.ON_DISK
        self._update(
            result.code,
            state=state,
            reason=result.reason,
            path=result.path or (tile.path if tile else None),
            size=result.size,
            name=result.country or (tile.name if tile else result.code),
            finished_at=at,
        )

    def _row(self, code: str) -> int | None:
        row = bisect.bisect_left(self._codes, code)
        if row < len(self._codes) and self._codes[row] == code:
            return row
        return None

    def _merge(self, codes: Iterable[str], state: TileState) -> None:
        """Add tiles for the codes not shown yet, in one reset: a view that
        lays itself out again for each of 194 single-row inserts stalls."""
        new = set(codes).difference(self._codes)
        if not new:
            return
        self.beginResetModel()
        self._tiles.extend(FlagTile(code, country_name(code) or code, state) for code in new)
        self._tiles.sort(key=lambda tile: tile.code)
        self._codes = [tile.code for tile in self._tiles]
        self.endResetModel()

    def _update(self, code: str, **changes: object) -> None:
        row = self._row(code)
        if row is None:
            return
        tile = self._tiles[row]
        for key, value in changes.items():
            setattr(tile, key, value)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    @staticmethod
    def _tooltip(tile: FlagTile) -> str:
        text = f"{tile.name} ({tile.code}) — {tile.state.label()}"
        if tile.reason and tile.state not in (TileState.DONE, TileState.ON_DISK):
            text += f"\n{tile.reason}"
        if tile.path is not None and tile.state.has_file:
            text += f"\n{tile.path}"
        return text
