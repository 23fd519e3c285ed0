"""Browsing a folder of flags: zoom, filter, sort, labels, large view, the
actions on the selection, drag-out, the folder watcher, lazy thumbnails."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QObject, QPointF, QRect, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QMessageBox,
    QStyle,
    QStyleOptionViewItem,
)
from pytestqt.qtbot import QtBot

from flaggui.core.events import FlagEvent, Phase
from flaggui.core.servers import LOCAL
from flaggui.ui import controller, download_panel, grid, thumbnails
from flaggui.ui.country_model import CountryRoles
from flaggui.ui.delegate import STATE_COLOURS, FlagTileDelegate
from flaggui.ui.flag_model import FlagRoles, FlagTile, TileState
from flaggui.ui.folder import FlagFile, scan_folder
from flaggui.ui.grid import SortKey, thumbnail_size
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Settings
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import LARGEST, ThumbnailKey, flag_image, worker_count
from tests import faults
from tests.images import make_gif, make_png
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, PaintCounter, WindowFactory, wheel_notch
from tests.ui.test_main_window import rendered


def flag_folder(folder: Path, codes: list[str], size: tuple[int, int] = (300, 200)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for code in codes:
        (folder / f"{code.lower()}.gif").write_bytes(make_gif(code.lower(), size))
    return folder


def grid_codes(window: MainWindow) -> list[str]:
    proxy = window.browser.proxy
    return [proxy.index(row, 0).data(FlagRoles.CODE) for row in range(proxy.rowCount())]


def select(window: MainWindow, *codes: str) -> None:
    grid, proxy = window.grid, window.browser.proxy
    grid.clearSelection()
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(FlagRoles.CODE) in codes:
            flags = grid.selectionModel().SelectionFlag
            grid.selectionModel().setCurrentIndex(proxy.index(row, 0), flags.NoUpdate)
            grid.selectionModel().select(proxy.index(row, 0), flags.Select)


@pytest.fixture
def browsing(loop: Loop, make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    folder = flag_folder(tmp_path / "flags", ["CN", "BR", "JP", "FR", "DE"])
    window = make_window(server=LOCAL, folder=folder, countries=[])
    loop.until(lambda: window.flags.rowCount() == 5)
    return window


def test_zoom_renders_sharp_thumbnails_at_the_new_size(
    qtbot: QtBot, loop: Loop, browsing: MainWindow, settings: Settings
) -> None:
    window = browsing
    # Renders finish newest request first, not in row order: wait for all.
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    small = window.cache.pixmap(
        ThumbnailKey.of(window.flags.tile("CN").path, 0, window.flags.thumbnail_size)
    )
    assert small is not None
    assert small.width() == 96

    window.browser.zoom_slider.setValue(256)
    assert window.flags.thumbnail_size == QSize(256, 170)
    assert window.grid.iconSize() == QSize(256, 170)
    # The old rendering stands in until the new one arrives.
    index = window.browser.proxy.index(0, 0)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    loop.until(lambda: rendered(window, "BR"))
    big = index.data(Qt.ItemDataRole.DecorationRole)
    assert big.width() == 255  # 300x200 fitted into 256x170: re-rendered, not stretched
    assert settings.zoom == 256

    # Ctrl + wheel and the keyboard step through the zoom stops.
    wheel = wheel_notch(QPointF(20, 20), modifiers=Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(window.grid.viewport(), wheel)
    assert window.browser.zoom == 384
    window.browser.zoom_out_action.trigger()
    window.browser.zoom_out_action.trigger()
    assert window.browser.zoom == 192
    window.browser.zoom_reset_action.trigger()
    assert window.browser.zoom == 96
    window.browser.zoom_slider.setValue(9999)
    assert window.browser.zoom == 512


def test_filter_and_sort(qtbot: QtBot, loop: Loop, browsing: MainWindow, tmp_path: Path) -> None:
    window = browsing
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "JP"]
    window.browser.find_action.trigger()
    assert window.browser.filter_edit.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(window.browser.filter_edit, "an")  # FrANce, JApan, GermANy
    assert grid_codes(window) == ["DE", "FR", "JP"]
    window.browser.filter_edit.clear()
    qtbot.keyClicks(window.browser.filter_edit, "cn")
    assert grid_codes(window) == ["CN"]
    window.browser.filter_edit.clear()
    # Nothing matches: the grid says so, not "pick countries"; Esc clears.
    assert "Pick countries" in window.grid.empty_text
    qtbot.keyClicks(window.browser.filter_edit, "zzz")
    assert grid_codes(window) == []
    assert window.grid.empty_text == "No flag matches 'zzz'."
    qtbot.keyClick(window.browser.filter_edit, Qt.Key.Key_Escape)
    assert window.browser.filter_edit.text() == ""
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "JP"]
    assert "Pick countries" in window.grid.empty_text

    window.browser.set_sort_key(SortKey.NAME)
    assert grid_codes(window) == ["BR", "CN", "FR", "DE", "JP"]  # Brazil, China, France...
    assert window.settings.sort is SortKey.NAME
    window.browser.sort_actions.actions()[3].trigger()  # Sort by largest file
    sizes = [window.flags.tile(code).size for code in grid_codes(window)]
    assert sizes == sorted(sizes, reverse=True)
    assert window.browser.sort_combo.currentData() == "size"
    window.browser.set_sort_key(SortKey.CODE)
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "JP"]

    folder = tmp_path / "flags"
    (folder / "au.gif").write_bytes(make_gif("au"))  # lands in code order
    loop.until(lambda: grid_codes(window) == ["AU", "BR", "CN", "DE", "FR", "JP"])
    (folder / "au.gif").unlink()
    now = time.time()
    for age, code in enumerate(["jp", "de", "cn", "br", "fr"]):
        os.utime(folder / f"{code}.gif", (now - age * 100, now - age * 100))
    window.set_folder(folder)
    loop.until(lambda: window.flags.rowCount() == 5)
    window.browser.set_sort_key(SortKey.TIME)
    assert grid_codes(window) == ["JP", "DE", "CN", "BR", "FR"]  # newest first
    window.browser.set_sort_key(SortKey.CODE)
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "JP"]
    # A flag that appears later takes its place in code order.
    shutil.copy(folder / "br.gif", folder / "ca.gif")
    loop.until(lambda: window.flags.rowCount() == 6)
    assert grid_codes(window) == ["BR", "CA", "CN", "DE", "FR", "JP"]


def test_a_repaint_of_changed_tiles_shows_what_a_full_repaint_shows(
    loop: Loop, browsing: MainWindow
) -> None:
    """Tiles change a few at a time during a batch and only those are
    drawn again; what is on screen then is what drawing everything shows.
    Waiting, downloading and failed tiles each show their own placeholder."""
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    window.flags.prepare_batch(["ES", "IT", "JP"])
    loop.until(lambda: grid_codes(window) == ["BR", "CN", "DE", "ES", "FR", "IT", "JP"])
    window.flags.apply_events(
        [
            FlagEvent("ES", Phase.STARTED, 0.1, 1),
            FlagEvent("IT", Phase.STARTED, 0.1, 1),
            FlagEvent("IT", Phase.RETRY, 0.2, 1, "HTTP 503"),
        ]
    )

    def on_screen() -> QImage:
        QApplication.processEvents()
        return QGuiApplication.primaryScreen().grabWindow(window.winId()).toImage()

    partial = on_screen()
    window.grid.viewport().repaint()
    assert on_screen() == partial

    def placeholder(code: str) -> QImage:
        row = grid_codes(window).index(code)
        box = window.grid.visualRect(window.browser.proxy.index(row, 0))
        top_left = window.grid.viewport().mapTo(window, box.topLeft())
        return partial.copy(top_left.x(), top_left.y(), box.width(), box.height() // 2)

    downloading, waiting = placeholder("ES"), placeholder("IT")
    assert downloading != waiting

    # Tiles are kept as drawn, but a tile selected is drawn anew.
    def tile(image: QImage, code: str) -> QImage:
        row = grid_codes(window).index(code)
        box = window.grid.visualRect(window.browser.proxy.index(row, 0))
        top_left = window.grid.viewport().mapTo(window, box.topLeft())
        return image.copy(top_left.x(), top_left.y(), box.width(), box.height())

    select(window, "BR")
    selected = on_screen()
    assert tile(selected, "BR") != tile(partial, "BR")
    assert tile(selected, "FR") == tile(partial, "FR")


def test_during_a_batch_a_repaint_out_of_time_shows_tiles_as_they_were_until_the_next_frame(
    loop: Loop, browsing: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of changed tiles is drawn over several frames: past the
    repaint's budget, a tile keeps its last picture for a frame, then the
    view repaints it as it is now."""
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    for _ in range(2):  # each tile's picture is kept
        window.grid.viewport().repaint()

    def tile(code: str) -> QImage:
        """The tile as on screen (grab() would paint it anew)."""
        row = grid_codes(window).index(code)
        box = window.grid.visualRect(window.browser.proxy.index(row, 0))
        top_left = window.grid.viewport().mapTo(window, box.topLeft())
        screen = QGuiApplication.primaryScreen().grabWindow(window.winId()).toImage()
        return screen.copy(top_left.x(), top_left.y(), box.width(), box.height())

    QApplication.processEvents()
    before = tile("JP")
    monkeypatch.setattr(grid, "PAINT_BUDGET", -1.0)  # every repaint is out of time
    window.grid.paced = True
    window.flags.prepare_batch(["JP"])
    window.flags.apply_events([FlagEvent("JP", Phase.STARTED, 0.1, 1)])
    window.grid.viewport().repaint()
    assert tile("JP") == before  # as it was: not drawn in this repaint
    # The next frame draws it, though repaints stay out of time: a tile is
    # shown as it was once, never twice in a row.
    loop.until(lambda: tile("JP") != before)
    after = tile("JP")
    window.grid.paced = False
    window.grid.viewport().repaint()
    assert tile("JP") == after


def test_tiles_never_drawn_in_their_look_show_no_thumbnail_until_a_repaint_has_time_for_them(
    loop: Loop, browsing: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the repaint's budget, a tile with no picture in this look (new
    in a listing, or the grid zoomed) shows its label without its thumbnail
    for now; each repaint draws at least one, so all are drawn in the next
    frames."""
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    monkeypatch.setattr(grid, "PAINT_BUDGET", -1.0)  # every repaint is out of time
    window.grid.paced = True

    def tiles() -> list[tuple[bytes, bytes]]:
        """Each tile's thumbnail box and its label, as on screen."""
        QApplication.processEvents()
        screen = QGuiApplication.primaryScreen().grabWindow(window.winId()).toImage()
        line = window.grid.fontMetrics().height()
        images = []
        for row in range(window.browser.proxy.rowCount()):
            box = window.grid.visualRect(window.browser.proxy.index(row, 0))
            top_left = window.grid.viewport().mapTo(window, box.topLeft())
            # The two lines of the label, at the foot of the tile.
            label = QRect(top_left.x(), top_left.y(), box.width(), box.height())
            label.setTop(label.bottom() - 2 * line - 9)
            above = QRect(top_left.x(), top_left.y(), box.width(), box.height() - label.height())
            images.append((_bits(screen.copy(above)), _bits(screen.copy(label))))
        return images

    window.browser.zoom_slider.setValue(128)  # a new look for every tile
    QApplication.processEvents()
    window.grid.viewport().repaint()
    first = tiles()
    # A few thumbnails drawn; the other boxes alike: no thumbnail.
    assert len({box for box, _label in first}) < 5
    # Drawn a few each repaint, though every repaint stays out of time.
    loop.until(lambda: len({box for box, _label in tiles()}) == 5)
    # Each label was there from the first repaint on.
    assert [label for _box, label in tiles()] == [label for _box, label in first]
    window.grid.paced = False


def _bits(image: QImage) -> bytes:
    return bytes(image.constBits())


def test_the_grid_is_paced_while_a_folder_is_listed(
    loop: Loop, browsing: MainWindow, tmp_path: Path
) -> None:
    window = browsing
    paced: list[bool] = []
    window.controller.scanningChanged.connect(lambda _scanning: paced.append(window.grid.paced))
    window.set_folder(flag_folder(tmp_path / "more", ["IT", "ES", "PT", "GR"]))
    loop.until(lambda: paced == [True, False])
    assert window.flags.rowCount() == 4
    assert not window.grid.paced


def test_listing_a_folder_refreshes_the_picker_icons_of_its_countries_only(
    loop: Loop, browsing: MainWindow, tmp_path: Path
) -> None:
    window = browsing
    # The first folder's thumbnails and icons all arrived: none tells of
    # its country's icon once the next folder is open.
    loop.until(
        lambda: all(rendered(window, code) for code in grid_codes(window)) and not window.cache.busy
    )
    ranges: list[range] = []

    def changed(first: QModelIndex, last: QModelIndex, roles: list[int]) -> None:
        if Qt.ItemDataRole.DecorationRole in roles:
            ranges.append(range(first.row(), last.row() + 1))

    window.countries.dataChanged.connect(changed)
    told_on_insert: list[bool] = []
    told = 0  # ranges announced before the last insert

    def inserted(_parent: QModelIndex, first: int, last: int) -> None:
        # Connected after the window: it has told the picker by now, not
        # only once the thumbnails arrive.
        nonlocal told
        rows = {row for changed_rows in ranges[told:] for row in changed_rows}
        codes = {window.countries.index(row).data(CountryRoles.CODE) for row in rows}
        new = {window.flags.index(row).data(FlagRoles.CODE) for row in range(first, last + 1)}
        told_on_insert.append(new <= codes)
        told = len(ranges)

    def reset() -> None:
        nonlocal told
        told = len(ranges)  # every icon, as the grid is emptied

    window.flags.rowsInserted.connect(inserted)
    window.flags.modelReset.connect(reset)
    window.set_folder(flag_folder(tmp_path / "more", ["IT", "ES"]))
    loop.until(lambda: window.flags.rowCount() == 2 and not window.controller.scanning)
    assert told_on_insert
    assert all(told_on_insert)
    # Every icon once as the grid is emptied, then those of the new flags.
    every = range(window.countries.rowCount())
    assert ranges[0] == every
    rows = {row for changed_rows in ranges[1:] for row in changed_rows}
    codes = {window.countries.index(row).data(CountryRoles.CODE) for row in rows}
    assert codes == {"IT", "ES"}


def test_the_picker_shows_changed_icons_together_and_checks_at_once(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download_panel, "ICON_PACE_MS", 1000)
    window = make_window(server=LOCAL, folder=tmp_path / "flags", countries=[])
    counter = PaintCounter()
    window.panel.country_view.viewport().installEventFilter(counter)
    qtbot.wait(50)
    counter.paints = 0
    for code in ["AD", "AE", "AF", "AG", "AL"]:
        window.countries.refresh_icon(code)
    window.countries.refresh_icons(["CN", "JP"])
    qtbot.wait(300)  # a repaint takes a frame; the icons wait a second
    assert counter.paints == 0
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=5000)
    qtbot.wait(50)
    assert counter.paints == 1  # then shown in one repaint
    # A country checked is shown at once, while icons changed since wait.
    window.countries.refresh_icon("AD")
    counter.paints = 0
    window.countries.set_checked(["AD"])
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=500)


def test_a_flag_added_while_the_folder_is_read_is_shown(
    loop: Loop, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is watched before it is read: a file another program
    adds once the reading has passed its place is not missed."""
    folder = flag_folder(tmp_path / "flags", ["CN", "BR"])
    read = controller.scan_folder_batches

    def read_then_add(path: Path) -> Iterator[dict[str, FlagFile]]:
        yield from read(path)
        late = path / "jp.gif"
        if not late.exists():
            late.write_bytes(make_gif("jp"))

    monkeypatch.setattr(controller, "scan_folder_batches", read_then_add)
    window = make_window(server=LOCAL, folder=folder, countries=[])
    loop.until(lambda: window.flags.tile("JP") is not None)
    assert window.flags.tile("JP").state is TileState.ON_DISK
    assert window.controller.scans == 2


def test_the_focused_tile_has_its_ring_wherever_it_is(loop: Loop, browsing: MainWindow) -> None:
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    highlight = window.grid.palette().color(window.grid.palette().ColorRole.Highlight)
    last = window.browser.proxy.index(window.browser.proxy.rowCount() - 1, 0)
    window.grid.setFocus()
    window.grid.setCurrentIndex(last)
    for _ in range(2):  # drawn, then kept and copied: the ring both times
        image = window.grid.viewport().grab().toImage()
        box = window.grid.visualRect(last)
        assert box.left() > 0
        ring = image.pixelColor(box.left() + 1, box.center().y())
        assert abs(ring.hue() - highlight.hue()) <= 3, ring.name()


def test_a_tile_has_a_bar_in_the_colour_of_its_state_under_its_thumbnail(
    loop: Loop, browsing: MainWindow
) -> None:
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    window.flags.apply_events([FlagEvent("JP", Phase.STARTED, 0.1, 1)])
    assert window.flags.tile("JP").state is TileState.DOWNLOADING
    grid, proxy = window.grid, window.browser.proxy
    box = grid.iconSize()
    for _ in range(2):  # drawn, then kept and copied
        image = grid.viewport().grab().toImage()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            tile = window.flags.tile(index.data(FlagRoles.CODE))
            rect = grid.visualRect(index).adjusted(3, 3, -3, -3)
            # The bar's three lines of pixels, 3 below the thumbnail's box,
            # across the tile but for its padding.
            top = rect.top() + 8 + box.height() + 3
            for y in range(top, top + 3):
                for x in (rect.left() + 8, rect.center().x(), rect.right() - 8):
                    colour = image.pixelColor(x, y).name()
                    assert colour == STATE_COLOURS[tile.state].name(), (tile.code, x, y)
            assert image.pixelColor(rect.center().x(), top - 1) != STATE_COLOURS[tile.state]
            assert image.pixelColor(rect.center().x(), top + 3) != STATE_COLOURS[tile.state]


def test_a_tile_in_flight_looks_the_same_drawn_straight_or_kept(
    loop: Loop, browsing: MainWindow
) -> None:
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    window.grid.setCurrentIndex(window.browser.proxy.index(0, 0))  # BR has the focus ring
    select(window, "BR", "CN")
    window.flags.prepare_batch(["BR", "JP"])
    window.flags.apply_events(
        [FlagEvent("BR", Phase.STARTED, 0.1, 1), FlagEvent("JP", Phase.STARTED, 0.1, 2)]
    )
    grid, proxy = window.grid, window.browser.proxy
    rects = [grid.visualRect(proxy.index(row, 0)) for row in range(proxy.rowCount())]
    straight = grid.viewport().grab().toImage()  # tiles in flight drawn on the screen
    copied = grid.viewport().grab().toImage()  # drawn twice the same: kept, then copied
    for rect in rects:
        assert straight.copy(rect) == copied.copy(rect)


def _tile_option(view: QListView) -> QStyleOptionViewItem:
    """How a view asks for a tile 128 x 126 with a 96 x 64 box at the top left."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.decorationSize = QSize(96, 64)
    option.rect = QRect(0, 0, 128, 126)
    option.font = view.font()
    option.fontMetrics = view.fontMetrics()
    return option


def _painted(delegate: FlagTileDelegate, option: QStyleOptionViewItem, tile: FlagTile) -> QImage:
    image = QImage(128, 126, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    delegate.paint(painter, option, TileIndex(tile))
    painter.end()
    return image


def test_a_tile_label_is_its_own_code_and_name(qapp: QApplication) -> None:
    view = QListView()
    view.resize(400, 300)
    delegate = FlagTileDelegate(view)
    option = _tile_option(view)

    def drawn(tile: FlagTile) -> QImage:
        return _painted(delegate, option, tile)

    names = ("China", "Zhongguo")
    first, second = (drawn(FlagTile("CN", name, TileState.WAITING)) for name in names)
    again = drawn(FlagTile("CN", "China", TileState.DONE))
    other = drawn(FlagTile("TW", "China", TileState.WAITING))
    line = view.fontMetrics().height()
    # The lines of the code and of the name, below the box and the bar.
    bar_top = 3 + 8 + 64 + 3
    top = bar_top + 3 + 3
    code_line, name_line = QRect(0, top, 128, line), QRect(0, top + line, 128, line)
    assert first.copy(code_line) == second.copy(code_line)
    assert first.copy(name_line) != second.copy(name_line)
    assert first.copy(name_line) == again.copy(name_line)
    assert first.copy(code_line) != other.copy(code_line)
    assert first.copy(name_line) == other.copy(name_line)


@pytest.mark.parametrize("selected", [False, True])
def test_a_tile_without_a_thumbnail_keeps_nothing_and_is_labelled_as_one_with(
    qapp: QApplication, selected: bool
) -> None:
    """A tile without a thumbnail is its state's picture with its label on
    it; the label and the bar fall where a whole tile, drawn with its
    thumbnail and kept, has them."""
    view = QListView()
    view.resize(400, 300)
    thumbnail = QPixmap(96, 64)
    thumbnail.fill(Qt.GlobalColor.red)
    delegate = FlagTileDelegate(
        view, thumbnail_of=lambda tile: thumbnail if tile.path is not None else None
    )
    option = _tile_option(view)
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    name = "Bosnia and Herzegovina"  # elided
    plain = {state: _painted(delegate, option, FlagTile("BA", name, state)) for state in TileState}
    assert delegate.bytes_used == 0
    shown = (TileState.WAITING, TileState.DOWNLOADING, TileState.DONE, TileState.ERROR)
    assert len({_bits(plain[state]) for state in shown}) == len(shown)
    whole = _painted(delegate, option, FlagTile("BA", name, TileState.DONE, path=Path("ba.gif")))
    assert delegate.bytes_used > 0  # kept
    # From the bar down, alike; above it, the thumbnail or the placeholder.
    bar_top = 3 + 8 + 64 + 3
    below, above = QRect(0, bar_top, 128, 126 - bar_top), QRect(0, 0, 128, bar_top)
    assert whole.copy(below) == plain[TileState.DONE].copy(below)
    assert whole.copy(above) != plain[TileState.DONE].copy(above)


def test_out_of_time_a_tile_shown_without_a_thumbnail_stays_so_not_as_it_was_before(
    qapp: QApplication,
) -> None:
    """A flag replaced on disk shows no thumbnail until its new one is
    rendered; if that arrives when a repaint is out of time, the tile stays
    as it was just shown for a frame, not as it was before its file changed."""
    view = QListView()
    view.resize(400, 300)
    thumbnails: dict[int, QPixmap] = {1: QPixmap(96, 64)}
    thumbnails[1].fill(Qt.GlobalColor.red)
    delegate = FlagTileDelegate(view, thumbnail_of=lambda tile: thumbnails.get(tile.version))
    option = _tile_option(view)
    tile = FlagTile("BA", "Bosnia", TileState.ON_DISK, path=Path("ba.gif"), version=1)
    old = _painted(delegate, option, tile)  # kept
    replaced = dataclasses.replace(tile, version=2)
    without = _painted(delegate, option, replaced)
    assert without != old
    thumbnails[2] = QPixmap(96, 64)
    thumbnails[2].fill(Qt.GlobalColor.blue)
    delegate.deadline = 0.0  # long past
    delegate.drawn = 1  # a tile was drawn in this repaint already
    assert _painted(delegate, option, replaced) == without
    assert not delegate.deferred.isEmpty()
    delegate.deadline = None
    assert _painted(delegate, option, replaced) not in (old, without)


class TileIndex:
    """What the delegate asks of an index: its tile."""

    def __init__(self, tile: FlagTile) -> None:
        self.tile = tile

    def data(self, role: int) -> object:
        return self.tile if role == FlagRoles.TILE else None


def test_a_settled_tile_is_kept_once_drawn(loop: Loop, browsing: MainWindow) -> None:
    window = browsing
    delegate = window.browser.delegate
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    before = delegate.bytes_used
    window.browser.zoom_slider.setValue(128)  # every tile in a new look
    window.grid.viewport().repaint()
    kept = delegate.bytes_used
    assert kept > before
    window.flags.prepare_batch(["JP"])
    window.flags.apply_events([FlagEvent("JP", Phase.STARTED, 0.1, 1)])
    window.grid.viewport().repaint()
    # A tile in flight is drawn, not kept: it may change again at once.
    assert delegate.bytes_used == kept
    window.grid.viewport().repaint()
    assert delegate.bytes_used > kept


def test_tiles_kept_as_drawn_stay_within_their_budget(loop: Loop, browsing: MainWindow) -> None:
    window = browsing
    delegate = window.browser.delegate
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    for _ in range(2):  # a tile is kept once drawn twice the same
        window.grid.viewport().repaint()
    one = window.grid.visualRect(window.browser.proxy.index(0, 0)).size()
    per_tile = one.width() * one.height() * 4
    assert delegate.bytes_used >= 5 * per_tile
    delegate.budget = 2 * per_tile
    window.browser.zoom_in_action.trigger()  # every tile drawn anew, larger
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    for _ in range(2):
        window.grid.viewport().repaint()
    assert 0 < delegate.bytes_used <= delegate.budget


def test_labels_switch_changes_the_tiles(browsing: MainWindow, settings: Settings) -> None:
    window = browsing
    with_labels = window.grid.visualRect(window.browser.proxy.index(0, 0)).height()
    window.browser.labels_action.trigger()
    assert not window.browser.labels_check.isChecked()
    without = window.grid.visualRect(window.browser.proxy.index(0, 0)).height()
    assert without < with_labels
    assert settings.labels is False


def test_large_view_shows_details_and_moves_with_the_keys(
    qtbot: QtBot, loop: Loop, browsing: MainWindow
) -> None:
    window = browsing
    window.grid.setCurrentIndex(window.browser.proxy.index(1, 0))
    window.browser.flag_actions.view.trigger()
    viewer = window.browser.viewer
    assert viewer is not None
    assert viewer.isVisible()
    assert viewer.title.text() == "China  (CN)"
    assert viewer.path.text().endswith("cn.gif")
    loop.until(lambda: viewer.pixels.text() == "300 × 200 pixels")
    assert "KiB" in viewer.file_size.text()

    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.title.text() == "Germany  (DE)"
    assert window.grid.currentIndex().row() == 2
    qtbot.keyClick(viewer, Qt.Key.Key_End)
    assert viewer.title.text() == "Japan  (JP)"
    qtbot.keyClick(viewer, Qt.Key.Key_Right)  # stays on the last one
    assert viewer.title.text() == "Japan  (JP)"
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.title.text() == "France  (FR)"
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


class UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_and_show_in_folder(browsing: MainWindow, tmp_path: Path) -> None:
    window = browsing
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "handle")
    try:
        select(window, "CN", "JP")
        window.browser.flag_actions.open.trigger()
        window.browser.flag_actions.show_folder.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    folder = tmp_path / "flags"
    assert [url.toLocalFile() for url in recorder.urls] == [
        str(folder / "cn.gif"),
        str(folder / "jp.gif"),
        str(folder),
    ]


def test_copy_image_and_path(browsing: MainWindow, tmp_path: Path) -> None:
    window = browsing
    clipboard = QGuiApplication.clipboard()
    select(window, "CN")
    window.browser.flag_actions.copy_image.trigger()
    mime = clipboard.mimeData()
    assert mime.hasImage()
    image = QImage(mime.imageData())
    assert (image.width(), image.height()) == (300, 200)
    assert [url.toLocalFile() for url in mime.urls()] == [str(tmp_path / "flags" / "cn.gif")]
    assert "Copied 1 flag" in window.summary_label.text()
    assert "flags" not in window.summary_label.text()
    window.browser.flag_actions.copy_path.trigger()
    assert "Copied 1 path" in window.summary_label.text()
    assert "paths" not in window.summary_label.text()

    select(window, "BR", "FR")
    window.browser.flag_actions.copy_path.trigger()
    assert clipboard.text().splitlines() == [
        str(tmp_path / "flags" / "br.gif"),
        str(tmp_path / "flags" / "fr.gif"),
    ]
    assert "Copied 2 paths" in window.summary_label.text()


def test_delete_moves_to_the_trash_after_confirmation(
    loop: Loop, browsing: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = browsing
    folder = tmp_path / "flags"
    select(window, "CN", "DE")

    window.browser.flag_actions.delete.trigger()
    box = window.findChild(QMessageBox)
    assert box is not None
    assert box.isVisible()
    assert "Move 2 flag files to the trash?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert (folder / "cn.gif").exists()

    window.browser.flag_actions.delete.trigger()
    confirm = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    confirm.button(QMessageBox.StandardButton.Yes).click()
    assert not (folder / "cn.gif").exists()
    assert not (folder / "de.gif").exists()
    trashed = sorted(p.name for p in (tmp_path / "data" / "Trash" / "files").iterdir())
    assert trashed == ["cn.gif", "de.gif"]
    assert grid_codes(window) == ["BR", "FR", "JP"]


def test_select_all_and_drag_data(browsing: MainWindow, tmp_path: Path) -> None:
    window = browsing
    window.browser.flag_actions.select_all.trigger()
    assert len(window.browser.flag_actions.selected_files()) == 5

    proxy = window.browser.proxy
    mime = proxy.mimeData([proxy.index(1, 0)])
    assert [url.toLocalFile() for url in mime.urls()] == [str(tmp_path / "flags" / "cn.gif")]
    assert mime.hasImage()
    assert proxy.supportedDragActions() == Qt.DropAction.CopyAction
    assert proxy.flags(proxy.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    two = proxy.mimeData([proxy.index(0, 0), proxy.index(4, 0)])
    assert len(two.urls()) == 2
    assert not two.hasImage()


def test_retry_download_of_the_selection_downloads_again(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = flag_folder(tmp_path / "flags", ["CN"])
    (folder / "cn.gif").write_bytes(make_gif("old", (300, 200)))
    flag_server.route("cn", faults.healthy("cn"))
    window = make_window(server=flag_server.base_url, folder=folder, countries=[])
    loop.until(lambda: window.flags.rowCount() == 1)
    select(window, "CN")
    window.browser.flag_actions.retry.trigger()
    loop.until(lambda: not window.controller.busy)
    assert flag_server.hits["cn"] == 1
    assert (folder / "cn.gif").read_bytes() == make_gif("cn")
    assert window.flags.tile("CN").state is TileState.DONE
    assert window.flags.tile("CN").version == 1


def test_the_grid_follows_changes_made_by_other_programs(
    loop: Loop, browsing: MainWindow, tmp_path: Path
) -> None:
    window = browsing
    folder = tmp_path / "flags"
    (folder / "it.gif").write_bytes(make_gif("it"))
    (folder / "notes.txt").write_text("ignored")
    loop.until(lambda: window.flags.tile("IT") is not None)
    assert window.flags.tile("IT").state is TileState.ON_DISK

    (folder / "jp.gif").unlink()
    loop.until(lambda: window.flags.tile("JP") is None)

    loop.until(lambda: rendered(window, "FR"))
    (folder / "fr.gif").write_bytes(b"GIF89a this is not a whole image")
    loop.until(lambda: window.flags.tile("FR").state is TileState.ERROR)
    # The reason is the image check's: the bytes after "GIF89a" read as a size.
    assert "too large for a flag" in window.flags.tile("FR").reason

    shutil.copy(folder / "br.gif", folder / "fr.gif")
    loop.until(lambda: window.flags.tile("FR").state is TileState.ON_DISK)
    assert grid_codes(window) == ["BR", "CN", "DE", "FR", "IT"]


@pytest.fixture
def hundred_flags(loop: Loop, make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    """A window on a folder of 100 flags, once the screenful shown is rendered."""
    codes = [a + b for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJ"]
    folder = flag_folder(tmp_path / "many", codes, (120, 80))
    window = make_window(server=LOCAL, folder=folder, countries=[])
    loop.until(lambda: window.flags.rowCount() == 100)
    loop.until(lambda: window.cache.renders > 0 and not window.cache.busy)
    return window


def test_only_visible_thumbnails_are_rendered(loop: Loop, hundred_flags: MainWindow) -> None:
    window = hundred_flags
    first = window.cache.renders
    assert 0 < first < 100
    window.grid.scrollToBottom()
    loop.until(lambda: rendered(window, "JJ"))
    assert window.cache.renders < 100 + 1


def test_the_screenful_below_is_rendered_ahead_after_scrolling(
    loop: Loop, hundred_flags: MainWindow
) -> None:
    window = hundred_flags
    height = window.grid.viewport().height()
    below = [
        code
        for row, code in enumerate(grid_codes(window))
        if height <= window.grid.visualRect(window.browser.proxy.index(row, 0)).top() < 2 * height
    ]
    assert below
    assert not any(rendered(window, code) for code in below)
    window.grid.prefetch()  # what a scroll brings 60 ms later
    loop.until(lambda: all(rendered(window, code) for code in below))


def test_cache_stays_within_its_budget(loop: Loop, tmp_path: Path) -> None:
    folder = flag_folder(tmp_path / "f", ["AA", "BB", "CC", "DD"], (100, 100))
    one = 100 * 100 * 4
    cache = ThumbnailCache(budget=int(one * 2.5))
    for name in ["aa", "bb", "cc", "dd"]:
        cache.request(ThumbnailKey.of(folder / f"{name}.gif", 0, QSize(100, 100)))
    loop.until(lambda: cache.renders == 4 and not cache.busy)
    assert cache.bytes_used <= one * 2.5
    # Renders finish in any order on the pool; the two stored last are kept.
    kept = [
        name
        for name in ["aa", "bb", "cc", "dd"]
        if cache.pixmap(ThumbnailKey.of(folder / f"{name}.gif", 0, QSize(100, 100)))
    ]
    assert len(kept) == 2
    loop.run(cache.aclose())


def test_a_thumbnail_asked_for_again_goes_before_those_asked_for_since(
    loop: Loop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repaint asks again for the thumbnails on screen: one still waiting
    becomes the newest request, so a screen scrolled back to is rendered
    before the screens scrolled past."""
    folder = flag_folder(tmp_path / "f", ["AA", "BB", "CC", "DD", "EE"])
    started, go_on = threading.Event(), threading.Event()
    decode = thumbnails.decode_scaled

    def held(path: str, width: int, height: int, padded: bool = False) -> QImage | None:
        started.set()
        go_on.wait(10)
        return decode(path, width, height, padded)

    monkeypatch.setattr(thumbnails, "decode_scaled", held)
    cache = ThumbnailCache(workers=1)
    keys = {
        name[0]: ThumbnailKey.of(folder / f"{name}.gif", 0, QSize(96, 64))
        for name in ["aa", "bb", "cc", "dd", "ee"]
    }
    cache.request(keys["a"])  # taken at once by the only worker, which waits
    assert started.wait(10)
    for name in "bcd":
        cache.request(keys[name])
    assert cache._loader.waiting() == [keys["b"], keys["c"], keys["d"]]
    assert cache.get(keys["b"]) is None  # asked again, as a repaint does
    assert cache._loader.waiting() == [keys["c"], keys["d"], keys["b"]]
    cache.request(keys["a"])  # being rendered: not asked for twice
    assert keys["a"] not in cache._loader.waiting()
    # Asked for ahead of need (the screenful below): after all the others,
    # and one that waits already keeps its place.
    cache.request(keys["e"], ahead=True)
    cache.request(keys["c"], ahead=True)
    assert cache._loader.waiting() == [keys["e"], keys["c"], keys["d"], keys["b"]]
    go_on.set()
    loop.until(lambda: not cache.busy)
    assert cache.renders == 5
    loop.run(cache.aclose())


def test_an_icon_is_made_from_its_files_thumbnail_not_decoded_again(
    loop: Loop, tmp_path: Path
) -> None:
    """A list icon asked for while its file's thumbnail is on its way costs
    no decode of its own: it waits for the thumbnail and is scaled from it."""
    folder = flag_folder(tmp_path / "f", ["CN", "JP"])
    cache = ThumbnailCache()
    ready: list[ThumbnailKey] = []
    cache.ready.connect(ready.append)
    keys = []
    for name in ("cn", "jp"):
        thumbnail = ThumbnailKey.of(folder / f"{name}.gif", 0, QSize(96, 64))
        icon = ThumbnailKey.of(folder / f"{name}.gif", 0, QSize(24, 16), padded=True)
        cache.request(thumbnail)
        cache.request(icon)
        keys += [thumbnail, icon]
    loop.until(lambda: all(cache.pixmap(key) is not None for key in keys) and not cache.busy)
    assert cache.renders == 2
    assert sorted(ready, key=keys.index) == keys
    icon = cache.pixmap(keys[1])
    assert icon is not None
    assert icon.size() == QSize(24, 16)
    loop.run(cache.aclose())


@pytest.mark.parametrize(("processors", "workers"), [(None, 1), (1, 1), (2, 1), (4, 3), (16, 4)])
def test_thumbnails_are_decoded_on_all_processors_but_the_windows(
    processors: int | None, workers: int
) -> None:
    assert worker_count(processors) == workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value")
def test_thumbnail_workers_run_at_a_lower_priority_than_the_window(
    loop: Loop, browsing: MainWindow
) -> None:
    """With more threads ready than processors, the window's thread (which
    paints and answers the user) runs first."""
    window = browsing
    loop.until(lambda: all(rendered(window, code) for code in grid_codes(window)))
    nice: list[int] = []
    window.cache._loader._pool.submit(
        lambda: nice.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    ).result(timeout=10)
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert nice == [min(19, own + thumbnails.WORKER_NICE)]
    assert thumbnails.WORKER_NICE > 0


def test_empty_grid_says_what_to_do(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "nothing", countries=[])
    assert window.flags.rowCount() == 0
    assert "press Download" in window.grid.empty_text
    assert thumbnail_size(96) == QSize(96, 64)


def test_png_and_svg_flags_are_shown_too(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "cn.gif").write_bytes(make_gif("cn"))
    (folder / "jp.png").write_bytes(make_png((300, 200)))
    (folder / "fr.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">'
        b'<rect width="10" height="20" fill="#0055a4"/><rect x="20" width="10" height="20" '
        b'fill="#ef4135"/></svg>'
    )
    window = make_window(server=LOCAL, folder=folder, countries=[])
    loop.until(lambda: window.flags.rowCount() == 3)
    loop.until(lambda: all(rendered(window, code) for code in ["CN", "FR", "JP"]))
    svg = window.cache.pixmap(ThumbnailKey.of(folder / "fr.svg", 0, window.flags.thumbnail_size))
    # A vector flag is drawn at the thumbnail's size, not at its nominal 30x20.
    assert (svg.width(), svg.height()) == (96, 64)


def test_a_folder_opens_sorted_by_size(
    loop: Loop, make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    """Tiles arrive with their file sizes, so the remembered sort applies at
    once (not only when thumbnails, arriving later, happen to re-sort them)."""
    settings.sort = SortKey.SIZE
    folder = tmp_path / "flags"
    flag_folder(folder, ["CN"], size=(30, 20))
    flag_folder(folder, ["BR"], size=(600, 400))
    flag_folder(folder, ["JP"], size=(300, 200))
    window = make_window(server=LOCAL, folder=tmp_path / "empty", countries=[])
    window.flags.show_on_disk(scan_folder(folder))  # what opening the folder does
    sizes = {code: window.flags.tile(code).size for code in ["BR", "CN", "JP"]}
    assert sorted(sizes, key=sizes.__getitem__, reverse=True) == ["BR", "JP", "CN"]
    assert grid_codes(window) == ["BR", "JP", "CN"]

    # A tile shown without a file (waiting for a download) gets its file the same way.
    window.flags.clear()
    window.flags.prepare_batch(["BR", "CN", "JP"])
    window.flags.show_on_disk(scan_folder(folder))
    assert grid_codes(window) == ["BR", "JP", "CN"]


def test_an_svg_is_dragged_at_its_own_size_and_never_beyond_the_largest(
    qapp: QApplication, tmp_path: Path
) -> None:
    small = tmp_path / "fr.svg"
    small.write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">'
        b'<rect width="30" height="20" fill="#0055a4"/></svg>'
    )
    huge = tmp_path / "jp.svg"
    huge.write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="50000">'
        b'<rect width="30" height="20" fill="#bc002d"/></svg>'
    )
    dragged = flag_image(small)
    assert dragged is not None
    assert dragged.size() == QSize(30, 20)
    bounded = flag_image(huge)
    assert bounded is not None
    assert bounded.size() == QSize(LARGEST.width(), LARGEST.width() // 2)
