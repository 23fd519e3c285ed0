"""The flags in a folder: finding them, and noticing when they change."""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
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


# What QFileSystemWatcher asks inotify to report about a folder's entries.
_IN_FOLDER_EVENTS = (
    0x4 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400
)  # attrib, moves, create, delete(_self)


def prepare_watch(folder: Path) -> tuple[bool, int | None]:
    """Whether *folder* is a folder and, on Linux, an inotify descriptor that
    watches it, to close (:func:`end_prepared_watch`) once the window's own
    watch of it is in place. Blocking: run it on a worker thread.

    The first watch of a folder's entries makes the kernel mark every entry
    it has in memory: 15-20 ms for a folder of 100,000 files. Made by
    QFileSystemWatcher, that time is the window's (PySide6 keeps the
    interpreter lock through the call); made here first, through ctypes,
    which lets the lock go, it is a worker's, and the window's watch, made
    while this one lasts, takes a tenth of a millisecond. None where there is
    no inotify, or if it cannot be had (no descriptor or watch left)."""
    if not os.path.isdir(folder):
        return False, None
    inotify = _inotify()
    if inotify is None:
        return True, None
    init, add_watch = inotify
    fd: int = init(os.O_CLOEXEC | os.O_NONBLOCK)
    if fd < 0:
        return True, None
    if add_watch(fd, os.fsencode(folder), _IN_FOLDER_EVENTS) < 0:
        os.close(fd)
        return True, None
    return True, fd


def end_prepared_watch(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


@functools.cache
def _inotify() -> tuple[Callable[[int], int], Callable[[int, bytes, int], int]] | None:
    """libc's inotify_init1 and inotify_add_watch, or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        init, add_watch = libc.inotify_init1, libc.inotify_add_watch
    except (OSError, AttributeError):
        return None
    init.argtypes, init.restype = [ctypes.c_int], ctypes.c_int
    add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    add_watch.restype = ctypes.c_int
    return init, add_watch


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
