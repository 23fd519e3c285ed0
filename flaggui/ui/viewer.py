"""The large view of one flag, with arrow keys to move through the grid."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from flaggui.ui.flag_model import FlagRoles, FlagTile
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import ThumbnailKey

# Flags are rendered for the viewer at up to this size, then fitted.
_NATURAL = QSize(4096, 4096)


class FlagViewer(QDialog):
    """Shows the flag at the grid's current index at its natural size,
    scaled down to fit, with its name, code, pixel size, file size and path.
    Left/Right (and Up/Down, Home/End) move through the grid's order; Esc
    closes. The image is decoded off the event loop by the thumbnail cache.

    For screen readers the window's title names the flag and its accessible
    description is the flag's state, as a tile reads, so that moving to
    the next flag reads "China — flag", "not found: …".

    Signals:
        currentChanged(QModelIndex): the viewer moved to another flag.
    """

    currentChanged = Signal(QModelIndex)

    def __init__(self, model: QAbstractItemModel, cache: ThumbnailCache, parent: QWidget) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(760, 560)
        self._model = model
        self._cache = cache
        self._row = 0
        self._pixmap: QPixmap | None = None

        self.image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setMinimumSize(200, 120)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.pixels = QLabel()
        self.file_size = QLabel()
        self.path = QLabel(textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path.setWordWrap(True)
        details = QFormLayout()
        details.addRow(self.tr("Size:"), self.pixels)
        details.addRow(self.tr("File:"), self.file_size)
        details.addRow(self.tr("Path:"), self.path)
        hint = QLabel(self.tr("← → previous / next    Esc close"))
        hint.setAccessibleName(self.tr("Left and Right arrows: previous and next flag; Esc closes"))
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.title)
        layout.addLayout(details)
        layout.addWidget(hint)
        cache.ready.connect(self._rendered)
        cache.failed.connect(self._refused)

    # Navigation -------------------------------------------------------------
    def show_row(self, row: int) -> None:
        count = self._model.rowCount()
        if count == 0:
            return
        self._row = max(0, min(row, count - 1))
        tile = self.tile()
        if tile is None:
            return
        self.setWindowTitle(self.tr("{name} — flag").format(name=tile.name))
        index = self._model.index(self._row, 0)
        self.setAccessibleDescription(str(index.data(Qt.ItemDataRole.AccessibleDescriptionRole)))
        self.title.setText(f"{tile.name}  ({tile.code})")
        self.path.setText(str(tile.path) if tile.path else self.tr("not downloaded"))
        size = tile.size if tile.path else 0
        self.file_size.setText(self.tr("{size:.1f} KiB").format(size=size / 1024) if size else "—")
        self._pixmap = None
        self._load()
        self.currentChanged.emit(index)

    def tile(self) -> FlagTile | None:
        tile = self._model.index(self._row, 0).data(FlagRoles.TILE)
        return tile if isinstance(tile, FlagTile) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Space: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Backspace: -1,
        }
        key = Qt.Key(event.key())
        if key in steps:
            self.show_row(self._row + steps[key])
        elif event.key() == Qt.Key.Key_Home:
            self.show_row(0)
        elif event.key() == Qt.Key.Key_End:
            self.show_row(self._model.rowCount() - 1)
        else:
            super().keyPressEvent(event)

    # Image ------------------------------------------------------------------
    def _key(self) -> ThumbnailKey | None:
        tile = self.tile()
        if tile is None or tile.path is None:
            return None
        return ThumbnailKey.of(tile.path, tile.version, _NATURAL)

    def _load(self) -> None:
        key = self._key()
        self.image.setAccessibleName("")  # the text shown instead, until a picture comes
        if key is None:
            self.image.setText(self.tr("No image"))
            self.pixels.setText("—")
            return
        self._pixmap = self._cache.get(key)
        reason = self._cache.broken_reason(key.path, key.version)
        if reason is not None:
            self._show_reason(reason)
            return
        self._show_pixmap()

    def _refused(self, path: str, reason: str) -> None:
        key = self._key()
        if key is not None and key.path == path:
            self._show_reason(reason)

    def _show_reason(self, reason: str) -> None:
        self.image.setText(self.tr("This flag is not shown: {reason}").format(reason=reason))
        self.pixels.setText("—")

    def _rendered(self, rendered: ThumbnailKey) -> None:
        key = self._key()
        if key is not None and key.path == rendered.path:
            self._pixmap = self._cache.pixmap(key) or self._pixmap
            self._show_pixmap()

    def _show_pixmap(self) -> None:
        pixmap = self._pixmap
        if pixmap is None or pixmap.isNull():
            self.pixels.setText("…")
            return
        self.pixels.setText(
            self.tr("{width} × {height} pixels").format(
                width=pixmap.width(), height=pixmap.height()
            )
        )
        target = self.image.size()
        if pixmap.width() > target.width() or pixmap.height() > target.height():
            pixmap = pixmap.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.image.setPixmap(pixmap)
        tile = self.tile()
        if tile is not None:
            self.image.setAccessibleName(self.tr("Flag of {name}").format(name=tile.name))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._pixmap is not None:  # else a reason or "No image" stays shown
            self._show_pixmap()
