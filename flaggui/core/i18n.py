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
import re
from collections.abc import Mapping

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}

current = "en"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def language_of(name: str) -> str | None:
    """The flaggui language for a locale or language name, None if flaggui
    does not speak it: ``zh_CN.UTF-8``, ``zh-Hans``, ``zh``, Windows'
    ``Chinese (Simplified)_China`` → ``zh_CN``; ``en_GB``, ``C``, ``POSIX`` →
    ``en``; ``fr_FR`` and Traditional Chinese (``zh_TW``, ``zh-Hant``) → None."""
    base = name.strip().replace("-", "_").split(".")[0].split("@")[0]
    if base in LANGUAGES:
        return base
    parts = [part for part in re.split(r"[_\s()]+", base.lower()) if part]
    if not parts:
        return None
    if parts[0] in ("zh", "chinese"):
        traditional = {"hant", "tw", "hk", "mo", "traditional", "taiwan"} & set(parts[1:])
        return None if traditional else "zh_CN"
    if parts[0] in ("en", "english", "c", "posix"):
        return "en"
    return None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the user's environment asks for, read as GNU gettext
    does: the locale is the first of LC_ALL, LC_MESSAGES and LANG that is set;
    unless it is C or POSIX (scripts set LC_ALL=C for English), the first
    language of LANGUAGE that flaggui speaks wins; else the locale's."""
    environ = os.environ if environ is None else environ
    locale_name = next(
        (value for v in ("LC_ALL", "LC_MESSAGES", "LANG") if (value := environ.get(v))), ""
    )
    if locale_name in ("C", "POSIX"):
        return "en"
    for item in environ.get("LANGUAGE", "").split(":"):
        if item and (chosen := language_of(item)):
            return chosen
    if locale_name:
        return language_of(locale_name) or "en"
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
    # Loaded here: English, the default, needs no catalogue, and
    # importlib.resources takes milliseconds to import.
    from importlib import resources

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
