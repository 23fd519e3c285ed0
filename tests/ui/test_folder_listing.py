"""Listing a large folder: only the flags among thousands of other files,
found batch by batch as the folder is read."""

from __future__ import annotations

import itertools
import string
from pathlib import Path

from flaggui.ui.folder import scan_folder, scan_folder_batches
from tests.ui.hostile import fifo

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
