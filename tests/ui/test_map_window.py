"""The world map in the window: switching views, its selection following the
grid's and the checked countries, downloading what is selected on it, the
large view, the flag actions and the export."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from flaggui.core.servers import LOCAL
from flaggui.core.worldmap import equal_earth
from flaggui.ui.flag_model import TileState
from flaggui.ui.main_window import MainWindow
from tests import faults
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.test_browsing import flag_folder, select
from tests.ui.test_map_view import close, painted

BRASILIA = (-47.9, -15.8)
TOKYO_REGION = (138.5, 36.2)
PARIS_REGION = (2.35, 46.5)


def at(window: MainWindow, longitude: float, latitude: float) -> QPoint:
    return window.browser.map.to_widget(*equal_earth(longitude, latitude)).toPoint()


def grid_selection(window: MainWindow) -> list[str]:
    return sorted(tile.code for tile in window.browser.flag_actions.selected_tiles())


def gif_colours(code: str) -> list[QColor]:
    """The two colours of tests.images.make_gif(code)."""
    digest = hashlib.sha256(code.encode()).digest()
    return [QColor(*digest[:3]), QColor(*digest[3:6])]


def test_the_map_replaces_the_grid_and_back(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "flags", countries=[], view="map")
    browser = window.browser
    assert browser.map_shown()
    assert browser.map.isVisible()
    assert not window.grid.isVisible()
    assert browser.map_action.isChecked()
    assert browser.export_map_action.isEnabled()
    browser.map_action.trigger()  # Ctrl+M
    assert window.grid.isVisible()
    assert not browser.map.isVisible()
    assert not browser.export_map_action.isEnabled()
    assert browser.map_action.shortcut().toString() == "Ctrl+M"


def test_selection_follows_the_grid_and_the_checked_countries(
    qtbot: QtBot, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = flag_folder(tmp_path / "flags", ["BR", "FR", "JP"])
    window = make_window(server=LOCAL, folder=folder, countries=["CN"], view="map")
    loop.until(lambda: window.flags.rowCount() == 3)
    view = window.browser.map
    assert view.selection() == ["CN"]

    # On the map: the grid and the picker follow.
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(window, *PARIS_REGION))
    assert grid_selection(window) == ["FR"]
    assert window.countries.checked_codes() == ["FR"]
    qtbot.mouseClick(
        view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, at(window, *BRASILIA)
    )
    assert grid_selection(window) == ["BR", "FR"]
    assert window.countries.checked_codes() == ["BR", "FR"]
    assert window.panel.selection_label.text() == "2 of 194 selected"

    # In the grid: the map follows.
    window.browser.show_map(False)
    select(window, "JP")
    assert view.selection() == ["JP"]
    assert view.current() == "JP"
    # In the picker: the map follows.
    window.countries.set_checked(["DE", "IT"])
    assert view.selection() == ["DE", "IT"]


def test_countries_selected_on_the_map_download_and_fill_in(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, ["BR", "JP"])
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=[], view="map")
    view = window.browser.map
    view.resize(900, 500)
    brazil, japan = at(window, *BRASILIA), at(window, *TOKYO_REGION)
    land = view._colours.land
    before = painted(view)
    assert close(before.pixelColor(brazil), land)
    assert close(before.pixelColor(japan), land)

    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=brazil)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, japan)
    assert window.countries.checked_codes() == ["BR", "JP"]
    qtbot.mouseClick(window.download_button, Qt.MouseButton.LeftButton)
    loop.until(lambda: not window.controller.busy)
    assert sorted(p.name for p in dest.iterdir()) == ["br.gif", "jp.gif"]
    assert {t.code: t.state for t in window.flags.tiles()} == {
        "BR": TileState.DONE,
        "JP": TileState.DONE,
    }

    def filled() -> bool:
        image = painted(view)
        return any(close(image.pixelColor(brazil), c) for c in gif_colours("br")) and any(
            close(image.pixelColor(japan), c) for c in gif_colours("jp")
        )

    loop.until(filled)


def test_double_click_opens_the_large_view_and_the_menu_acts_on_the_map_selection(
    qtbot: QtBot, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = flag_folder(tmp_path / "flags", ["BR", "FR"])
    window = make_window(server=LOCAL, folder=folder, countries=[], view="map")
    loop.until(lambda: window.flags.rowCount() == 2)
    view = window.browser.map

    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=at(window, *PARIS_REGION))
    viewer = window.browser.viewer
    assert viewer is not None
    assert viewer.isVisible()
    tile = viewer.tile()
    assert tile is not None
    assert tile.code == "FR"
    viewer.close()

    # A right-click selects the country under it for the tile's actions.
    qtbot.mousePress(view, Qt.MouseButton.RightButton, pos=at(window, *BRASILIA))
    qtbot.mouseRelease(view, Qt.MouseButton.RightButton, pos=at(window, *BRASILIA))
    actions = window.browser.flag_actions
    assert grid_selection(window) == ["BR"]
    assert actions.copy_path.isEnabled()
    view.setFocus()
    qtbot.keyClick(
        view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QGuiApplication.clipboard().text() == str(folder / "br.gif")
    # Select all on the map selects every flag, and checks them for download.
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.selection() == ["BR", "FR"]
    assert window.countries.checked_codes() == ["BR", "FR"]


def test_the_map_exports_as_a_png(loop: Loop, make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "flags", countries=[], view="map")
    path = tmp_path / "map.png"
    assert window.browser.save_map(path)
    image = QImage(str(path))
    view = window.browser.map
    assert (image.width(), image.height()) == (2 * view.width(), 2 * view.height())
    assert window.summary_label.text() == f"Saved the map as {path}"
    assert not window.browser.save_map(tmp_path / "missing" / "map.png")


def test_the_map_or_the_grid_is_shown_again_at_the_next_start(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "flags", countries=[])
    assert not window.browser.map_shown()  # the grid, the first time
    window.browser.map_action.trigger()  # Ctrl+M
    assert window.browser.map_shown()
    make_window.close(window)
    again = make_window(server=LOCAL, folder=tmp_path / "flags", countries=[])
    assert again.browser.map_shown()
    assert again.settings.map_shown
    again.browser.map_action.trigger()
    make_window.close(again)
    assert not make_window(server=LOCAL, folder=tmp_path / "flags").browser.map_shown()
