"""The flags in a folder: finding them, and noticing when they change."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flaggui.core.servers import FORMATS

# The names flaggui saves flags under: storage.flag_filename with a format
# of servers.FORMATS.
_FLAG_NAME = re.compile(rf"^([a-z]{{2}})\.(?:{'|'.join(FORMATS)})$")


@dataclass(frozen=True, slots=True)
class FlagFile:
    """A flag file found in a folder."""

    path: Path
    size: int
    modified: float  # seconds since the epoch


def code_of(path: Path | str) -> str | None:
    """``/x/cn.gif`` (or .png, .svg) -> ``CN``; None for a file that is not
    named like a flag."""
    match = _FLAG_NAME.match(os.path.basename(path))
    return match.group(1).upper() if match else None


# Every flag's name is as long as ``cc.gif``: comparing a length costs far
# less than matching a pattern, and in a large folder nearly every name
# fails that first test.
_NAME_LENGTHS = frozenset(len(f"cc.{fmt}") for fmt in FORMATS)

# Directory entries read between two batches: small enough that a scan of
# a large folder can be stopped or report in good time.
SCAN_CHUNK = 2048


def scan_folder_batches(folder: Path, chunk: int = SCAN_CHUNK) -> Iterator[dict[str, FlagFile]]:
    """The ``cc.gif`` (.png, .svg) entries in *folder* (code -> file), except
    folders, as they are read: one batch for every *chunk* directory entries
    (empty if none of them is a flag), so that the caller can show them, or
    stop, before a large folder is read to its end. Blocking: run it on a
    worker thread. Other files cost a length test each (a pattern test for
    the few as long as a flag's name), and are neither stat'ed nor kept.

    Links are never followed: a link, FIFO or device named like a flag is
    listed with its own (lstat) size, so that it shows as a broken tile
    saying what it is (the thumbnailer refuses it) rather than vanishing.
    A regular file wins over such an entry of the same code, so those come
    in the last batch, for the codes without one; of two regular files of
    one code (``cn.gif`` and ``cn.png``), the first one read is kept.
    """
    found: set[str] = set()
    odd: dict[str, FlagFile] = {}
    batch: dict[str, FlagFile] = {}
    try:
        with os.scandir(folder) as entries:
            for read, entry in enumerate(entries, start=1):
                name = entry.name
                if len(name) in _NAME_LENGTHS and (match := _FLAG_NAME.match(name)):
                    code = match.group(1).upper()
                    if code not in found:
                        _take(entry, code, found, odd, batch)
                if read % chunk == 0:
                    yield batch
                    batch = {}
    except (OSError, ValueError):  # ValueError: a NUL character in the path
        pass
    batch.update((code, file) for code, file in odd.items() if code not in found)
    yield batch


def _take(
    entry: os.DirEntry[str],
    code: str,
    found: set[str],
    odd: dict[str, FlagFile],
    batch: dict[str, FlagFile],
) -> None:
    """Put a flag-named entry in the batch if it is a regular file, among
    the odd ones (the first of each code) if it is no folder."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        return
    file = FlagFile(Path(entry.path), info.st_size, info.st_mtime)
    if stat.S_ISREG(info.st_mode):
        found.add(code)
        batch[code] = file
    else:
        odd.setdefault(code, file)


def scan_folder(folder: Path) -> dict[str, FlagFile]:
    """The ``cc.gif`` (.png, .svg) entries in *folder* (code -> file), all
    batches of :func:`scan_folder_batches` at once. Blocking."""
    found: dict[str, FlagFile] = {}
    for batch in scan_folder_batches(folder):
        found.update(batch)
    return found


def folder_problem(folder: Path) -> str | None:
    """Why *folder* cannot be opened, in the system's words (``File name
    too long``, ``Permission denied``, ``Not a directory``…), or None if it
    can, or does not exist yet (it is made when the first flag is saved)."""
    try:
        with os.scandir(folder):
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    except ValueError as exc:  # a NUL character in a remembered path
        return str(exc)
