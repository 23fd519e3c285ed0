"""简体中文 outside the window: the gettext catalogue is complete and
compiled, and the command line and the core speak the language asked for."""

from __future__ import annotations

import gettext
import importlib.util
import re
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from flaggui.core import i18n
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagResult, FlagState
from flaggui.terminal import columns
from tests import faults
from tests.conftest import assert_no_temporaries
from tests.scripted_server import ScriptedServer
from tests.test_cli import flaggui, last_line

ROOT = Path(__file__).resolve().parents[1]
CHINESE = {"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.fixture(scope="module")
def translate() -> ModuleType:
    """packaging/translate.py, the tool that makes the catalogues."""
    spec = importlib.util.spec_from_file_location(
        "flaggui_translate", ROOT / "packaging" / "translate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    path = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path
    return module


def test_every_gettext_string_is_translated(translate: ModuleType) -> None:
    """A new _() string without a translation fails here: add it to
    packaging/zh_CN.py and run `python packaging/translate.py`."""
    catalog, missing = translate.gettext_catalog()
    assert missing == []
    assert translate.unused_messages() == []
    assert len(catalog) > 100


def test_the_committed_catalogues_are_current(translate: ModuleType) -> None:
    fresh, _missing = translate.gettext_catalog()
    with translate.PO.open("rb") as stream:
        committed = read_po(stream, locale="zh_CN")
    expected = {m.id: m.string for m in fresh if m.id}
    assert {m.id: m.string for m in committed if m.id} == expected
    with translate.MO.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for msgid, msgstr in expected.items():
        if isinstance(msgid, tuple):
            assert compiled.ngettext(msgid[0], msgid[1], 1) == msgstr[0]
            assert compiled.ngettext(msgid[0], msgid[1], 5) == msgstr[0]
        else:
            assert compiled.gettext(msgid) == msgstr, msgid


def _fields(text: str) -> list[str]:
    """The placeholders of a message: str.format fields and %-conversions."""
    braces = [
        f"{name}!{conversion}:{spec}"
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    ]
    return sorted(braces + re.findall(r"%(?:\(\w+\))?[sdr]", text))


def test_translations_keep_every_placeholder(translate: ModuleType) -> None:
    """A translation that drops or renames a placeholder would break
    .format() for Chinese users only."""
    catalog, _missing = translate.gettext_catalog()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert _fields(text) == _fields(ids[-1]), ids[0]


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("Chinese (Simplified)_China", "zh_CN"),
        ("zh_TW.UTF-8", None),
        ("zh-Hant", None),
        ("Chinese (Traditional)_Taiwan", None),
        ("en_GB.UTF-8", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8", None),
        ("", None),
    ],
)
def test_language_of_locale_names(name: str, language: str | None) -> None:
    assert i18n.language_of(name) == language


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "de", "LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
        # As in GNU gettext, LC_ALL=C means English whatever LANGUAGE says...
        ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, "en"),
        ({"LANG": "POSIX", "LANGUAGE": "zh_CN"}, "en"),
        # ... but C.UTF-8, a real locale, lets LANGUAGE choose.
        ({"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}, "zh_CN"),
    ],
)
def test_system_language_reads_the_environment(environ: dict[str, str], language: str) -> None:
    assert i18n.system_language(environ) == language


def test_use_switches_the_core_language() -> None:
    summary = BatchSummary.of([FlagResult("CN", FlagState.DONE)], 1.234)
    assert summary.downloaded_line == "1 flag downloaded in 1.23s"
    assert i18n.use("zh_CN") == "zh_CN"
    assert summary.downloaded_line == "1 面国旗下载用时 1.23 秒"
    assert summary.counts_line == "完成 1，跳过 0，未找到 0，失败 0，已取消 0"
    assert i18n.use("fr") == "en"
    assert summary.counts_line == "1 done, 0 skipped, 0 not found, 0 failed, 0 cancelled"


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 flag downloaded in 0.50s", "2 flags downloaded in 0.50s"),
        ("zh_CN", "1 面国旗下载用时 0.50 秒", "2 面国旗下载用时 0.50 秒"),
    ],
)
def test_a_count_takes_its_plural_form(language: str, one: str, two: str) -> None:
    i18n.use(language)
    results = [FlagResult("CN", FlagState.DONE), FlagResult("BR", FlagState.DONE)]
    assert BatchSummary.of(results[:1], 0.5).downloaded_line == one
    assert BatchSummary.of(results, 0.5).downloaded_line == two


def test_every_plural_message_has_its_forms(translate: ModuleType) -> None:
    """English: the singular for 1, the plural for 0, 2, 11, 21; 简体中文: its
    one form for every number."""
    catalog, _missing = translate.gettext_catalog()
    plurals = [message for message in catalog if isinstance(message.id, tuple)]
    assert len(plurals) >= 5
    for message in plurals:
        singular, plural = message.id
        assert i18n.ngettext(singular, plural, 1) == singular
        assert {i18n.ngettext(singular, plural, n) for n in (0, 2, 11, 21)} == {plural}
    i18n.use("zh_CN")
    for message in plurals:
        singular, plural = message.id
        [form] = message.string
        assert {i18n.ngettext(singular, plural, n) for n in (0, 1, 2, 21)} == {form}


async def test_the_engine_gives_reasons_in_chinese(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.healthy("cn"))
    server.route("br", faults.serve(b"<!DOCTYPE html><html><body>oops</body></html>", "text/html"))
    server.route("jp", faults.status(500))
    i18n.use("zh_CN")
    engine = DownloadEngine(dest, DownloadOptions(server=server.base_url, retries=1, backoff=0))
    summary = await engine.run(["BR", "CN", "JP", "US"])
    reasons = {r.code: r.reason for r in summary.results}
    assert reasons["CN"] == ""
    assert reasons["BR"] == "数据是 HTML 网页，不是图片，应为 GIF 图片"
    assert reasons["JP"] == "HTTP 500 Internal Server Error（尝试了 2 次）"
    assert reasons["US"] == "服务器上没有这个代码的国旗"
    assert_no_temporaries(dest)


async def test_the_cli_follows_lang(server: ScriptedServer, dest: Path) -> None:
    server.route("cn", faults.healthy("cn"))
    server.route("br", faults.serve(b"<!DOCTYPE html><html><body>oops</body></html>", "text/html"))
    args = ["get", "CN", "BR", "US", "-s", server.base_url, "-d", str(dest), "--retries", "0"]
    result = await flaggui(*args, "-v", env=CHINESE)
    assert result.code == 1, result
    # Chinese names, columns aligned although a Chinese character is two columns wide.
    assert re.search(r"^CN  中国 {28} 完成 {5}  [\d.]+ KiB$", result.out, re.M)
    assert "BR  巴西" in result.out
    assert "1 面国旗下载失败：" in result.out
    assert "  BR  数据是 HTML 网页，不是图片，应为 GIF 图片" in result.out
    assert "服务器上没有：US" in result.out
    assert f"完成 1，跳过 0，未找到 1，失败 1，已取消 0（保存在 {dest}）" in result.out
    assert re.fullmatch(r"1 面国旗下载用时 \d+\.\d\d 秒", last_line(result.out))
    assert result.err == ""
    assert_no_temporaries(dest)

    # --lang wins over the environment, both ways, before or after the command.
    again = await flaggui(*args, "--lang", "en", env=CHINESE)
    assert "0 done, 1 skipped, 1 not found, 1 failed, 0 cancelled" in again.out
    again = await flaggui("--lang=zh_CN", *args, env={"LANG": "C.UTF-8", "LANGUAGE": ""})
    assert "完成 0，跳过 1，未找到 1，失败 1，已取消 0" in again.out
    # argparse takes an abbreviated --lang; so does flaggui.
    again = await flaggui(*args, "-v", "--lan", "zh_CN", env={"LANG": "C.UTF-8", "LANGUAGE": ""})
    assert re.search(r"^CN  中国 {28} 已跳过 {3}  文件夹中已有$", again.out, re.M)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["get", "XQ"], "flaggui get：错误：未知的国家代码 'XQ'（用 --every 尝试所有代码 AA..ZZ）"),
        (["get", "-m", "0"], "参数 -m/--max-req：请求数必须是 1 到 1000 之间的整数，而不是 '0'"),
        (["get", "--timeout", "nan"], "超时必须是大于 0 且不超过 3600 的数，而不是 'nan'"),
        (["get", "--nope"], "flaggui：错误：无法识别的参数：--nope"),
        (["serve", "--delay", "x"], "无效的延迟 'x'：请用秒数，如 0.3，或 MIN:MAX"),
        (["--lang", "fr"], "参数 --lang：未知的语言 'fr'（flaggui 支持 en, zh_CN）"),
        (["get", "--lang", "zh_TW"], "参数 --lang：未知的语言 'zh_TW'（flaggui 支持 en, zh_CN）"),
        (["get", "--force=1"], "flaggui get：错误：参数 --force：此选项不接受值：'1'"),
    ],
)
async def test_usage_errors_in_chinese(args: list[str], message: str) -> None:
    result = await flaggui(*args, env=CHINESE)
    assert result.code == 2, result
    assert message in result.err
    assert result.out == ""


async def test_help_in_chinese() -> None:
    result = await flaggui("get", "--help", env=CHINESE)
    assert result.code == 0
    assert result.out.startswith("用法：flaggui get")
    for text in ("位置参数", "选项", "显示此帮助信息并退出", "国家代码或单个字母", "消息的语言"):
        assert text in result.out
    english = await flaggui("--lang", "en", "--help", env=CHINESE)
    assert english.out.startswith("usage: flaggui")
    assert "language of messages (default: the system's)" in english.out


@pytest.mark.parametrize("width", [50, 80])
async def test_chinese_help_fits_the_terminal(width: int) -> None:
    for command in (["get"], ["serve"], []):
        env = {**CHINESE, "COLUMNS": str(width)}
        result = await flaggui(*command, "--help", env=env)
        assert result.code == 0
        lines = result.out.splitlines()
        # Long URLs and option names may not fit 50 columns; nothing else overflows.
        too_wide = [line for line in lines if columns(line) > width and "://" not in line]
        assert too_wide == [], command
        # The usage's continuation lines line up under the first option.
        first = lines[0]
        indent = columns(first[: first.index("[")])
        assert lines[1].startswith(" " * indent + "["), lines[:2]
