"""Columns, padding and wrapping for a terminal where 中 takes two columns."""

from __future__ import annotations

import pytest

from flaggui.terminal import columns, fit, wrap


def test_columns_count_wide_characters_twice() -> None:
    assert columns("CN") == 2
    assert columns("中国") == 4
    assert columns("完成 1，跳过 0") == 14


@pytest.mark.parametrize(
    ("text", "width", "fitted"),
    [
        ("China", 8, "China   "),
        ("中国", 8, "中国    "),
        ("刚果民主共和国", 8, "刚果民主"),
        ("刚果民主共和国", 7, "刚果民 "),  # half a character would not show
        ("Bosnia and Herzegovina", 6, "Bosnia"),
    ],
)
def test_fit_pads_and_cuts_to_columns(text: str, width: int, fitted: str) -> None:
    assert fit(text, width) == fitted
    assert columns(fit(text, width)) == width


def test_wrap_breaks_english_at_spaces() -> None:
    assert wrap("download even flags   already saved", 14) == [
        "download even",
        "flags already",
        "saved",
    ]


def test_wrap_breaks_between_chinese_characters_by_columns() -> None:
    text = "把国旗下载到一个文件夹。CC 是国家代码（如 CN），或一个字母"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(columns(line) <= 20 for line in lines)
    assert lines == ["把国旗下载到一个文件", "夹。CC 是国家代码", "（如 CN），或一个字", "母"]


def test_wrap_keeps_punctuation_with_its_word() -> None:
    # No line starts with a closing mark or ends with an opening one.
    for width in range(4, 30):
        for line in wrap("默认是人口最多的 20 个国家（POP20），或所有国家（ALL）。", width):
            assert line[0] not in "，）。", (width, line)
            assert line[-1] != "（", (width, line)


def test_wrap_gives_a_long_url_its_own_line() -> None:
    lines = wrap("例如 'https://flagcdn.com/w320/{cc}.png'；扩展名", 16)
    assert lines == ["例如", "'https://flagcdn.com/w320/{cc}.png'；", "扩展名"]
