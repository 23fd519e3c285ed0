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

import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QDataStream, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter

from flaggui.core.images import MAX_FILE_BYTES, InvalidImage, validate_image
from flaggui.core.untrusted import UnsafeFile, read_regular

log = logging.getLogger(__name__)

# How much nicer than the window's thread a thumbnail worker is.
WORKER_NICE = 5
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
    """Decode *data* as *fmt*, scaled down to fit *fit* if it is larger; an
    SVG is drawn at the size that fits *fit* (else at its own size; at most
    LARGEST), so it stays sharp at every zoom. A null image if Qt cannot
    decode it.

    Qt reads the bytes from a buffer it made itself (the one a read-only
    QDataStream keeps), never from a QIODevice made in Python: Qt would call
    into Python for each read of such a device (to look for an override),
    taking the GIL while it holds its image-plugin lock, and deadlock with a
    thread that holds the GIL while it waits for that lock. Reading from
    Qt's own buffer never enters Python, so ``QImageReader.read`` decodes
    and scales without holding the GIL: a worker decoding thumbnails does
    not keep the window's thread waiting for it.
    """
    stream = QDataStream(QByteArray(data))  # owns the buffer the reader reads
    reader = QImageReader(stream.device(), fmt.encode())
    size = reader.size()
    if size.isEmpty():
        return QImage()
    wanted = size
    if fit is not None and (
        fmt == "svg" or size.width() > fit.width() or size.height() > fit.height()
    ):
        wanted = size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
    if wanted.width() > LARGEST.width() or wanted.height() > LARGEST.height():
        wanted = wanted.scaled(LARGEST, Qt.AspectRatioMode.KeepAspectRatio)
    if wanted != size:
        reader.setQuality(100)  # smooth scaling
        reader.setScaledSize(wanted)
    return reader.read()  # null if Qt cannot decode it


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

    Runs on a worker thread: QImage, QImageReader and painting on a QImage
    are reentrant, unlike QPixmap, which only the GUI thread may create.
    """
    data, fmt = read_flag(path)
    image = decode(data, fmt, QSize(width, height))
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    if not padded:
        return image
    canvas = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawImage((width - image.width()) // 2, (height - image.height()) // 2, image)
    painter.end()
    return canvas


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


@dataclass(frozen=True, slots=True)
class Rendering:
    """What a worker made of one request: the image (None if Qt could not
    decode the file), or why the file was refused."""

    key: ThumbnailKey
    image: QImage | None
    refused: str | None = None
    failed: bool = False  # rendering raised (logged); asked for again, it is tried again


class _Courier(QObject):
    """Carries the news that renderings are waiting from a worker thread to
    the thread the loader was made on, where it calls *on_arrival*."""

    arrived = Signal()

    def __init__(self, on_arrival: Callable[[], None]) -> None:
        super().__init__()
        self._on_arrival = on_arrival
        self.arrived.connect(self._receive, Qt.ConnectionType.QueuedConnection)

    def _receive(self) -> None:
        self._on_arrival()


def worker_count(processors: int | None) -> int:
    """How many threads decode thumbnails on a machine with *processors*:
    all but one, which is left to the window's thread (the workers decode
    without the GIL, so they compete with it for processors, not for the
    interpreter), at least one and at most four."""
    return max(1, min(4, (processors or 1) - 1))


def yield_to_window() -> None:
    """Give the calling thread a lower priority than the window's (Linux,
    where a thread's nice value is its own; elsewhere nothing): when there
    are more threads ready to run than processors, the window's thread,
    which paints and answers the user, runs first; a worker still has every
    processor the window leaves idle."""
    if sys.platform != "linux":
        return
    try:
        tid = threading.get_native_id()
        # A new thread starts with the nice value of the thread that made
        # it, the window's.
        nice = os.getpriority(os.PRIO_PROCESS, tid) + WORKER_NICE
        os.setpriority(os.PRIO_PROCESS, tid, min(19, nice))
    except OSError:
        pass  # not allowed here: the worker keeps the window's priority


class ThumbnailLoader:
    """Renders thumbnails on worker threads and hands them back in batches.

    The workers take the requests themselves, the newest first (what the
    view asked for last is what is on screen now), thumbnails before list
    icons; an icon waits while a larger rendering of its file is under way,
    to be made from that instead. So no worker waits for the event loop to
    give it its next request, however busy the window is. Renderings that
    finish while the loop is busy are handed over together: *deliver* is
    called on the loader's thread with every rendering finished since its
    last call. At most *queue_limit* requests wait; beyond that the oldest
    are dropped (they went off screen long ago).

    Reading, decoding and scaling happen on the workers, which hold the GIL
    only briefly (see :func:`decode`); the QPixmap a view draws is made from
    the QImage on the window's thread. What has been asked for and not yet
    handed over is known on the loader's thread without the workers' lock,
    so a repaint that asks again for a thumbnail on its way never waits
    for a worker.
    """

    def __init__(
        self,
        deliver: Callable[[list[Rendering]], None],
        workers: int | None = None,
        queue_limit: int = 512,
    ) -> None:
        self._deliver = deliver
        self._workers = workers if workers is not None else worker_count(os.cpu_count())
        self._queue_limit = queue_limit
        self._lock = threading.Lock()
        self._queued: OrderedDict[ThumbnailKey, None] = OrderedDict()
        self._rendering: set[ThumbnailKey] = set()
        self._finished: list[Rendering] = []
        self._asked: set[ThumbnailKey] = set()  # not handed over yet; the loader's thread only
        self._active = 0  # workers taking requests
        self._closed = False
        self._pool = ThreadPoolExecutor(
            self._workers, thread_name_prefix="flaggui-thumbnails", initializer=yield_to_window
        )
        self._courier = _Courier(self._hand_over)

    # On the loader's thread -------------------------------------------------
    def request(self, key: ThumbnailKey, ahead: bool = False) -> None:
        """Render *key* (again the newest request if it waits already). A
        request *ahead* of what is on screen (the screenful below it) is
        the oldest instead: taken after everything else, dropped first; one
        that waits already keeps its place."""
        dropped = []
        with self._lock:
            if self._closed:
                return
            if not ahead:
                self._queued.pop(key, None)
                self._queued[key] = None
            elif key not in self._queued:
                self._queued[key] = None
                self._queued.move_to_end(key, last=False)
            while len(self._queued) > self._queue_limit:
                dropped.append(self._queued.popitem(last=False)[0])
        self._asked.add(key)
        self._asked.difference_update(dropped)
        self._start_workers()

    def promote(self, key: ThumbnailKey) -> bool:
        """Make *key*, if it waits, the newest request (a view asked for it
        again: it is on screen now); False if no request of it waits."""
        with self._lock:
            if key not in self._queued:
                return False
            self._queued.move_to_end(key)
        return True

    def withdraw(self, key: ThumbnailKey) -> bool:
        """Take back a request no worker has taken; False if none waits."""
        with self._lock:
            if key not in self._queued:
                return False
            del self._queued[key]
        self._asked.discard(key)
        return True

    def waiting(self) -> list[ThumbnailKey]:
        """The requests no worker has taken yet."""
        with self._lock:
            return list(self._queued)

    def pending(self, key: ThumbnailKey) -> bool:
        """Whether *key* waits, is being rendered or waits to be handed over."""
        return key in self._asked

    @property
    def busy(self) -> bool:
        """Whether any request waits, is being rendered or waits to be handed over."""
        return bool(self._asked)

    def shutdown(self) -> None:
        """Drop the waiting requests and wait for the workers to stop. May be
        called from another thread: what was asked for is forgotten only
        when the workers have stopped."""
        with self._lock:
            self._closed = True
            self._queued.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._asked = set()

    def _start_workers(self) -> None:
        with self._lock:
            wanted = min(self._workers - self._active, len(self._queued))
            self._active += max(0, wanted)
        for _ in range(wanted):
            self._pool.submit(self._work)

    def _hand_over(self) -> None:
        with self._lock:
            finished, self._finished = self._finished, []
            closed = self._closed
        self._asked.difference_update(rendering.key for rendering in finished)
        if finished and not closed:
            self._deliver([rendering for rendering in finished if not rendering.failed])
            self._start_workers()  # requests an icon left waiting may remain

    # On the workers ---------------------------------------------------------
    def _take(self) -> ThumbnailKey | None:
        """The newest thumbnail request, else the newest icon whose file has
        no larger rendering under way or waiting to be handed over. Called
        with the lock held."""
        icons = []
        for key in reversed(self._queued):
            if not key.padded:
                return key
            icons.append(key)
        on_the_way = {key.path for key in self._rendering if not key.padded}
        on_the_way.update(done.key.path for done in self._finished if not done.key.padded)
        return next((key for key in icons if key.path not in on_the_way), None)

    def _work(self) -> None:
        while True:
            with self._lock:
                key = None if self._closed else self._take()
                if key is None:
                    self._active -= 1
                    return
                del self._queued[key]
                self._rendering.add(key)
            try:
                image = decode_scaled(key.path, key.width, key.height, key.padded)
                rendering = Rendering(key, image)
            except RefusedImage as refused:
                rendering = Rendering(key, None, str(refused))
            except Exception:
                log.exception("rendering %s failed", key.path)
                rendering = Rendering(key, None, failed=True)
            with self._lock:
                self._rendering.discard(key)
                self._finished.append(rendering)
                first = len(self._finished) == 1
            if first:
                self._courier.arrived.emit()
