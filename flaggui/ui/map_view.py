"""The world map of the flags: every country filled with its own flag."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QBrush,
    QColor,
    QFocusEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from flaggui.core.worldmap import Direction, Place, WorldMap, load_world
from flaggui.ui.delegate import STATE_COLOURS
from flaggui.ui.flag_model import FlagListModel, FlagRoles, FlagTile, TileState
from flaggui.ui.folder import code_of
from flaggui.ui.i18n import name_of
from flaggui.ui.theme import palette_is_dark
from flaggui.ui.thumbnails import ThumbnailKey

MIN_ZOOM = 1.0
MAX_ZOOM = 64.0
# A wheel notch (120 eighths of a degree) zooms by this factor.
_NOTCH_ZOOM = math.sqrt(2)
_MARGIN = 12  # pixels around the fitted world
_DRAG_START = 4  # pixels the mouse moves before a press becomes a drag
# A country's picture is kept as a pixmap up to this many pixels; a larger
# one (a big country, zoomed in far) is drawn directly, clipped to the screen.
_SPRITE_PIXELS = 2048 * 2048
# The countries' pixmaps kept beyond those on screen, in bytes.
_SPRITE_BUDGET = 192 * 1024 * 1024
# Seconds a repaint may spend painting countries into pixmaps; the rest are
# shown as they were (scaled, after a zoom) and painted in the next frames.
_PAINT_BUDGET = 0.006
# Flags are asked of the thumbnail cache at one of these sizes.
_FLAG_SIZES = (64, 128, 256, 512)

_OUTLINED = (TileState.DOWNLOADING, TileState.ERROR, TileState.NOT_FOUND, TileState.CANCELLED)
_ARROWS = {
    Qt.Key.Key_Left: Direction.LEFT,
    Qt.Key.Key_Right: Direction.RIGHT,
    Qt.Key.Key_Up: Direction.UP,
    Qt.Key.Key_Down: Direction.DOWN,
}


@dataclass(frozen=True)
class MapColours:
    """The map's colours for a light or a dark palette."""

    sea: QColor
    land: QColor
    border: QColor
    text: QColor
    highlight: QColor
    panel: QColor

    @staticmethod
    def of(palette: QPalette) -> MapColours:
        dark = palette_is_dark(palette)
        return MapColours(
            sea=QColor("#1b2836" if dark else "#d4e3f0"),
            land=QColor("#454a52" if dark else "#e4e2dc"),
            border=QColor("#101316" if dark else "#6f7780"),
            text=palette.color(QPalette.ColorRole.WindowText),
            highlight=palette.color(QPalette.ColorRole.Highlight),
            panel=QColor(20, 24, 28, 200) if dark else QColor(255, 255, 255, 210),
        )


@dataclass
class _Sprite:
    """A country as drawn at one zoom (*scale* pixels per map unit): its
    pixmap and where its top-left corner lies in map pixels at that scale."""

    pixmap: QPixmap
    origin: QPoint
    scale: float


def state_hatch(state: TileState | None) -> QBrush | None:
    """The hatching over a country whose flag is waiting or downloading."""
    if state is None or not state.busy:
        return None
    waiting = state is TileState.WAITING
    pattern = Qt.BrushStyle.BDiagPattern if waiting else Qt.BrushStyle.Dense6Pattern
    return QBrush(STATE_COLOURS[state], pattern)


def state_outline(state: TileState | None) -> QPen | None:
    """The outline, in the grid's colours, of a country whose flag is
    downloading or ended without a file (cosmetic: the same at every zoom)."""
    if state not in _OUTLINED:
        return None
    assert state is not None
    pen = QPen(STATE_COLOURS[state], 2.0 if state is TileState.ERROR else 1.5)
    if state in (TileState.CANCELLED, TileState.NOT_FOUND):
        pen.setStyle(Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    return pen


def _cost(sprite: _Sprite) -> int:
    return sprite.pixmap.width() * sprite.pixmap.height() * 4


def _part_path(rings: Iterable[Iterable[tuple[float, float]]]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring]))
        path.closeSubpath()
    return path


class MapView(QWidget):
    """The world in the Equal Earth projection, each country filled with its
    flag (clipped to its borders) as soon as its file is saved, its batch
    state shown as hatching and outlines, and the flags too small for an
    outline drawn as markers.

    It reads the flag list model (its tiles, by role) and the model's
    thumbnail cache. Each country is painted once per zoom into a pixmap,
    so panning and repainting only copy pixmaps; after a zoom or a change
    of state a frame paints countries for a few milliseconds and shows the
    others as they were (scaled) until the next frames have painted them. The wheel zooms around the
    cursor, dragging pans, Home fits the world; clicking selects (Ctrl
    toggles, Shift adds), arrows move to the nearest country in their
    direction, a double-click opens a saved flag or zooms in elsewhere.

    Signals:
        selectionEdited(list, str): the user changed the selection: the
            selected codes and the current one ("" for none).
        activated(str): a country with a saved flag was double-clicked.
        zoomChanged(float): the zoom, 1 being the whole world.
    """

    selectionEdited = Signal(list, str)
    activated = Signal(str)
    zoomChanged = Signal(float)

    def __init__(self, model: FlagListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.cache = model.cache
        self.setAccessibleName(self.tr("World map of the flags"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setMinimumSize(200, 120)
        self.show_legend = True
        self._world: WorldMap | None = None
        self._paths: dict[str, list[QPainterPath]] = {}  # per part, in map units
        self._outlines: dict[str, QPainterPath] = {}  # all parts of a country
        self._tiles: dict[str, FlagTile] = {}
        self._selection: set[str] = set()
        self._current = ""
        self._hover = ""
        self._scale = 1.0  # pixels per map unit
        # Where the map's origin is on the widget. Countries' pixmaps are
        # drawn at it rounded to whole pixels, so they land exactly on pixels.
        self._offset = QPointF(0, 0)
        self._fitted = True  # follow the widget's size until the user zooms or pans
        self._sprites: dict[str, _Sprite] = {}  # at the current scale
        self._stale: dict[str, _Sprite] = {}  # shown until painted again
        self._refine = QTimer(self)
        self._refine.setSingleShot(True)
        self._refine.setInterval(0)
        self._refine.timeout.connect(self.update)
        # Whether the last frame showed every country as it is now.
        self.complete = False
        self._colours = MapColours.of(self.palette())
        self._press: QPoint | None = None
        self._dragging = False

        model.dataChanged.connect(self._rows_changed)
        model.rowsInserted.connect(lambda _parent, first, last: self._read_rows(first, last))
        model.rowsRemoved.connect(lambda *_: self._read_all())
        model.modelReset.connect(self._read_all)
        model.layoutChanged.connect(self._read_all)
        self.cache.ready.connect(self._flag_rendered)
        self._read_all()

    # The world --------------------------------------------------------------
    @property
    def world(self) -> WorldMap:
        """The outlines, read and turned into paths the first time they are needed."""
        if self._world is None:
            self._world = load_world()
            for code, place in self._world.places.items():
                parts = [_part_path(part.rings) for part in place.parts]
                self._paths[code] = parts
                outline = QPainterPath()
                outline.setFillRule(Qt.FillRule.OddEvenFill)
                for path in parts:
                    outline.addPath(path)
                self._outlines[code] = outline
            self._fit()
        return self._world

    # Reading the model ------------------------------------------------------
    def _read_all(self) -> None:
        self._tiles.clear()
        self._drop_sprites()
        self._read_rows(0, self.model.rowCount() - 1)

    def _read_rows(self, first: int, last: int) -> None:
        for tile in self.model.tiles_in_rows(first, last):
            self._set_tile(tile)
        self.update()

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        if roles and FlagRoles.TILE not in roles:
            return  # a thumbnail of the grid's size, not the map's
        self._read_rows(top.row(), bottom.row())

    def _set_tile(self, tile: FlagTile) -> None:
        old = self._tiles.get(tile.code)
        self._tiles[tile.code] = tile
        if old is None or (old.state, old.path, old.version) != (
            tile.state,
            tile.path,
            tile.version,
        ):
            self._drop_sprite(tile.code)

    def _flag_rendered(self, key: ThumbnailKey) -> None:
        path = key.path
        code = code_of(path)
        tile = self._tiles.get(code or "")
        if tile is not None and str(tile.path) == path:
            self._drop_sprite(tile.code)
            self.update()

    def _drop_sprite(self, code: str) -> None:
        """The country must be painted again; until then it shows as it was."""
        sprite = self._sprites.pop(code, None)
        if sprite is not None:
            self._stale[code] = sprite

    def _drop_sprites(self) -> None:
        self._stale.update(self._sprites)
        self._sprites = {}

    def tile(self, code: str) -> FlagTile | None:
        return self._tiles.get(code)

    # View -------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """1 when the whole world fits the widget."""
        return self._scale / self._fit_scale()

    def _fit_scale(self) -> float:
        bounds = self.world.bounds
        width = max(1, self.width() - 2 * _MARGIN)
        height = max(1, self.height() - 2 * _MARGIN)
        return min(width / bounds.width, height / bounds.height)

    def _fit(self) -> None:
        bounds = self.world.bounds
        self._scale = self._fit_scale()
        cx, cy = bounds.center
        self._offset = QPointF(
            self.width() / 2 - cx * self._scale, self.height() / 2 - cy * self._scale
        )
        self._fitted = True

    def fit_world(self) -> None:
        """Show the whole world (Home)."""
        self._fit()
        self.zoomChanged.emit(self.zoom)
        self.update()

    def to_map(self, point: QPointF | QPoint) -> tuple[float, float]:
        """Map units of a point on the widget."""
        return (
            (point.x() - self._offset.x()) / self._scale,
            (point.y() - self._offset.y()) / self._scale,
        )

    def to_widget(self, x: float, y: float) -> QPointF:
        """Where a point in map units is on the widget."""
        return QPointF(x * self._scale + self._offset.x(), y * self._scale + self._offset.y())

    def zoom_at(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by *factor*, keeping the map point under *anchor* (the
        widget's centre by default) where it is."""
        fit = self._fit_scale()
        scale = max(MIN_ZOOM * fit, min(MAX_ZOOM * fit, self._scale * factor))
        if scale == self._scale:
            return
        if anchor is None:
            anchor = QPointF(self.width() / 2, self.height() / 2)
        x, y = self.to_map(anchor)
        self._scale = scale
        self._offset = QPointF(anchor.x() - x * scale, anchor.y() - y * scale)
        self._fitted = False
        self.zoomChanged.emit(self.zoom)
        self.update()

    def zoom_by(self, steps: int) -> None:
        """Zoom in (positive) or out by wheel notches, around the centre."""
        self.zoom_at(_NOTCH_ZOOM**steps)

    def pan_by(self, dx: int, dy: int) -> None:
        self._offset += QPointF(dx, dy)
        self._fitted = False
        self.update()

    def show_place(self, code: str) -> None:
        """Pan so that *code* is on screen, if it is not."""
        place = self.world.places.get(code)
        if place is None:
            return
        point = self.to_widget(*place.anchor)
        inner = QRectF(self.rect()).adjusted(40, 40, -40, -40)
        if not inner.contains(point):
            centre = QPointF(self.width() / 2, self.height() / 2)
            delta = centre - point
            self.pan_by(round(delta.x()), round(delta.y()))

    def current_point(self) -> QPoint:
        """Where the current country is on the widget (for a context menu
        opened from the keyboard), or the middle if none is shown."""
        place = self.world.places.get(self._current)
        if place is not None:
            point = self.to_widget(*place.anchor).toPoint()
            if self.rect().contains(point):
                return point
        return self.rect().center()

    # Selection --------------------------------------------------------------
    def selection(self) -> list[str]:
        return sorted(self._selection)

    def current(self) -> str:
        return self._current

    def set_selection(self, codes: Iterable[str], current: str | None = None) -> None:
        """Show *codes* as selected (no signal: this follows other views)."""
        selection = set(codes)
        if current is not None and current != self._current:
            self._current = current
            self._describe_current()
        if selection != self._selection:
            # A country's selection is painted into its pixmap.
            for code in selection ^ self._selection:
                self._drop_sprite(code)
            self._selection = selection
        self.update()

    def _edit_selection(self, codes: set[str], current: str) -> None:
        self.set_selection(codes, current)
        self.selectionEdited.emit(sorted(codes), current)

    def place_at(self, point: QPointF | QPoint) -> str:
        """The code of the country or marker at a widget point, or ""."""
        radius = (self._marker_radius() + 2) / self._scale
        return self.world.place_at(self.to_map(point), radius) or ""

    def describe(self, code: str) -> str:
        """ "France (FR) — done", for tooltips and screen readers."""
        tile = self._tiles.get(code)
        name = tile.name if tile is not None else name_of(code)
        state = tile.state.label() if tile is not None else self.tr("not downloaded")
        text = f"{name} ({code}) — {state}"
        if tile is not None and tile.reason and tile.state not in (TileState.DONE,):
            text += f"\n{tile.reason}"
        return text

    def _describe_current(self) -> None:
        self.setAccessibleDescription(self.describe(self._current) if self._current else "")
        if QAccessible.isActive():
            event = QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            QAccessible.updateAccessibility(event)

    # Painting ---------------------------------------------------------------
    def _marker_radius(self) -> float:
        return min(11.0, 5.0 + 2.0 * math.log2(max(1.0, self.zoom)))

    def _flag(self, tile: FlagTile | None, pixels: float) -> QPixmap | None:
        """The tile's flag from the thumbnail cache, at a size for *pixels*
        (asked for if missing; meanwhile another rendering, or None)."""
        if tile is None or tile.path is None:
            return None
        if self.cache.is_broken(str(tile.path), tile.version):
            return None
        size = next((s for s in _FLAG_SIZES if s >= pixels), _FLAG_SIZES[-1])
        return self.cache.get(ThumbnailKey.of(tile.path, tile.version, QSize(size, size)))

    def _paint_country(self, painter: QPainter, place: Place, scale: float) -> None:
        """Draw one country in map units (the painter is scaled by *scale*):
        its flag stretched over each of its polygons, or the plain land; its
        state as hatching and an outline; its border."""
        colours = self._colours
        tile = self._tiles.get(place.code)
        state = tile.state if tile is not None else None
        parts = self._paths[place.code]
        largest = max(max(part.bounds.width, part.bounds.height) for part in place.parts)
        flag = self._flag(tile, largest * scale)
        for part, path in zip(place.parts, parts, strict=True):
            if flag is None or flag.isNull():
                painter.fillPath(path, colours.land)
                continue
            brush = QBrush(flag)
            bounds = part.bounds
            brush.setTransform(
                QTransform()
                .translate(bounds.left, bounds.top)
                .scale(
                    max(bounds.width, 1e-9) / flag.width(),
                    max(bounds.height, 1e-9) / flag.height(),
                )
            )
            painter.fillPath(path, brush)
        outline = self._outlines[place.code]
        hatch = state_hatch(state)
        if hatch is not None:
            # Pattern brushes follow the painter's scale: undo it, so the
            # hatching has the same spacing at every zoom.
            hatch.setTransform(QTransform.fromScale(1 / scale, 1 / scale))
            painter.fillPath(outline, hatch)
        border = QPen(colours.border, 0.8)
        if place.code in self._selection:
            # Under the state's outline, which shows in the middle of it.
            border = QPen(colours.highlight, 3.0)
        border.setCosmetic(True)
        painter.strokePath(outline, border)
        pen = state_outline(state)
        if pen is not None:
            painter.strokePath(outline, pen)

    def _sprite_rect(self, place: Place) -> QRect:
        """The country's pixmap's place in map pixels at the current zoom."""
        scale, bounds = self._scale, place.bounds
        left, top = math.floor(bounds.left * scale) - 2, math.floor(bounds.top * scale) - 2
        return QRect(
            left,
            top,
            math.ceil(bounds.right * scale) + 3 - left,
            math.ceil(bounds.bottom * scale) + 3 - top,
        )

    def _paint_sprite(self, place: Place, rect: QRect) -> _Sprite:
        """Paint the country into a pixmap at the current zoom."""
        scale = self._scale
        left, top = rect.left(), rect.top()
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(math.ceil(rect.width() * ratio), math.ceil(rect.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        painter.translate(-left, -top)
        painter.scale(scale, scale)
        self._paint_country(painter, place, scale)
        painter.end()
        sprite = _Sprite(pixmap, QPoint(left, top), scale)
        self._sprites[place.code] = sprite
        self._stale.pop(place.code, None)
        return sprite

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint_map(painter, event.rect())
        painter.end()

    def paint_map(self, painter: QPainter, area: QRect, overlays: bool = True) -> bool:
        """Draw the map (and, with *overlays*, the selection, the hovered
        country and the legend) into *area* of the widget. With *overlays*
        the time spent painting countries anew is bounded; returns whether
        every country is drawn as it is now."""
        world = self.world
        if self._sprites and next(iter(self._sprites.values())).scale != self._scale:
            self._drop_sprites()
        painter.fillRect(area, self._colours.sea)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        scale, offset = self._scale, self._offset.toPoint()
        deadline = time.perf_counter() + _PAINT_BUDGET if overlays else math.inf
        complete = True
        for place in world.places.values():
            if place.marker is not None:
                continue
            rect = self._sprite_rect(place)
            if not rect.translated(offset).intersects(area):
                continue
            sprite = self._sprites.get(place.code)
            if sprite is None and rect.width() * rect.height() > _SPRITE_PIXELS:
                # Too large to keep: drawn directly, only what is on screen.
                painter.save()
                painter.setClipRect(area)
                painter.translate(offset)
                painter.scale(scale, scale)
                self._paint_country(painter, place, scale)
                painter.restore()
                continue
            if sprite is None and time.perf_counter() < deadline:
                sprite = self._paint_sprite(place, rect)
            if sprite is not None:
                painter.drawPixmap(sprite.origin + offset, sprite.pixmap)
                continue
            complete = False
            self._paint_stale(painter, place)
        if complete:
            self._stale.clear()
        elif overlays:
            self._refine.start()
        if overlays:
            self.complete = complete
        self._trim_sprites(area)
        if overlays:
            self._paint_outlines(painter)
        self._paint_markers(painter, area)
        if overlays and self.show_legend:
            self._paint_legend(painter)
        return complete

    def _trim_sprites(self, area: QRect) -> None:
        """Keep the pixmaps within their budget: far zoomed in, panning
        would otherwise keep every country passed over."""
        sprites = self._sprites
        if sum(_cost(sprite) for sprite in sprites.values()) <= _SPRITE_BUDGET:
            return
        shown = area.translated(-self._offset.toPoint())
        self._sprites = {
            code: sprite
            for code, sprite in sprites.items()
            if QRect(sprite.origin, sprite.pixmap.deviceIndependentSize().toSize()).intersects(
                shown
            )
        }

    def _paint_stale(self, painter: QPainter, place: Place) -> None:
        """A country not painted at this zoom yet: its old pixmap scaled,
        else its plain outline."""
        stale = self._stale.get(place.code)
        if stale is not None:
            ratio = self._scale / stale.scale
            target = QRectF(
                stale.origin.x() * ratio + round(self._offset.x()),
                stale.origin.y() * ratio + round(self._offset.y()),
                stale.pixmap.deviceIndependentSize().width() * ratio,
                stale.pixmap.deviceIndependentSize().height() * ratio,
            )
            # Shown for a frame or two: fast rather than smooth.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawPixmap(target, stale.pixmap, QRectF(stale.pixmap.rect()))
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            return
        painter.save()
        painter.translate(self._offset.toPoint())
        painter.scale(self._scale, self._scale)
        painter.fillPath(self._outlines[place.code], self._colours.land)
        painter.restore()

    def _paint_outlines(self, painter: QPainter) -> None:
        """The current country and the hovered one, on top."""
        painter.save()
        painter.translate(self._offset.toPoint())
        painter.scale(self._scale, self._scale)
        highlight = self._colours.highlight
        for code, colour, style in (
            (self._hover, self._colours.text, Qt.PenStyle.SolidLine),
            (self._current if self.hasFocus() else "", highlight.darker(140), Qt.PenStyle.DotLine),
        ):
            if code in self._outlines and self.world.places[code].marker is None:
                pen = QPen(colour, 1.5, style)
                pen.setCosmetic(True)
                painter.strokePath(self._outlines[code], pen)
        painter.restore()

    def _paint_markers(self, painter: QPainter, area: QRect) -> None:
        radius = self._marker_radius()
        colours = self._colours
        for place in self.world.places.values():
            if place.marker is None:
                continue
            centre = self.to_widget(*place.marker)
            box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
            if not box.adjusted(-4, -4, 4, 4).intersects(QRectF(area)):
                continue
            tile = self._tiles.get(place.code)
            flag = self._flag(tile, 2 * radius)
            if flag is not None and not flag.isNull():
                brush = QBrush(flag)
                brush.setTransform(
                    QTransform()
                    .translate(box.left(), box.top())
                    .scale(box.width() / flag.width(), box.height() / flag.height())
                )
            else:
                brush = QBrush(colours.land)
            painter.setBrush(brush)
            painter.setPen(QPen(colours.border, 1.0))
            painter.drawEllipse(box)
            state = tile.state if tile is not None else None
            ring = None
            if place.code in self._selection:
                ring = QPen(colours.highlight, 3.0)
            elif state is not None and state not in (TileState.ON_DISK, TileState.DONE):
                ring = QPen(STATE_COLOURS[state], 2.0)
                if state in (TileState.CANCELLED, TileState.NOT_FOUND, TileState.WAITING):
                    ring.setStyle(Qt.PenStyle.DotLine)
            if place.code in (self._hover, self._current if self.hasFocus() else ""):
                ring = QPen(colours.text, 2.0)
            if ring is not None:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(ring)
                painter.drawEllipse(box.adjusted(-2, -2, 2, 2))

    def _legend(self) -> list[tuple[TileState | None, str]]:
        return [
            (None, self.tr("not downloaded")),
            (TileState.WAITING, TileState.WAITING.label()),
            (TileState.DOWNLOADING, TileState.DOWNLOADING.label()),
            (TileState.NOT_FOUND, TileState.NOT_FOUND.label()),
            (TileState.ERROR, TileState.ERROR.label()),
            (TileState.CANCELLED, TileState.CANCELLED.label()),
        ]

    def _paint_legend(self, painter: QPainter) -> None:
        entries = self._legend()
        metrics = self.fontMetrics()
        line = metrics.height() + 4
        swatch = QSize(22, metrics.height() - 2)
        width = 16 + swatch.width() + max(metrics.horizontalAdvance(t) for _, t in entries)
        panel = QRect(
            8, self.height() - 8 - line * len(entries) - 8, width + 8, line * len(entries) + 8
        )
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colours.panel)
        painter.drawRoundedRect(QRectF(panel), 6, 6)
        for row, (state, text) in enumerate(entries):
            top = panel.top() + 4 + row * line
            box = QRectF(panel.left() + 8, top + 3, swatch.width(), swatch.height())
            painter.setPen(QPen(self._colours.border, 1.0))
            painter.setBrush(self._colours.land)
            painter.drawRect(box)
            hatch = state_hatch(state)
            if hatch is not None:
                painter.setBrush(hatch)
                painter.drawRect(box)
            pen = state_outline(state)
            if pen is not None:
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(box.adjusted(1, 1, -1, -1))
            painter.setPen(self._colours.text)
            painter.drawText(
                QRectF(box.right() + 6, top, width, line),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.restore()

    def render_image(self, factor: float = 2.0) -> QImage:
        """The map as shown (without selection, hover or legend), at
        *factor* times the widget's size: sharper than a screenshot."""
        image = QImage(
            round(self.width() * factor), round(self.height() * factor), QImage.Format.Format_RGB32
        )
        saved = (self._scale, self._offset, self._sprites, self._stale, self._selection)
        self._scale *= factor
        self._offset = self._offset * factor
        self._sprites, self._stale, self._selection = {}, {}, set()
        painter = QPainter(image)
        try:
            self.paint_map(painter, image.rect(), overlays=False)
        finally:
            painter.end()
            self._scale, self._offset, self._sprites, self._stale, self._selection = saved
        return image

    # Events -----------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fitted:
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._world is not None and self._fitted:
            self._fit()
        elif self._world is not None and event.oldSize().isValid():
            # Keep the centre of the view where it was.
            delta = (event.size() - event.oldSize()) / 2
            self._offset += QPointF(delta.width(), delta.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colours = MapColours.of(self.palette())
            self._sprites.clear()
            self._stale.clear()
            self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            self.zoom_at(_NOTCH_ZOOM ** (delta / 120), event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code = self.place_at(event.pos())
            if code:
                QToolTip.showText(event.globalPos(), self.describe(code), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            # A trackpad's pinch.
            self.zoom_at(1.0 + event.value(), event.position())
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self._dragging = False
        elif event.button() == Qt.MouseButton.RightButton:
            code = self.place_at(event.position())
            if code and code not in self._selection:
                self._edit_selection({code}, code)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = point - self._press
            if self._dragging or moved.manhattanLength() >= _DRAG_START:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.pan_by(moved.x(), moved.y())
                self._press = point
            return
        hover = self.place_at(point)
        if hover != self._hover:
            self._hover = hover
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        self._press = None
        if self._dragging:
            self._dragging = False
            self.unsetCursor()
            return
        code = self.place_at(event.position())
        modifiers = event.modifiers()
        selection = set(self._selection)
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            if code:
                selection ^= {code}
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            if code:
                selection.add(code)
        else:
            selection = {code} if code else set()
        self._edit_selection(selection, code or self._current)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        code = self.place_at(event.position())
        tile = self._tiles.get(code)
        if tile is not None and tile.path is not None:
            self.activated.emit(code)
        else:
            self.zoom_at(2.0, event.position())

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hover:
            self._hover = ""
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in _ARROWS:
            self._step(_ARROWS[key], bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        elif key == Qt.Key.Key_Home:
            self.fit_world()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(-1)
        else:
            super().keyPressEvent(event)

    def _step(self, direction: Direction, extend: bool) -> None:
        """Move the current country to the nearest one in *direction*
        (from the middle of the view if there is none yet)."""
        start = self._current
        if start not in self.world.places:
            centre = self.to_map(QPointF(self.width() / 2, self.height() / 2))
            start = min(
                self.world.places.values(),
                key=lambda p: math.hypot(p.anchor[0] - centre[0], p.anchor[1] - centre[1]),
            ).code
            target: str | None = start
        else:
            target = self.world.nearest(start, direction)
        if target is None:
            return
        selection = (self._selection | {target}) if extend else {target}
        self._edit_selection(selection, target)
        self.show_place(target)

    # The current country is outlined only while the map has the focus.
    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
