"""Typed settings over QSettings: every key is declared once, with its default."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from flaggui.core.countries import FLAG_CODES, POP20
from flaggui.core.i18n import LANGUAGES
from flaggui.core.limits import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MIN_CONCURRENCY
from flaggui.core.servers import (
    DEFAULT_SERVER,
    DEFAULT_TEMPLATE,
    ServerError,
    resolve_server,
    template_format,
)
from flaggui.core.untrusted import parse_int
from flaggui.ui.grid import DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, SortKey

log = logging.getLogger(__name__)


def default_folder() -> Path:
    """The platform's Pictures folder + ``flags``."""
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    base = Path(pictures) if pictures else Path.home() / "Pictures"
    return base / "flags"


class Settings:
    """What flaggui remembers between runs. Bad stored values fall back to
    the defaults, so a damaged settings file can never stop the app."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    def _text(self, key: str, default: str) -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def splitter_state(self) -> QByteArray:
        return self._bytes("window/splitter")

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self.store.setValue("window/splitter", value)

    @property
    def window_state(self) -> QByteArray:
        """Docks and toolbars (QMainWindow.saveState)."""
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.store.setValue("window/state", value)

    @property
    def folder(self) -> Path:
        text = self._text("download/folder", "")
        return Path(text) if text else default_folder()

    @folder.setter
    def folder(self, value: Path) -> None:
        self.store.setValue("download/folder", str(value))

    @property
    def server(self) -> str:
        try:
            return resolve_server(self._text("download/server", DEFAULT_SERVER))
        except ServerError:
            return DEFAULT_SERVER

    @server.setter
    def server(self, value: str) -> None:
        self.store.setValue("download/server", value)

    @property
    def countries(self) -> list[str]:
        text = self._text("download/countries", " ".join(POP20))
        known = set(FLAG_CODES)
        return sorted({c for c in text.split() if c in known})

    @countries.setter
    def countries(self, value: list[str]) -> None:
        # Stored as one string: QSettings turns a one-item list into a string
        # on some back ends, and an empty list into nothing.
        self.store.setValue("download/countries", " ".join(value))

    @property
    def concurrency(self) -> int:
        return self._bounded_int(
            "download/concurrency", DEFAULT_CONCURRENCY, MIN_CONCURRENCY, MAX_CONCURRENCY
        )

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self.store.setValue("download/concurrency", value)

    @property
    def sources(self) -> str:
        """The user's flag sources, as JSON (see ui.sources)."""
        return self._text("download/sources", "")

    @sources.setter
    def sources(self, value: str) -> None:
        self.store.setValue("download/sources", value)

    @property
    def url_template(self) -> str:
        value = self._text("download/url_template", DEFAULT_TEMPLATE)
        try:
            template_format(value)
        except ServerError:
            return DEFAULT_TEMPLATE
        return value

    @url_template.setter
    def url_template(self, value: str) -> None:
        self.store.setValue("download/url_template", value)

    @property
    def language(self) -> str:
        """ "" follows the system; otherwise a key of i18n.LANGUAGES."""
        value = self._text("view/language", "")
        return value if value == "" or value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("view/language", value)

    @property
    def zoom(self) -> int:
        return self._bounded_int("view/zoom", DEFAULT_ZOOM, MIN_ZOOM, MAX_ZOOM)

    @zoom.setter
    def zoom(self, value: int) -> None:
        self.store.setValue("view/zoom", value)

    @property
    def sort(self) -> str:
        value = self._text("view/sort", SortKey.CODE.value)
        return value if value in {key.value for key in SortKey} else SortKey.CODE.value

    @sort.setter
    def sort(self, value: str) -> None:
        self.store.setValue("view/sort", value)

    @property
    def labels(self) -> bool:
        value = self.store.value("view/labels", True)
        # INI files give back strings.
        return value not in (False, "false", "0", 0)

    @labels.setter
    def labels(self, value: bool) -> None:
        self.store.setValue("view/labels", bool(value))

    def _bytes(self, key: str) -> QByteArray:
        value = self.store.value(key, QByteArray())
        return value if isinstance(value, QByteArray) else QByteArray()

    def _bounded_int(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number in low..high, read as strictly as the command line
        reads one (``int()`` would take ``'١٢'``, ``'1_000'``); the default
        otherwise."""
        value = self.store.value(key, default)
        # An INI file gives back text; a native store may give back an int.
        text = str(value) if isinstance(value, (str, int)) else ""
        try:
            return parse_int(text, low, high, key)
        except ValueError as exc:
            log.warning("ignoring a saved setting: %s", exc)
            return default

    def sync(self) -> None:
        self.store.sync()
