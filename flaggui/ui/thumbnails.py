"""Decoding and scaling flag images off the event loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader


def decode_scaled(path: str, width: int, height: int) -> QImage | None:
    """Read *path* and scale it to fit width x height; None if unreadable.

    Runs on a worker thread: QImage and QImageReader are reentrant, unlike
    QPixmap, which only the GUI thread may create.
    """
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return None
    if image.width() > width or image.height() > height:
        image = image.scaled(
            QSize(width, height),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


class ThumbnailLoader:
    """Produces thumbnails on a small pool of worker threads.

    ``load`` is awaited on the event loop; the decoding and scaling happen on
    the pool, so a burst of 194 finished downloads never stalls the window.
    """

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="flaggui-thumbnails")

    async def load(self, path: Path, size: QSize) -> QImage | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, decode_scaled, str(path), size.width(), size.height()
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
