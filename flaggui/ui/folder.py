"""The flags in a folder: finding them, and noticing when they change."""

from __future__ import annotations

import os
import re
import stat
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


def scan_folder(folder: Path) -> dict[str, FlagFile]:
    """The ``cc.gif`` (.png, .svg) entries in *folder* (code -> file), except
    folders. Blocking: run it on a worker thread. Other files cost one
    regular-expression test each.

    Links are never followed: a link, FIFO or device named like a flag is
    listed with its own (lstat) size, so that it shows as a broken tile
    saying what it is (the thumbnailer refuses it) rather than vanishing.
    """
    found: dict[str, FlagFile] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _FLAG_NAME.match(entry.name)
                if match is None:
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                code = match.group(1).upper()
                regular = stat.S_ISREG(info.st_mode)
                if stat.S_ISDIR(info.st_mode) or (not regular and code in found):
                    continue  # a real flag of another format wins over an odd entry
                found[code] = FlagFile(Path(entry.path), info.st_size, info.st_mtime)
    except (OSError, ValueError):  # ValueError: a NUL character in the path
        return {}
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
