"""The interface language: English (built in) or 简体中文.

The language follows the system locale unless the user chose one in the
Language menu (or ``flaggui --lang`` for one run); it is applied at start-up
(Qt's translators, the core's gettext catalogue for failure reasons and
summaries, and the country names), so a change asks for a restart.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from flaggui.core import i18n as core_i18n
from flaggui.core.countries import country_name

LANGUAGES = core_i18n.LANGUAGES

_installed: list[QTranslator] = []


def choose(setting: str) -> str:
    """The language to use for a stored *setting* ("" = follow the system)."""
    if setting in LANGUAGES:
        return setting
    return core_i18n.language_of(QLocale.system().name()) or "en"


def install(language: str) -> str:
    """Load flaggui's and Qt's own catalogues for *language*; return it.
    English has a catalogue of its own too, holding only the plural forms
    of the strings with %n (Qt picks a plural form only from a catalogue)."""
    app = QCoreApplication.instance()
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    current = core_i18n.use(language)  # the one record of the language in use
    if app is None:
        return current
    ours = QTranslator(app)
    catalogue = resources.files("flaggui.resources").joinpath(f"translations/flaggui_{current}.qm")
    with resources.as_file(catalogue) as path:
        ours.load(str(path))
    qt = QTranslator(app)
    if current != "en":  # Qt's own words are English already
        qt.load(f"qtbase_{current}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for translator in (ours, qt):
        if not translator.isEmpty():
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
    return current


def name_of(code: str, fallback: str | None = None) -> str:
    """A country's name in the interface language (English if untranslated;
    else *fallback*, such as the server's name for it, else the code)."""
    return country_name(code, core_i18n.current) or country_name(code) or fallback or code


def search_text(code: str, name: str) -> str:
    """What a search for a country matches: its code, its *name* as shown,
    and its English name (中国 and China both find CN)."""
    return f"{code} {name} {country_name(code) or ''}"
