"""Hostile things to put in a folder of flags, for the tests of the window."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtGui import QImage

from flaggui.ui.main_window import MainWindow
from tests.ui.test_main_window import rendered

# The colour of the local picture an SVG must never draw into a thumbnail.
SECRET_RGB = (0, 255, 0)


@contextmanager
def fifo(path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A FIFO at *path*, and a process that opens it for writing after a few
    seconds. Anything that opens the FIFO for reading blocks until then and
    is released, so a test fails instead of hanging; the process ends only
    once the FIFO was opened, so ``poll() is None`` proves it never was."""
    os.mkfifo(path)
    writer = subprocess.Popen(["sh", "-c", 'sleep 3; : > "$0"', str(path)])
    try:
        yield writer
    finally:
        writer.kill()
        writer.wait()


def sparse_file(path: Path, head: bytes, size: int = 4 << 30) -> Path:
    """*head*, then zeros up to *size* bytes, taking no room on disk."""
    path.write_bytes(head)
    os.truncate(path, size)
    return path


def svg_drawing(href: str) -> bytes:
    """An SVG flag that draws the picture at *href* over itself."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="30" height="20">'
        '<rect width="30" height="20" fill="#0055a4"/>'
        f'<image href="{href}" xlink:href="{href}" width="30" height="20"/>'
        "</svg>"
    ).encode()


def shows_secret(image: QImage) -> bool:
    """Whether *image* has a pixel of the secret colour (or near it, once scaled)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.green() > 200 and colour.red() < 80 and colour.blue() < 80:
                return True
    return False


def thumbnails_showing_secret(window: MainWindow) -> list[str]:
    """The paths of the cached renderings that show the secret picture."""
    cache = window.cache
    return sorted(
        {key.path for key, pixmap in cache._entries.items() if shows_secret(pixmap.toImage())}
    )


def settled(window: MainWindow, code: str) -> bool:
    """The tile has its thumbnail at the current size, or is broken with a reason."""
    tile = window.flags.tile(code)
    return tile is not None and (bool(tile.reason) or rendered(window, code))
