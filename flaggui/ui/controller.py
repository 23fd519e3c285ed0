"""Runs the core engine for the window and mirrors it into the tile model."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FlagEvent, Phase
from flaggui.core.storage import DestinationError
from flaggui.core.timeline import Timeline
from flaggui.ui.flag_model import FlagListModel
from flaggui.ui.folder import scan_folder

log = logging.getLogger(__name__)


class DownloadController(QObject):
    """Owns the running batch and the folder: scans it when opened and again,
    debounced, whenever a QFileSystemWatcher sees it change (flags added,
    replaced or removed by other programs). While a batch runs, its own
    saves change the folder many times a second: the watcher's news is held
    then, and the folder is scanned once when the batch ends (which also
    finds what other programs changed meanwhile).

    Signals:
        batchStarted(int): a batch of N flags began.
        progressChanged(int, int): flags finished so far, flags in the batch.
        batchFinished(object): the batch ended; carries its BatchSummary.
        batchFailed(str): the batch could not start; the message is for the user.
        busyChanged(bool): a batch started or ended.
        timelineChanged(): the batch's timeline has new events (once a frame).
    """

    batchStarted = Signal(int)
    progressChanged = Signal(int, int)
    batchFinished = Signal(object)
    batchFailed = Signal(str)
    busyChanged = Signal(bool)
    timelineChanged = Signal()

    def __init__(self, model: FlagListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._engine: DownloadEngine | None = None
        self._batch: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._scan_generation = 0
        self._finished = 0
        self._total = 0
        self.concurrency_note = ""
        self.timeline = Timeline()
        self._pending: list[FlagEvent] = []
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(16)
        self._frame.timeout.connect(self._apply_pending)
        self._folder: Path | None = None
        self._watcher = QFileSystemWatcher(self)
        # The folder tells of files added, removed or renamed; each flag file
        # tells of being rewritten in place.
        self._rescan = QTimer(self)
        self._rescan.setSingleShot(True)
        self._watcher.directoryChanged.connect(self._folder_changed)
        self._watcher.fileChanged.connect(self._folder_changed)
        self._rescan.setInterval(250)
        self._rescan.timeout.connect(self._sync_folder)
        self.scans = 0  # how many times the folder was scanned, for tests and benchmarks

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
        self.timeline = Timeline(limit=self._engine.concurrency)
        self.model.prepare_batch(codes)
        self._rescan.stop()  # the batch ends with a scan
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
            self.batchFinished.emit(summary)
        finally:
            self._engine = None
            self._batch = None
            # One scan for the whole batch: it watches the files saved (and
            # the folder, if the batch created it), and finds what other
            # programs changed while the news was held.
            self._rescan.start()
            self.busyChanged.emit(False)

    def _on_event(self, event: FlagEvent) -> None:
        # Events arrive in bursts (hundreds within milliseconds when a batch
        # starts or a server answers many requests at once), while the engine
        # starts or finishes one request after another in the same turn of
        # the loop: here they are only queued. They reach the timeline and
        # the model at most once per frame, so the views repaint once per
        # frame and the burst itself stays short.
        self._pending.append(event)
        if len(self._pending) == 1:
            self._frame.start()

    def _apply_pending(self) -> None:
        self._frame.stop()
        events, self._pending = self._pending, []
        if not events:
            return
        for event in events:
            self.timeline.add(event)
        self.model.apply_events(events)
        finished = sum(
            1 for event in events if event.phase is Phase.FINISHED and event.result is not None
        )
        if finished:
            self._finished += finished
            self.progressChanged.emit(self._finished, self._total)
        self.timelineChanged.emit()

    # Folder ---------------------------------------------------------------
    def open_folder(self, folder: Path) -> None:
        """Show the flags already in *folder* (the grid is emptied first) and
        keep watching it."""
        self._scan_generation += 1
        self._folder = folder
        self.model.clear()
        self._spawn(self._scan(folder, self._scan_generation, first=True))

    def _watch(self, files: Iterable[Path] = ()) -> None:
        """Watch the open folder and *files* (its flags), nothing else."""
        wanted = {str(path) for path in files}
        # os.path.isdir, not Path.is_dir: a name too long raises there.
        if self._folder is not None and os.path.isdir(self._folder):
            wanted.add(str(self._folder))
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        if watched - wanted:
            self._watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            self._watcher.addPaths(sorted(wanted - watched))

    def _folder_changed(self, _path: str) -> None:
        if not self.busy:
            self._rescan.start()

    def _sync_folder(self) -> None:
        if self._folder is not None:
            self._spawn(self._scan(self._folder, self._scan_generation, first=False))

    async def _scan(self, folder: Path, generation: int, first: bool) -> None:
        self.scans += 1
        files = await asyncio.to_thread(scan_folder, folder)
        if generation != self._scan_generation:
            return  # another folder was opened meanwhile
        if first:
            self.model.show_on_disk(files)
        else:
            self.model.sync_on_disk(files)
        self._watch(found.path for found in files.values())

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
        """Cancel everything and wait for it (at most *deadline* seconds).
        The folder is no longer watched: nothing new starts afterwards."""
        self._folder = None
        self._rescan.stop()
        self._watch()
        self.cancel()
        for job in self._jobs:
            job.cancel()
        pending = [t for t in (self._batch, *self._jobs) if t is not None]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=deadline)
            if still:
                log.warning("%d task(s) did not stop within %.1fs", len(still), deadline)
        await self.model.cache.aclose()
