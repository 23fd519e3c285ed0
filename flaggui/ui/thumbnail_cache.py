"""Thumbnails rendered on demand, off the event loop, within a memory budget."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap

from flaggui.ui.thumbnails import RefusedImage, ThumbnailLoader

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 128 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ThumbnailKey:
    """One rendering: a file (at a version, bumped whenever the file is
    replaced), at a size, either fitted (``padded=False``) or centred on a
    canvas of exactly that size (for list icons that must line up)."""

    path: str
    version: int
    width: int
    height: int
    padded: bool = False

    @classmethod
    def of(cls, path: Path | str, version: int, size: QSize, padded: bool = False) -> ThumbnailKey:
        return cls(str(path), version, size.width(), size.height(), padded)


class ThumbnailCache(QObject):
    """Renders thumbnails when a view asks for them and keeps the most
    recently used ones within ``budget`` bytes.

    A miss queues a render on the worker pool; the newest requests go first
    and the queue is bounded, so scrolling quickly through a large folder
    renders what is on screen, not everything passed on the way. Until a
    render arrives, :meth:`nearest` offers any other rendering of the file.

    Signals:
        ready(str): a new rendering of this path is in the cache.
        failed(str, str): this path is refused or cannot be decoded; the
            reason, for the user.
    """

    ready = Signal(str)
    failed = Signal(str, str)

    def __init__(
        self,
        budget: int = DEFAULT_BUDGET,
        workers: int = 2,
        queue_limit: int = 512,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.budget = budget
        self._workers = workers
        self._queue_limit = queue_limit
        self._loader = ThumbnailLoader(workers)
        self._entries: OrderedDict[ThumbnailKey, QPixmap] = OrderedDict()
        self._by_path: dict[str, set[ThumbnailKey]] = {}
        self._bytes = 0
        self._queued: OrderedDict[ThumbnailKey, None] = OrderedDict()
        self._running: dict[ThumbnailKey, asyncio.Task[None]] = {}
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

    # Rendering --------------------------------------------------------------
    def request(self, key: ThumbnailKey) -> None:
        if key in self._entries or key in self._running or self.is_broken(key.path, key.version):
            return
        self._queued.pop(key, None)
        self._queued[key] = None
        while len(self._queued) > self._queue_limit:
            self._queued.popitem(last=False)  # the oldest request is off screen by now
        self._pump()

    def _pump(self) -> None:
        # A few more renders than workers are handed over, so a worker never
        # idles while the event loop gets round to collecting a result.
        while len(self._running) < self._workers * 3:
            key = self._next_request()
            if key is None:
                return
            del self._queued[key]
            if not self._derive(key):
                self._running[key] = asyncio.ensure_future(self._render(key))

    def _next_request(self) -> ThumbnailKey | None:
        """The newest thumbnail request; list icons (small, padded) come
        after all thumbnails, and one waits while a larger rendering of its
        file is on the way, to be made from that instead."""
        icons = []
        for key in reversed(self._queued):
            if not key.padded:
                return key
            icons.append(key)
        running = {k.path for k in self._running if not k.padded}
        return next((key for key in icons if key.path not in running), None)

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
        self.ready.emit(key.path)
        return True

    async def _render(self, key: ThumbnailKey) -> None:
        try:
            image = await self._loader.load(
                Path(key.path), QSize(key.width, key.height), padded=key.padded
            )
        except RefusedImage as refused:
            self._mark_broken(key, str(refused))
            return
        except Exception:
            log.exception("rendering %s failed", key.path)
            return
        finally:
            self._running.pop(key, None)
            self._pump()
        self.renders += 1
        if image is None:
            self._mark_broken(key, self.tr("the file is not a readable image"))
            return
        self._store(key, QPixmap.fromImage(image))
        self.ready.emit(key.path)

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
        """Cancel pending renders and stop the worker pool."""
        self._queued.clear()
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        await asyncio.to_thread(self._loader.shutdown)


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)
