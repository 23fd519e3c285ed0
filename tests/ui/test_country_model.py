"""The country picker's model on its own, under Qt's model tester: its rows
and roles, checking, the exact rows each change names, icons, and the
filter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPixmap

from flaggui.core.countries import FLAG_CODES, POP20
from flaggui.ui.country_model import CountryFilterModel, CountryListModel, CountryRoles
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import ThumbnailKey
from tests.images import make_gif
from tests.ui.conftest import Loop
from tests.ui.model_signals import Recorder, attach_tester, changed

Role = Qt.ItemDataRole
CHECK = Role.CheckStateRole


@pytest.fixture
def model(qapp: object) -> Iterator[CountryListModel]:
    model = CountryListModel(icon_size=QSize(24, 16))
    tester = attach_tester(model)
    yield model
    del tester


@pytest.fixture
def recorder(model: CountryListModel) -> Recorder:
    return Recorder(model)


def row(code: str) -> int:
    return FLAG_CODES.index(code)


def checked_signals(model: CountryListModel) -> list[int]:
    calls: list[int] = []
    model.selectionChanged.connect(lambda: calls.append(1))
    return calls


def test_every_country_in_code_order_with_its_roles(model: CountryListModel) -> None:
    assert model.rowCount() == model.total() == len(FLAG_CODES) == 194
    assert [model.index(r).data(CountryRoles.CODE) for r in range(194)] == list(FLAG_CODES)
    assert list(FLAG_CODES) == sorted(FLAG_CODES)
    china = model.index(row("CN"))
    assert china.data(Role.DisplayRole) == "CN  China"
    assert china.data(Role.ToolTipRole) == "China"
    assert china.data(CountryRoles.NAME) == "China"
    assert china.data(CountryRoles.SEARCH).startswith("CN China")
    assert china.data(CHECK) == Qt.CheckState.Unchecked
    blank = china.data(Role.DecorationRole)
    assert isinstance(blank, QPixmap)
    assert blank.size() == QSize(24, 16)
    assert blank.toImage().pixelColor(12, 8).alpha() == 0
    assert model.flags(china) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.roleNames()[int(CountryRoles.SEARCH)] == b"search"
    assert model.index(194).data(Role.DisplayRole) is None


def test_checking_a_row_names_that_row_and_its_check_state(
    model: CountryListModel, recorder: Recorder
) -> None:
    calls = checked_signals(model)
    japan = model.index(row("JP"))

    assert model.setData(japan, Qt.CheckState.Checked, CHECK)
    assert recorder.take() == [changed(row("JP"), row("JP"), [CHECK])]
    assert japan.data(CHECK) == Qt.CheckState.Checked
    assert model.checked_codes() == ["JP"]
    assert calls == [1]

    # Checked again: nothing changes, nothing is said.
    assert model.setData(japan, Qt.CheckState.Checked.value, CHECK)
    assert recorder.take() == []
    assert calls == [1]

    # Only the check state can be set.
    assert not model.setData(japan, "Nippon", Role.EditRole)
    assert recorder.take() == []

    assert model.setData(japan, Qt.CheckState.Unchecked, CHECK)
    assert recorder.take() == [changed(row("JP"), row("JP"), [CHECK])]
    assert model.checked_codes() == []
    assert calls == [1, 1]


def test_checking_many_names_only_the_rows_that_changed(
    model: CountryListModel, recorder: Recorder
) -> None:
    calls = checked_signals(model)

    # Adjacent rows are named together; the rows between are not named.
    model.set_checked(["JP", "CN", "CO", "XX"])  # XX is no country: ignored
    assert model.checked_codes() == ["CN", "CO", "JP"]
    assert recorder.take() == [
        changed(row("CN"), row("CO"), [CHECK]),
        changed(row("JP"), row("JP"), [CHECK]),
    ]
    assert calls == [1]

    model.set_checked(["CO", "JP"])
    assert recorder.take() == [changed(row("CN"), row("CN"), [CHECK])]
    model.set_checked(["JP", "CO"])
    assert recorder.take() == []
    assert calls == [1, 1]

    model.check_all()
    assert model.checked_codes() == list(FLAG_CODES)
    assert recorder.take() == [
        changed(0, row("CO") - 1, [CHECK]),
        changed(row("CO") + 1, row("JP") - 1, [CHECK]),
        changed(row("JP") + 1, 193, [CHECK]),
    ]

    model.check_none()
    assert model.checked_codes() == []
    assert recorder.take() == [changed(0, 193, [CHECK])]

    model.check_pop20()
    assert set(model.checked_codes()) == set(POP20)
    named: set[int] = set()
    for kind, top, bottom, roles in recorder.take():
        assert (kind, roles) == ("changed", (int(CHECK),))
        assert isinstance(top, int)
        assert isinstance(bottom, int)
        named.update(range(top, bottom + 1))
    assert named == {row(code) for code in POP20}

    model.invert()
    assert set(model.checked_codes()) == set(FLAG_CODES) - set(POP20)
    assert calls == [1, 1, 1, 1, 1, 1]
    assert "reset" not in [signal[0] for signal in recorder.take()]


@pytest.fixture
def cache(loop: Loop) -> Iterator[ThumbnailCache]:
    cache = ThumbnailCache()
    yield cache
    loop.run(cache.aclose())


def test_icons_come_from_the_provider_and_a_refresh_names_the_decoration(
    loop: Loop,
    cache: ThumbnailCache,
    model: CountryListModel,
    recorder: Recorder,
    tmp_path: Path,
) -> None:
    """As in the window: the small flag is the thumbnail cache's padded
    rendering of the saved file."""
    flag = tmp_path / "cn.gif"
    flag.write_bytes(make_gif("cn"))
    key = ThumbnailKey.of(flag, 1, QSize(24, 16), padded=True)
    model.icon_provider = lambda code: cache.get(key) if code == "CN" else None

    china = model.index(row("CN"))
    # Blank until rendered (asking for it queues the rendering).
    assert china.data(Role.DecorationRole).toImage().pixelColor(12, 8).alpha() == 0
    loop.until(lambda: cache.pixmap(key) is not None)
    icon = china.data(Role.DecorationRole)
    assert isinstance(icon, QPixmap)
    assert icon.size() == QSize(24, 16)
    assert icon.toImage().pixelColor(12, 8) != QColor(Qt.GlobalColor.transparent)
    andorra = model.index(0).data(Role.DecorationRole)
    assert andorra.toImage().pixelColor(12, 8).alpha() == 0

    recorder.take()
    model.refresh_icon("CN")
    model.refresh_icon("XX")
    assert recorder.take() == [changed(row("CN"), row("CN"), [Role.DecorationRole])]
    model.refresh_icons()
    assert recorder.take() == [changed(0, 193, [Role.DecorationRole])]
    # Some codes: one change per run of adjacent rows, unknown codes ignored.
    model.refresh_icons(["CN", "BS", "XX", "BR"])
    decoration = [Role.DecorationRole]
    assert recorder.take() == [
        changed(row("BR"), row("BS"), decoration),
        changed(row("CN"), row("CN"), decoration),
    ]


def test_a_model_of_a_few_countries_keeps_their_order(qapp: object) -> None:
    model = CountryListModel(codes=["FR", "DE"])
    tester = attach_tester(model)
    recorder = Recorder(model)
    assert [model.index(r).data(CountryRoles.CODE) for r in range(2)] == ["FR", "DE"]
    model.set_checked(["DE", "CN"])
    assert model.checked_codes() == ["DE"]
    assert recorder.take() == [changed(1, 1, [CHECK])]
    empty = CountryListModel(codes=[])
    empty.refresh_icons()
    empty.check_all()
    assert empty.rowCount() == 0
    del tester


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("chin", ["CN"]),
        ("CHIN", ["CN"]),
        ("jp", ["JP"]),
        ("", list(FLAG_CODES)),
        ("no such land", []),
    ],
)
def test_the_filter_matches_code_and_name_in_any_case(
    model: CountryListModel, text: str, codes: list[str]
) -> None:
    proxy = CountryFilterModel(model)
    tester = attach_tester(proxy)
    proxy.setFilterFixedString(text)
    shown = [proxy.index(r, 0).data(CountryRoles.CODE) for r in range(proxy.rowCount())]
    assert shown == codes
    del tester
