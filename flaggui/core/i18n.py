"""The language flaggui speaks without Qt: the command line, and the reasons
and summaries the core writes (which the window shows too).

English is built in; 简体中文 comes from a gettext catalogue,
``resources/translations/flaggui_zh_CN.mo``, made by ``packaging/translate.py``
from the strings in ``packaging/zh_CN.py``. Mark a string with :func:`_` where
it is made, or with :func:`N_` where it is defined ahead of use (a constant)
and translate it with :func:`_` where it is shown.
"""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Mapping
from importlib import resources

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}

current = "en"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def language_of(name: str) -> str | None:
    """The flaggui language for a locale or language name, None if flaggui
    does not speak it: ``zh_CN.UTF-8``, ``zh-Hans``, ``zh`` → ``zh_CN``;
    ``en_GB``, ``C``, ``POSIX`` → ``en``; ``fr_FR`` → None."""
    base = name.strip().replace("-", "_").split(".")[0].split("@")[0]
    if base in LANGUAGES:
        return base
    head = base.split("_")[0].lower()
    if head in ("zh", "chinese"):
        return "zh_CN"
    if head in ("en", "english", "c", "posix"):
        return "en"
    return None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the user's environment asks for, read as gettext does:
    the first language of LANGUAGE that flaggui speaks, else the locale of
    LC_ALL, LC_MESSAGES or LANG (the first one set)."""
    environ = os.environ if environ is None else environ
    for item in environ.get("LANGUAGE", "").split(":"):
        if item and (chosen := language_of(item)):
            return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(variable):
            return language_of(value) or "en"
    # No locale variables (Windows, an app started from the macOS Finder).
    name = locale.getlocale()[0]
    return (language_of(name) if name else None) or "en"


def use(language: str) -> str:
    """Speak *language* (a key of LANGUAGES; anything else means English)
    from now on; return the language in use."""
    global current, _translation
    current = language if language in LANGUAGES else "en"
    if current == "en":
        _translation = gettext.NullTranslations()
        return current
    catalogue = resources.files("flaggui.resources").joinpath(f"translations/flaggui_{current}.mo")
    with catalogue.open("rb") as stream:
        _translation = gettext.GNUTranslations(stream)
    return current


def _(message: str) -> str:
    """*message* in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """*singular* or *plural*, as *n* asks, in the language in use."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark *message* for translation where it is defined; :func:`_` it where shown."""
    return message
