"""The helpers for values from outside: text cleaning, strict numbers and
bounded reads of regular files only."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flaggui.core.untrusted import (
    ASCII_SPACE,
    MAX_SHOWN,
    UnsafeFile,
    clean_text,
    parse_float,
    parse_int,
    read_regular,
)

HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@given(st.text())
def test_clean_text_never_shows_a_control_or_format_character(text: str) -> None:
    cleaned = clean_text(text)
    assert len(cleaned) <= MAX_SHOWN
    assert not [c for c in cleaned if unicodedata.category(c) in HIDDEN]
    assert "\n" not in cleaned
    assert "\t" not in cleaned
    assert cleaned == cleaned.strip()


@given(st.text(alphabet=st.characters(blacklist_categories=(*HIDDEN, "Zs")), max_size=50))
def test_clean_text_keeps_ordinary_text_as_it_is(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[31mOK\x1b[0m", "[2J[31mOK[0m"),  # no ESC: the terminal sees plain text
        ("\x1b]0;pwned\x07Not Found", "]0;pwnedNot Found"),
        ("\x9b31mC1", "31mC1"),
        ("abc\u202egpj.exe", "abcgpj.exe"),
        ("a\u2066b\u2069c\u200fd", "abcd"),
        ("line\r\nbreak\ttab", "line break tab"),
        ("中国\u2028中华", "中国 中华"),
    ],
)
def test_clean_text_removes_escapes_and_bidi_overrides(raw: str, shown: str) -> None:
    assert clean_text(raw) == shown


def test_clean_text_caps_the_length_with_an_ellipsis() -> None:
    assert clean_text("x" * 100_000) == "x" * (MAX_SHOWN - 1) + "…"
    assert clean_text("abcdef", limit=4) == "abc…"


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_parse_int_takes_every_plain_integer_in_range(value: int) -> None:
    assert parse_int(str(value), -(10**6), 10**6, "N") == value


@given(st.text(max_size=12))
def test_parse_int_takes_only_ascii_digits(text: str) -> None:
    if re.fullmatch(r"[+-]?[0-9]{1,9}", text.strip(ASCII_SPACE)):
        assert parse_int(text, -(10**9), 10**9, "N") == int(text)
    else:
        with pytest.raises(ValueError, match="N must be a whole number from") as caught:
            parse_int(text, -(10**9), 10**9, "N")
        assert not [c for c in str(caught.value) if unicodedata.category(c) in HIDDEN]


@pytest.mark.parametrize(
    "text", ["", "1_000", "١٢", "²", "0x10", "1e3", "12abc", "5.0", "99999999999999999999"]
)
def test_parse_int_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="from 0 to 1000"):
        parse_int(text, 0, 1000, "the limit")


@given(st.floats(min_value=0, max_value=60))
def test_parse_float_takes_every_decimal_in_range(value: float) -> None:
    text = f"{value:.6f}"
    assert parse_float(text, 0, 60, "S") == pytest.approx(float(text))


@pytest.mark.parametrize(
    "text",
    ["nan", "NaN", "inf", "-inf", "infinity", "1e400", "1e3", "", ".", "٣", "1_0", "0x1p3", "61"],
)
def test_parse_float_refuses_non_finite_odd_and_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match=r"the delay must be a number from 0 to 60"):
        parse_float(text, 0, 60, "the delay")


def test_parse_float_with_an_open_lower_bound() -> None:
    assert parse_float("0.5", 0, 10, "the timeout", low_open=True) == 0.5
    with pytest.raises(ValueError, match="above 0 and at most 10"):
        parse_float("0", 0, 10, "the timeout", low_open=True)


def test_an_error_message_never_repeats_escape_codes() -> None:
    with pytest.raises(ValueError, match="P must be a number") as caught:
        parse_float("\x1b[2J" + "9" * 500, 0, 1, "P")
    assert "\x1b" not in str(caught.value)
    assert len(str(caught.value)) < 200


# Files --------------------------------------------------------------------------
def test_read_regular_reads_a_file_within_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "cn.gif"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    with pytest.raises(UnsafeFile, match=r"cn\.gif is larger than 1 KiB"):
        read_regular(path, 99)


def test_read_regular_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "cn.gif"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile, match=r"cn.gif is a FIFO \(named pipe\), not a regular file"):
        read_regular(fifo, 1024)


def test_read_regular_refuses_links_and_never_follows_them_into_a_device(tmp_path: Path) -> None:
    link = tmp_path / "cn.gif"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnsafeFile, match="is a symbolic link"):
        read_regular(link, 1024)
    good = tmp_path / "good.gif"
    good.write_bytes(b"GIF89a")
    other = tmp_path / "jp.gif"
    other.symlink_to(good)
    with pytest.raises(UnsafeFile, match="symbolic link"):
        read_regular(other, 1024)


def test_read_regular_checks_the_open_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO swapped in for a file between the look and the open is caught
    on the descriptor (opened without blocking) and never read."""
    path = tmp_path / "cn.gif"
    path.write_bytes(b"GIF89a")
    real_open = os.open

    def swap_then_open(name: str | Path, flags: int, *args: int) -> int:
        os.unlink(path)
        os.mkfifo(path)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", swap_then_open)
    with pytest.raises(UnsafeFile, match="FIFO"):
        read_regular(path, 1024)


def test_read_regular_refuses_a_folder_and_a_huge_sparse_file(tmp_path: Path) -> None:
    (tmp_path / "cn.gif").mkdir()
    with pytest.raises(UnsafeFile, match="is a folder"):
        read_regular(tmp_path / "cn.gif", 1024)
    sparse = tmp_path / "jp.gif"
    with sparse.open("wb") as stream:
        stream.truncate(8 * 1024**3)  # 8 GiB that take no disk
    with pytest.raises(UnsafeFile, match="larger than 2048 KiB"):
        read_regular(sparse, 2 * 1024 * 1024)


def test_read_regular_passes_a_missing_file_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nothing.gif", 1024)
