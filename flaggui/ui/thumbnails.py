"""Reading flag files safely, and decoding and scaling them off the event loop.

A folder holds whatever anyone put there: a FIFO named ``cn.gif`` (opening
it waits for a writer, for ever), a link to ``/dev/zero``, a sparse file of
gigabytes, an SVG that draws ``/etc/…`` or a device into itself. So Qt is
never given a flag's path: :func:`read_flag` reads the bytes of a regular
file only, boundedly and without blocking, proves them a complete image of
the format the name says (an SVG that refers to anything outside itself is
refused there), and only those bytes are decoded.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from flaggui.core.images import MAX_FILE_BYTES, InvalidImage, validate_image
from flaggui.core.untrusted import UnsafeFile, read_regular

# An SVG may claim any size; it is never drawn larger than this.
LARGEST = QSize(4096, 4096)


class RefusedImage(Exception):
    """A flag file that is not shown; ``str()`` is the reason for the user."""


def flag_format(path: Path | str) -> str:
    """``gif``, ``png`` or ``svg``: a flag's format is the one its name says."""
    return os.path.splitext(path)[1].lstrip(".").lower()


def read_flag(path: Path | str, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """The bytes of the flag file *path* and their format, once proved a
    complete image of the format its name says. Never blocks and never
    follows a link. Raises RefusedImage with the reason otherwise."""
    fmt = flag_format(path)
    try:
        data = read_regular(path, limit)
        validate_image(data, fmt)
    except (OSError, InvalidImage) as exc:
        raise RefusedImage(_reason(exc)) from None
    return data, fmt


def _reason(exc: OSError | InvalidImage) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, UnsafeFile) and exc.strerror:
        return QCoreApplication.translate("FlagFile", "cannot read the file: {error}").format(
            error=exc.strerror
        )
    return str(exc)


def decode(data: bytes, fmt: str, fit: QSize | None = None) -> QImage:
    """Decode *data* as *fmt*; an SVG is drawn at the size that fits *fit*
    (else at its own size; at most LARGEST), so it stays sharp at every
    zoom. A null image if Qt cannot decode it.

    No QIODevice made in Python is involved: Qt would call into Python for
    each read (to look for an override), taking the GIL while it holds its
    image-plugin lock, and deadlock with a thread that holds the GIL while
    it waits for that lock.
    """
    if fmt == "svg":
        return _draw_svg(data, fit)
    image = QImage()
    image.loadFromData(data, fmt)  # stays null if Qt cannot decode it
    return image


def _draw_svg(data: bytes, fit: QSize | None) -> QImage:
    """The SVG at the size that fits *fit*, or at its own size; never
    beyond LARGEST."""
    renderer = QSvgRenderer(QByteArray(data))
    size = renderer.defaultSize()
    if not renderer.isValid() or size.isEmpty():
        return QImage()
    if fit is not None:
        size = size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
    if size.width() > LARGEST.width() or size.height() > LARGEST.height():
        size = size.scaled(LARGEST, Qt.AspectRatioMode.KeepAspectRatio)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def flag_image(path: Path | str) -> QImage | None:
    """The flag at its own size (for the clipboard or a drag), or None if
    the file is refused or cannot be decoded."""
    try:
        data, fmt = read_flag(path)
    except RefusedImage:
        return None
    image = decode(data, fmt)
    return None if image.isNull() else image


def decode_scaled(path: str, width: int, height: int, padded: bool = False) -> QImage | None:
    """Read *path* and scale it to fit width x height (never enlarged); with
    *padded*, centre it on a transparent canvas of exactly that size. None
    if Qt cannot decode it; RefusedImage if the file is refused.

    Runs on a worker thread: QImage, QSvgRenderer and painting on a QImage
    are reentrant, unlike QPixmap, which only the GUI thread may create.
    """
    data, fmt = read_flag(path)
    image = decode(data, fmt, QSize(width, height))
    if image.isNull():
        return None
    if image.width() > width or image.height() > height:
        image = image.scaled(
            QSize(width, height),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    if not padded:
        return image
    canvas = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawImage((width - image.width()) // 2, (height - image.height()) // 2, image)
    painter.end()
    return canvas


class ThumbnailLoader:
    """Produces thumbnails on a small pool of worker threads.

    ``load`` is awaited on the event loop; the reading, decoding and scaling
    happen on the pool, so a burst of 194 finished downloads never stalls
    the window.
    """

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="flaggui-thumbnails")
        # The threads are started now, not on the first requests: starting
        # one waits until it runs, which takes the interpreter lock, and the
        # first requests come while the window paints its first screenful
        # and a worker already decodes (Qt's decoders keep the lock), which
        # stalled the window for 30 ms. Each start-up task holds its thread
        # until all are started, so that none is reused for the next.
        started = threading.Event()
        for _ in range(workers):
            self._pool.submit(started.wait)
        started.set()

    async def load(self, path: Path, size: QSize, padded: bool = False) -> QImage | None:
        # wrap_future, not loop.run_in_executor: Qt may run this task while
        # it processes events outside the loop's run (a modal moment, a
        # test), when there is a current loop but no running one.
        return await asyncio.wrap_future(
            self._pool.submit(decode_scaled, str(path), size.width(), size.height(), padded)
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
