"""Painting one flag tile: thumbnail or state placeholder, code, name."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from flaggui.ui.flag_model import FlagRoles, FlagTile, TileState

STATE_COLOURS = {
    TileState.ON_DISK: QColor("#5f7f99"),
    TileState.WAITING: QColor("#9aa0a6"),
    TileState.DOWNLOADING: QColor("#1a73e8"),
    TileState.DONE: QColor("#1e8e3e"),
    TileState.SKIPPED: QColor("#5f7f99"),
    TileState.NOT_FOUND: QColor("#e37400"),
    TileState.ERROR: QColor("#d93025"),
    TileState.CANCELLED: QColor("#80868b"),
}
_GLYPHS = {
    TileState.WAITING: "…",
    TileState.DOWNLOADING: "↓",
    TileState.NOT_FOUND: "?",
    TileState.ERROR: "!",
    TileState.CANCELLED: "\u00d7",
}
_PADDING = 8
_MARGIN = 3  # around each tile's rounded rectangle
_BAR = 3
# Tiles drawn and kept for the next repaint: two screenfuls at the largest
# zoom, five at the default one (a tile there takes about 50 KiB).
TILE_BUDGET = 16 * 1024 * 1024
_SEEN = 4096
_EMPTY_LOOKS = 64
# Pictures of tiles without a thumbnail kept: every state, selected or not,
# focused or not, in one look (a zoom, a palette), each a tile's size.
_PLAIN = 4 * len(TileState)
_LABELS = 4096  # laid-out labels kept: a few hundred bytes each
_Index = QModelIndex | QPersistentModelIndex
_SELECTED = QStyle.StateFlag.State_Selected.value
_FOCUSED = QStyle.StateFlag.State_HasFocus.value
_HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform


class FlagTileDelegate(QStyledItemDelegate):
    """Draws a tile: the thumbnail (or a glyph for its state) in a box the
    size of the view's icon size, a coloured state bar, and, if labels are
    shown, the code in bold and the country name, elided.

    A grid repaints whenever tiles change, many times a second during a
    batch, and the part repainted holds many tiles that did not change.
    A tile without a thumbnail (waiting, downloading, failed, or saved
    before its thumbnail is rendered) is its state's picture in its look,
    the same for every such tile and drawn once, with its label on it. A
    tile with a thumbnail is drawn into a pixmap, kept (within ``budget``
    bytes) for as long as nothing it shows changes, and from then on copied
    to the screen: a settled tile at once, a tile in flight (which may
    change again before the next frame) once drawn twice the same. The
    empty tile of each look is drawn once too: a tile is drawn on it (the
    antialiased frame costs more than the rest). A label is laid out once
    per code, name and width (a tile is drawn again at each change of its
    state; its label stays the same).
    Tiles outside the part of the view being repainted (``exposed``, set by
    the view for each repaint) are skipped: the view asks for every tile in
    the bounding rectangle of the changed ones, and would clip them away.

    When dozens of tiles change at once (a burst of flags saved, a folder
    listed), drawing them all would hold the window for longer than a
    frame. With a ``deadline`` (a ``time.perf_counter()`` value, set by the
    view for each repaint during a batch or a listing), a tile that needs
    drawing once the deadline has passed is shown as it was last kept, if
    it was, for one more frame; a tile never kept in this look is shown
    without its thumbnail until a repaint has time for it (each repaint
    draws at least one). ``deferred`` then holds the rectangles the view
    repaints next.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        budget: int = TILE_BUDGET,
        thumbnail_of: Callable[[FlagTile], QPixmap | None] | None = None,
    ) -> None:
        super().__init__(parent)
        # The model's own lookup of a tile's thumbnail, what its decoration
        # role gives: asked in Python, it spares each tile of each repaint
        # a trip through the proxy and a QVariant (a fifth of a kept tile's
        # cost).
        self._thumbnail_of = thumbnail_of
        self.show_labels = True
        self.exposed: QRegion | None = None
        self.budget = budget
        self._tiles: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self._seen: OrderedDict[tuple[object, ...], None] = OrderedDict()  # drawn once
        self._bytes = 0
        self._placeholders: dict[tuple[object, ...], QPixmap] = {}
        self.deadline: float | None = None
        self.deferred = QRegion()
        # Each code's latest kept picture, with what it was drawn at.
        self._latest: dict[str, tuple[tuple[object, ...], QPixmap]] = {}
        self._owed: set[str] = set()  # shown as they were once: drawn next time
        self._empty: dict[tuple[object, ...], QPixmap] = {}  # by look: key[2:]
        self._plain: dict[tuple[object, ...], QPixmap] = {}  # by state and look
        self._labels: dict[tuple[object, ...], _Label] = {}
        self._text_colours: dict[tuple[object, ...], QColor] = {}  # by palette and selection
        self.drawn = 0  # tiles drawn in this repaint; the view resets it

    @property
    def bytes_used(self) -> int:
        """The memory the tiles kept as drawn take."""
        return self._bytes

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        box = option.decorationSize
        labels = 2 * option.fontMetrics.height() + 4 if self.show_labels else 0
        width = max(box.width() + 2 * _PADDING, 64 if self.show_labels else 0)
        return QSize(width + 8, box.height() + 2 * _PADDING + _BAR + labels + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        if self.exposed is not None and not self.exposed.intersects(option.rect):
            return
        tile = index.data(FlagRoles.TILE)
        if not isinstance(tile, FlagTile):
            return
        decoration = (
            index.data(Qt.ItemDataRole.DecorationRole)
            if self._thumbnail_of is None
            else self._thumbnail_of(tile)
        )
        thumbnail = (
            decoration if isinstance(decoration, QPixmap) and not decoration.isNull() else None
        )
        ratio = painter.device().devicePixelRatioF()
        size = option.rect.size()
        state = option.state.value  # bits as an int: an enum's & is Python
        # Everything the tile's pixels depend on.
        key = (
            tile,
            thumbnail.cacheKey() if thumbnail is not None else None,
            bool(state & _SELECTED),
            bool(state & _FOCUSED),
            size.width(),
            size.height(),
            option.decorationSize.width(),
            option.decorationSize.height(),
            self.show_labels,
            option.palette.cacheKey(),
            option.font.key(),
            ratio,
        )
        if thumbnail is None:
            # Its state's picture and its label: nothing of its own to keep,
            # and no picture kept earlier (with a thumbnail) is its own now.
            self._latest.pop(tile.code, None)
            self._draw_plain(painter, option, key[2:], tile, ratio)
            return
        drawn = self._tiles.get(key)
        if drawn is None:
            if self._defer(painter, option, tile, key, ratio):
                self.deferred += option.rect
                return
            self.drawn += 1
        if drawn is None and tile.state.busy and key not in self._seen:
            # A tile that has just changed may change again before it is
            # repainted as it is: it is kept only once drawn twice the same.
            self._seen[key] = None
            if len(self._seen) > _SEEN:
                self._seen.popitem(last=False)
            painter.save()
            painter.translate(option.rect.topLeft())
            painter.drawPixmap(0, 0, self._empty_tile(option, key[2:], ratio))
            self._draw(painter, option, QRect(QPoint(0, 0), size), tile, thumbnail, key[2:])
            painter.restore()
            return
        if drawn is None:
            self._seen.pop(key, None)
            # The empty tile of this look, with what the view shows around it.
            drawn = self._empty_tile(option, key[2:], ratio).copy()
            tile_painter = QPainter(drawn)
            self._draw(tile_painter, option, QRect(QPoint(0, 0), size), tile, thumbnail, key[2:])
            tile_painter.end()
            self._keep(key, drawn, tile.code)
        else:
            self._tiles.move_to_end(key)
        painter.drawPixmap(option.rect.topLeft(), drawn)

    def _defer(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        tile: FlagTile,
        key: tuple[object, ...],
        ratio: float,
    ) -> bool:
        """Show *tile* as it was instead of drawing it as *key*, past the
        deadline: its last kept picture in the same look, once (the next
        repaint draws it whatever the time); else, once a tile has been
        drawn in this repaint, the tile without its thumbnail. False if it
        is to be drawn."""
        code = tile.code
        if code in self._owed:
            self._owed.discard(code)
            return False
        if self.deadline is None or time.perf_counter() <= self.deadline:
            return False
        look = key[2:]  # selection, focus, size, zoom, labels, palette, font, scale
        latest = self._latest.get(code)
        if latest is not None and latest[0][2:] == look:
            self._owed.add(code)
            painter.drawPixmap(option.rect.topLeft(), latest[1])
            return True
        if not self.drawn:
            return False
        self._draw_plain(painter, option, look, tile, ratio)
        return True

    def _draw_plain(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        look: tuple[object, ...],
        tile: FlagTile,
        ratio: float,
    ) -> None:
        """*tile* without a thumbnail: its state's picture, then its label."""
        key = (tile.state, *look)
        plain = self._plain.get(key)
        if plain is None:
            plain = self._empty_tile(option, look, ratio).copy()
            plain_painter = QPainter(plain)
            area = QRect(QPoint(0, 0), option.rect.size())
            self._draw_picture(plain_painter, option, _inside(area), tile.state, None)
            plain_painter.end()
            if len(self._plain) >= _PLAIN:
                self._plain.clear()
            self._plain[key] = plain
        painter.drawPixmap(option.rect.topLeft(), plain)
        if self.show_labels:
            painter.save()
            painter.setRenderHints(_HINTS)
            self._draw_label(painter, _inside(option.rect), tile, option, look)
            painter.restore()

    def _empty_tile(
        self, option: QStyleOptionViewItem, look: tuple[object, ...], ratio: float
    ) -> QPixmap:
        """The tile's frame with nothing in it, drawn once per look."""
        pixmap = self._empty.get(look)
        if pixmap is None:
            size = option.rect.size()
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(option.palette.color(QPalette.ColorRole.Base))
            painter = QPainter(pixmap)
            self._draw_frame(painter, option, QRect(QPoint(0, 0), size))
            painter.end()
            if len(self._empty) > _EMPTY_LOOKS:
                self._empty.clear()
            self._empty[look] = pixmap
        return pixmap

    def _keep(self, key: tuple[object, ...], drawn: QPixmap, code: str) -> None:
        self._tiles[key] = drawn
        self._bytes += _cost(drawn)
        self._latest[code] = (key, drawn)
        while self._bytes > self.budget and len(self._tiles) > 1:
            old, evicted = self._tiles.popitem(last=False)
            self._bytes -= _cost(evicted)
            gone = old[0]
            if isinstance(gone, FlagTile) and self._latest.get(gone.code, (None,))[0] == old:
                del self._latest[gone.code]

    def _draw(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        area: QRect,
        tile: FlagTile,
        thumbnail: QPixmap | None,
        look: tuple[object, ...],
    ) -> None:
        # The frame is there already (the empty tile of the look).
        rect = _inside(area)
        self._draw_picture(painter, option, rect, tile.state, thumbnail)
        if self.show_labels:
            self._draw_label(painter, rect, tile, option, look)

    def _draw_picture(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        rect: QRect,
        state: TileState,
        thumbnail: QPixmap | None,
    ) -> None:
        """The thumbnail, or the placeholder of *state*, and the state bar,
        in the tile's rounded rectangle *rect*."""
        painter.setRenderHints(_HINTS)
        box = option.decorationSize
        image_box = QRect(
            rect.left() + (rect.width() - box.width()) // 2,
            rect.top() + _PADDING,
            box.width(),
            box.height(),
        )
        colour = STATE_COLOURS[state]
        if thumbnail is not None:
            self._draw_thumbnail(painter, thumbnail, image_box, state.busy)
        else:
            placeholder = self._placeholder(option, image_box.size(), colour, state)
            painter.drawPixmap(image_box.topLeft(), placeholder)

        bar = QRect(
            rect.left() + _PADDING, image_box.bottom() + 4, rect.width() - 2 * _PADDING, _BAR
        )
        _fill(painter, bar, colour)

    def _draw_label(
        self,
        painter: QPainter,
        rect: QRect,
        tile: FlagTile,
        option: QStyleOptionViewItem,
        look: tuple[object, ...],
    ) -> None:
        """The code in bold and the name below the state bar of the tile's
        rounded rectangle *rect*, in *look* (what :meth:`paint` keys a
        tile's picture by, less the tile and its thumbnail)."""
        selected, palette_key, font_key = look[0], look[7], look[8]
        label = self._labels.get((tile.code, tile.name, rect.width(), font_key))
        if label is None:
            label = self._label(tile, option, rect.width(), font_key)
        colour = self._text_colours.get((palette_key, selected))
        if colour is None:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            colour = option.palette.color(role)
            if len(self._text_colours) >= _EMPTY_LOOKS:
                self._text_colours.clear()
            self._text_colours[(palette_key, selected)] = colour
        painter.setPen(colour)
        painter.setFont(label.bold)
        left = rect.left()
        # Three pixels below the bar, which begins three below the box.
        top = rect.top() + _PADDING + option.decorationSize.height() + 3 + _BAR + 2
        painter.drawStaticText(QPointF(left + label.code_left, top), label.code)
        painter.setFont(label.font)
        painter.drawStaticText(QPointF(left + label.name_left, top + label.line), label.name)

    def _label(
        self, tile: FlagTile, option: QStyleOptionViewItem, width: int, font_key: object
    ) -> _Label:
        """The code (and its bold font) and the name of *tile*, elided to a
        tile *width* wide, laid out once: a tile is drawn again at each
        change of its state, and its label stays the same."""
        font = QFont(option.font)  # the option's own is gone with the option
        bold = QFont(font)
        bold.setBold(True)
        room = width - 8
        name = option.fontMetrics.elidedText(tile.name, Qt.TextElideMode.ElideRight, room)
        code_text, name_text = _static(tile.code, bold), _static(name, font)
        label = _Label(
            code_text,
            name_text,
            bold,
            font,
            4 + (room - code_text.size().width()) / 2,
            4 + (room - name_text.size().width()) / 2,
            option.fontMetrics.height(),
        )
        if len(self._labels) >= _LABELS:
            self._labels.clear()
        self._labels[(tile.code, tile.name, width, font_key)] = label
        return label

    def _draw_frame(self, painter: QPainter, option: QStyleOptionViewItem, area: QRect) -> None:
        """The tile's rounded background (and focus ring) in *area*."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = _inside(area)
        palette = option.palette
        selected = bool(option.state.value & _SELECTED)
        base = palette.color(QPalette.ColorRole.Base)
        background = palette.color(QPalette.ColorRole.Highlight) if selected else base.darker(104)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        if option.state.value & _FOCUSED:
            self._draw_focus_ring(painter, option.palette, area, selected)

    def _placeholder(
        self, option: QStyleOptionViewItem, size: QSize, colour: QColor, state: TileState
    ) -> QPixmap:
        """The dashed frame and glyph of a tile without a thumbnail, drawn
        once per state, size, colour, font and pixel density."""
        ratio = option.widget.devicePixelRatioF() if option.widget is not None else 1.0
        key = (state, size.width(), size.height(), colour.rgba(), option.font.key(), ratio)
        pixmap = self._placeholders.get(key)
        if pixmap is None:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._draw_placeholder(painter, option, QRect(QPoint(0, 0), size), colour, state)
            painter.end()
            self._placeholders[key] = pixmap
        return pixmap

    @staticmethod
    def _draw_focus_ring(painter: QPainter, palette: QPalette, area: QRect, selected: bool) -> None:
        """2 px in the highlight colour around the tile, in the margin
        between tiles; on a selected tile (itself in the highlight colour)
        a line of the highlighted text's colour inside it keeps the edge
        visible."""
        ring = QRectF(area).adjusted(1, 1, -1, -1)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawRoundedRect(ring, 7, 7)
        if selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.HighlightedText), 1))
            painter.drawRoundedRect(ring.adjusted(2.5, 2.5, -2.5, -2.5), 5, 5)

    @staticmethod
    def _draw_thumbnail(painter: QPainter, pixmap: QPixmap, box: QRect, dimmed: bool) -> None:
        # While a sharper rendering is on its way the pixmap may be of
        # another size: it is fitted into the box meanwhile.
        size = pixmap.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if pixmap.width() <= box.width() and pixmap.height() <= box.height():
            size = pixmap.size()
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(box.center())
        painter.drawPixmap(target, pixmap)
        if dimmed:
            _fill(painter, target, QColor(255, 255, 255, 140))

    @staticmethod
    def _draw_placeholder(
        painter: QPainter,
        option: QStyleOptionViewItem,
        box: QRect,
        colour: QColor,
        state: TileState,
    ) -> None:
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = min(8, box.width() // 8)
        painter.drawRoundedRect(QRectF(box).adjusted(inset, inset // 2, -inset, -inset // 2), 4, 4)
        glyph_font = QFont(option.font)
        glyph_font.setPointSizeF(max(6.0, min(box.height() / 3.0, 40.0)))
        painter.setFont(glyph_font)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _GLYPHS.get(state, ""))


def _fill(painter: QPainter, rect: QRect, colour: QColor) -> None:
    """``painter.fillRect(rect, colour)`` without going through its
    overloads, which the painter's pen and brush are free for here: PySide6
    makes the Python enums of a call's overloads the first time one is
    called, and fillRect's take QGradient's five (180 presets), ~4 ms in the
    first repaint of the first listing or batch."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(rect)


class _Label(NamedTuple):
    """A tile's label laid out: where its lines begin within the tile."""

    code: QStaticText
    name: QStaticText
    bold: QFont
    font: QFont
    code_left: float
    name_left: float
    line: int


def _inside(area: QRect) -> QRect:
    """The tile's rounded rectangle: *area* less the margin between tiles."""
    return QRect(area).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)


def _static(text: str, font: QFont) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(QTransform(), font)
    return static


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)
