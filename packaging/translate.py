"""Update the translations from the 简体中文 strings in packaging/zh_CN.py:

- the window's: extract the tr() strings (pyside6-lupdate), fill them in,
  compile (pyside6-lrelease) → flaggui_zh_CN.ts / .qm;
- the window's English plurals: the tr() strings with %n only, filled in with
  their singular and plural from packaging/en.py → flaggui_en.ts / .qm (Qt
  has no plural forms without a catalogue, even for the source language);
- the core's and the command line's: extract the gettext strings (Babel),
  fill them in, compile → flaggui_zh_CN.po / .mo.

    python packaging/translate.py

Prints the strings that have no translation yet and exits 1 if any.
"""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
TS = TRANSLATIONS_DIR / "flaggui_zh_CN.ts"
ENGLISH_TS = TRANSLATIONS_DIR / "flaggui_en.ts"
PO = TRANSLATIONS_DIR / "flaggui_zh_CN.po"
MO = TRANSLATIONS_DIR / "flaggui_zh_CN.mo"
sys.path.insert(0, str(Path(__file__).parent))

from en import PLURALS  # noqa: E402
from zh_CN import MESSAGES, TRANSLATIONS  # noqa: E402

from flaggui import __version__  # noqa: E402

# flaggui.core.i18n's functions; ngettext's first two arguments are the forms.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# A fixed date keeps the files byte-identical from run to run.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def gettext_messages() -> dict[str | tuple[str, ...], list[str]]:
    """Every gettext string in flaggui's code, with the files it is in."""
    found: dict[str | tuple[str, ...], list[str]] = {}
    for path in sorted((ROOT / "flaggui").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            places = found.setdefault(message, [])
            if where not in places:
                places.append(where)
    return found


def gettext_catalog() -> tuple[Catalog, list[str]]:
    """The zh_CN catalogue of the code's gettext strings, and those missing."""
    catalog = Catalog(
        locale="zh_CN",
        domain="flaggui",
        header_comment=(
            "# 简体中文 messages of flaggui's command line and core.\n"
            "# Made by packaging/translate.py from packaging/zh_CN.py: edit that file."
        ),
        project="flaggui",
        version=__version__,
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        last_translator="flaggui",
        language_team="zh_CN",
        fuzzy=False,
    )
    missing = []
    for message, places in gettext_messages().items():
        key = message[0] if isinstance(message, tuple) else message
        text = MESSAGES.get(key)
        if text is None:
            missing.append(key)
            continue
        if isinstance(message, tuple) and isinstance(text, str):
            text = (text,)
        catalog.add(message, text, locations=[(place, None) for place in places])
    return catalog, missing


def unused_messages() -> list[str]:
    """Entries of MESSAGES that the code no longer uses."""
    used = {m[0] if isinstance(m, tuple) else m for m in gettext_messages()}
    return sorted(set(MESSAGES) - used)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, include_lineno=False, sort_output=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update_gettext() -> list[str]:
    catalog, missing = gettext_catalog()
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(catalog))
    return missing


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# How many plural forms a language has (Qt's numerus forms, in Qt's order).
PLURAL_FORMS = {"en": 2, "zh_CN": 1}

Table = Mapping[tuple[str, str], str | tuple[str, ...]]


def update_qt(ts: Path, language: str, table: Table, *lupdate_options: str) -> list[str]:
    """Extract the window's strings into *ts*, fill in their translations
    from *table* ((class, text) → text, or → its plural forms for a %n
    message; a text alone stands for a language with one form), compile it;
    return what is missing or wrong."""
    sources = sorted(str(p) for p in (ROOT / "flaggui" / "ui").glob("*.py"))
    subprocess.run(
        [tool("pyside6-lupdate"), *sources, "-no-obsolete", *lupdate_options, "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    tree = ET.parse(ts)
    problems = []
    used = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            used.add((name, source))
            text = table.get((name, source))
            translation = message.find("translation")
            assert translation is not None
            numerus = message.get("numerus") == "yes"
            forms = (text,) if isinstance(text, str) else text
            if forms is None:
                problems.append(f"untranslated: {name}: {source!r}")
                continue
            wanted = PLURAL_FORMS[language] if numerus else 1
            if len(forms) != wanted:
                problems.append(f"{name}: {source!r}: {len(forms)} forms, {language} has {wanted}")
                continue
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if numerus:
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
                translation.text = None
            else:
                translation.text = forms[0]
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), str(ts)], check=True, capture_output=True)
    for name, source in sorted(set(table) - used):
        print(f"no longer used ({language}), remove it: {name}: {source!r}")
    return problems


def main() -> int:
    problems = update_qt(TS, "zh_CN", TRANSLATIONS)
    problems += update_qt(
        ENGLISH_TS,
        "en",
        PLURALS,
        "-pluralonly",
        "-source-language",
        "en",
        "-target-language",
        "en",
    )
    for problem in problems:
        print(problem)
    missing_messages = update_gettext()
    for message in missing_messages:
        print(f"untranslated (gettext): {message!r}")
    for message in unused_messages():
        print(f"no longer used (gettext), remove it from zh_CN.py: {message!r}")
    return 1 if problems or missing_messages else 0


if __name__ == "__main__":
    sys.exit(main())
