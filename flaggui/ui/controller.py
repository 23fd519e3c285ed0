"""Runs the core engine for the window and mirrors it into the tile model."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QPixmap

from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagEvent, FlagState, Phase
from flaggui.core.storage import DestinationError
from flaggui.ui.flag_model import FlagListModel
from flaggui.ui.thumbnails import ThumbnailLoader

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = QSize(96, 64)
_FLAG_FILE = re.compile(r"^([a-z]{2})\.gif$")


def list_flag_files(folder: Path) -> dict[str, Path]:
    """``cc.gif`` files in *folder* (code -> path); blocking, run on a thread."""
    found: dict[str, Path] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _FLAG_FILE.match(entry.name)
                if match and entry.is_file():
                    found[match.group(1).upper()] = Path(entry.path)
    except OSError:
        return {}
    return found


class DownloadController(QObject):
    """Owns the running batch, the folder scan and the thumbnail jobs.

    Signals:
        batchStarted(int): a batch of N flags began.
        progressChanged(int, int): flags finished so far, flags in the batch.
        batchFinished(object): the batch ended; carries its BatchSummary.
        batchFailed(str): the batch could not start; the message is for the user.
        thumbnailReady(str, QPixmap): a flag's thumbnail was made.
        busyChanged(bool): a batch started or ended.
    """

    batchStarted = Signal(int)
    progressChanged = Signal(int, int)
    batchFinished = Signal(object)
    batchFailed = Signal(str)
    thumbnailReady = Signal(str, QPixmap)
    busyChanged = Signal(bool)

    def __init__(self, model: FlagListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._thumbnails = ThumbnailLoader()
        self._engine: DownloadEngine | None = None
        self._batch: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._scan_generation = 0
        self._finished = 0
        self._total = 0
        self.last_summary: BatchSummary | None = None
        self.concurrency_note = ""
        self._pending: list[FlagEvent] = []
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(16)
        self._frame.timeout.connect(self._apply_pending)

    @property
    def busy(self) -> bool:
        return self._batch is not None

    # Batches --------------------------------------------------------------
    def start(self, codes: list[str], destination: Path, options: DownloadOptions) -> bool:
        """Begin a batch unless one runs; False if one was running."""
        if self.busy or not codes:
            return False
        self._engine = DownloadEngine(destination, options, self._on_event)
        self.concurrency_note = self._engine.concurrency_note
        self.model.prepare_batch(codes)
        self._finished, self._total = 0, len(codes)
        self._batch = asyncio.ensure_future(self._run(self._engine, codes))
        self.busyChanged.emit(True)
        self.batchStarted.emit(len(codes))
        self.progressChanged.emit(0, len(codes))
        return True

    def cancel(self) -> None:
        if self._engine is not None:
            self._engine.cancel()

    async def _run(self, engine: DownloadEngine, codes: list[str]) -> None:
        try:
            summary = await engine.run(codes)
            self._apply_pending()
        except (DestinationError, ValueError) as exc:
            for code in codes:
                self.model.mark_failed(code, str(exc))
            self.batchFailed.emit(str(exc))
        else:
            self.last_summary = summary
            self.batchFinished.emit(summary)
        finally:
            self._engine = None
            self._batch = None
            self.busyChanged.emit(False)

    def _on_event(self, event: FlagEvent) -> None:
        # Events arrive in bursts (hundreds within milliseconds when a batch
        # starts or a server answers many requests at once); they reach the
        # model at most once per frame, so the view repaints once per frame.
        self._pending.append(event)
        if not self._frame.isActive():
            self._frame.start()

    def _apply_pending(self) -> None:
        self._frame.stop()
        events, self._pending = self._pending, []
        for event in events:
            self._apply(event)

    def _apply(self, event: FlagEvent) -> None:
        self.model.apply_event(event)
        result = event.result
        if event.phase is not Phase.FINISHED or result is None:
            return
        self._finished += 1
        self.progressChanged.emit(self._finished, self._total)
        tile = self.model.tile(result.code)
        if result.state is FlagState.DONE or (
            result.state is FlagState.SKIPPED and tile is not None and tile.thumbnail is None
        ):
            assert result.path is not None
            self._spawn(self._make_thumbnail(result.code, result.path))

    # Folder ---------------------------------------------------------------
    def open_folder(self, folder: Path) -> None:
        """Show the flags already in *folder* (the grid is emptied first)."""
        self._scan_generation += 1
        self.model.clear()
        self._spawn(self._scan(folder, self._scan_generation))

    async def _scan(self, folder: Path, generation: int) -> None:
        files = await asyncio.to_thread(list_flag_files, folder)
        if generation != self._scan_generation:
            return  # another folder was opened meanwhile
        self.model.show_on_disk(files)
        for code, path in sorted(files.items()):
            self._spawn(self._make_thumbnail(code, path))

    # Thumbnails -----------------------------------------------------------
    async def _make_thumbnail(self, code: str, path: Path) -> None:
        image = await self._thumbnails.load(path, THUMBNAIL_SIZE)
        if image is None:
            self.model.mark_failed(code, self.tr("the file is not a readable image"))
            return
        pixmap = QPixmap.fromImage(image)
        self.model.set_thumbnail(code, pixmap)
        self.thumbnailReady.emit(code, pixmap)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._jobs.add(task)
        task.add_done_callback(self._job_done)

    def _job_done(self, task: asyncio.Task[None]) -> None:
        self._jobs.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background job failed", exc_info=task.exception())

    # Shutdown -------------------------------------------------------------
    async def shutdown(self, deadline: float = 3.0) -> None:
        """Cancel everything and wait for it (at most *deadline* seconds)."""
        self.cancel()
        for job in self._jobs:
            job.cancel()
        pending = [t for t in (self._batch, *self._jobs) if t is not None]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=deadline)
            if still:
                log.warning("%d task(s) did not stop within %.1fs", len(still), deadline)
        await asyncio.to_thread(self._thumbnails.shutdown)
