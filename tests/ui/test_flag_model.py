"""The grid's model on its own: no window, a real thumbnail cache, real files,
events built as the engine builds them, and Qt's model tester watching.

Every change is checked for the exact signals it sends: which rows are
inserted or removed, and which rows and roles ``dataChanged`` names — a
reset, or a dataChanged wider or narrower than the change, fails."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QPixmap

from flaggui.core.countries import country_name
from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.ui.flag_model import FlagListModel, FlagRoles, FlagTile, TileState
from flaggui.ui.folder import FlagFile, scan_folder
from flaggui.ui.grid import FlagFilterModel
from flaggui.ui.thumbnail_cache import ThumbnailCache
from flaggui.ui.thumbnails import ThumbnailKey
from tests.images import make_gif
from tests.ui.conftest import Loop
from tests.ui.model_signals import Recorder, Signal, attach_tester, changed

Role = Qt.ItemDataRole
TOOLTIP, DECORATION = Role.ToolTipRole, Role.DecorationRole
# What a screen reader reads of a tile: its name, and its state and reason.
SPOKEN_NAME, DESCRIPTION = Role.AccessibleTextRole, Role.AccessibleDescriptionRole
# What changes when a tile's file appears, is replaced or goes away.
FILE_ROLES = [DECORATION, FlagRoles.PATH, FlagRoles.TILE, FlagRoles.FILE_SIZE, FlagRoles.MODIFIED]
# The roles compared before and after a change; the decoration (a pixmap
# the cache renders later) is checked on its own.
COMPARED = [Role.DisplayRole, TOOLTIP, SPOKEN_NAME, DESCRIPTION, *FlagRoles]


@pytest.fixture
def cache(loop: Loop) -> Iterator[ThumbnailCache]:
    cache = ThumbnailCache()
    yield cache
    loop.run(cache.aclose())


@pytest.fixture
def model(cache: ThumbnailCache) -> Iterator[FlagListModel]:
    model = FlagListModel(cache)
    tester = attach_tester(model)
    yield model
    del tester


@pytest.fixture
def recorder(model: FlagListModel) -> Recorder:
    return Recorder(model)


def write_flags(folder: Path, *codes: str) -> dict[str, FlagFile]:
    """Real GIFs named like flags; the folder scanned as the window scans it."""
    folder.mkdir(exist_ok=True)
    for code in codes:
        (folder / f"{code.lower()}.gif").write_bytes(make_gif(code.lower()))
    return scan_folder(folder)


def codes(model: FlagListModel) -> list[str]:
    return [model.index(row).data(FlagRoles.CODE) for row in range(model.rowCount())]


def row_of(model: FlagListModel, code: str) -> int:
    return codes(model).index(code)


def event(code: str, phase: Phase, detail: str = "", result: FlagResult | None = None) -> FlagEvent:
    return FlagEvent(code, phase, 0.5, 1, detail, result)


def finished(code: str, state: FlagState, reason: str = "", **fields: object) -> FlagEvent:
    """The FINISHED event the engine sends, with the server's country name
    (or the known one) as the engine fills it in."""
    country = fields.pop("country", None) or country_name(code)
    result = FlagResult(code, state, reason, country=country, **fields)  # type: ignore[arg-type]
    return event(code, Phase.FINISHED, reason, result)


def cells(model: FlagListModel) -> dict[tuple[str, int], object]:
    return {
        (model.index(row).data(FlagRoles.CODE), int(role)): model.index(row).data(role)
        for row in range(model.rowCount())
        for role in COMPARED
    }


def change(model: FlagListModel, recorder: Recorder, action: Callable[[], None]) -> list[Signal]:
    """Run *action*, which changes tiles but adds or removes none; check that
    its dataChanged signals name exactly the cells whose data changed (the
    decoration aside), and return the signals."""
    recorder.take()
    before = cells(model)
    action()
    after = cells(model)
    signals = recorder.take()
    assert before.keys() == after.keys()
    differ = {cell for cell in after if after[cell] != before[cell]}
    named: set[tuple[str, int]] = set()
    for signal in signals:
        assert signal[0] == "changed", signals
        _kind, top, bottom, roles = signal
        assert isinstance(top, int)
        assert isinstance(bottom, int)
        assert isinstance(roles, tuple)
        named.update(
            (model.index(row).data(FlagRoles.CODE), role)
            for row in range(top, bottom + 1)
            # No roles means every role.
            for role in roles or [int(role) for role in COMPARED]
            if role != DECORATION
        )
    assert named == differ
    return signals


# Reading ------------------------------------------------------------------


def test_a_scan_inserts_the_files_in_code_order_with_their_roles(
    loop: Loop, model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    files = write_flags(tmp_path, "JP", "BR", "CN")
    model.show_on_disk(files)

    assert recorder.take() == [("inserted", 0, 2)]
    assert codes(model) == ["BR", "CN", "JP"]
    china = model.index(1)
    found = files["CN"]
    assert china.data(Role.DisplayRole) == "CN"
    assert china.data(FlagRoles.CODE) == "CN"
    assert china.data(FlagRoles.NAME) == "China"
    assert china.data(FlagRoles.STATE) is TileState.ON_DISK
    assert china.data(FlagRoles.REASON) == ""
    assert china.data(FlagRoles.PATH) == str(found.path)
    assert china.data(FlagRoles.FILE_SIZE) == found.size == len(make_gif("cn"))
    assert china.data(FlagRoles.MODIFIED) == found.modified
    assert china.data(FlagRoles.SEARCH).startswith("CN China")
    assert china.data(TOOLTIP) == f"China (CN) — saved\n{found.path}"
    tile = china.data(FlagRoles.TILE)
    assert isinstance(tile, FlagTile)
    assert tile == model.tile("CN")
    assert model.flags(china) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.roleNames()[int(FlagRoles.FILE_SIZE)] == b"file_size"

    # The thumbnail is rendered when asked for; then only that row's
    # decoration is said to have changed.
    assert china.data(DECORATION) is None
    loop.until(lambda: isinstance(china.data(DECORATION), QPixmap))
    pixmap = china.data(DECORATION)
    assert 0 < pixmap.width() <= 96
    assert 0 < pixmap.height() <= 64
    assert changed(1, 1, [DECORATION]) in recorder.signals
    assert set(recorder.take()) <= {changed(row, row, [DECORATION]) for row in range(3)}


def test_a_tile_without_a_file_has_no_picture_path_or_size(
    model: FlagListModel, recorder: Recorder
) -> None:
    model.prepare_batch(["FR"])
    assert recorder.take() == [("inserted", 0, 0)]
    france = model.index(0)
    assert france.data(FlagRoles.STATE) is TileState.WAITING
    assert france.data(DECORATION) is None
    assert france.data(FlagRoles.PATH) is None
    assert france.data(FlagRoles.FILE_SIZE) is None
    assert france.data(TOOLTIP) == "France (FR) — waiting"
    assert not model.flags(france) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.data(model.index(5), Role.DisplayRole) is None


def test_tiles_are_frozen_and_a_misspelt_field_is_an_error(model: FlagListModel) -> None:
    model.prepare_batch(["FR"])
    tile = model.tile("FR")
    assert tile is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        tile.state = TileState.DONE  # type: ignore[misc]
    with pytest.raises(TypeError):
        dataclasses.replace(tile, stat=TileState.DONE)  # type: ignore[call-arg]
    assert model.tile("FR") == FlagTile("FR", "France", TileState.WAITING)


# Adding tiles -------------------------------------------------------------


def test_a_batch_inserts_runs_in_place_and_never_resets(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.show_on_disk(write_flags(tmp_path, "CN", "JP"))
    recorder.take()

    # New codes before, between and after the shown ones, out of order, with
    # a shown one among them.
    model.prepare_batch(["ZW", "DE", "AD", "CN", "KR", "BR", "FR"])

    assert codes(model) == ["AD", "BR", "CN", "DE", "FR", "JP", "KR", "ZW"]
    # AD BR, then DE FR after CN, then KR ZW after JP; then CN, which was
    # saved, starts waiting: its state and tooltip change, not its file.
    assert recorder.take() == [
        ("inserted", 0, 1),
        ("inserted", 3, 4),
        ("inserted", 6, 7),
        changed(2, 2, [TOOLTIP, DESCRIPTION, FlagRoles.STATE, FlagRoles.TILE, FlagRoles.FILTER]),
    ]
    assert model.codes_in(TileState.WAITING) == ["AD", "BR", "CN", "DE", "FR", "KR", "ZW"]
    assert model.codes_in(TileState.ON_DISK) == ["JP"]

    # A batch of shown, waiting tiles changes nothing.
    model.prepare_batch(["AD", "ZW"])
    assert recorder.take() == []


def test_a_scan_into_shown_tiles_inserts_only_the_new_files(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.prepare_batch(["BR", "JP"])
    recorder.take()
    files = write_flags(tmp_path, "AD", "BR", "CN")

    model.show_on_disk(files)

    assert codes(model) == ["AD", "BR", "CN", "JP"]
    # AD and CN are new; BR, waiting, gets its file (and keeps its state,
    # so its tooltip, which shows no path while waiting, stays).
    assert recorder.take() == [
        ("inserted", 0, 0),
        ("inserted", 2, 2),
        changed(
            1,
            1,
            FILE_ROLES,
        ),
    ]
    assert model.tile("BR") == FlagTile(
        "BR",
        "Brazil",
        TileState.WAITING,
        path=files["BR"].path,
        size=files["BR"].size,
        modified=files["BR"].modified,
    )


@pytest.mark.parametrize("through_proxy", [False, True], ids=["model", "grid proxy"])
def test_a_selection_survives_a_batch_that_adds_tiles_around_it(
    model: FlagListModel, recorder: Recorder, tmp_path: Path, through_proxy: bool
) -> None:
    model.show_on_disk(write_flags(tmp_path, "CN", "FR", "JP"))
    proxy = FlagFilterModel(model)
    tester = attach_tester(proxy)
    shown = proxy if through_proxy else model
    selection = QItemSelectionModel(shown)
    flags = QItemSelectionModel.SelectionFlag
    for code in ["CN", "JP"]:
        row = [shown.index(r, 0).data(FlagRoles.CODE) for r in range(3)].index(code)
        selection.select(shown.index(row, 0), flags.Select)
    selection.setCurrentIndex(shown.index(2, 0), flags.NoUpdate)  # JP
    recorder.take()

    model.prepare_batch(["AD", "DE", "KR", "US"])

    assert "reset" not in [signal[0] for signal in recorder.take()]
    selected = sorted(index.data(FlagRoles.CODE) for index in selection.selectedIndexes())
    assert selected == ["CN", "JP"]
    assert selection.currentIndex().data(FlagRoles.CODE) == "JP"
    assert [shown.index(r, 0).data(FlagRoles.CODE) for r in range(shown.rowCount())] == [
        "AD",
        "CN",
        "DE",
        "FR",
        "JP",
        "KR",
        "US",
    ]
    del tester


# Engine events ------------------------------------------------------------


def test_engine_events_change_only_their_row_and_roles(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.prepare_batch(["BR", "CN", "JP"])
    saved = tmp_path / "cn.gif"
    saved.write_bytes(make_gif("cn"))
    state, reason, tile_ = FlagRoles.STATE, FlagRoles.REASON, FlagRoles.TILE

    assert change(model, recorder, lambda: model.apply_event(event("CN", Phase.STARTED))) == [
        changed(1, 1, [TOOLTIP, DESCRIPTION, state, tile_])
    ]
    # Phases that do not change the tile say nothing.
    assert change(model, recorder, lambda: model.apply_event(event("CN", Phase.QUEUED))) == []
    assert change(model, recorder, lambda: model.apply_event(event("CN", Phase.STARTED))) == []
    assert (
        change(
            model, recorder, lambda: model.apply_event(event("CN", Phase.FIRST_BYTE, "HTTP 200"))
        )
        == []
    )
    # A code the grid does not show is ignored.
    assert change(model, recorder, lambda: model.apply_event(event("DE", Phase.STARTED))) == []

    retry = event("CN", Phase.RETRY, "HTTP 503")
    assert change(model, recorder, lambda: model.apply_event(retry)) == [
        changed(1, 1, [TOOLTIP, DESCRIPTION, state, reason, tile_])
    ]
    assert model.tile("CN") == FlagTile("CN", "China", TileState.WAITING, reason="HTTP 503")

    done = finished("CN", FlagState.DONE, path=saved, size=saved.stat().st_size)
    assert change(model, recorder, lambda: model.apply_event(done)) == [
        changed(
            1,
            1,
            [
                DECORATION,
                TOOLTIP,
                DESCRIPTION,
                state,
                reason,
                FlagRoles.PATH,
                tile_,
                FlagRoles.FILE_SIZE,
                FlagRoles.MODIFIED,
                FlagRoles.FILTER,
            ],
        )
    ]
    china = model.tile("CN")
    assert china is not None
    assert (china.state, china.reason, china.path, china.version) == (
        TileState.DONE,
        "",
        saved,
        1,
    )
    assert china.size == len(make_gif("cn"))
    assert china.modified is not None

    missing = finished("JP", FlagState.NOT_FOUND, "HTTP 404")
    assert change(model, recorder, lambda: model.apply_event(missing)) == [
        changed(2, 2, [TOOLTIP, DESCRIPTION, state, reason, tile_, FlagRoles.FILTER])
    ]
    assert model.index(2).data(TOOLTIP) == "Japan (JP) — not found\nHTTP 404"

    failed = lambda: model.mark_failed("BR", "no space left")  # noqa: E731
    assert change(model, recorder, failed) == [
        changed(0, 0, [TOOLTIP, DESCRIPTION, state, reason, tile_, FlagRoles.FILTER])
    ]
    assert model.codes_in(TileState.ERROR) == ["BR"]


def test_a_burst_of_events_is_announced_once_per_run_of_rows(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    """Events that arrive together reach the views as one dataChanged per
    run of adjacent rows whose same roles changed, for the net change."""
    model.show_on_disk(write_flags(tmp_path, "CN", "DE"))
    model.prepare_batch(["BR", "CN", "DE", "FR", "JP"])
    state, reason, tile_ = FlagRoles.STATE, FlagRoles.REASON, FlagRoles.TILE

    started = [event(code, Phase.STARTED) for code in ("JP", "BR", "CN", "DE")]
    assert change(model, recorder, lambda: model.apply_events(started)) == [
        changed(0, 2, [TOOLTIP, DESCRIPTION, state, tile_]),
        changed(4, 4, [TOOLTIP, DESCRIPTION, state, tile_]),
    ]

    # BR is retried and starts again within the burst: only its reason (and
    # so its tooltip and description) differs in the end. CN fails and DE is
    # not found: the same roles of adjacent rows, one signal.
    burst = [
        event("BR", Phase.RETRY, "HTTP 503"),
        event("BR", Phase.STARTED),
        finished("CN", FlagState.ERROR, "HTTP 500"),
        finished("DE", FlagState.NOT_FOUND, "HTTP 404"),
    ]
    assert change(model, recorder, lambda: model.apply_events(burst)) == [
        changed(0, 0, [TOOLTIP, DESCRIPTION, reason, tile_]),
        changed(1, 2, [TOOLTIP, DESCRIPTION, state, reason, tile_, FlagRoles.FILTER]),
    ]

    # A tile changed and changed back says nothing.
    back = [event("JP", Phase.RETRY, ""), event("JP", Phase.STARTED)]
    assert change(model, recorder, lambda: model.apply_events(back)) == []


def test_a_cancelled_flag_already_saved_stays_saved(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.show_on_disk(write_flags(tmp_path, "CN"))
    model.prepare_batch(["CN", "JP"])

    cancel_cn = finished("CN", FlagState.CANCELLED, "cancelled")
    roles = [TOOLTIP, DESCRIPTION, FlagRoles.STATE, FlagRoles.REASON, FlagRoles.TILE]
    assert change(model, recorder, lambda: model.apply_event(cancel_cn)) == [
        changed(0, 0, [*roles, FlagRoles.FILTER])
    ]
    cancel_jp = finished("JP", FlagState.CANCELLED, "cancelled")
    change(model, recorder, lambda: model.apply_event(cancel_jp))
    assert model.codes_in(TileState.ON_DISK) == ["CN"]
    assert model.codes_in(TileState.CANCELLED) == ["JP"]


def test_a_skipped_flag_gets_its_file_and_an_unknown_code_the_servers_name(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.prepare_batch(["FR", "ZZ"])
    existing = tmp_path / "fr.gif"
    existing.write_bytes(make_gif("fr"))

    skipped = finished("FR", FlagState.SKIPPED, "already saved", path=existing, size=7)
    assert change(model, recorder, lambda: model.apply_event(skipped)) == [
        changed(
            0,
            0,
            [
                DECORATION,
                TOOLTIP,
                DESCRIPTION,
                FlagRoles.STATE,
                FlagRoles.REASON,
                FlagRoles.PATH,
                FlagRoles.TILE,
                FlagRoles.FILE_SIZE,
                FlagRoles.FILTER,
            ],
        )
    ]
    assert model.index(0).data(FlagRoles.FILE_SIZE) == 7

    assert model.index(1).data(FlagRoles.NAME) == "ZZ"
    named = finished("ZZ", FlagState.NOT_FOUND, "HTTP 404", country="Zedland")
    assert change(model, recorder, lambda: model.apply_event(named)) == [
        changed(
            1,
            1,
            [
                TOOLTIP,
                SPOKEN_NAME,
                DESCRIPTION,
                FlagRoles.NAME,
                FlagRoles.STATE,
                FlagRoles.REASON,
                FlagRoles.TILE,
                FlagRoles.SEARCH,
                FlagRoles.FILTER,
            ],
        )
    ]
    assert model.index(1).data(FlagRoles.NAME) == "Zedland"
    assert "Zedland" in model.index(1).data(FlagRoles.SEARCH)


# The folder changing ------------------------------------------------------


def test_a_rescan_removes_replaces_and_adds_exactly_those_rows(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    files = write_flags(tmp_path, "BR", "CN", "FR")
    for found in files.values():
        os.utime(found.path, (found.modified - 100, found.modified - 100))
    model.show_on_disk(scan_folder(tmp_path))
    recorder.take()

    (tmp_path / "cn.gif").unlink()
    model.sync_on_disk(scan_folder(tmp_path))
    assert recorder.take() == [("removed", 1, 1)]
    assert codes(model) == ["BR", "FR"]

    # Rewritten in place: a new version (a new thumbnail), size and time.
    (tmp_path / "fr.gif").write_bytes(make_gif("fr", (60, 40)))
    before = model.tile("FR")
    assert before is not None
    assert change(model, recorder, lambda: model.sync_on_disk(scan_folder(tmp_path))) == [
        changed(1, 1, [DECORATION, FlagRoles.TILE, FlagRoles.FILE_SIZE, FlagRoles.MODIFIED])
    ]
    after = model.tile("FR")
    assert after is not None
    assert after.version == before.version + 1

    # Nothing changed: nothing said.
    assert change(model, recorder, lambda: model.sync_on_disk(scan_folder(tmp_path))) == []

    write_flags(tmp_path, "AD", "JP")
    model.sync_on_disk(scan_folder(tmp_path))
    assert recorder.take() == [("inserted", 0, 0), ("inserted", 3, 3)]
    assert codes(model) == ["AD", "BR", "FR", "JP"]


def test_a_removed_file_keeps_a_tile_that_is_part_of_a_batch(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    files = write_flags(tmp_path, "BR", "CN")
    model.show_on_disk(files)
    model.prepare_batch(["CN"])

    def remove() -> None:
        files["CN"].path.unlink()
        model.file_removed(files["CN"].path)

    assert change(model, recorder, remove) == [
        changed(
            1,
            1,
            FILE_ROLES,
        )
    ]
    assert model.tile("CN") == FlagTile("CN", "China", TileState.WAITING)

    files["BR"].path.unlink()
    model.file_removed(files["BR"].path)
    assert recorder.take() == [("removed", 0, 0)]
    model.file_removed(tmp_path / "jp.gif")  # never shown
    assert recorder.take() == []


# Thumbnails ---------------------------------------------------------------


def test_a_new_thumbnail_size_repaints_every_decoration_once(
    model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    model.show_on_disk(write_flags(tmp_path, "BR", "CN", "JP"))
    recorder.take()
    model.set_thumbnail_size(QSize(96, 64))
    assert recorder.take() == []
    model.set_thumbnail_size(QSize(144, 96))
    assert recorder.take() == [changed(0, 2, [DECORATION])]


def test_a_list_icon_of_a_tiles_file_does_not_repaint_the_tile(
    loop: Loop, model: FlagListModel, cache: ThumbnailCache, recorder: Recorder, tmp_path: Path
) -> None:
    """The country picker's small padded icon is no rendering a tile shows:
    its arrival says nothing to the grid."""
    files = write_flags(tmp_path, "CN")
    model.show_on_disk(files)
    china = model.index(0)
    china.data(DECORATION)
    loop.until(lambda: isinstance(china.data(DECORATION), QPixmap) and not cache.busy)
    recorder.take()

    icon = ThumbnailKey.of(files["CN"].path, 0, QSize(24, 16), padded=True)
    cache.request(icon)
    loop.until(lambda: cache.pixmap(icon) is not None and not cache.busy)
    assert recorder.take() == []


def test_an_unreadable_file_turns_its_tile_into_an_error(
    loop: Loop, model: FlagListModel, recorder: Recorder, tmp_path: Path
) -> None:
    files = write_flags(tmp_path, "BR", "CN")
    (tmp_path / "cn.gif").write_bytes(b"\0" * 64)
    model.show_on_disk(scan_folder(tmp_path))
    recorder.take()

    china = model.index(1)
    assert china.data(DECORATION) is None
    loop.until(lambda: model.tile("CN") is not None and model.tile("CN").state is TileState.ERROR)  # type: ignore[union-attr]

    # BR's thumbnail (asked for by the model tester) may arrive meanwhile.
    signals = [s for s in recorder.take() if s != changed(0, 0, [DECORATION])]
    roles = [TOOLTIP, DESCRIPTION, FlagRoles.STATE, FlagRoles.REASON, FlagRoles.TILE]
    assert signals == [changed(1, 1, [*roles, FlagRoles.FILTER])]
    assert china.data(FlagRoles.REASON)
    assert files["BR"].path.exists()


def test_clear_is_the_one_reset(model: FlagListModel, recorder: Recorder, tmp_path: Path) -> None:
    model.show_on_disk(write_flags(tmp_path, "BR"))
    recorder.take()
    model.clear()
    assert recorder.take() == [("reset",)]
    assert model.rowCount() == 0
    assert model.tile("BR") is None
    model.show_on_disk({})
    model.prepare_batch([])
    assert recorder.take() == []


# The checks themselves ----------------------------------------------------


def test_the_checks_reject_a_too_wide_or_too_narrow_data_change(
    model: FlagListModel, recorder: Recorder
) -> None:
    """What the tests above would see if the model announced more rows or
    roles than changed (an empty role list means every role), or fewer."""
    model.prepare_batch(["BR", "CN", "JP"])
    exact = [changed(1, 1, [TOOLTIP, DESCRIPTION, FlagRoles.STATE, FlagRoles.TILE])]
    assert change(model, recorder, lambda: model.apply_event(event("CN", Phase.STARTED))) == exact

    def too_many_rows() -> None:
        model.apply_event(event("CN", Phase.RETRY, "HTTP 503"))
        model.dataChanged.emit(model.index(0), model.index(2), [Role.ToolTipRole])

    def every_role() -> None:
        model.apply_event(event("CN", Phase.STARTED))
        model.dataChanged.emit(model.index(1), model.index(1), [])

    def unannounced() -> None:
        model._tiles[2] = dataclasses.replace(model._tiles[2], reason="quietly")

    for wrong in (too_many_rows, every_role, unannounced):
        with pytest.raises(AssertionError):
            change(model, recorder, wrong)
