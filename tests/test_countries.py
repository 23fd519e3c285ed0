"""The country catalogue and selection parsing (like Fluent Python's flags2)."""

from __future__ import annotations

import pytest

from flaggui.core.countries import (
    EVERY_CODE,
    FLAG_CODES,
    POP20,
    SelectionError,
    country_name,
    is_country_code,
    parse_selection,
)


def test_catalogue_sizes() -> None:
    assert len(FLAG_CODES) == len(set(FLAG_CODES)) == 194
    assert list(FLAG_CODES) == sorted(FLAG_CODES)
    assert len(POP20) == 20
    assert set(POP20) <= set(FLAG_CODES)
    assert len(EVERY_CODE) == 676


def test_names_are_short_english_names() -> None:
    assert country_name("CN") == "China"
    assert country_name("bo") == "Bolivia"
    assert country_name("KR") == "South Korea"
    assert country_name("cd") == "DR Congo"
    assert country_name("XK") is None
    names = [country_name(code) for code in FLAG_CODES]
    assert all(names)
    assert [n for n in names if n and ("," in n or "(" in n)] == []


def test_default_is_pop20_sorted() -> None:
    assert parse_selection([]) == sorted(POP20)


def test_codes_letters_duplicates_and_limit() -> None:
    assert parse_selection(["cn", "CN", "br"]) == ["BR", "CN"]
    assert parse_selection(["z"]) == ["ZA", "ZM", "ZW"]
    assert parse_selection(["z", "ZA", "us"]) == ["US", "ZA", "ZM", "ZW"]
    assert parse_selection(["cn,br jp"]) == ["BR", "CN", "JP"]
    assert parse_selection(["b"], limit=3) == ["BA", "BB", "BD"]


def test_all_and_every() -> None:
    assert parse_selection(all_flags=True) == list(FLAG_CODES)
    assert parse_selection(every=True) == list(EVERY_CODE)
    assert parse_selection(every=True, limit=2) == ["AA", "AB"]
    assert parse_selection(["pop20", "all"]) == list(FLAG_CODES)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (["CHN"], {}, "not a country code"),
        (["C1"], {}, "not a country code"),
        (["..", "CN"], {}, "not a country code"),
        (["ıs"], {}, "not a country code"),
        (["QQ"], {}, "unknown country code 'QQ'"),
        (["x"], {}, "no country code starts with 'X'"),
        (["CN"], {"all_flags": True}, "cannot be combined"),
        ([], {"all_flags": True, "every": True}, "either"),
        ([], {"limit": 0}, "at least 1"),
    ],
)
def test_bad_selections_have_clear_messages(
    args: list[str], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(SelectionError, match=message):
        parse_selection(args, **kwargs)  # type: ignore[arg-type]


def test_code_check_is_strict_ascii() -> None:
    assert is_country_code("cn")
    assert not is_country_code("ſs")  # upper() would make it "SS"
    assert not is_country_code("c")
