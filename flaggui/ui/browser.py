"""Browsing the flags of a folder: filter, sort, zoom, labels, large view,
and the actions on the selection."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.untrusted import quoted
from flaggui.ui.actions import make_action
from flaggui.ui.delegate import FlagTileDelegate
from flaggui.ui.flag_actions import FlagActions
from flaggui.ui.flag_model import FlagListModel
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
from flaggui.ui.viewer import FlagViewer


class BrowserPane(QWidget):
    """The grid with its filter box, sort order, labels switch and zoom.

    Signals:
        retryRequested(list): download these codes again.
        message(str): something to tell the user in the status bar.
        zoomChanged(int), sortChanged(str), labelsChanged(bool): for settings.
    """

    retryRequested = Signal(list)
    message = Signal(str)
    zoomChanged = Signal(int)
    sortChanged = Signal(str)
    labelsChanged = Signal(bool)

    def __init__(self, model: FlagListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = FlagFilterModel(model, self)
        self.zoom = DEFAULT_ZOOM
        self.viewer: FlagViewer | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter flags by code or name (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.sort_combo = QComboBox()
        for key, text in self._sort_names().items():
            self.sort_combo.addItem(text, key.value)
        self.labels_check = QCheckBox(self.tr("Labels"))
        self.labels_check.setChecked(True)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(QLabel(self.tr("Sort by:")))
        bar.addWidget(self.sort_combo)
        bar.addWidget(self.labels_check)

        self.grid = FlagGrid()
        self.grid.setModel(self.proxy)
        self.delegate = FlagTileDelegate(self.grid)
        self.grid.setItemDelegate(self.delegate)
        self.grid.setIconSize(thumbnail_size(self.zoom))
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

        self.zoom_slider = QSlider(Qt.Orientation.Horizontal)
        self.zoom_slider.setRange(MIN_ZOOM, MAX_ZOOM)
        self.zoom_slider.setValue(self.zoom)
        self.zoom_slider.setFixedWidth(160)
        self.zoom_slider.setToolTip(self.tr("Thumbnail size (Ctrl + mouse wheel)"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        self._build_view_actions()

        self.filter_edit.textChanged.connect(self._filter_changed)
        self.sort_combo.currentIndexChanged.connect(
            lambda _row: self.set_sort_key(SortKey(self.sort_combo.currentData()))
        )
        self.labels_check.toggled.connect(self.set_labels_visible)
        self.zoom_slider.valueChanged.connect(self.set_zoom)
        self.grid.zoomRequested.connect(self.zoom_by)
        self.flag_actions.viewRequested.connect(self.open_viewer)
        self.flag_actions.retryRequested.connect(self.retryRequested.emit)
        self.flag_actions.message.connect(self.message.emit)

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        # An empty grid says why: nothing matches, or nothing is there yet.
        self.grid.empty_text = (
            self.tr("No flag matches {text}.").format(text=quoted(text.strip()))
            if text.strip()
            else self._nothing_yet
        )
        self.grid.viewport().update()

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
            self, self.tr("&Actual thumbnail size"), "Ctrl+0", lambda: self.set_zoom(DEFAULT_ZOOM)
        )
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
        self.set_zoom(next_zoom(self.zoom, steps))

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

    # Large view -------------------------------------------------------------
    def open_viewer(self, index: QModelIndex) -> None:
        if self.viewer is None:
            self.viewer = FlagViewer(self.proxy, self.model.cache, self)
            self.viewer.currentChanged.connect(self.grid.setCurrentIndex)
        self.viewer.show_row(index.row())
        self.viewer.show()
        self.viewer.raise_()
        self.viewer.activateWindow()
