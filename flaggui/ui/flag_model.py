"""The grid's model: one tile per flag, in code order, with its live state."""

from __future__ import annotations

import bisect
import contextlib
import enum
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QUrl,
)
from PySide6.QtGui import QPixmap

from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.ui.folder import FlagFile, code_of
from flaggui.ui.i18n import name_of, search_text
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import ThumbnailKey, flag_image

_Index = QModelIndex | QPersistentModelIndex


# Asked for each tile at each repaint: combined once (an enum's | is Python).
_TILE_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_FILE_FLAGS = _TILE_FLAGS | Qt.ItemFlag.ItemIsDragEnabled  # a saved flag can be dragged out


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

    @property
    def unfinished(self) -> bool:
        """The flag was tried and did not arrive: it can be retried."""
        return self in UNFINISHED

    @property
    def group(self) -> TileGroup:
        """Which of the grid's "Show" choices lists a tile in this state."""
        return _GROUPS[self]

    def label(self) -> str:
        return QCoreApplication.translate("TileState", str(_LABELS[self]))

    @staticmethod
    def final(state: FlagState) -> TileState:
        """The tile state of a flag that ended in *state*."""
        return _FINAL[state]


_LABELS = {
    TileState.ON_DISK: QT_TRANSLATE_NOOP("TileState", "saved"),
    TileState.WAITING: QT_TRANSLATE_NOOP("TileState", "waiting"),
    TileState.DOWNLOADING: QT_TRANSLATE_NOOP("TileState", "downloading"),
    TileState.DONE: QT_TRANSLATE_NOOP("TileState", "done"),
    TileState.SKIPPED: QT_TRANSLATE_NOOP("TileState", "already saved"),
    TileState.NOT_FOUND: QT_TRANSLATE_NOOP("TileState", "not found"),
    TileState.ERROR: QT_TRANSLATE_NOOP("TileState", "error"),
    TileState.CANCELLED: QT_TRANSLATE_NOOP("TileState", "cancelled"),
}
_FINAL = {
    FlagState.DONE: TileState.DONE,
    FlagState.SKIPPED: TileState.SKIPPED,
    FlagState.NOT_FOUND: TileState.NOT_FOUND,
    FlagState.ERROR: TileState.ERROR,
    FlagState.CANCELLED: TileState.CANCELLED,
}


class TileGroup(enum.Enum):
    """The states the grid can be narrowed to: saved, failed (not found or
    an error of any kind), cancelled; the flags of a running batch are
    listed only with all of them."""

    SAVED = "saved"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ACTIVE = "active"


UNFINISHED = frozenset({TileState.NOT_FOUND, TileState.ERROR, TileState.CANCELLED})
_GROUPS = {
    TileState.ON_DISK: TileGroup.SAVED,
    TileState.DONE: TileGroup.SAVED,
    TileState.SKIPPED: TileGroup.SAVED,
    TileState.WAITING: TileGroup.ACTIVE,
    TileState.DOWNLOADING: TileGroup.ACTIVE,
    TileState.NOT_FOUND: TileGroup.FAILED,
    TileState.ERROR: TileGroup.FAILED,
    TileState.CANCELLED: TileGroup.CANCELLED,
}


@dataclass(frozen=True)
class FlagTile:
    """What one tile shows. Frozen: the model swaps in a changed copy
    (``dataclasses.replace``), so a misspelt field fails in mypy."""

    code: str
    name: str
    state: TileState
    reason: str = ""
    path: Path | None = None
    size: int = 0
    modified: float | None = None  # when the file was written
    version: int = 0  # bumped whenever the file is replaced


class FlagRoles(enum.IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    NAME = enum.auto()
    STATE = enum.auto()
    REASON = enum.auto()
    PATH = enum.auto()
    TILE = enum.auto()
    SEARCH = enum.auto()  # "CN China", what the filter matches
    FILE_SIZE = enum.auto()
    MODIFIED = enum.auto()
    # "failed\tCN China ...": the tile's group, a tab, what the text filter
    # matches; the grid's filter is one regular expression over it, so Qt
    # filters the rows without calling into Python.
    FILTER = enum.auto()


def filter_text(tile: FlagTile) -> str:
    return f"{tile.state.group.value}\t{search_text(tile.code, tile.name)}"


def mime_for(paths: list[Path]) -> QMimeData:
    """File URLs for file managers, the image itself for image editors (when
    one flag is carried and it is a sound image: read boundedly from a
    regular file, so a FIFO or a link to a device never blocks the window),
    and the paths as text."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    mime.setText("\n".join(str(path) for path in paths))
    if len(paths) == 1:
        image = flag_image(paths[0])
        if image is not None:
            mime.setImageData(image)
    return mime


class FlagListModel(QAbstractListModel):
    """Tiles sorted by country code.

    New tiles are inserted in place (``rowsInserted``, one signal per
    contiguous run), so the views keep their selection and scroll position;
    only :meth:`clear` resets. A change of tiles emits ``dataChanged`` for
    the rows and roles that changed, nothing if none did: one signal per run
    of adjacent rows whose same roles changed, once the change is complete
    (a batch of engine events, a rescan), so a burst of events reaches the
    views as a few signals instead of hundreds. The decoration is the
    tile's thumbnail at ``thumbnail_size``, asked of the
    thumbnail cache only when a view wants it (so only visible tiles are
    ever rendered); the cache's ``ready`` signal repaints the one row (not
    for a list icon, which no tile shows).
    """

    def __init__(self, cache: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.thumbnail_size = QSize(96, 64)
        self._tiles: list[FlagTile] = []
        self._codes: list[str] = []  # sorted, parallel to _tiles
        # While a change is under way: each changed tile as it was before
        # (by code), announced when the change ends.
        self._before: dict[str, FlagTile] | None = None
        cache.ready.connect(self._thumbnail_ready)
        cache.failed.connect(self._thumbnail_failed)

    # Qt API ---------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tiles)

    def roleNames(self) -> dict[int, QByteArray]:
        names = {int(role): QByteArray(role.name.lower().encode()) for role in FlagRoles}
        return {**super().roleNames(), **names}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._tiles):
            return None
        tile = self._tiles[index.row()]
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(tile)
        return self._value(tile, role)

    def _value(self, tile: FlagTile, role: int) -> object:
        """The data of *tile* for a role other than the decoration."""
        if role == Qt.ItemDataRole.DisplayRole:
            return tile.code
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
        if role == FlagRoles.SEARCH:
            return search_text(tile.code, tile.name)
        if role == FlagRoles.FILE_SIZE:
            return tile.size if tile.path else None
        if role == FlagRoles.MODIFIED:
            return tile.modified
        if role == FlagRoles.FILTER:
            return filter_text(tile)
        # What a screen reader says of the tile: "Japan (JP)", then its
        # state and why it failed.
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{tile.name} ({tile.code})"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self._description(tile)
        return None

    def _changed_roles(self, old: FlagTile, new: FlagTile) -> tuple[int, ...]:
        """The roles whose data differ between two versions of a tile, in
        ascending order; none if the tiles are equal. Worked out from the
        fields that differ (a burst of events asks this hundreds of times a
        frame); the tooltip, made of several fields, is compared whole."""
        if old == new:
            return ()
        roles: list[int] = [FlagRoles.TILE]
        if old.name != new.name:
            roles += (FlagRoles.NAME, FlagRoles.SEARCH)
        if old.state is not new.state:
            roles.append(FlagRoles.STATE)
        if old.reason != new.reason:
            roles.append(FlagRoles.REASON)
        if old.path != new.path:
            roles.append(FlagRoles.PATH)
        if self._value(old, FlagRoles.FILE_SIZE) != self._value(new, FlagRoles.FILE_SIZE):
            roles.append(FlagRoles.FILE_SIZE)
        if old.modified != new.modified:
            roles.append(FlagRoles.MODIFIED)
        if old.name != new.name or old.state.group is not new.state.group:
            roles.append(FlagRoles.FILTER)
        shown = (old.name, old.state, old.reason, old.path) != (
            new.name,
            new.state,
            new.reason,
            new.path,
        )
        if shown and self._tooltip(old) != self._tooltip(new):
            roles.append(Qt.ItemDataRole.ToolTipRole)
        if old.name != new.name:  # the code never changes
            roles.append(Qt.ItemDataRole.AccessibleTextRole)
        described = (old.state, old.reason) != (new.state, new.reason)
        if described and self._description(old) != self._description(new):
            roles.append(Qt.ItemDataRole.AccessibleDescriptionRole)
        if old.path != new.path or (new.path is not None and old.version != new.version):
            roles.append(Qt.ItemDataRole.DecorationRole)
        return tuple(sorted(int(role) for role in roles))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FILE_FLAGS if self._tiles[index.row()].path is not None else _TILE_FLAGS

    # Dragging out -----------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return ["text/uri-list", "application/x-qt-image", "text/plain"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({index.row() for index in indexes})
        return mime_for([path for row in rows if (path := self._tiles[row].path) is not None])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # Thumbnails -------------------------------------------------------------
    def thumbnail(self, tile: FlagTile) -> QPixmap | None:
        """The tile's thumbnail at the current size, or meanwhile another
        rendering of it; asks the cache to render it if needed."""
        if tile.path is None:
            return None
        return self.cache.get(ThumbnailKey.of(tile.path, tile.version, self.thumbnail_size))

    def prefetch_thumbnail(self, tile: FlagTile) -> None:
        """Ask for the tile's thumbnail at the current size ahead of need
        (it is just off screen): after the thumbnails on screen."""
        if tile.path is not None:
            key = ThumbnailKey.of(tile.path, tile.version, self.thumbnail_size)
            self.cache.request(key, ahead=True)

    def set_thumbnail_size(self, size: QSize) -> None:
        if size == self.thumbnail_size:
            return
        self.thumbnail_size = QSize(size)
        if self._tiles:
            roles = [Qt.ItemDataRole.DecorationRole]
            self.dataChanged.emit(self.index(0), self.index(len(self._tiles) - 1), roles)

    def _thumbnail_ready(self, key: ThumbnailKey) -> None:
        if key.padded:
            return  # a list icon: the tiles show no such rendering
        row = self._row_of_path(key.path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _thumbnail_failed(self, path: str, reason: str) -> None:
        row = self._row_of_path(path)
        if row is not None:
            self._set_state(self._tiles[row].code, TileState.ERROR, reason)

    def _row_of_path(self, path: str) -> int | None:
        code = code_of(path)
        row = self._row(code) if code else None
        if row is None or str(self._tiles[row].path) != path:
            return None
        return row

    # Reading --------------------------------------------------------------
    def tile(self, code: str) -> FlagTile | None:
        row = self._row(code)
        return None if row is None else self._tiles[row]

    def tiles(self) -> list[FlagTile]:
        return list(self._tiles)

    def tiles_in_rows(self, first: int, last: int) -> list[FlagTile]:
        """The tiles of rows *first* to *last* (both included), as Python
        reads them: a listing inserts hundreds of rows, and asking each
        row's ``data()`` through Qt costs several microseconds a row."""
        return self._tiles[max(0, first) : last + 1]

    def codes_in(self, *states: TileState) -> list[str]:
        return [t.code for t in self._tiles if t.state in states]

    def rows_in(self, *states: TileState) -> list[int]:
        return [row for row, tile in enumerate(self._tiles) if tile.state in states]

    # Changing -------------------------------------------------------------
    @contextlib.contextmanager
    def _change(self) -> Iterator[None]:
        """Changes of tiles made within are announced at its end, at once:
        one ``dataChanged`` per run of adjacent rows with the same changed
        roles, for the net change of each tile (a tile changed and changed
        back says nothing). Rows inserted or removed meanwhile are
        announced as they happen. Nests."""
        if self._before is not None:
            yield
            return
        self._before = {}
        try:
            yield
        finally:
            before, self._before = self._before, None
            self._announce(before)

    def _announce(self, before: dict[str, FlagTile]) -> None:
        changes = []
        for code, old in before.items():
            row = self._row(code)
            if row is not None:
                roles = self._changed_roles(old, self._tiles[row])
                if roles:
                    changes.append((row, roles))
        changes.sort()
        start = 0
        for end in range(1, len(changes) + 1):
            if (
                end == len(changes)
                or changes[end][0] != changes[end - 1][0] + 1
                or changes[end][1] != changes[start][1]
            ):
                top, bottom = self.index(changes[start][0]), self.index(changes[end - 1][0])
                self.dataChanged.emit(top, bottom, list(changes[start][1]))
                start = end

    def clear(self) -> None:
        self.beginResetModel()
        self._tiles.clear()
        self._codes.clear()
        self.endResetModel()

    def show_on_disk(self, files: dict[str, FlagFile]) -> None:
        """Add tiles for flags found in the folder (code -> file), and give
        their files to shown tiles that had none."""

        def on_disk(code: str) -> FlagTile:
            found = files[code]
            return FlagTile(
                code,
                name_of(code),
                TileState.ON_DISK,
                path=found.path,
                size=found.size,
                modified=found.modified,
            )

        with self._change():
            self._merge(files, on_disk)
            for code, found in files.items():
                tile = self.tile(code)
                if tile is not None and tile.path is None:
                    tile = replace(tile, path=found.path, size=found.size, modified=found.modified)
                    if tile.state.unfinished:
                        # It arrived after all (another program, a copy).
                        tile = replace(tile, state=TileState.ON_DISK, reason="")
                    self._put(tile)

    def show_unfinished(self, unfinished: Mapping[str, tuple[TileState, str]]) -> list[str]:
        """Show flags that did not arrive in an earlier batch (code ->
        their state and reason) as tiles in that state; a flag the grid
        shows already (its file is in the folder, or a batch has it) stays
        as it is. The codes shown, in order."""
        new = sorted(code for code in unfinished if self._row(code) is None)

        def tile(code: str) -> FlagTile:
            state, reason = unfinished[code]
            return FlagTile(code, name_of(code), state, reason)

        self._merge(new, tile)
        return new

    def group_counts(self) -> Counter[TileGroup]:
        """How many tiles each of the grid's "Show" choices lists."""
        return Counter(tile.state.group for tile in self._tiles)

    def prepare_batch(self, codes: list[str]) -> None:
        """Every code of a new batch starts WAITING; other tiles stay."""
        with self._change():
            self._merge(codes, lambda code: FlagTile(code, name_of(code), TileState.WAITING))
            for code in codes:
                self._set_state(code, TileState.WAITING, "")

    def apply_events(self, events: Iterable[FlagEvent]) -> None:
        """Mirror engine events, in order, into their tiles; the views hear
        of the changes once, at the end."""
        with self._change():
            for event in events:
                self.apply_event(event)

    def apply_event(self, event: FlagEvent) -> None:
        """Mirror one engine event into its tile."""
        if event.phase is Phase.STARTED:
            self._set_state(event.code, TileState.DOWNLOADING)
        elif event.phase is Phase.RETRY:
            self._set_state(event.code, TileState.WAITING, event.detail)
        elif event.phase is Phase.FINISHED and event.result is not None:
            self._finish(event.result)

    def mark_failed(self, code: str, reason: str) -> None:
        self._set_state(code, TileState.ERROR, reason)

    def file_removed(self, path: Path) -> None:
        """The file of a tile is gone: a tile that only showed the file goes
        too; one with a batch state stays, without a file."""
        row = self._row_of_path(str(path))
        if row is None:
            return
        self.cache.forget(path)
        tile = self._tiles[row]
        if tile.state.has_file or tile.state is TileState.ERROR:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._tiles[row]
            del self._codes[row]
            if self._before is not None:
                self._before.pop(tile.code, None)  # a tile shown again is inserted anew
            self.endRemoveRows()
        else:
            self._put(replace(tile, path=None, size=0, modified=None))

    def sync_on_disk(self, files: dict[str, FlagFile]) -> None:
        """Bring the tiles in step with a new scan of the folder: files that
        went away, were replaced, or appeared."""
        with self._change():
            self._sync_on_disk(files)

    def _sync_on_disk(self, files: dict[str, FlagFile]) -> None:
        for tile in list(self._tiles):
            found = files.get(tile.code)
            if tile.path is not None and (found is None or found.path != tile.path):
                self.file_removed(tile.path)
        for code, found in files.items():
            shown = self.tile(code)
            if shown is None or shown.path is None or shown.state.busy:
                continue
            if shown.size != found.size or abs((shown.modified or 0.0) - found.modified) > 1.0:
                self.cache.forget(found.path)
                state = TileState.ON_DISK if shown.state is TileState.ERROR else shown.state
                self._put(
                    replace(
                        shown,
                        size=found.size,
                        modified=found.modified,
                        version=shown.version + 1,
                        state=state,
                        reason="" if state is not shown.state else shown.reason,
                    )
                )
        self.show_on_disk(files)

    # Internals ------------------------------------------------------------
    def _finish(self, result: FlagResult) -> None:
        tile = self.tile(result.code)
        if tile is None:
            return
        state = TileState.final(result.state)
        if state is TileState.CANCELLED and tile.path is not None:
            # A flag already in the folder stays shown as saved.
            state = TileState.ON_DISK
        new = replace(
            tile,
            state=state,
            reason=result.reason,
            name=name_of(result.code, result.country),  # the server's, for unknown codes
        )
        if result.state is FlagState.DONE:
            new = replace(
                new,
                path=result.path,
                size=result.size,
                modified=time.time(),
                version=tile.version + 1,
            )
        elif result.state is FlagState.SKIPPED and tile.path is None:
            new = replace(new, path=result.path, size=result.size)
        self._put(new)

    def _row(self, code: str) -> int | None:
        row = bisect.bisect_left(self._codes, code)
        if row < len(self._codes) and self._codes[row] == code:
            return row
        return None

    def _merge(self, codes: Iterable[str], make: Callable[[str], FlagTile]) -> None:
        """Add the tiles *make* makes for the codes not shown yet, at their
        places in code order: one insert per contiguous run of new rows (a
        view that lays itself out again for each of 194 single-row inserts
        stalls), never a reset, which would drop the selection."""
        new = sorted(set(codes).difference(self._codes))
        start = 0
        while start < len(new):
            row = bisect.bisect_left(self._codes, new[start])
            # The run: every new code before the next shown one.
            end = start + 1
            if row < len(self._codes):
                end = bisect.bisect_left(new, self._codes[row], lo=end)
            else:
                end = len(new)
            run = [make(code) for code in new[start:end]]
            self.beginInsertRows(QModelIndex(), row, row + len(run) - 1)
            self._tiles[row:row] = run
            self._codes[row:row] = new[start:end]
            self.endInsertRows()
            start = end

    def _set_state(self, code: str, state: TileState, reason: str | None = None) -> None:
        """Give a tile a new state, and a new reason unless None."""
        tile = self.tile(code)
        if tile is None or (tile.state is state and reason in (None, tile.reason)):
            return
        self._put(replace(tile, state=state, reason=tile.reason if reason is None else reason))

    def _put(self, tile: FlagTile) -> None:
        """Replace the shown tile of the same code; ``dataChanged`` names the
        roles that changed (when the change under way ends, if one is)."""
        row = self._row(tile.code)
        if row is None:
            return
        old = self._tiles[row]
        if old == tile:
            return
        self._tiles[row] = tile
        if self._before is not None:
            self._before.setdefault(tile.code, old)
            return
        roles = self._changed_roles(old, tile)
        index = self.index(row)
        self.dataChanged.emit(index, index, list(roles))

    @staticmethod
    def _reason_shown(tile: FlagTile) -> bool:
        """Whether the tile's reason says something (a retry's or a failure's)."""
        return bool(tile.reason) and tile.state not in (TileState.DONE, TileState.ON_DISK)

    @classmethod
    def _description(cls, tile: FlagTile) -> str:
        """ "error: HTTP 503 Service Unavailable", or the state alone."""
        if cls._reason_shown(tile):
            return QCoreApplication.translate("FlagListModel", "{state}: {reason}").format(
                state=tile.state.label(), reason=tile.reason
            )
        return tile.state.label()

    @classmethod
    def _tooltip(cls, tile: FlagTile) -> str:
        text = f"{tile.name} ({tile.code}) — {tile.state.label()}"
        if cls._reason_shown(tile):
            text += f"\n{tile.reason}"
        if tile.path is not None and tile.state.has_file:
            text += f"\n{tile.path}"
        return text
