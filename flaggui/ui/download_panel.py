"""The left-hand panel: where flags go, where they come from, which ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.engine import DownloadOptions
from flaggui.core.limits import MAX_CONCURRENCY, MIN_CONCURRENCY
from flaggui.core.network import NetworkPreset
from flaggui.core.servers import (
    BUILTIN,
    DEFAULT_TEMPLATE,
    LOCAL,
    REMOTE,
    NotAnHttpUrl,
    ServerError,
    resolve_server,
)
from flaggui.core.untrusted import quoted
from flaggui.ui.country_model import CountryFilterModel, CountryListModel
from flaggui.ui.sources import Source, SourcesDialog, builtin_sources
from flaggui.ui.theme import ErrorLabel

ICON_SIZE = QSize(24, 16)
# How long the picker gathers changes of its icons before it shows them.
ICON_PACE_MS = 200
_DECORATION = [Qt.ItemDataRole.DecorationRole.value]


class CountryListView(QListView):
    """The country picker's list. Its icons change as flags arrive or are
    listed, dozens a second during a batch, and each change would repaint
    every row between the changed ones: ~20 rows of model calls into
    Python, 2-5 ms of the window's time, frame after frame beside the
    grid's own repaint. So changes of the icons alone are shown together,
    ICON_PACE_MS after the first of them; any other change (a country
    checked or unchecked) at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icons_due = QTimer(self)
        self._icons_due.setSingleShot(True)
        self._icons_due.setInterval(ICON_PACE_MS)
        self._icons_due.timeout.connect(self.viewport().update)

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if list(roles) == _DECORATION:
            if not self._icons_due.isActive():
                self._icons_due.start()
            return
        super().dataChanged(topLeft, bottomRight, roles)


@dataclass(frozen=True)
class PanelState:
    """What the panel shows and the user chose in it."""

    folder: Path
    server: str  # as typed: it may not be a valid URL
    concurrency: int
    adaptive: bool  # the requests at once adapt to the server, up to concurrency
    sources: tuple[Source, ...]  # the user's own; the built-in ones are always offered
    url_template: str  # of the chosen source
    countries: tuple[str, ...]  # the checked ones
    network: NetworkPreset = NetworkPreset.WIFI  # what the built-in server plays


class DownloadPanel(QWidget):
    """The destination folder, the flag server and source, the number of
    requests at once, and the country picker.

    Signals:
        chooseFolderRequested(): the user pressed Choose….
        changed(): the server, its validity or the selected countries changed.
    """

    chooseFolderRequested = Signal()
    changed = Signal()

    def __init__(self, countries: CountryListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.countries = countries
        self._sources_dialog: SourcesDialog | None = None
        self._folder = Path()
        layout = QVBoxLayout(self)

        folder_box = QGroupBox(self.tr("Destination folder"))
        folder_row = QHBoxLayout(folder_box)
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName(self.tr("Destination folder"))
        self.choose_button = QPushButton(self.tr("Choose…"))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        layout.addWidget(folder_box)

        server_box = QGroupBox(self.tr("Flag server"))
        server_form = QFormLayout(server_box)
        self.server_combo = QComboBox()
        self.server_combo.addItem(self.tr("Public (fluentpython.com)"), REMOTE)
        self.server_combo.addItem(self.tr("Local (flaggui serve, port 8000)"), LOCAL)
        self.server_combo.addItem(self.tr("Built-in (offline demo)"), BUILTIN)
        self.server_combo.setItemData(
            self.server_combo.count() - 1,
            self.tr(
                "The flags that come with flaggui, served by flaggui itself: "
                "no network needed, and the network conditions are yours to set"
            ),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.server_combo.addItem(self.tr("Custom URL"), "")
        self.server_combo.setAccessibleName(self.tr("Flag server"))
        self.server_combo.setToolTip(self.tr("Where the flags are downloaded from"))
        self.network_combo = QComboBox()
        network_titles = {
            NetworkPreset.INSTANT: self.tr("Instant"),
            NetworkPreset.WIFI: self.tr("Typical Wi-Fi"),
            NetworkPreset.MOBILE: self.tr("Slow mobile"),
            NetworkPreset.FLAKY: self.tr("Flaky"),
        }
        for preset, title in network_titles.items():
            self.network_combo.addItem(f"{title} ({preset.conditions.describe()})", preset)
        self.network_combo.setAccessibleName(self.tr("Network conditions"))
        self.network_combo.setToolTip(
            self.tr(
                "How the built-in server behaves: the wait before each answer, how fast "
                "it sends and how often it fails. Try Slow mobile with 1 and then 100 "
                "requests at once."
            )
        )
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText("http://127.0.0.1:8000/flags")
        self.server_error = ErrorLabel()
        self.server_error.hide()
        self.concurrency_spin = QSpinBox()
        self.concurrency_spin.setRange(MIN_CONCURRENCY, MAX_CONCURRENCY)
        self.concurrency_spin.setToolTip(self.tr("How many requests may be in flight at once"))
        server_form.addRow(self.tr("Server:"), self.server_combo)
        server_form.addRow(self.tr("URL:"), self.server_edit)
        server_form.addRow(self.tr("Network:"), self.network_combo)
        server_form.setRowVisible(self.network_combo, False)  # for the built-in server only
        server_form.addRow(self.server_error)
        self._server_form = server_form
        server_form.addRow(self.tr("Requests at once:"), self.concurrency_spin)
        self.adaptive_check = QCheckBox(self.tr("Adapt to the server"))
        self.adaptive_check.setToolTip(
            self.tr(
                "Start with a few requests and open more while the server keeps up; "
                "fewer when it throttles, stalls or drops connections. Turn it off to "
                "see what the full number at once does to the server."
            )
        )
        server_form.addRow("", self.adaptive_check)
        self.source_combo = QComboBox()
        self.source_combo.setToolTip(self.tr("Where on the server a flag is, and its format"))
        self.sources_button = QPushButton(self.tr("Edit…"))
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_combo, 1)
        source_row.addWidget(self.sources_button)
        source_label = QLabel(self.tr("Source:"))
        source_label.setBuddy(self.source_combo)
        server_form.addRow(source_label, source_row)
        layout.addWidget(server_box)

        country_box = QGroupBox(self.tr("Countries"))
        country_layout = QVBoxLayout(country_box)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search code or name…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search countries"))
        presets = QHBoxLayout()
        self.pop20_button = QPushButton(self.tr("POP20"))
        self.pop20_button.setToolTip(self.tr("The 20 most populous countries"))
        self.all_button = QPushButton(self.tr("All"))
        self.none_button = QPushButton(self.tr("None"))
        self.invert_button = QPushButton(self.tr("Invert"))
        for button in (self.pop20_button, self.all_button, self.none_button, self.invert_button):
            presets.addWidget(button)
        self.country_filter = CountryFilterModel(countries, self)
        self.country_view = CountryListView()
        self.country_view.setModel(self.country_filter)
        self.country_view.setIconSize(ICON_SIZE)
        self.country_view.setUniformItemSizes(True)
        self.country_view.setAccessibleName(self.tr("Countries to download"))
        self.country_view.setAccessibleDescription(
            self.tr("Space checks or unchecks the country; Download fetches the checked ones")
        )
        self.selection_label = QLabel()
        country_layout.addWidget(self.search_edit)
        country_layout.addLayout(presets)
        country_layout.addWidget(self.country_view, 1)
        country_layout.addWidget(self.selection_label)
        layout.addWidget(country_box, 1)

        self.choose_button.clicked.connect(self.chooseFolderRequested.emit)
        self.sources_button.clicked.connect(self.edit_sources)
        self.server_combo.currentIndexChanged.connect(self._server_choice_changed)
        self.server_edit.textChanged.connect(self._check_server)
        self.search_edit.textChanged.connect(self.country_filter.setFilterFixedString)
        self.pop20_button.clicked.connect(countries.check_pop20)
        self.all_button.clicked.connect(countries.check_all)
        self.none_button.clicked.connect(countries.check_none)
        self.invert_button.clicked.connect(countries.invert)
        countries.selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def state(self) -> PanelState:
        return PanelState(
            folder=self._folder,
            server=self.server_edit.text().strip(),
            concurrency=self.concurrency_spin.value(),
            adaptive=self.adaptive_check.isChecked(),
            sources=tuple(source for source in self.sources() if not source.builtin),
            url_template=self.url_template(),
            countries=tuple(self.countries.checked_codes()),
            network=self.network(),
        )

    def restore(self, state: PanelState) -> None:
        self.show_folder(state.folder)
        self.network_combo.setCurrentIndex(self.network_combo.findData(state.network))
        self.set_server(state.server)
        self.concurrency_spin.setValue(state.concurrency)
        self.adaptive_check.setChecked(state.adaptive)
        self.set_sources(list(state.sources), state.url_template)
        self.countries.set_checked(state.countries)

    def show_folder(self, folder: Path) -> None:
        self._folder = folder
        self.folder_edit.setText(str(folder))
        self.folder_edit.setToolTip(str(folder))

    def busy_widgets(self) -> tuple[QWidget, ...]:
        """The controls a running batch disables."""
        return (
            self.choose_button,
            self.server_combo,
            self.server_edit,
            self.network_combo,
            self.concurrency_spin,
            self.adaptive_check,
            self.source_combo,
            self.sources_button,
        )

    def set_busy(self, busy: bool) -> None:
        """While a batch runs, where and how it downloads cannot change."""
        for widget in self.busy_widgets():
            widget.setEnabled(not busy)

    # Server -----------------------------------------------------------------
    def set_server(self, url: str) -> None:
        row = self.server_combo.findData(url)
        self.server_combo.setCurrentIndex(row if row >= 0 else self.server_combo.findData(""))
        self._show_url(url)
        self._server_choice_changed()

    def _show_url(self, url: str) -> None:
        self.server_edit.setText(url)
        self.server_edit.setCursorPosition(0)  # the start of a long URL says most

    def _server_choice_changed(self) -> None:
        preset = self.server_combo.currentData()
        custom = not preset
        self.server_edit.setReadOnly(not custom)
        if not custom:
            self._show_url(preset)
        elif self.server_edit.text() == BUILTIN:
            self._show_url("")  # a label, not a URL to start editing from
        # The built-in server has no address until it runs, but conditions to set.
        builtin = preset == BUILTIN
        self._server_form.setRowVisible(self.server_edit, not builtin)
        self._server_form.setRowVisible(self.network_combo, builtin)
        self._check_server()

    def network(self) -> NetworkPreset:
        preset = self.network_combo.currentData()
        return preset if isinstance(preset, NetworkPreset) else NetworkPreset.INSTANT

    def _check_server(self) -> None:
        error = ""
        try:
            resolve_server(self.server_edit.text())
        except NotAnHttpUrl as exc:
            # In the Server box's words, not the command line's labels.
            if exc.text.strip():
                error = self.tr(
                    "{url} is not an http:// or https:// URL. Type one, such as "
                    "http://127.0.0.1:8000/flags, or choose Public, Local or Built-in as "
                    "the server."
                ).format(url=quoted(exc.text))
            else:
                error = self.tr(
                    "Type the URL of a flag server, such as http://127.0.0.1:8000/flags, "
                    "or choose Public, Local or Built-in as the server."
                )
        except ServerError as exc:
            error = str(exc)
        self.server_error.setText(error)
        self.server_error.setVisible(bool(error))
        # Read with the field, where a screen reader user is when it shows;
        # without an error, what the field is for (an empty description
        # would make Qt read the placeholder's example URL instead).
        self.server_edit.setAccessibleDescription(
            error or self.tr("The address of the flag server, http:// or https://")
        )
        self.changed.emit()

    def server_url(self) -> str | None:
        try:
            return resolve_server(self.server_edit.text())
        except ServerError:
            return None

    def download_options(self, *, force: bool = False) -> DownloadOptions | None:
        """How the panel asks to download, or None while its server is not valid."""
        server = self.server_url()
        if server is None:
            return None
        return DownloadOptions(
            server=server,
            concurrency=self.concurrency_spin.value(),
            adaptive=self.adaptive_check.isChecked(),
            force=force,
            url_template=self.url_template(),
            network=self.network().conditions,
        )

    # Sources ----------------------------------------------------------------
    def set_sources(self, sources: list[Source], current: str) -> None:
        """Offer the built-in sources and *sources*; select *current*."""
        self.source_combo.clear()
        for source in [*builtin_sources(), *sources]:
            self.source_combo.addItem(source.name, source)
        row = next(
            (
                i
                for i in range(self.source_combo.count())
                if self.source_combo.itemData(i).template == current
            ),
            0,
        )
        self.source_combo.setCurrentIndex(row)

    def url_template(self) -> str:
        source = self.source_combo.currentData()
        return source.template if isinstance(source, Source) else DEFAULT_TEMPLATE

    def sources(self) -> list[Source]:
        """Every source offered, built-in ones first."""
        return [self.source_combo.itemData(i) for i in range(self.source_combo.count())]

    def edit_sources(self) -> SourcesDialog:
        """Open the sources dialog without blocking the event loop."""
        dialog = SourcesDialog(self.sources(), self)
        dialog.sourcesChanged.connect(
            lambda chosen: self.set_sources(
                [s for s in chosen if not s.builtin], self.url_template()
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        self._sources_dialog = dialog
        dialog.open()
        return dialog

    def _selection_changed(self) -> None:
        self.selection_label.setText(
            self.tr("{selected} of {total} selected").format(
                selected=len(self.countries.checked_codes()), total=self.countries.total()
            )
        )
        self.changed.emit()
