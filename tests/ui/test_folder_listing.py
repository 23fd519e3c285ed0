"""Listing a large folder: only the flags among thousands of other files,
read on a worker thread, shown batch by batch while the folder is still
being read, and given to the model a slice at a time."""

from __future__ import annotations

import itertools
import string
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flaggui.ui import controller as controller_module
from flaggui.ui.controller import LISTING_SLICE, DownloadController
from flaggui.ui.flag_model import FlagListModel, FlagRoles
from flaggui.ui.folder import FlagFile, scan_folder, scan_folder_batches
from flaggui.ui.thumbnail_cache import ThumbnailCache
from tests.ui.conftest import Loop
from tests.ui.hostile import fifo
from tests.ui.model_signals import attach_tester

CODES = [a + b for a, b in itertools.product(string.ascii_lowercase, repeat=2)]
# Named almost like a flag: each fails one part of ``cc.gif``.
NEAR_MISSES = ["ab.txt", "abc.gif", "a1.gif", "AB.gif", "ab.GIF", "ab.gifx", ".ab.gif", "ab.jpg"]


def fill(folder: Path, flags: int, others: int) -> list[str]:
    """*flags* flag files (empty: nothing here decodes them) spread among
    *others* other files, some named almost like flags; the flag codes."""
    folder.mkdir(exist_ok=True)
    codes = CODES[:flags]
    every = max(1, others // max(1, flags))
    made = iter(codes)
    for number in range(others):
        if number % every == 0 and (code := next(made, None)):
            (folder / f"{code}.{('gif', 'png', 'svg')[number % 3]}").touch()
        (folder / f"{number:05}-{NEAR_MISSES[number % len(NEAR_MISSES)]}").touch()
    for code in made:
        (folder / f"{code}.gif").touch()
    for name in NEAR_MISSES:
        (folder / name).touch()
    return [code.upper() for code in codes]


def test_among_thousands_of_other_files_only_the_flags_are_listed(tmp_path: Path) -> None:
    expected = fill(tmp_path, flags=120, others=3000)
    (tmp_path / "de.gif").mkdir()  # a folder named like a flag is no flag

    batches = list(scan_folder_batches(tmp_path, chunk=256))

    found = [code for batch in batches for code in batch]
    assert sorted(found) == expected  # each flag once, in one batch
    assert sum(1 for batch in batches if batch) > 1
    assert scan_folder(tmp_path).keys() == set(expected)


def test_a_regular_file_wins_over_an_odd_entry_whichever_is_read_first(
    tmp_path: Path,
) -> None:
    (tmp_path / "cn.png").write_bytes(b"png")
    (tmp_path / "it.gif").write_bytes(b"gif")
    (tmp_path / "it.svg").symlink_to(tmp_path / "it.gif")
    (tmp_path / "jp.gif").symlink_to("/dev/zero")
    with fifo(tmp_path / "cn.gif") as pipe:
        # One entry per batch: the odd ones are held back to the end.
        batches = list(scan_folder_batches(tmp_path, chunk=1))
        assert pipe.never_opened()

    found = [(code, file.path.name) for batch in batches for code, file in batch.items()]
    assert sorted(found) == [("CN", "cn.png"), ("IT", "it.gif"), ("JP", "jp.gif")]
    assert list(batches[-1]) == ["JP"]


@pytest.fixture
def listing(loop: Loop) -> Iterator[tuple[DownloadController, FlagListModel]]:
    cache = ThumbnailCache()
    model = FlagListModel(cache)
    tester = attach_tester(model)
    controller = DownloadController(model)
    controller.batch_interval = 0  # every batch read goes to the model
    yield controller, model
    loop.run(controller.shutdown())
    del tester


def model_codes(model: FlagListModel) -> list[str]:
    return [model.index(row).data(FlagRoles.CODE) for row in range(model.rowCount())]


def test_the_model_shows_flags_while_the_folder_is_still_being_read(
    loop: Loop,
    listing: tuple[DownloadController, FlagListModel],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    controller, model = listing
    expected = fill(tmp_path, flags=200, others=3000)
    # The real scan, held after its first batch with flags until the test
    # has seen them in the model.
    shown_early = threading.Event()
    real_scan = controller_module.scan_folder_batches

    def held_scan(folder: Path) -> Iterator[dict[str, FlagFile]]:
        held = False
        for batch in real_scan(folder, chunk=2048):
            yield batch
            if batch and not held:
                held = True
                assert shown_early.wait(20), "the first batch never reached the model"

    monkeypatch.setattr(controller_module, "scan_folder_batches", held_scan)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))

    controller.open_folder(tmp_path)
    loop.until(lambda: model.rowCount() > 0)
    early = model.rowCount()
    assert controller.scanning
    shown_early.set()
    loop.until(lambda: not controller.scanning)

    assert 0 < early < len(expected)
    assert model_codes(model) == expected
    assert max(inserted) <= LISTING_SLICE  # never one giant insert
