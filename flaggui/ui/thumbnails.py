"""Decoding and scaling flag images off the event loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter


def decode_scaled(path: str, width: int, height: int, padded: bool = False) -> QImage | None:
    """Read *path* and scale it to fit width x height (never enlarged); with
    *padded*, centre it on a transparent canvas of exactly that size. None
    if the file is not a readable image.

    Runs on a worker thread: QImage, QImageReader and painting on a QImage
    are reentrant, unlike QPixmap, which only the GUI thread may create.
    """
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if reader.format() == b"svg" and reader.size().isValid():
        # A vector image is drawn at the size wanted: sharp at every zoom.
        reader.setScaledSize(
            reader.size().scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
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

    ``load`` is awaited on the event loop; the decoding and scaling happen on
    the pool, so a burst of 194 finished downloads never stalls the window.
    """

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="flaggui-thumbnails")

    async def load(self, path: Path, size: QSize, padded: bool = False) -> QImage | None:
        # wrap_future, not loop.run_in_executor: Qt may run this task while
        # it processes events outside the loop's run (a modal moment, a
        # test), when there is a current loop but no running one.
        return await asyncio.wrap_future(
            self._pool.submit(decode_scaled, str(path), size.width(), size.height(), padded)
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
