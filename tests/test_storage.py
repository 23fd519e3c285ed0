"""The destination folder: atomic saves, leftovers, unusable folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flaggui.core import storage
from flaggui.core.storage import DestinationError, flag_filename, prepare_destination
from tests.conftest import folder_files
from tests.images import make_gif


def test_save_replaces_atomically_and_leaves_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "cn.gif").write_bytes(b"old")
    storage.save_atomically(tmp_path, "cn.gif", make_gif("cn"))
    assert (tmp_path / "cn.gif").read_bytes() == make_gif("cn")
    assert folder_files(tmp_path) == ["cn.gif"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "cn.gif").write_bytes(b"old")
    with pytest.raises(TypeError):
        storage.save_atomically(tmp_path, "cn.gif", "not bytes")  # type: ignore[arg-type]
    assert (tmp_path / "cn.gif").read_bytes() == b"old"
    assert folder_files(tmp_path) == ["cn.gif"]


def test_a_temporary_name_already_taken_is_stepped_over(tmp_path: Path) -> None:
    """Files a dead process with this PID left under the names this save
    would try next are neither reused nor touched."""
    serial = next(storage._serials)
    squatters = [
        tmp_path / f"{storage.TEMP_PREFIX}cn-{os.getpid()}-{serial + n}{storage.TEMP_SUFFIX}"
        for n in range(1, 4)
    ]
    for squatter in squatters:
        squatter.write_bytes(b"left behind")
    storage.save_atomically(tmp_path, "cn.gif", make_gif("cn"))
    assert (tmp_path / "cn.gif").read_bytes() == make_gif("cn")
    assert [p.read_bytes() for p in squatters] == [b"left behind"] * 3
    assert len(folder_files(tmp_path)) == 4


def test_save_into_a_vanished_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        storage.save_atomically(tmp_path / "gone", "cn.gif", b"x")


def test_existing_size_only_for_valid_images(tmp_path: Path) -> None:
    good, bad = tmp_path / "cn.gif", tmp_path / "br.gif"
    good.write_bytes(make_gif("cn"))
    bad.write_bytes(b"GIF89a")
    assert storage.existing_size(good) == len(make_gif("cn"))
    assert storage.existing_size(bad) is None
    assert storage.existing_size(tmp_path / "none.gif") is None


def test_filenames_cannot_escape_the_folder() -> None:
    assert flag_filename("CN") == "cn.gif"
    for bad in ["..", "c/", "/x", "CNN", ""]:
        with pytest.raises(ValueError, match="not a country code"):
            flag_filename(bad)


def test_prepare_destination_creates_nested_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert prepare_destination(target) == target.resolve()
    assert target.is_dir()
    assert folder_files(target) == []


def test_unusable_destinations(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(DestinationError, match="is a file, not a folder"):
        prepare_destination(a_file)
    with pytest.raises(DestinationError, match="cannot create folder"):
        prepare_destination(a_file / "sub")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_destination(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(DestinationError, match="cannot write"):
            prepare_destination(tmp_path)
    finally:
        tmp_path.chmod(0o700)


def test_only_dead_writers_temporaries_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"{storage.TEMP_PREFIX}cn-999999999-x.part"
    alive = tmp_path / f"{storage.TEMP_PREFIX}br-{os.getppid()}-x.part"
    own = tmp_path / f"{storage.TEMP_PREFIX}jp-{os.getpid()}-x.part"
    other = tmp_path / ".hidden-notes.part"
    for path in (dead, alive, own, other):
        path.write_bytes(b"x")
    assert storage.remove_stale_temporaries(tmp_path) == 1
    assert not dead.exists()
    assert alive.exists()
    assert own.exists()
    assert other.exists()


def test_odd_temporary_names_are_left_alone_and_never_crash(tmp_path: Path) -> None:
    odd = [
        f"{storage.TEMP_PREFIX}cn-{'9' * 40}-x.part",  # past os.kill's range
        f"{storage.TEMP_PREFIX}cn-١٢٣-x.part",  # digits, but not ASCII ones
        f"{storage.TEMP_PREFIX}cn--x.part",
        f"{storage.TEMP_PREFIX}cn-0-x.part",  # os.kill(0, 0) would ask the process group
    ]
    for name in odd:
        (tmp_path / name).write_bytes(b"x")
    os.mkfifo(tmp_path / f"{storage.TEMP_PREFIX}jp-999999999-x.part")
    assert storage.remove_stale_temporaries(tmp_path) == 0
    assert len(list(tmp_path.iterdir())) == 5


def test_a_probe_left_by_a_killed_writer_is_removed_by_the_next_run(tmp_path: Path) -> None:
    prepare_destination(tmp_path)
    assert list(tmp_path.iterdir()) == []  # the probe itself is gone
    leftover = tmp_path / f"{storage.TEMP_PREFIX}pr-999999999-abc{storage.TEMP_SUFFIX}"
    leftover.write_bytes(b"")
    assert storage.remove_stale_temporaries(tmp_path) == 1
