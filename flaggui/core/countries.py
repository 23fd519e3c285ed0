"""The country catalogue and the parsing of a user's country selection.

Codes are upper-case ISO 3166-1 alpha-2 strings everywhere in flaggui
(``"CN"``); they become lower-case only where they turn into a URL or a file
name.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Iterable
from functools import cache

from flaggui.core.i18n import _

# pycountry is imported where a name or an unusual code is first looked up:
# importing it reads its package metadata (some 20 ms), which commands that
# never need a name, such as --version, should not wait for.

# The 194 countries of the standard flag set (the folders of the public
# flag server and of ``flags.zip``).
FLAG_CODES: tuple[str, ...] = tuple(
    """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT
    BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DZ EC EE
    EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID
    IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK
    LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA
    NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA SB
    SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR
    TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW
    """.split()
)

# The twenty most populous countries, in the order of the classic script.
POP20: tuple[str, ...] = tuple(
    "CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR".split()
)

EVERY_CODE: tuple[str, ...] = tuple(
    a + b for a in string.ascii_uppercase for b in string.ascii_uppercase
)

_LETTERS = frozenset(string.ascii_uppercase)


class SelectionError(ValueError):
    """A country selection that cannot be understood; the message is for the user."""


def is_country_code(text: str) -> bool:
    """True for exactly two ASCII letters (either case)."""
    return text.isascii() and len(text) == 2 and all(c in _LETTERS for c in text.upper())


def normalize_code(text: str) -> str:
    """Return *text* as an upper-case code, or raise SelectionError."""
    code = text.strip()
    if not is_country_code(code):
        raise SelectionError(
            _("{code!r} is not a country code (two letters A-Z, e.g. CN)").format(code=code)
        )
    return code.upper()


@cache
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_known_code(code: str) -> bool:
    """True when *code* is in the flag set or is an ISO 3166-1 country."""
    return code in FLAG_CODES or code in _iso_codes()


# Where pycountry has only an official name, the one people use.
_SHORT_NAMES = {
    "BN": "Brunei",
    "CD": "DR Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Vatican City",
}


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def country_name(code: str, language: str = "en") -> str | None:
    """The short name of *code* ("Bolivia", not "Bolivia, Plurinational State
    of") in English or, for another *language* such as ``zh_CN``, from
    pycountry's translations (``CN`` -> 中国); None when pycountry does not
    know the code."""
    import pycountry

    code = code.upper()
    country = pycountry.countries.get(alpha_2=code)
    if language != "en" and country is not None:
        translate = _catalogue(language).gettext
        common: str | None = getattr(country, "common_name", None)
        if common and translate(common) != common:
            return translate(common)
        translated: str = translate(country.name)
        return translated
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    if country is None:
        return None
    name: str = getattr(country, "common_name", None) or country.name
    return name


def parse_selection(
    args: Iterable[str] = (),
    *,
    all_flags: bool = False,
    every: bool = False,
    limit: int | None = None,
) -> list[str]:
    """Expand a command-line style selection into sorted, unique codes.

    Like Fluent Python's ``flags2`` scripts: each argument is a code (``CN``)
    or a single letter meaning every country of the flag set whose code
    starts with it; ``all_flags`` means the 194 codes of the flag set,
    ``every`` means every combination AA..ZZ. With neither and no argument,
    the selection is POP20. ``limit`` keeps the first N after sorting.
    Raises SelectionError with a message meant for the user.
    """
    args = [a for arg in args for a in arg.replace(",", " ").split()]
    if all_flags and every:
        raise SelectionError(_("choose either --all or --every, not both"))
    if (all_flags or every) and args:
        raise SelectionError(_("country codes cannot be combined with --all or --every"))
    if limit is not None and limit < 1:
        raise SelectionError(_("the limit must be at least 1, not {limit}").format(limit=limit))

    codes: set[str] = set()
    if every:
        codes.update(EVERY_CODE)
    elif all_flags:
        codes.update(FLAG_CODES)
    elif not args:
        codes.update(POP20)
    for arg in args:
        text = arg.strip().upper()
        if text == "POP20":
            codes.update(POP20)
        elif text == "ALL":
            codes.update(FLAG_CODES)
        elif len(text) == 1 and text in _LETTERS:
            matching = [c for c in FLAG_CODES if c.startswith(text)]
            if not matching:
                raise SelectionError(
                    _("no country code starts with {letter!r}").format(letter=text)
                )
            codes.update(matching)
        else:
            code = normalize_code(arg)
            if not is_known_code(code):
                raise SelectionError(
                    _(
                        "unknown country code {code!r} (use --every to try every code AA..ZZ)"
                    ).format(code=code)
                )
            codes.add(code)
    return sorted(codes)[:limit]
