"""Update the translations: extract the strings (pyside6-lupdate), fill in
the 简体中文 ones from packaging/zh_CN.py, compile them (pyside6-lrelease).

    python packaging/translate.py

Prints the strings that have no translation yet and exits 1 if any.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "flaggui_zh_CN.ts"
sys.path.insert(0, str(Path(__file__).parent))

from zh_CN import TRANSLATIONS  # noqa: E402


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
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
