"""简体中文: the catalogue is complete and compiled, and the window speaks it."""

from __future__ import annotations

import runpy
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt

from flaggui.core.countries import FLAG_CODES, country_name
from flaggui.core.servers import LOCAL
from flaggui.ui import i18n
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Language, Settings
from tests import faults
from tests.images import make_gif
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
TS = TRANSLATIONS / "flaggui_zh_CN.ts"
ENGLISH_TS = TRANSLATIONS / "flaggui_en.ts"
ROOT = Path(__file__).resolve().parents[2]


def test_every_string_is_translated() -> None:
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 100
    for message in messages:
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished")
        text = translation.text or "".join(n.text or "" for n in translation.iter("numerusform"))
        assert text.strip(), message.findtext("source")


@pytest.mark.parametrize("ts", [TS, ENGLISH_TS], ids=["zh_CN", "en"])
def test_the_compiled_catalogue_matches_the_source(tmp_path: Path, ts: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    compiled = tmp_path / "check.qm"
    subprocess.run([str(lrelease), str(ts), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == ts.with_suffix(".qm").read_bytes()


def test_every_plural_in_the_window_has_its_english_forms(qapp: object) -> None:
    """Each tr() string with %n is in the English catalogue, with a form for
    1 and one for any other number."""
    plurals = runpy.run_path(str(ROOT / "packaging" / "en.py"))["PLURALS"]
    numerus = {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(TS).getroot().iter("context")
        for message in context.iter("message")
        if message.get("numerus") == "yes"
    }
    assert numerus == set(plurals)
    assert len(plurals) >= 9
    for (context, source), (one, other) in plurals.items():
        assert QCoreApplication.translate(context, source, "", 1) == one.replace("%n", "1")
        for n in (0, 2, 11, 21):
            assert QCoreApplication.translate(context, source, "", n) == other.replace("%n", str(n))
    assert "(s)" not in "".join(source for _context, source in numerus)


def test_chinese_country_names() -> None:
    assert country_name("CN", "zh_CN") == "中国"
    assert country_name("KR", "zh_CN") == "韩国"
    assert all(country_name(code, "zh_CN") for code in FLAG_CODES)


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    assert i18n.install("zh_CN") == "zh_CN"
    yield
    i18n.install("en")


def test_the_window_in_chinese(
    chinese: None, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "flags"
    folder.mkdir()
    (folder / "cn.gif").write_bytes(make_gif("cn"))
    window: MainWindow = make_window(server=LOCAL, folder=folder, countries=["CN", "JP"])
    loop.until(lambda: window.flags.rowCount() == 1)
    assert window.windowTitle() == "国旗并发下载"
    assert window.download_button.text() == "下载"
    assert window.panel.selection_label.text() == "已选 2 / 194"
    assert window.flags.tile("CN").name == "中国"
    china = window.countries.index(FLAG_CODES.index("CN"))
    assert china.data() == "CN  中国"
    # Search finds a country by its Chinese or its English name.
    window.panel.search_edit.setText("日本")
    assert window.panel.country_filter.rowCount() == 1
    window.panel.search_edit.setText("japan")
    assert window.panel.country_filter.rowCount() == 1
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[:3] == ["文件(&F)", "视图(&V)", "国旗(&L)"]


def test_chinese_has_one_plural_form(chinese: None) -> None:
    for n in (1, 2, 21):
        assert QCoreApplication.translate("FlagActions", "Copied %n flags", "", n) == (
            f"已复制 {n} 面国旗"
        )
        assert QCoreApplication.translate("MainWindow", "Downloading %n flags…", "", n) == (
            f"正在下载 {n} 面国旗…"
        )


def test_language_menu_remembers_the_choice(
    make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    chinese = next(a for a in window.language_actions.actions() if a.data() == "zh_CN")
    chinese.trigger()
    assert settings.language is Language.SIMPLIFIED_CHINESE
    assert i18n.choose(settings.language.value) == "zh_CN"
    assert i18n.choose("") in ("en", "zh_CN")


def sources_of(ts: Path) -> set[tuple[str, str]]:
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(ts).getroot().iter("context")
        for message in context.iter("message")
    }


def test_every_tr_string_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """A new tr() string without a translation fails here: run
    `python packaging/translate.py` after adding one to packaging/zh_CN.py."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ui = Path(__file__).resolve().parents[2] / "flaggui" / "ui"
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(lupdate), *sorted(str(p) for p in ui.glob("*.py")), "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert sources_of(fresh) - sources_of(TS) == set()


def test_the_chinese_window_explains_failures_in_chinese(
    chinese: None,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    """The core's reasons and summary line come from the gettext catalogue
    that i18n.install loads with Qt's."""
    flag_server.route("cn", faults.healthy("cn"))
    page = faults.serve(b"<!DOCTYPE html><html><body>maintenance</body></html>", "text/html")
    flag_server.route("jp", page)
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=["CN", "JP", "KR"])
    window.start_download()
    loop.until(lambda: not window.controller.busy)
    tips = [
        window.flags.data(window.flags.index(row), Qt.ItemDataRole.ToolTipRole)
        for row in range(window.flags.rowCount())
    ]
    assert any("数据是 HTML 网页，不是图片，应为 GIF 图片" in tip for tip in tips), tips
    assert any("服务器上没有这个代码的国旗" in tip for tip in tips), tips
    assert "1 面国旗下载用时" in window.summary_label.text()

    # The timeline's hover text speaks Chinese too.
    canvas = window.timeline_panel.canvas
    row = [track.code for track in canvas.timeline.tracks].index("KR")
    span = canvas.timeline.tracks[row].spans[-1]
    middle = QPoint(int(canvas.x_of((span.start + span.end) / 2)), canvas.row_top(row) + 5)
    text = canvas.hover_text(middle)
    assert text is not None
    assert "结果：未找到 — 服务器上没有这个代码的国旗" in text, text


def test_the_chinese_window_names_one_cause_and_counts_in_chinese(
    chinese: None,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    window = make_window(server=flag_server.base_url, folder=tmp_path, countries=["CN", "JP", "KR"])
    window.start_download()  # nothing routed: a 404 for every flag
    loop.until(lambda: not window.controller.busy)

    assert window.banner.message.text() == (
        "127.0.0.1 上没有这些国旗（HTTP 404）：服务器地址或来源是否正确？"
    )
    assert window.banner.retry_button.text() == "重试"
    assert window.progress.text() == "3 面未找到"
    assert window.progress.accessibleDescription() == "3 面中已保存 0 面，3 面未找到"
