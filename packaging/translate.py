"""Update the translations from the 简体中文 strings in packaging/zh_CN.py:

- the window's: extract the tr() strings (pyside6-lupdate), fill them in,
  compile (pyside6-lrelease) → flaggui_zh_CN.ts / .qm;
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
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
TS = TRANSLATIONS_DIR / "flaggui_zh_CN.ts"
PO = TRANSLATIONS_DIR / "flaggui_zh_CN.po"
MO = TRANSLATIONS_DIR / "flaggui_zh_CN.mo"
sys.path.insert(0, str(Path(__file__).parent))

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


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "flaggui" / "ui").glob("*.py"))
    subprocess.run(
        [tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(TS)],
        check=True,
        capture_output=True,
    )
    tree = ET.parse(TS)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            text = TRANSLATIONS.get((name, source))
            translation = message.find("translation")
            assert translation is not None
            if text is None:
                missing.append((name, source))
                continue
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                ET.SubElement(translation, "numerusform").text = text
                translation.text = None
            else:
                translation.text = text
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), str(TS)], check=True, capture_output=True)
    for name, source in missing:
        print(f"untranslated: {name}: {source!r}")
    missing_messages = update_gettext()
    for message in missing_messages:
        print(f"untranslated (gettext): {message!r}")
    for message in unused_messages():
        print(f"no longer used (gettext), remove it from zh_CN.py: {message!r}")
    return 1 if missing or missing_messages else 0


if __name__ == "__main__":
    sys.exit(main())
