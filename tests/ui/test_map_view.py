"""The world map on its own: a real flag model and thumbnail cache, real
files, real mouse and key events on the offscreen platform."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.core.worldmap import equal_earth
from flaggui.ui.flag_model import FlagListModel, TileState
from flaggui.ui.map_view import MAX_ZOOM, MapView
from flaggui.ui.thumbnail_cache import ThumbnailCache
from tests.images import make_png
from tests.ui.conftest import Loop, wheel_notch

PARIS_REGION = (2.35, 46.5)
RED = QColor(200, 30, 30)  # make_png's colour


@pytest.fixture
def model(loop: Loop) -> Iterator[FlagListModel]:
    cache = ThumbnailCache()
    yield FlagListModel(cache)
    loop.run(cache.aclose())


@pytest.fixture
def view(qtbot: QtBot, model: FlagListModel) -> MapView:
    view = MapView(model)
    qtbot.addWidget(view)
    view.resize(800, 480)
    view.show()
    qtbot.waitExposed(view)
    return view


def at(view: MapView, longitude: float, latitude: float) -> QPoint:
    return view.to_widget(*equal_earth(longitude, latitude)).toPoint()


def painted(view: MapView) -> QImage:
    """The map as it is on screen once every country is painted."""
    image = view.grab().toImage()
    while not view.complete:
        image = view.grab().toImage()
    return image


def close(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def near(a: QPointF, b: QPointF) -> bool:
    """Within the rounding of the view's offset to whole pixels."""
    return abs(a.x() - b.x()) <= 0.5 and abs(a.y() - b.y()) <= 0.5


def finish(model: FlagListModel, code: str, path: Path) -> None:
    """The engine's events for a flag downloaded and saved at *path*."""
    model.prepare_batch([code])
    model.apply_event(FlagEvent(code, Phase.STARTED, 0.0))
    result = FlagResult(code, FlagState.DONE, path=path, size=path.stat().st_size)
    model.apply_event(FlagEvent(code, Phase.FINISHED, 0.1, result=result))


def send_mouse(view: MapView, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton
    if kind == QEvent.Type.MouseMove:
        button = Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(view.mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view, event)


def test_a_country_is_plain_land_until_its_flag_is_saved_then_shows_it(
    view: MapView, model: FlagListModel, loop: Loop, tmp_path: Path
) -> None:
    france = at(view, *PARIS_REGION)
    land = view._colours.land
    assert close(painted(view).pixelColor(france), land)

    model.prepare_batch(["FR"])
    model.apply_event(FlagEvent("FR", Phase.STARTED, 0.0))
    assert view.tile("FR") is not None
    assert view.tile("FR").state is TileState.DOWNLOADING  # type: ignore[union-attr]
    assert not close(painted(view).pixelColor(france), RED)

    path = tmp_path / "fr.png"
    path.write_bytes(make_png((60, 40)))
    finish(model, "FR", path)
    loop.until(lambda: close(painted(view).pixelColor(france), RED))
    # Only France: Spain and the sea are as they were.
    image = painted(view)
    assert close(image.pixelColor(at(view, -3.7, 40.0)), land)
    assert close(image.pixelColor(at(view, -30.0, 30.0)), view._colours.sea)


def test_a_failed_flag_is_outlined_in_the_error_colour(view: MapView, model: FlagListModel) -> None:
    model.prepare_batch(["AU"])
    model.mark_failed("AU", "HTTP 500")
    image = painted(view)
    # Somewhere along Australia's outline the error colour shows.
    bounds = view.world.places["AU"].bounds
    west, east = view.to_widget(bounds.left, 0).x(), view.to_widget(bounds.right, 0).x()
    y = at(view, 134.0, -25.0).y()
    row = [image.pixelColor(x, y) for x in range(int(west) - 2, int(east) + 3)]
    assert any(close(pixel, QColor("#d93025"), 40) for pixel in row)
    assert "HTTP 500" in view.describe("AU")


def test_zoom_keeps_the_point_under_the_cursor(view: MapView) -> None:
    cursor = QPointF(612, 140)
    before = view.to_map(cursor)
    for factor in (1.7, 2.3, 0.5, 3.1):
        view.zoom_at(factor, cursor)
        after = view.to_widget(*before)
        # Within the rounding of the offset to whole pixels.
        assert near(after, cursor)

    wheel = wheel_notch(cursor, QPointF(view.mapToGlobal(cursor.toPoint())))
    zoom = view.zoom
    QApplication.sendEvent(view, wheel)
    assert view.zoom > zoom
    after = view.to_widget(*before)
    assert near(after, cursor)


def test_zoom_is_bounded_and_home_fits_the_world(view: MapView, qtbot: QtBot) -> None:
    view.zoom_at(1000.0)
    assert view.zoom == pytest.approx(MAX_ZOOM)
    view.zoom_at(1e-6)
    assert view.zoom == pytest.approx(1.0)
    view.zoom_at(4.0)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.zoom == pytest.approx(1.0)
    bounds = view.world.bounds
    top_left = view.to_widget(bounds.left, bounds.top)
    bottom_right = view.to_widget(bounds.right, bounds.bottom)
    assert view.rect().contains(top_left.toPoint())
    assert view.rect().contains(bottom_right.toPoint())


def test_dragging_pans_with_the_cursor_and_does_not_select(view: MapView, qtbot: QtBot) -> None:
    view.zoom_at(3.0)
    start, end = QPoint(400, 240), QPoint(330, 290)
    under = view.to_map(start)
    with qtbot.assertNotEmitted(view.selectionEdited):
        send_mouse(view, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
        for step in range(1, 6):
            point = start + (end - start) * step / 5
            send_mouse(view, QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
        send_mouse(view, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    moved = view.to_widget(*under)
    assert near(moved, QPointF(end))


def test_clicks_select_countries_and_markers(view: MapView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.selectionEdited) as edited:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(view, *PARIS_REGION))
    assert edited.args == [["FR"], "FR"]
    qtbot.mouseClick(
        view,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        at(view, 10.0, 51.0),
    )
    assert view.selection() == ["DE", "FR"]
    assert view.current() == "DE"
    qtbot.mouseClick(
        view,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        at(view, *PARIS_REGION),
    )
    assert view.selection() == ["DE"]
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(view, -30.0, 30.0))
    assert view.selection() == []

    # The Vatican has no outline at this scale: a marker, clickable at any zoom.
    for zoom in (1.0, 12.0):
        view.zoom_at(zoom, QPointF(at(view, 12.45, 41.9)))
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(view, 12.45, 41.9))
        assert view.selection() == ["VA"]
        view.fit_world()


def test_arrows_move_to_the_nearest_country_in_their_direction(view: MapView, qtbot: QtBot) -> None:
    view.set_selection(["FR"], "FR")
    view.setFocus()
    with qtbot.waitSignal(view.selectionEdited) as edited:
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert edited.args[1] in {"DE", "CH", "IT", "LI", "AT", "MC"}
    assert view.selection() == [edited.args[1]]
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.selection()) == 2


def test_double_click_opens_a_saved_flag_and_zooms_in_elsewhere(
    view: MapView, model: FlagListModel, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "fr.png"
    path.write_bytes(make_png())
    finish(model, "FR", path)
    with qtbot.waitSignal(view.activated) as activated:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=at(view, *PARIS_REGION))
    assert activated.args == ["FR"]
    zoom = view.zoom
    with qtbot.assertNotEmitted(view.activated):
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=at(view, -3.7, 40.0))
    assert view.zoom == pytest.approx(2 * zoom, rel=0.01)


def test_accessible_names(view: MapView, qtbot: QtBot) -> None:
    assert view.accessibleName() == "World map of the flags"
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(view, *PARIS_REGION))
    assert view.accessibleDescription() == "France (FR) — not downloaded"


def test_a_dark_palette_gives_a_dark_sea_and_readable_legend(view: MapView) -> None:
    light_sea = view._colours.sea
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    view.setPalette(palette)
    image = painted(view)
    sea = image.pixelColor(at(view, -30.0, 30.0))
    assert sea.lightness() < 80 < light_sea.lightness()
    assert view._colours.text.lightness() > 200


def test_export_is_the_map_at_twice_the_size(view: MapView) -> None:
    image = view.render_image(2.0)
    assert (image.width(), image.height()) == (2 * view.width(), 2 * view.height())
    assert close(image.pixelColor(2 * at(view, -30.0, 30.0)), view._colours.sea)
    assert close(image.pixelColor(2 * at(view, *PARIS_REGION)), view._colours.land)
