"""Flag sources: named URL templates, and the dialog to add and remove them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.servers import DEFAULT_TEMPLATE, ServerError, template_format
from flaggui.core.untrusted import clean_text
from flaggui.ui.accessibility import settle_carets, tell_current_item
from flaggui.ui.theme import ErrorLabel

# More sources than anyone keeps; a settings file may claim millions.
MAX_SOURCES = 100


@dataclass(frozen=True)
class Source:
    name: str
    template: str
    builtin: bool = False


_BUILTIN = (
    (QT_TRANSLATE_NOOP("Sources", "Flag server (GIF)"), DEFAULT_TEMPLATE),
    (
        QT_TRANSLATE_NOOP("Sources", "flagcdn.com (PNG, 320 px)"),
        "https://flagcdn.com/w320/{cc}.png",
    ),
    (QT_TRANSLATE_NOOP("Sources", "flagcdn.com (SVG)"), "https://flagcdn.com/{cc}.svg"),
)


def builtin_sources() -> list[Source]:
    return [
        Source(QCoreApplication.translate("Sources", str(name)), template, True)
        for name, template in _BUILTIN
    ]


def parse_sources(text: str) -> list[Source]:
    """The user's sources from their stored JSON; bad entries are dropped,
    names are cleaned for showing, and no more than MAX_SOURCES are kept.
    ValueError if *text* is not JSON (or nested too deeply to read) or not a
    list."""
    try:
        entries = json.loads(text) if text else []
    except RecursionError:  # "[[[[…" nested deeply
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(entries, list):
        raise ValueError(f"expected a JSON list, not {type(entries).__name__}")
    sources: list[Source] = []
    for entry in entries:
        if len(sources) == MAX_SOURCES:
            break
        try:
            name, template = clean_text(str(entry["name"])), str(entry["template"])
            template_format(template)
        except (KeyError, TypeError, ServerError):
            continue
        sources.append(Source(name, template))
    return sources


def dump_sources(sources: list[Source]) -> str:
    return json.dumps([{"name": s.name, "template": s.template} for s in sources if not s.builtin])


class SourcesDialog(QDialog):
    """Add, name and remove flag sources. Opened with ``open()``, so the
    event loop keeps running. It opens on the list of sources; Enter adds
    the source being typed (OK while nothing is typed), Esc cancels.

    Signals:
        sourcesChanged(list): the user's sources, when OK is pressed.
    """

    sourcesChanged = Signal(list)

    def __init__(self, sources: list[Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Flag sources"))
        self.resize(560, 380)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Flag sources"))
        for source in sources:
            self._add_item(source)
        self.list.setCurrentRow(0)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. My mirror"))
        self.template_edit = QLineEdit()
        self.template_edit.setPlaceholderText("https://example.org/flags/{cc}.png")
        self.error = ErrorLabel()
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("URL template:"), self.template_edit)
        form.addRow(self.error)
        self.hint = self.tr(
            "{base} is the server URL, {cc} the country code in lower case ({CC} in "
            "upper case); the extension (.gif, .png, .svg) is the format."
        )
        hint = QLabel(self.hint)
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        row.addWidget(self.add_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.button_box = buttons
        ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok_button is not None
        self.ok_button = ok_button
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.name_edit.textChanged.connect(lambda _text: self._validate())
        self.template_edit.textChanged.connect(lambda _text: self._validate())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.accepted.connect(lambda: self.sourcesChanged.emit(self.sources()))
        self._validate()
        settle_carets(self)
        tell_current_item(self.list)

    def _add_item(self, source: Source) -> None:
        item = QListWidgetItem(f"{source.name} — {source.template}")
        item.setData(Qt.ItemDataRole.UserRole, source)
        self.list.addItem(item)

    def sources(self) -> list[Source]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items]

    def _validate(self) -> bool:
        message = ""
        template = self.template_edit.text().strip()
        if template:
            try:
                template_format(template)
            except ServerError as exc:
                message = str(exc)
        self.error.setText(message)
        self.error.setVisible(bool(message))
        # Read with the field: what is wrong, or what the braces stand for.
        self.template_edit.setAccessibleDescription(message or self.hint)
        ok = bool(self.name_edit.text().strip() and template and not message)
        self.add_button.setEnabled(ok)
        # Enter adds what is being typed rather than closing the dialog
        # without it (and does nothing while it cannot be added).
        typing = bool(self.name_edit.text() or self.template_edit.text())
        self.add_button.setDefault(typing)
        self.ok_button.setDefault(not typing)
        self._update_buttons()
        return ok

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        source = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.remove_button.setEnabled(isinstance(source, Source) and not source.builtin)

    def add(self) -> None:
        if self._validate():
            self._add_item(Source(self.name_edit.text().strip(), self.template_edit.text().strip()))
            self.name_edit.clear()
            self.template_edit.clear()

    def remove(self) -> None:
        item = self.list.currentItem()
        source = item.data(Qt.ItemDataRole.UserRole) if item else None
        if isinstance(source, Source) and not source.builtin:
            self.list.takeItem(self.list.row(item))
