"""Browsing the flags of a folder: filter, sort, zoom, labels, large view,
the actions on the selection, and the grid or the world map."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QImageWriter, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.untrusted import quoted
from flaggui.terminal import columns
from flaggui.ui.accessibility import ViewStack
from flaggui.ui.actions import make_action
from flaggui.ui.delegate import FlagTileDelegate
from flaggui.ui.flag_actions import FlagActions
from flaggui.ui.flag_model import FlagListModel, FlagRoles, TileGroup
from flaggui.ui.grid import (
    DEFAULT_ZOOM,
    MAX_ZOOM,
    MIN_ZOOM,
    FlagFilterModel,
    FlagGrid,
    SortKey,
    next_zoom,
    thumbnail_size,
)
from flaggui.ui.map_view import MapView
from flaggui.ui.viewer import FlagViewer

# What the grid's "Show" choice offers, in order; None is every flag.
SHOWN_GROUPS: tuple[TileGroup | None, ...] = (
    None,
    TileGroup.SAVED,
    TileGroup.FAILED,
    TileGroup.CANCELLED,
)


class BrowserPane(QWidget):
    """The grid with its filter box, the states it shows (all, saved,
    failed, cancelled, with their counts), sort order, labels switch and
    zoom, or in its place the world map (Ctrl+M), whose selection is the
    grid's.

    Signals:
        retryRequested(list): download these codes again.
        message(str): something to tell the user in the status bar.
        mapSelectionEdited(list): the user selected these codes on the map.
        zoomChanged(int), sortChanged(str), labelsChanged(bool),
        mapShownChanged(bool): for settings.
    """

    retryRequested = Signal(list)
    mapSelectionEdited = Signal(list)
    message = Signal(str)
    zoomChanged = Signal(int)
    sortChanged = Signal(str)
    labelsChanged = Signal(bool)
    mapShownChanged = Signal(bool)

    def __init__(self, model: FlagListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = FlagFilterModel(model, self)
        self.zoom = DEFAULT_ZOOM
        self.viewer: FlagViewer | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter flags by code or name (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter flags"))
        # Not remembered between runs: opened on "Failed" after a restart,
        # the grid would look as if the saved flags had gone.
        self.shown_combo = QComboBox()
        for group in SHOWN_GROUPS:
            self.shown_combo.addItem("", group)
        self.shown_combo.setAccessibleName(self.tr("Show"))
        self.shown_combo.setToolTip(
            self.tr("Show every flag, or only the saved, failed or cancelled ones")
        )
        self.sort_combo = QComboBox()
        for key, text in self._sort_names().items():
            self.sort_combo.addItem(text, key.value)
        self.labels_check = QCheckBox(self.tr("Labels"))
        self.labels_check.setChecked(True)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        shown_label = QLabel(self.tr("Sh&ow:"))
        shown_label.setBuddy(self.shown_combo)
        bar.addWidget(shown_label)
        bar.addWidget(self.shown_combo)
        sort_label = QLabel(self.tr("Sort by:"))
        sort_label.setBuddy(self.sort_combo)
        bar.addWidget(sort_label)
        bar.addWidget(self.sort_combo)
        bar.addWidget(self.labels_check)

        self.grid = FlagGrid()
        self.grid.setModel(self.proxy)
        self.delegate = FlagTileDelegate(self.grid, thumbnail_of=model.thumbnail)
        self.grid.setItemDelegate(self.delegate)
        self.grid.ask_ahead = model.prefetch_thumbnail
        self.grid.setIconSize(thumbnail_size(self.zoom))
        self.grid.setAccessibleName(self.tr("Flags"))
        self.grid.setAccessibleDescription(
            self.tr(
                "Arrow keys move, Enter opens the large view, Shift+F10 or the Menu key "
                "lists the actions"
            )
        )
        self._nothing_yet = self.tr(
            "No flags here yet.\nPick countries on the left and press Download, "
            "or open a folder that has flags."
        )
        self.grid.empty_text = self._nothing_yet
        # Esc in the filter clears it, as in a search field.
        clear = QAction(self.filter_edit)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.filter_edit.clear)
        self.filter_edit.addAction(clear)
        self.flag_actions = FlagActions(self.grid, self.proxy, model, self)
        self.map = MapView(model)
        self.flag_actions.add_view(self.map, self.map.current_point)
        self.views = ViewStack()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.map)
        self._following = False  # while one view's selection follows the other's
        self._export_dialog: QFileDialog | None = None

        self.zoom_slider = QSlider(Qt.Orientation.Horizontal)
        self.zoom_slider.setRange(MIN_ZOOM, MAX_ZOOM)
        self.zoom_slider.setValue(self.zoom)
        self.zoom_slider.setFixedWidth(160)
        self.zoom_slider.setToolTip(self.tr("Thumbnail size (Ctrl + mouse wheel)"))
        self.zoom_slider.setAccessibleName(self.tr("Thumbnail size"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        self._build_view_actions()

        self.filter_edit.textChanged.connect(self._filter_changed)
        self.shown_combo.currentIndexChanged.connect(lambda _row: self._filter_changed())
        # The counts follow the tiles, at most every 100 ms (a batch
        # changes tiles every frame).
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(100)
        self._count_timer.timeout.connect(self.update_counts)
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._counts_changed)
        self.update_counts()
        # In a window at its smallest the choice is cut short rather than
        # widen the window past 800 pixels.
        self.shown_combo.setMinimumWidth(self.shown_combo.sizeHint().width() // 2)
        # As wide as its widest choice with a four-digit count, from the
        # start: a width that followed the counts would lay the window out
        # again at each change during a batch.
        self.shown_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.shown_combo.setMinimumContentsLength(
            max(columns(text.format(count=9999)) for text in self._shown_texts())
        )
        self.sort_combo.currentIndexChanged.connect(
            lambda _row: self.set_sort_key(SortKey(self.sort_combo.currentData()))
        )
        self.labels_check.toggled.connect(self.set_labels_visible)
        self.zoom_slider.valueChanged.connect(self.set_zoom)
        self.grid.zoomRequested.connect(self.zoom_by)
        self.flag_actions.viewRequested.connect(self.open_viewer)
        self.flag_actions.retryRequested.connect(self.retryRequested.emit)
        self.flag_actions.message.connect(self.message.emit)
        self.grid.selectionModel().selectionChanged.connect(self._grid_selection_changed)
        self.grid.selectionModel().currentChanged.connect(self._grid_selection_changed)
        self.map.selectionEdited.connect(self._map_selection_edited)
        self.map.activated.connect(self._open_code)
        self.map.customContextMenuRequested.connect(
            lambda position: self.flag_actions.popup_menu(self.map, self.map.mapToGlobal(position))
        )

    def shown_group(self) -> TileGroup | None:
        """The flags the grid shows: those of a group, or all (None)."""
        group = self.shown_combo.currentData()
        return group if isinstance(group, TileGroup) else None

    def show_group(self, group: TileGroup | None) -> None:
        self.shown_combo.setCurrentIndex(SHOWN_GROUPS.index(group))

    def _filter_changed(self) -> None:
        text, group = self.filter_edit.text(), self.shown_group()
        self.proxy.set_filter(text, group)
        self.grid.empty_text = self._empty_text(text.strip(), group)
        self.grid.viewport().update()

    def _empty_text(self, text: str, group: TileGroup | None) -> str:
        """What an empty grid says: why nothing is shown."""
        shown = quoted(text)
        if group is TileGroup.SAVED:
            if text:
                return self.tr("No saved flag matches {text}.").format(text=shown)
            return self.tr("No saved flags.")
        if group is TileGroup.FAILED:
            if text:
                return self.tr("No failed flag matches {text}.").format(text=shown)
            return self.tr("No failed flags.")
        if group is TileGroup.CANCELLED:
            if text:
                return self.tr("No cancelled flag matches {text}.").format(text=shown)
            return self.tr("No cancelled flags.")
        if text:
            return self.tr("No flag matches {text}.").format(text=shown)
        return self._nothing_yet

    def _counts_changed(self, *_args: object) -> None:
        # Started only if idle: restarted at each change, the timer would
        # not fire while a batch changes tiles every frame.
        if not self._count_timer.isActive():
            self._count_timer.start()

    def update_counts(self) -> None:
        """Show how many flags each choice of "Show" lists."""
        self._count_timer.stop()
        counts = self.model.group_counts()
        for row, (group, template) in enumerate(
            zip(SHOWN_GROUPS, self._shown_texts(), strict=True)
        ):
            count = self.model.rowCount() if group is None else counts[group]
            text = template.format(count=count)
            if self.shown_combo.itemText(row) != text:
                self.shown_combo.setItemText(row, text)

    def _shown_texts(self) -> list[str]:
        """The choices of "Show", in the order of SHOWN_GROUPS, to be
        formatted with their count."""
        return [
            self.tr("All ({count})"),
            self.tr("Saved ({count})"),
            self.tr("Failed ({count})"),
            self.tr("Cancelled ({count})"),
        ]

    def _sort_names(self) -> dict[SortKey, str]:
        return {
            SortKey.CODE: self.tr("Code"),
            SortKey.NAME: self.tr("Name"),
            SortKey.TIME: self.tr("Newest"),
            SortKey.SIZE: self.tr("Largest file"),
        }

    def _build_view_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.find_action = make_action(
            self, self.tr("&Filter flags…"), keys.Find, self.focus_filter
        )
        self.zoom_in_action = make_action(
            self, self.tr("Zoom &in"), keys.ZoomIn, lambda: self.zoom_by(1)
        )
        self.zoom_out_action = make_action(
            self, self.tr("Zoom &out"), keys.ZoomOut, lambda: self.zoom_by(-1)
        )
        self.zoom_reset_action = make_action(
            self, self.tr("&Actual thumbnail size"), "Ctrl+0", self.reset_zoom
        )
        self.map_action = make_action(self, self.tr("World &map"), "Ctrl+M")
        self.map_action.setCheckable(True)
        self.map_action.toggled.connect(self.show_map)
        self.export_map_action = make_action(
            self, self.tr("&Export map as PNG…"), "", self.export_map
        )
        self.export_map_action.setEnabled(False)
        self.labels_action = make_action(self, self.tr("Show &labels"), "Ctrl+L")
        self.labels_action.setCheckable(True)
        self.labels_action.setChecked(True)
        self.labels_action.toggled.connect(self.set_labels_visible)
        self.sort_actions = QActionGroup(self)
        for number, (key, text) in enumerate(self._sort_names().items(), start=1):
            action = make_action(
                self, self.tr("Sort by {order}").format(order=text), f"Ctrl+{number}"
            )
            action.setCheckable(True)
            action.setData(key.value)
            action.setChecked(key is SortKey.CODE)
            action.triggered.connect(lambda _checked, key=key: self.set_sort_key(key))
            self.sort_actions.addAction(action)

    def fill_view_menu(self, menu: QMenu) -> None:
        menu.addAction(self.map_action)
        menu.addAction(self.export_map_action)
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.labels_action)
        menu.addSeparator()
        for action in self.sort_actions.actions():
            menu.addAction(action)

    # Zoom, order, labels ------------------------------------------------------
    def set_zoom(self, zoom: int) -> None:
        """Thumbnails of *zoom* pixels wide: visible ones are rendered again
        at that size off the event loop; until then the old ones are shown."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if zoom == self.zoom and self.grid.iconSize() == thumbnail_size(zoom):
            return
        self.zoom = zoom
        self.zoom_slider.setValue(zoom)
        self.model.set_thumbnail_size(thumbnail_size(zoom))
        self.grid.setIconSize(thumbnail_size(zoom))
        self.grid.scrollTo(self.grid.currentIndex())
        self.zoomChanged.emit(zoom)

    def zoom_by(self, steps: int) -> None:
        """Zoom the map around its centre, or the grid's thumbnails."""
        if self.map_shown():
            self.map.zoom_by(steps)
        else:
            self.set_zoom(next_zoom(self.zoom, steps))

    def reset_zoom(self) -> None:
        if self.map_shown():
            self.map.fit_world()
        else:
            self.set_zoom(DEFAULT_ZOOM)

    def set_sort_key(self, key: SortKey) -> None:
        self.proxy.set_sort_key(key)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(key.value))
        for action in self.sort_actions.actions():
            action.setChecked(action.data() == key.value)
        self.sortChanged.emit(key.value)

    def set_labels_visible(self, visible: bool) -> None:
        self.delegate.show_labels = visible
        self.labels_check.setChecked(visible)
        self.labels_action.setChecked(visible)
        # Item sizes depend on the labels: lay the grid out again.
        self.grid.setIconSize(thumbnail_size(self.zoom))
        self.grid.doItemsLayout()
        self.labelsChanged.emit(visible)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # The world map ------------------------------------------------------------
    def map_shown(self) -> bool:
        return self.views.currentWidget() is self.map

    def show_map(self, shown: bool) -> None:
        """Show the world map in the grid's place, or the grid again."""
        shown_view = self.map if shown else self.grid
        had_focus = self.map.hasFocus() or self.grid.hasFocus()
        self.views.setCurrentWidget(shown_view)
        self.map_action.setChecked(shown)
        self.export_map_action.setEnabled(shown)
        if had_focus:
            shown_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.mapShownChanged.emit(shown)

    def _code_index(self, code: str) -> QModelIndex:
        """The grid's index of *code*, or an invalid one if it is not shown."""
        matches = self.proxy.match(
            self.proxy.index(0, 0), FlagRoles.CODE, code, 1, Qt.MatchFlag.MatchExactly
        )
        return matches[0] if matches else QModelIndex()

    def _grid_selection_changed(self) -> None:
        if self._following:
            return
        selected = self.grid.selectionModel().selectedIndexes()
        current = self.grid.currentIndex()
        codes = sorted(index.data(FlagRoles.CODE) for index in selected)
        self.map.set_selection(codes, current.data(FlagRoles.CODE) if current.isValid() else "")
        if self.map_shown():
            # Select all, or a flag deleted, while the map is shown: what the
            # map shows selected is what it says it is.
            self.mapSelectionEdited.emit(codes)

    def _map_selection_edited(self, codes: list[str], current: str) -> None:
        """Select the same flags in the grid (those it shows)."""
        selection = QItemSelection()
        for code in codes:
            index = self._code_index(code)
            if index.isValid():
                selection.select(index, index)
        model = self.grid.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        self._following = True
        try:
            model.select(selection, flags.ClearAndSelect)
            index = self._code_index(current)
            if index.isValid():
                model.setCurrentIndex(index, flags.NoUpdate)
                self.grid.scrollTo(index)
        finally:
            self._following = False
        self.mapSelectionEdited.emit(codes)

    def _open_code(self, code: str) -> None:
        index = self._code_index(code)
        if not index.isValid() and (self.filter_edit.text() or self.shown_group()):
            # The flag was filtered out of the grid.
            self.filter_edit.clear()
            self.show_group(None)
            index = self._code_index(code)
        if index.isValid():
            self.open_viewer(index)

    def export_map(self) -> None:
        """Ask where to save the map as a PNG, without blocking the loop."""
        dialog = QFileDialog(self, self.tr("Export the map"), str(Path.home() / "flag-map.png"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("png")
        dialog.setNameFilter(self.tr("PNG images (*.png)"))
        dialog.fileSelected.connect(lambda path: self.save_map(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self._export_dialog = dialog
        dialog.open()

    def save_map(self, path: Path) -> bool:
        """Save the map as shown, at twice the size on screen, as a PNG."""
        saved = QImageWriter(str(path), QByteArray(b"png")).write(self.map.render_image(2.0))
        if saved:
            self.message.emit(self.tr("Saved the map as {path}").format(path=path))
        else:
            self.message.emit(self.tr("Could not save the map as {path}").format(path=path))
        return saved

    # Large view -------------------------------------------------------------
    def open_viewer(self, index: QModelIndex) -> None:
        if self.viewer is None:
            self.viewer = FlagViewer(self.proxy, self.model.cache, self)
            self.viewer.currentChanged.connect(self.grid.setCurrentIndex)
        self.viewer.show_row(index.row())
        self.viewer.show()
        self.viewer.raise_()
        self.viewer.activateWindow()
