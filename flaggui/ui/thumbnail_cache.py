"""Thumbnails rendered on demand, off the event loop, within a memory budget."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap

from flaggui.ui.thumbnails import Rendering, ThumbnailKey, ThumbnailLoader

DEFAULT_BUDGET = 128 * 1024 * 1024


class ThumbnailCache(QObject):
    """Renders thumbnails when a view asks for them and keeps the most
    recently used ones within ``budget`` bytes.

    A miss queues a render for the worker threads, which take the newest
    requests first; the queue is bounded, so scrolling quickly through a
    large folder renders what is on screen, not everything passed on the
    way. Renders that finish together are stored together, each made a
    QPixmap here, on the window's thread. Until a render arrives,
    :meth:`nearest` offers any other rendering of the file.

    Signals:
        ready(ThumbnailKey): this rendering is now in the cache.
        failed(str, str): this path is refused or cannot be decoded; the
            reason, for the user.
    """

    ready = Signal(object)
    failed = Signal(str, str)

    def __init__(
        self,
        budget: int = DEFAULT_BUDGET,
        workers: int | None = None,  # decoding threads; by default, all processors but one
        queue_limit: int = 512,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.budget = budget
        self._loader = ThumbnailLoader(self._store_renderings, workers, queue_limit)
        self._entries: OrderedDict[ThumbnailKey, QPixmap] = OrderedDict()
        self._by_path: dict[str, set[ThumbnailKey]] = {}
        self._bytes = 0
        self._broken: dict[tuple[str, int], str] = {}  # (path, version) -> reason
        self.renders = 0  # how many images were decoded, for tests and benchmarks

    # Reading ----------------------------------------------------------------
    @property
    def bytes_used(self) -> int:
        return self._bytes

    def pixmap(self, key: ThumbnailKey) -> QPixmap | None:
        """The exact rendering, or None (then call :meth:`request`)."""
        pixmap = self._entries.get(key)
        if pixmap is not None:
            self._entries.move_to_end(key)
        return pixmap

    def nearest(self, key: ThumbnailKey) -> QPixmap | None:
        """Some rendering of the same file to show meanwhile: the same version
        if there is one, the largest first."""
        candidates = [k for k in self._by_path.get(key.path, ()) if k.padded == key.padded]
        if not candidates:
            return None
        best = max(candidates, key=lambda k: (k.version == key.version, k.width * k.height))
        return self._entries[best]

    def is_broken(self, path: str, version: int) -> bool:
        return (path, version) in self._broken

    def broken_reason(self, path: str, version: int) -> str | None:
        """Why this version of the file is not shown, or None."""
        return self._broken.get((path, version))

    def get(self, key: ThumbnailKey) -> QPixmap | None:
        """The exact rendering if cached, else queue it and return the
        nearest one (or None)."""
        pixmap = self.pixmap(key)
        if pixmap is None:
            self.request(key)
            pixmap = self.nearest(key)
        return pixmap

    @property
    def busy(self) -> bool:
        """Whether renders are queued or under way."""
        return self._loader.busy

    # Rendering --------------------------------------------------------------
    def request(self, key: ThumbnailKey, ahead: bool = False) -> None:
        """Render *key* unless it is cached or on its way; *ahead* of what
        the screen shows, after every other request."""
        if key in self._entries or self.is_broken(key.path, key.version):
            return
        if self._loader.pending(key):
            # Asked again (by a repaint): the screen shows it now, so it
            # goes before what was asked for since, if no worker has it yet.
            if not ahead:
                self._loader.promote(key)
            return
        if self._derive(key):
            return
        self._loader.request(key, ahead)

    def _derive(self, key: ThumbnailKey) -> bool:
        """Make a small rendering (a list icon) from a larger one of the same
        file already in memory, instead of decoding the file again."""
        sources = [
            k
            for k in self._by_path.get(key.path, ())
            if k.version == key.version
            and not k.padded
            and k.width >= key.width
            and k.height >= key.height
        ]
        if not sources:
            return False
        source = self._entries[min(sources, key=lambda k: k.width * k.height)]
        scaled = source.scaled(
            key.width,
            key.height,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        if key.padded:
            canvas = QPixmap(key.width, key.height)
            canvas.fill(Qt.GlobalColor.transparent)
            painter = QPainter(canvas)
            painter.drawPixmap(
                (key.width - scaled.width()) // 2, (key.height - scaled.height()) // 2, scaled
            )
            painter.end()
            scaled = canvas
        self._store(key, scaled)
        self.ready.emit(key)
        return True

    def _store_renderings(self, renderings: list[Rendering]) -> None:
        """Keep what the workers made, then make the icons that waited for
        a larger rendering of their file from it."""
        for rendering in renderings:
            key = rendering.key
            if rendering.refused is not None:
                self._mark_broken(key, rendering.refused)
                continue
            self.renders += 1
            if rendering.image is None:
                self._mark_broken(key, self.tr("the file is not a readable image"))
                continue
            self._store(key, QPixmap.fromImage(rendering.image))
            self.ready.emit(key)
        arrived = {rendering.key.path for rendering in renderings}
        for key in self._loader.waiting():
            if key.padded and key.path in arrived and self._loader.withdraw(key):
                self.request(key)

    def _mark_broken(self, key: ThumbnailKey, reason: str) -> None:
        self._broken[(key.path, key.version)] = reason
        self.failed.emit(key.path, reason)

    def _store(self, key: ThumbnailKey, pixmap: QPixmap) -> None:
        self._entries[key] = pixmap
        self._by_path.setdefault(key.path, set()).add(key)
        self._bytes += _cost(pixmap)
        while self._bytes > self.budget and len(self._entries) > 1:
            old, evicted = self._entries.popitem(last=False)
            self._bytes -= _cost(evicted)
            self._by_path[old.path].discard(old)
            if not self._by_path[old.path]:
                del self._by_path[old.path]

    def forget(self, path: Path | str) -> None:
        """Drop every rendering of *path* (the file changed or went away)."""
        for key in self._by_path.pop(str(path), set()):
            self._bytes -= _cost(self._entries.pop(key))
        self._broken = {k: why for k, why in self._broken.items() if k[0] != str(path)}

    async def aclose(self) -> None:
        """Drop the queued renders and stop the workers."""
        await asyncio.to_thread(self._loader.shutdown)


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)
