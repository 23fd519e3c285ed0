"""The main window: folder, server, concurrency and countries on the left,
the live grid of flags on the right."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flaggui import __version__
from flaggui.core import i18n as core_i18n
from flaggui.core.events import BatchSummary, FlagState
from flaggui.core.servers import BUILTIN
from flaggui.core.untrusted import clean_text
from flaggui.ui import i18n
from flaggui.ui.accessibility import settle_carets, tell_combo_choices, tell_current_item
from flaggui.ui.actions import make_action
from flaggui.ui.announcer import BatchAnnouncer
from flaggui.ui.batch_progress import BatchProgressBar
from flaggui.ui.browser import BrowserPane
from flaggui.ui.compare import CompareDialog
from flaggui.ui.controller import DownloadController
from flaggui.ui.country_model import CountryListModel
from flaggui.ui.download_panel import ICON_SIZE, DownloadPanel, PanelState
from flaggui.ui.failure_banner import FailureBanner
from flaggui.ui.flag_model import UNFINISHED, FlagListModel, TileState
from flaggui.ui.folder import code_of, folder_problem
from flaggui.ui.follow import DownloadFollower
from flaggui.ui.grid import SortKey
from flaggui.ui.scroll_panel import VerticalScrollArea
from flaggui.ui.settings import Language, Settings, default_folder
from flaggui.ui.theme import ThemeMenu
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import ThumbnailKey
from flaggui.ui.timeline_view import TimelinePanel
from flaggui.ui.unfinished import UnfinishedFlag

# A path in a message box is cut to this many characters: a name without
# spaces cannot wrap, and a longer one would run off the box.
_SHOWN_PATH = 80


@dataclass
class StartOptions:
    """Command-line choices that override the remembered settings."""

    server: str | None = None
    folder: Path | None = None
    countries: list[str] | None = None
    concurrency: int | None = None
    start: bool = False
    language: str | None = None  # for this run only; the setting stays
    view: str | None = None  # "map" opens on the world map


class MainWindow(QMainWindow):
    """flaggui's window.

    Signals:
        closed(): the window has closed for good (downloads stopped, settings
            saved); the application may end.
    """

    closed = Signal()

    def __init__(self, settings: Settings, options: StartOptions | None = None) -> None:
        super().__init__()
        options = options or StartOptions()
        self.settings = settings
        self.cache = ThumbnailCache(parent=self)
        self.flags = FlagListModel(self.cache, self)
        self.countries = CountryListModel(self, icon_size=ICON_SIZE)
        self.countries.icon_provider = self._picker_icon
        self.controller = DownloadController(self.flags, self)
        self._dialog: QFileDialog | None = None
        self._folder_warning: QMessageBox | None = None
        self._folder = self._start_folder(options.folder)
        self._shutdown: asyncio.Task[None] | None = None
        self._may_close = False
        self._compare: CompareDialog | None = None

        # Qt appends " — flaggui", the application display name.
        self.setWindowTitle(self.tr("Country flags, downloaded concurrently"))
        self.panel = DownloadPanel(self.countries)
        self._build_grid()
        self._build_actions()
        self._connect()
        self._restore(options)
        tell_combo_choices(self)
        settle_carets(self)
        tell_current_item(self.grid, self.panel.country_view)
        self.controller.open_folder(self._folder)

    # Construction -----------------------------------------------------------
    def _build_grid(self) -> None:
        right = QWidget()
        layout = QVBoxLayout(right)
        self.banner = FailureBanner()
        layout.addWidget(self.banner)
        self.browser = BrowserPane(self.flags)
        self.grid = self.browser.grid
        self.follower = DownloadFollower(self.grid, self.flags, self)
        layout.addWidget(self.browser, 1)

        controls = QHBoxLayout()
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.retry_button = QPushButton(self.tr("Retry failed"))
        self.progress = BatchProgressBar()
        controls.addWidget(self.download_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.retry_button)
        controls.addWidget(self.progress, 1)
        layout.addLayout(controls)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        # Scrolled rather than squeezed: with the timeline open the window
        # still fits 800 x 600, and large fonts clip nothing.
        self.splitter.addWidget(VerticalScrollArea(self.panel))
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 760])
        self.setCentralWidget(self.splitter)
        self.timeline_panel = TimelinePanel()
        self.timeline_dock = QDockWidget(self.tr("Timeline"), self)
        self.timeline_dock.setObjectName("timeline")
        self.timeline_dock.setWidget(self.timeline_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)
        self.timeline_dock.hide()
        self.summary_label = QLabel()
        self.statusBar().addWidget(self.summary_label, 1)
        zoom_label = QLabel(self.tr("Zoom:"))
        zoom_label.setBuddy(self.browser.zoom_slider)
        self.statusBar().addPermanentWidget(zoom_label)
        self.statusBar().addPermanentWidget(self.browser.zoom_slider)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(40)
        self._progress_timer.timeout.connect(self.progress.refresh)

    def _build_actions(self) -> None:
        def action(
            text: str, shortcut: QKeySequence.StandardKey | str, slot: Callable[[], object]
        ) -> QAction:
            return make_action(self, text, shortcut, slot)

        self.choose_action = action(
            self.tr("&Open folder…"), QKeySequence.StandardKey.Open, self.choose_folder
        )
        self.quit_action = action(self.tr("&Quit"), "Ctrl+Q", self.close)
        self.download_action = action(self.tr("&Download"), "Ctrl+D", self.start_download)
        self.cancel_action = action(self.tr("&Cancel"), "Esc", self.controller.cancel)
        self.retry_action = action(self.tr("&Retry failed"), "Ctrl+R", self.retry_failed)
        self.compare_action = action(
            self.tr("Compare &sequential vs concurrent…"), "Ctrl+Shift+K", self.compare
        )
        about = action(self.tr("&About flaggui"), "", self.show_about)

        menus = self.menuBar()
        file_menu = menus.addMenu(self.tr("&File"))
        file_menu.addAction(self.choose_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menus.addMenu(self.tr("&View"))
        timeline_action = self.timeline_dock.toggleViewAction()
        timeline_action.setText(self.tr("&Timeline"))
        timeline_action.setShortcut(QKeySequence("Ctrl+T"))
        view_menu.addAction(timeline_action)
        self.follow_action = make_action(self, self.tr("Follow the &download"))
        self.follow_action.setCheckable(True)
        self.follow_action.setToolTip(
            self.tr("Keep the flags being downloaded in view; scrolling by hand pauses it")
        )
        view_menu.addAction(self.follow_action)
        view_menu.addSeparator()
        self.browser.fill_view_menu(view_menu)
        view_menu.addSeparator()
        self.theme_menu = ThemeMenu(self.settings, view_menu)
        view_menu.addMenu(self.theme_menu)
        self.browser.flag_actions.fill_menu(menus.addMenu(self.tr("F&lag")))
        download_menu = menus.addMenu(self.tr("&Download"))
        for item in (self.download_action, self.cancel_action, self.retry_action):
            download_menu.addAction(item)
        download_menu.addSeparator()
        download_menu.addAction(self.compare_action)
        self._build_language_menu(menus.addMenu(self.tr("&Language")))
        menus.addMenu(self.tr("&Help")).addAction(about)

    def _build_language_menu(self, menu: QMenu) -> None:
        group = QActionGroup(self)
        choices = {"": self.tr("System default"), **i18n.LANGUAGES}
        chosen = self.settings.language
        for key, text in choices.items():
            item = menu.addAction(text)
            item.setCheckable(True)
            item.setChecked(key == chosen.value)
            item.setData(key)
            group.addAction(item)
        group.triggered.connect(lambda item: self.set_language(Language(item.data())))
        self.language_actions = group

    def set_language(self, language: Language) -> None:
        """Remember the choice; it applies when flaggui next starts."""
        if language is self.settings.language:
            return
        self.settings.language = language
        if i18n.choose(language.value) != core_i18n.current:
            box = QMessageBox(self)
            box.setWindowTitle(self.tr("Language"))
            box.setText(self.tr("The new language applies when flaggui starts again."))
            box.open()

    def _connect(self) -> None:
        self.panel.chooseFolderRequested.connect(self.choose_folder)
        self.panel.changed.connect(self._update_download_enabled)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.retry_button.clicked.connect(self.retry_failed)
        self.controller.busyChanged.connect(self._busy_changed)
        self.controller.scanningChanged.connect(lambda _scanning: self._update_pacing())
        self.announcer = BatchAnnouncer(self.controller, self.progress, self)
        self.controller.progressChanged.connect(self._progress_changed)
        self.controller.batchFinished.connect(self._batch_finished)
        self.controller.batchFailed.connect(self._batch_failed)
        self.controller.batchStarted.connect(self._batch_started)
        self.banner.useBuiltinRequested.connect(lambda: self.panel.set_server(BUILTIN))
        self.banner.retryRequested.connect(self._retry_unfinished)
        # Tiles change state, and failed ones come back when a folder opens.
        for changed in (self.flags.dataChanged, self.flags.rowsInserted, self.flags.rowsRemoved):
            changed.connect(self._update_retry)
        self.flags.modelReset.connect(self._update_retry)
        self.controller.batchStarted.connect(
            lambda _count: self.timeline_panel.set_timeline(self.controller.timeline)
        )
        self.controller.timelineChanged.connect(self._refresh_timeline)
        self.controller.tilesChanged.connect(self.follower.tiles_changed)
        self.controller.batchStarted.connect(lambda _count: self.follower.batch_started())
        self.controller.busyChanged.connect(
            lambda busy: None if busy else self.follower.batch_ended()
        )
        # triggered, not toggled: only the user's choice is remembered; a
        # pause shows as unchecked without changing it.
        self.follow_action.triggered.connect(self._follow_chosen)
        self.follower.followingChanged.connect(self._following_changed)
        self.controller.unfinishedRestored.connect(self._unfinished_restored)
        self.timeline_dock.visibilityChanged.connect(lambda _shown: self._refresh_timeline())
        self.flags.modelReset.connect(self.countries.refresh_icons)
        self.flags.rowsInserted.connect(self._flags_inserted)
        self.cache.ready.connect(self._thumbnail_ready)
        self.browser.retryRequested.connect(lambda codes: self._start(codes, force=True))
        self.browser.message.connect(self.summary_label.setText)
        self.browser.zoomChanged.connect(self._zoom_changed)
        self.browser.sortChanged.connect(self._sort_changed)
        self.browser.labelsChanged.connect(self._labels_changed)
        self.browser.mapShownChanged.connect(self._map_shown_changed)
        # The map's selection and the checked countries follow each other.
        self.browser.mapSelectionEdited.connect(self.countries.set_checked)
        self.countries.selectionChanged.connect(
            lambda: self.browser.map.set_selection(self.countries.checked_codes())
        )

    def _restore(self, options: StartOptions) -> None:
        if not self.restoreGeometry(self.settings.geometry):
            self.resize(1180, 760)
        self.splitter.restoreState(self.settings.splitter_state)
        self.restoreState(self.settings.window_state)
        self.browser.set_zoom(self.settings.zoom)
        self.browser.set_sort_key(self.settings.sort)
        self.browser.set_labels_visible(self.settings.labels)
        self.follower.set_enabled(self.settings.follow)
        self.follow_action.setChecked(self.settings.follow)
        settings = self.settings
        countries = options.countries if options.countries is not None else settings.countries
        self.panel.restore(
            PanelState(
                folder=self._folder,
                server=options.server or settings.server,
                concurrency=options.concurrency or settings.concurrency,
                adaptive=settings.adaptive,
                sources=tuple(settings.sources),
                url_template=settings.url_template,
                countries=tuple(countries),
                network=settings.network,
            )
        )
        self.browser.show_map(options.view == "map" if options.view else settings.map_shown)
        self._busy_changed(False)

    # The browser's choices are remembered as they are made.
    def _zoom_changed(self, zoom: int) -> None:
        self.settings.zoom = zoom

    def _sort_changed(self, key: str) -> None:
        self.settings.sort = SortKey(key)

    def _labels_changed(self, shown: bool) -> None:
        self.settings.labels = shown

    def _map_shown_changed(self, shown: bool) -> None:
        self.settings.map_shown = shown

    def _follow_chosen(self, follow: bool) -> None:
        self.settings.follow = follow
        self.follower.set_enabled(follow)

    def _following_changed(self, following: bool) -> None:
        self.follow_action.setChecked(following)
        if self.follower.paused:
            self.summary_label.setText(
                self.tr(
                    "Scrolled by hand: the grid no longer follows this download "
                    "(View ▸ Follow the download follows it again)."
                )
            )

    def _unfinished_restored(self, flags: list[UnfinishedFlag]) -> None:
        """Say why failed flags are shown before any batch ran."""
        # The built-in server has no address to name.
        servers = {flag.server for flag in flags}
        if len(servers) == 1 and (server := servers.pop()) not in ("", BUILTIN):
            text = self.tr("%n flags did not arrive last time, from {server}.", "", len(flags))
            text = text.format(server=clean_text(server, _SHOWN_PATH))
        else:
            text = self.tr("%n flags did not arrive last time.", "", len(flags))
        if any(flag.state in (TileState.ERROR, TileState.CANCELLED) for flag in flags):
            text += " " + self.tr(
                "Retry failed (Ctrl+R) downloads the failed and cancelled ones again."
            )
        self.summary_label.setText(text)

    # Folder -----------------------------------------------------------------
    def folder(self) -> Path:
        return self._folder

    def _start_folder(self, asked: Path | None) -> Path:
        """The folder asked for on the command line, else the remembered one,
        else the default: the first that can be opened (or does not exist
        yet). A folder passed over is named in a warning once the window shows."""
        candidates = [folder for folder in (asked, self.settings.folder) if folder is not None]
        passed_over: list[tuple[Path, str]] = []
        for folder in [*candidates, default_folder()]:
            problem = folder_problem(folder)
            if problem is None:
                break
            passed_over.append((folder, problem))
        if passed_over:
            self._warn_folder(*passed_over[0], instead=folder)
        return folder

    def _warn_folder(self, folder: Path, problem: str, instead: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Cannot open the folder"),
            self.tr("Cannot open the folder {folder}: {problem}.").format(
                folder=clean_text(str(folder), _SHOWN_PATH), problem=problem
            ),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setInformativeText(
            self.tr("The window shows {folder} instead.").format(
                folder=clean_text(str(instead), _SHOWN_PATH)
            )
        )
        box.finished.connect(box.deleteLater)
        self._folder_warning = box
        # Opened once the event loop runs, when the window is on screen to
        # carry it; open(), not exec(): the loop keeps running.
        QTimer.singleShot(0, box, box.open)

    def choose_folder(self) -> None:
        """Open a folder dialog without blocking the event loop."""
        if self.controller.busy:
            return
        dialog = QFileDialog(self, self.tr("Choose the destination folder"), str(self._folder))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.set_folder(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()

    def set_folder(self, folder: Path) -> None:
        if self.controller.busy:
            return
        self._folder = folder
        self.panel.show_folder(folder)
        self.summary_label.clear()
        self.progress.clear()
        self.banner.hide()
        self.controller.open_folder(folder)

    # Downloading ------------------------------------------------------------
    def start_download(self) -> None:
        self._start(self.countries.checked_codes())

    def retry_failed(self) -> None:
        self._start(self.flags.codes_in(TileState.ERROR, TileState.CANCELLED))

    def _retry_unfinished(self) -> None:
        """Try again every flag of the last batch that did not arrive."""
        self._start(self.flags.codes_in(*UNFINISHED))

    def _start(self, codes: list[str], force: bool = False) -> None:
        options = self.panel.download_options(force=force)
        if self.controller.busy or not codes or options is None:
            return
        if self.controller.start(codes, self._folder, options):
            self.summary_label.setText(
                self.tr("Downloading %n flags…", "", len(codes))
                + (
                    f"  ({self.controller.concurrency_note})"
                    if self.controller.concurrency_note
                    else ""
                )
            )

    def compare(self) -> CompareDialog | None:
        """Download the selection one at a time and then concurrently, into
        a temporary folder, and show both timelines."""
        options = self.panel.download_options()
        codes = self.countries.checked_codes()
        if options is None or not codes:
            return None
        if self._compare is not None and self._compare.running:
            self._compare.raise_()
            self._compare.activateWindow()
            return self._compare
        self._compare = CompareDialog(codes, options, self)
        self._compare.show()
        # Not every window manager gives a new window the keyboard.
        self._compare.activateWindow()
        self._compare.start()
        return self._compare

    def _busy_changed(self, busy: bool) -> None:
        self._keep_focus(busy)
        self.panel.set_busy(busy)
        self.choose_action.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.cancel_action.setEnabled(busy)
        self._update_pacing()
        self._update_download_enabled()
        self._update_retry()

    def _update_pacing(self) -> None:
        """While a batch runs or the folder is listed, tiles change by the
        dozen: a repaint of the grid draws them for a few milliseconds, the
        rest in the next frames."""
        controller = self.controller
        self.browser.grid.paced = controller.busy or controller.scanning

    def _keep_focus(self, busy: bool) -> None:
        """Before a batch disables the focused control, move the focus where
        a keyboard user expects it: to Cancel when a batch starts, and back
        to Download (or the flags) when it ends. Qt would pass it on along
        the tab chain, to whatever control comes next."""
        focused = self.focusWidget()
        if focused is None:
            return
        if busy:
            disabled = (self.download_button, self.retry_button, *self.panel.busy_widgets())
            if any(widget is focused or widget.isAncestorOf(focused) for widget in disabled):
                self.cancel_button.setEnabled(True)
                self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif focused is self.cancel_button:
            self._update_download_enabled()
            if self.download_button.isEnabled():
                self.download_button.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                shown = self.browser.map if self.browser.map_shown() else self.browser.grid
                shown.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_download_enabled(self) -> None:
        ready = (
            not self.controller.busy
            and self.panel.server_url() is not None
            and bool(self.countries.checked_codes())
        )
        self.download_button.setEnabled(ready)
        self.download_action.setEnabled(ready)
        self.compare_action.setEnabled(ready)

    def _update_retry(self) -> None:
        # Checked before scanning the tiles: during a batch this runs often.
        enabled = not self.controller.busy and bool(
            self.flags.codes_in(TileState.ERROR, TileState.CANCELLED)
        )
        self.retry_button.setEnabled(enabled)
        self.retry_action.setEnabled(enabled)

    def _progress_changed(self, finished: int, total: int) -> None:
        # The bar repaints at once on every change; a burst of finished
        # flags is shown at most 25 times a second instead.
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def _batch_started(self, _count: int) -> None:
        self.banner.hide()
        self.progress.start(self.controller.progress)

    def _batch_finished(self, summary: BatchSummary) -> None:
        self._progress_timer.stop()
        self.progress.finish()
        self.banner.show_for(summary, self.panel.server_url() or "")
        count = summary.count
        counts = self.tr(
            "{done} done, {skipped} already saved, {missing} not found, "
            "{errors} failed, {cancelled} cancelled"
        ).format(
            done=count(FlagState.DONE),
            skipped=count(FlagState.SKIPPED),
            missing=count(FlagState.NOT_FOUND),
            errors=count(FlagState.ERROR),
            cancelled=count(FlagState.CANCELLED),
        )
        self.summary_label.setText(f"{counts} — {summary.downloaded_line}")

    def _batch_failed(self, message: str) -> None:
        self._progress_timer.stop()
        self.progress.clear()
        self.summary_label.setText(self.tr("Cannot download: {reason}").format(reason=message))

    def _refresh_timeline(self) -> None:
        if self.timeline_dock.isVisible():
            self.timeline_panel.refresh()

    def _flags_inserted(
        self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int
    ) -> None:
        # Only the countries of the new tiles: a listing inserts a folder's
        # flags a slice at a time, and the picker would otherwise repaint
        # every row it shows for each slice.
        self.countries.refresh_icons(tile.code for tile in self.flags.tiles_in_rows(first, last))

    def _picker_icon(self, code: str) -> QPixmap | None:
        """The small flag beside a country in the picker, if it is saved."""
        tile = self.flags.tile(code)
        if tile is None or tile.path is None or not tile.state.has_file:
            return None
        return self.cache.get(ThumbnailKey.of(tile.path, tile.version, ICON_SIZE, padded=True))

    def _thumbnail_ready(self, key: ThumbnailKey) -> None:
        code = code_of(key.path)
        if code is not None:
            self.countries.refresh_icon(code)

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About flaggui"))
        box.setText(
            self.tr(
                "<b>flaggui {version}</b><br>Downloads country flags concurrently with "
                "asyncio and shows each one the moment it arrives."
            ).format(version=__version__)
        )
        box.open()

    # Closing ----------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self._save_settings()
            event.accept()
            self.closed.emit()
            return
        # Stop downloads first (without blocking the loop), then close again.
        event.ignore()
        if self._shutdown is None:
            self.summary_label.setText(self.tr("Stopping…"))
            self._shutdown = asyncio.ensure_future(self._stop_then_close())

    async def _stop_then_close(self) -> None:
        if self._compare is not None:
            self._compare.stop()
            await self._compare.wait()
        await self.controller.shutdown(deadline=3.0)
        self._may_close = True
        self.close()

    def _save_settings(self) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter_state = self.splitter.saveState()
        self.settings.window_state = self.saveState()
        state = self.panel.state()
        self.settings.folder = state.folder
        self.settings.server = state.server
        self.settings.countries = list(state.countries)
        self.settings.concurrency = state.concurrency
        self.settings.adaptive = state.adaptive
        self.settings.sources = list(state.sources)
        self.settings.url_template = state.url_template
        self.settings.network = state.network
        self.settings.sync()
