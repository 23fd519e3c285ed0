"""The flags in a folder: finding them, and noticing when they change."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_FLAG_NAME = re.compile(r"^([a-z]{2})\.(?:gif|png|svg)$")


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
    """The ``cc.gif`` (.png, .svg) files in *folder* (code -> file). Blocking: run it on a
    worker thread. Other files cost one regular-expression test each."""
    found: dict[str, FlagFile] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _FLAG_NAME.match(entry.name)
                if match is None:
                    continue
                try:
                    if not entry.is_file():
                        continue
                    info = entry.stat()
                except OSError:
                    continue
                found[match.group(1).upper()] = FlagFile(
                    Path(entry.path), info.st_size, info.st_mtime
                )
    except OSError:
        return {}
    return found
