"""Painting one flag tile: thumbnail or state placeholder, code, name."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from flaggui.ui.controller import THUMBNAIL_SIZE
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
_TEXT_LINES = 2


class FlagTileDelegate(QStyledItemDelegate):
    """Draws a tile: the thumbnail (or a glyph for its state), a coloured
    state bar, the code in bold and the country name, elided."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(
            THUMBNAIL_SIZE.width() + 2 * _PADDING + 16,
            THUMBNAIL_SIZE.height() + 2 * _PADDING + _TEXT_LINES * line + 6,
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        tile = index.data(FlagRoles.TILE)
        if not isinstance(tile, FlagTile):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect).adjusted(3, 3, -3, -3)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        base = palette.color(QPalette.ColorRole.Base)
        background = palette.color(QPalette.ColorRole.Highlight) if selected else base.darker(104)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 6, 6)

        image_box = QRect(
            rect.left() + (rect.width() - THUMBNAIL_SIZE.width()) // 2,
            rect.top() + _PADDING,
            THUMBNAIL_SIZE.width(),
            THUMBNAIL_SIZE.height(),
        )
        colour = STATE_COLOURS[tile.state]
        if tile.thumbnail is not None and not tile.thumbnail.isNull():
            pixmap = tile.thumbnail
            ratio = pixmap.devicePixelRatio() or 1.0
            size = QSize(int(pixmap.width() / ratio), int(pixmap.height() / ratio))
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(image_box.center())
            painter.drawPixmap(target, pixmap)
            if tile.state is TileState.DOWNLOADING or tile.state is TileState.WAITING:
                painter.fillRect(target, QColor(255, 255, 255, 140))
        else:
            painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(image_box).adjusted(8, 4, -8, -4), 4, 4)
            glyph_font = QFont(option.font)
            glyph_font.setPointSizeF(option.font.pointSizeF() * 2.2)
            painter.setFont(glyph_font)
            painter.setPen(colour)
            painter.drawText(image_box, Qt.AlignmentFlag.AlignCenter, _GLYPHS.get(tile.state, ""))

        bar = QRect(rect.left() + _PADDING, image_box.bottom() + 4, rect.width() - 2 * _PADDING, 3)
        painter.fillRect(bar, colour)

        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        line = option.fontMetrics.height()
        text_rect = QRect(rect.left() + 4, bar.bottom() + 3, rect.width() - 8, line)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter, tile.code)
        painter.setFont(option.font)
        name = option.fontMetrics.elidedText(
            tile.name, Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(text_rect.translated(0, line), Qt.AlignmentFlag.AlignHCenter, name)
        painter.restore()
