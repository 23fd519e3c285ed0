"""What can be done with the selected flags: the context menu, the Flag
menu, and their shortcuts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QFile,
    QModelIndex,
    QObject,
    QPoint,
    QProcess,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from flaggui.ui.actions import make_action
from flaggui.ui.flag_model import FlagListModel, FlagRoles, FlagTile, mime_for
from flaggui.ui.grid import FlagFilterModel, FlagGrid

_FILE_MANAGER = "org.freedesktop.FileManager1"


def reveal_in_file_manager(paths: list[Path]) -> bool:
    """Ask the file manager to show *paths* selected: Finder on macOS,
    Explorer on Windows, the freedesktop FileManager1 D-Bus service on
    Linux. False where none is available."""
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", *(str(path) for path in paths)])[0]
    if sys.platform == "win32":
        return QProcess.startDetached("explorer", [f"/select,{paths[0]}"])[0]
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected() or not bus.interface().isServiceRegistered(_FILE_MANAGER).value():
        return False
    call = QDBusMessage.createMethodCall(
        _FILE_MANAGER, "/org/freedesktop/FileManager1", _FILE_MANAGER, "ShowItems"
    )
    call.setArguments([[QUrl.fromLocalFile(str(path)).toString() for path in paths], ""])
    return bus.send(call)


class FlagActions(QObject):
    """Actions on the grid's selection; their shortcuts work while the grid
    has the focus, and every one is shown with its shortcut in the menus.

    Signals:
        viewRequested(QModelIndex): show this (grid) index in the large view.
        retryRequested(list): download these codes again.
        message(str): something to tell the user in the status bar.
    """

    viewRequested = Signal(QModelIndex)
    retryRequested = Signal(list)
    message = Signal(str)

    def __init__(
        self, grid: FlagGrid, proxy: FlagFilterModel, model: FlagListModel, window: QWidget
    ) -> None:
        super().__init__(window)
        self.grid, self.proxy, self.model, self.window = grid, proxy, model, window
        self._confirm: QMessageBox | None = None
        self._views: dict[QWidget, Callable[[], QPoint]] = {}

        def make(
            text: str, shortcut: str | QKeySequence.StandardKey, slot: Callable[[], object]
        ) -> QAction:
            action = make_action(window, text, shortcut, slot)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            grid.addAction(action)
            return action

        self.view = make(self.tr("&View large"), "Return", self.view_current)
        self.open = make(self.tr("&Open in default app"), "Shift+Return", self.open_files)
        self.show_folder = make(self.tr("Show in &folder"), "Ctrl+Shift+O", self.show_in_folder)
        self.copy_image = make(self.tr("&Copy image"), QKeySequence.StandardKey.Copy, self.copy)
        self.copy_path = make(self.tr("Copy &path"), "Ctrl+Shift+C", self.copy_paths)
        self.retry = make(self.tr("Do&wnload again"), "Ctrl+Shift+R", self.retry_selected)
        self.delete = make(
            self.tr("&Delete to trash…"), QKeySequence.StandardKey.Delete, self.delete_selected
        )
        self.select_all = make(
            self.tr("Select &all"), QKeySequence.StandardKey.SelectAll, grid.selectAll
        )
        # Shift+F10 and the Menu key open the actions at the current flag
        # (not at the grid's corner, and without selecting the flag there);
        # no menu lists this one.
        self.menu_key = make(self.tr("Actions menu"), "Shift+F10", self.menu_at_current)
        self.menu_key.setShortcuts([QKeySequence("Shift+F10"), QKeySequence(Qt.Key.Key_Menu)])
        self._file_actions = [
            self.view,
            self.open,
            self.show_folder,
            self.copy_image,
            self.copy_path,
            self.delete,
        ]

        grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        grid.customContextMenuRequested.connect(self._context_menu)
        grid.activated.connect(self.viewRequested.emit)
        grid.selectionModel().selectionChanged.connect(self.update_enabled)
        proxy.modelReset.connect(self.update_enabled)
        proxy.dataChanged.connect(self.update_enabled)
        self.update_enabled()

    def actions(self) -> list[QAction]:
        return [
            self.view,
            self.open,
            self.show_folder,
            self.copy_image,
            self.copy_path,
            self.retry,
            self.delete,
            self.select_all,
        ]

    def fill_menu(self, menu: QMenu) -> None:
        for action in self.actions():
            if action in (self.copy_image, self.retry, self.select_all):
                menu.addSeparator()
            menu.addAction(action)

    # Selection --------------------------------------------------------------
    def selected_tiles(self) -> list[FlagTile]:
        rows = sorted(index.row() for index in self.grid.selectionModel().selectedIndexes())
        tiles = [self.proxy.index(row, 0).data(FlagRoles.TILE) for row in rows]
        return [tile for tile in tiles if isinstance(tile, FlagTile)]

    def selected_files(self) -> list[Path]:
        return [tile.path for tile in self.selected_tiles() if tile.path is not None]

    def update_enabled(self) -> None:
        tiles = self.selected_tiles()
        has_files = any(tile.path is not None for tile in tiles)
        for action in self._file_actions:
            action.setEnabled(has_files)
        self.retry.setEnabled(bool(tiles))
        # A download manager's words: flags that did not arrive are retried,
        # saved ones downloaded again.
        if tiles and all(tile.state.unfinished for tile in tiles):
            self.retry.setText(self.tr("&Retry"))
        else:
            self.retry.setText(self.tr("Do&wnload again"))
        self.select_all.setEnabled(self.proxy.rowCount() > 0)

    def _context_menu(self, position: QPoint) -> None:
        index = self.grid.indexAt(position)
        if index.isValid() and not self.grid.selectionModel().isSelected(index):
            self.grid.setCurrentIndex(index)
        self.popup_menu(self.grid, self.grid.viewport().mapToGlobal(position))

    def popup_menu(self, parent: QWidget, position: QPoint, keyboard: bool = False) -> QMenu:
        """The actions on the selection as a context menu at *position*
        (global); opened from the keyboard, its first enabled action is
        active, so a screen reader reads it at once."""
        self.update_enabled()
        menu = QMenu(parent)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.fill_menu(menu)
        menu.popup(position)
        if keyboard:
            enabled = [action for action in menu.actions() if action.isEnabled()]
            if enabled and not enabled[0].isSeparator():
                menu.setActiveAction(enabled[0])
        return menu

    def add_view(self, view: QWidget, current_point: Callable[[], QPoint]) -> None:
        """Make the shortcuts work on another view of the same selection
        (the world map); *current_point* says where its current flag is."""
        for action in [*self.actions(), self.menu_key]:
            view.addAction(action)
        self._views[view] = current_point

    def menu_at_current(self) -> QMenu:
        """The context menu from the keyboard, beside the current flag of
        the view that has the focus."""
        focused = QApplication.focusWidget()
        for view, current_point in self._views.items():
            if focused is not None and (view is focused or view.isAncestorOf(focused)):
                return self.popup_menu(view, view.mapToGlobal(current_point()), keyboard=True)
        index = self.grid.currentIndex()
        viewport = self.grid.viewport()
        shown = viewport.rect()
        if index.isValid() and shown.intersects(self.grid.visualRect(index)):
            shown = shown.intersected(self.grid.visualRect(index))
        return self.popup_menu(self.grid, viewport.mapToGlobal(shown.center()), keyboard=True)

    # Actions ----------------------------------------------------------------
    def view_current(self) -> None:
        index = self.grid.currentIndex()
        if index.isValid():
            self.viewRequested.emit(index)

    def open_files(self) -> None:
        for path in self.selected_files():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def show_in_folder(self) -> None:
        """Show the files selected in the file manager where the platform
        allows it, otherwise open their folder."""
        files = self.selected_files()
        if files and reveal_in_file_manager(files):
            return
        for folder in dict.fromkeys(path.parent for path in files):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def copy(self) -> None:
        files = self.selected_files()
        if files:
            QGuiApplication.clipboard().setMimeData(mime_for(files))
            self.message.emit(self.tr("Copied %n flags", "", len(files)))

    def copy_paths(self) -> None:
        files = self.selected_files()
        if files:
            QGuiApplication.clipboard().setText("\n".join(str(path) for path in files))
            self.message.emit(self.tr("Copied %n paths", "", len(files)))

    def retry_selected(self) -> None:
        codes = [tile.code for tile in self.selected_tiles()]
        if codes:
            self.retryRequested.emit(codes)

    def delete_selected(self) -> None:
        """Ask first (without blocking the event loop), then move to the trash."""
        files = self.selected_files()
        if not files:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete flags"),
            self.tr("Move %n flag files to the trash?", "", len(files)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText("\n".join(path.name for path in files[:12]))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(
            lambda result: self._delete(files) if result == QMessageBox.StandardButton.Yes else None
        )
        box.finished.connect(box.deleteLater)
        self._confirm = box
        box.open()

    def _delete(self, files: list[Path]) -> None:
        # Qt's freedesktop trash lives under the data folder and gives up
        # if that folder does not exist yet (a fresh account).
        data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
        if data:
            Path(data).mkdir(parents=True, exist_ok=True)
        failed = [path for path in files if not QFile.moveToTrash(str(path))]
        for path in files:
            if path not in failed:
                self.model.file_removed(path)
        if failed:
            self.message.emit(
                self.tr("Could not move to the trash: {names}").format(
                    names=", ".join(path.name for path in failed)
                )
            )
        else:
            self.message.emit(self.tr("Moved %n flag files to the trash", "", len(files)))
