"""Typed settings over QSettings.

Each setting is declared once, as an :class:`Option` on :class:`Settings`:
its key in the store, its default, how stored text is read (strictly) and
how a value is written. A stored value that cannot be read — wrong type,
garbage, ``'١٢'`` for a number, JSON nested ten thousand deep — falls back to
the default with one log line, so a damaged settings file never stops the
app. Keys and stored text are those of earlier versions: old files still load.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from flaggui.core.countries import FLAG_CODES, POP20
from flaggui.core.limits import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MIN_CONCURRENCY
from flaggui.core.network import NetworkPreset
from flaggui.core.servers import DEFAULT_SERVER, DEFAULT_TEMPLATE, resolve_server, template_format
from flaggui.core.untrusted import clean_text, parse_int, quoted
from flaggui.ui.grid import DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, SortKey
from flaggui.ui.sources import Source, dump_sources, parse_sources
from flaggui.ui.theme import Theme

log = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)

# Longer stored text is not read at all (a settings file may hold anything).
MAX_TEXT = 1_000_000
# Why a stored value was ignored is logged in at most this many characters.
_SHOWN_REASON = 160


class Language(enum.Enum):
    """The interface language chosen in the Language menu (i18n.LANGUAGES)."""

    SYSTEM = ""  # follow the system's locale
    ENGLISH = "en"
    SIMPLIFIED_CHINESE = "zh_CN"


def default_folder() -> Path:
    """The platform's Pictures folder + ``flags``."""
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    base = Path(pictures) if pictures else Path.home() / "Pictures"
    return base / "flags"


class Option(Generic[T]):
    """One setting, declared once on :class:`Settings`.

    *default* is the value (or a function making it) for a missing or bad
    stored value; *parse* turns the stored value (text from an INI file; an
    int, bool or bytes from a native store) into a T, raising ValueError or
    TypeError if it cannot; *dump* turns a T into what is stored.
    """

    def __init__(
        self,
        key: str,
        default: T | Callable[[], T],
        parse: Callable[[object], T],
        dump: Callable[[T], object] = lambda value: value,
    ) -> None:
        self.key = key
        self._default = default
        self.parse = parse
        self.dump = dump
        self.name = key

    def default(self) -> T:
        default = self._default
        return default() if callable(default) else default

    def __set_name__(self, owner: type[Settings], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, settings: None, owner: type[Settings]) -> Option[T]: ...
    @overload
    def __get__(self, settings: Settings, owner: type[Settings] | None = None) -> T: ...
    def __get__(
        self, settings: Settings | None, owner: type[Settings] | None = None
    ) -> T | Option[T]:
        if settings is None:
            return self
        return settings.read(self)

    def __set__(self, settings: Settings, value: T) -> None:
        settings.store.setValue(self.key, self.dump(value))

    def __repr__(self) -> str:
        return f"Option({self.key!r})"


# Parsers: stored value -> typed value, or ValueError/TypeError --------------
def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{len(value)} characters, more than {MAX_TEXT}")
    return value


def _bytes(value: object) -> QByteArray:
    if not isinstance(value, QByteArray):
        raise TypeError(f"expected bytes, not {type(value).__name__}")
    return value


def _bounded_int(key: str, low: int, high: int) -> Callable[[object], int]:
    """A whole number in low..high, read as strictly as the command line
    reads one (``int()`` would take ``'١٢'``, ``'1_000'``)."""

    def parse(value: object) -> int:
        # An INI file gives back text; a native store may give back an int.
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError(f"expected a whole number, not {type(value).__name__}")
        return parse_int(str(value), low, high, key)

    return parse


def _folder(value: object) -> Path:
    # flaggui stores absolute paths; a relative one would depend on where
    # flaggui was started.
    folder = Path(_text(value))
    if not folder.is_absolute():
        raise ValueError("not an absolute path")
    return folder


def _server(value: object) -> str:
    return resolve_server(_text(value))


def _countries(value: object) -> list[str]:
    """The known codes among the stored ones (unknown ones are dropped), or
    none if none were stored; ValueError if none of them is known."""
    stored = _text(value).split()
    codes = sorted(set(stored) & set(FLAG_CODES))
    if stored and not codes:
        raise ValueError("no known country code")
    return codes


def _sources(value: object) -> list[Source]:
    return parse_sources(_text(value))


def _template(value: object) -> str:
    text = _text(value)
    template_format(text)
    return text


def _bool(value: object) -> bool:
    if value in (True, 1, "true", "1"):
        return True
    if value in (False, 0, "false", "0"):
        return False
    raise ValueError("expected true or false")


def _enum(kind: type[E]) -> Callable[[object], E]:
    def parse(value: object) -> E:
        return kind(_text(value))

    return parse


def _enum_value(value: enum.Enum) -> object:
    return value.value


class Settings:
    """What flaggui remembers between runs (a misspelt name is an
    AttributeError: there are no other attributes)."""

    __slots__ = ("_warned", "store")

    geometry = Option("window/geometry", QByteArray, _bytes)
    splitter_state = Option("window/splitter", QByteArray, _bytes)
    window_state = Option("window/state", QByteArray, _bytes)  # docks, toolbars
    folder = Option("download/folder", default_folder, _folder, str)
    server = Option("download/server", DEFAULT_SERVER, _server)
    # One string: QSettings turns a one-item list into a string on some back
    # ends, and an empty list into nothing.
    countries = Option("download/countries", lambda: sorted(POP20), _countries, " ".join)
    concurrency = Option(
        "download/concurrency",
        DEFAULT_CONCURRENCY,
        _bounded_int("download/concurrency", MIN_CONCURRENCY, MAX_CONCURRENCY),
    )
    adaptive = Option("download/adaptive", True, _bool, bool)
    sources: Option[list[Source]] = Option("download/sources", list, _sources, dump_sources)
    url_template = Option("download/url_template", DEFAULT_TEMPLATE, _template)
    # What the built-in server plays.
    network = Option("download/network", NetworkPreset.WIFI, _enum(NetworkPreset), _enum_value)
    language = Option("view/language", Language.SYSTEM, _enum(Language), _enum_value)
    zoom = Option("view/zoom", DEFAULT_ZOOM, _bounded_int("view/zoom", MIN_ZOOM, MAX_ZOOM))
    sort = Option("view/sort", SortKey.CODE, _enum(SortKey), _enum_value)
    labels = Option("view/labels", True, _bool, bool)
    map_shown = Option("view/map", False, _bool, bool)  # the world map in the grid's place
    # The grid keeps the flags being downloaded in view.
    follow = Option("view/follow", True, _bool, bool)
    theme = Option("view/theme", Theme.SYSTEM, _enum(Theme), _enum_value)

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()
        self._warned: set[tuple[str, str]] = set()

    @classmethod
    def options(cls) -> dict[str, Option[Any]]:
        """Every option, by attribute name."""
        return {name: value for name, value in vars(cls).items() if isinstance(value, Option)}

    def read(self, option: Option[T]) -> T:
        """*option*'s stored value, or its default if missing or bad."""
        if not self.store.contains(option.key):
            return option.default()
        value = self.store.value(option.key)
        try:
            return option.parse(value)
        except (ValueError, TypeError) as exc:
            shown = quoted(str(value)) if isinstance(value, str) else type(value).__name__
            if (option.key, shown) not in self._warned:  # once, not at every read
                self._warned.add((option.key, shown))
                reason = clean_text(str(exc), _SHOWN_REASON)
                log.warning("ignoring the saved setting %s = %s: %s", option.key, shown, reason)
            return option.default()

    def sync(self) -> None:
        self.store.sync()
