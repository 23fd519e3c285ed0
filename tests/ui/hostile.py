"""Hostile things to put in a folder of flags, for the tests of the window."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flaggui.ui.main_window import MainWindow
from tests.ui.test_main_window import rendered


@dataclass
class Fifo:
    """A FIFO, and whether anything ever opened it."""

    path: Path
    opened_marker: Path

    def never_opened(self) -> bool:
        """Nothing opened the FIFO to read (waits a moment for the news)."""
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if self.opened_marker.exists():
                return False
            time.sleep(0.05)
        return True


@contextmanager
def fifo(path: Path) -> Iterator[Fifo]:
    """A FIFO at *path*, and a process that, after a few seconds, opens it
    for writing again and again. Anything that opens the FIFO for reading
    blocks until then and is released each time, so a test fails instead of
    hanging, and the opening is noted for :meth:`Fifo.never_opened`."""
    os.mkfifo(path)
    marker = path.with_name(path.name + ".opened")
    writer = subprocess.Popen(
        ["sh", "-c", 'sleep 3; while :; do : > "$0"; : > "$1"; done', str(path), str(marker)]
    )
    try:
        yield Fifo(path, marker)
    finally:
        writer.kill()
        writer.wait()


def sparse_file(path: Path, head: bytes, size: int = 4 << 30) -> Path:
    """*head*, then zeros up to *size* bytes, taking no room on disk."""
    path.write_bytes(head)
    os.truncate(path, size)
    return path


def settled(window: MainWindow, code: str) -> bool:
    """The tile has its thumbnail at the current size, or is broken with a reason."""
    tile = window.flags.tile(code)
    return tile is not None and (bool(tile.reason) or rendered(window, code))
