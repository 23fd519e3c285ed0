"""Runs the core engine for the window and mirrors it into the tile model."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeGuard

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from flaggui.core.adaptive import LimitChange
from flaggui.core.builtin import BuiltinServer
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import FailureKind, FlagEvent, FlagResult, Phase
from flaggui.core.progress import BatchProgress
from flaggui.core.storage import DestinationError
from flaggui.core.timeline import Timeline
from flaggui.ui.flag_model import FlagListModel, FlagTile
from flaggui.ui.folder import FlagFile, scan_folder_batches
from flaggui.ui.unfinished import (
    UnfinishedFlag,
    default_store,
    load_unfinished,
    save_unfinished,
)

log = logging.getLogger(__name__)

# A large folder's flags reach the model, and the watcher, a slice at a
# time, and the event loop runs once a turn has taken TURN_BUDGET seconds:
# a view sorted by name places each new row with a dozen comparisons, each a
# call into Python, and the watcher makes a system call or more per path, so
# 676 of either at once would stall the window for a frame or two.
LISTING_SLICE = 32
WATCH_SLICE = 64
TURN_BUDGET = 0.004


class DownloadController(QObject):
    """Owns the running batch and the folder: scans it when opened and again,
    debounced, whenever a QFileSystemWatcher sees it change (flags added,
    replaced or removed by other programs). While a batch runs, its own
    saves change the folder many times a second: the watcher's news is held
    then, and the folder is scanned once when the batch ends (which also
    finds what other programs changed meanwhile).

    It remembers the flags of the folder that did not arrive (failed or
    cancelled) between runs: written when a batch ends and on shutdown,
    shown again once the folder has been read when it is opened.

    Signals:
        batchStarted(int): a batch of N flags began.
        progressChanged(int, int): flags finished so far, flags in the batch.
        batchFinished(object): the batch ended; carries its BatchSummary.
        batchFailed(str): the batch could not start; the message is for the user.
        busyChanged(bool): a batch started or ended.
        scanningChanged(bool): the folder began or ended being read.
        timelineChanged(): the batch's timeline has new events (once a frame).
        tilesChanged(): the batch's events reached the tiles (once a frame).
        unfinishedRestored(list): these UnfinishedFlags of an earlier run
            are shown again.
    """

    batchStarted = Signal(int)
    progressChanged = Signal(int, int)
    batchFinished = Signal(object)
    batchFailed = Signal(str)
    busyChanged = Signal(bool)
    scanningChanged = Signal(bool)
    timelineChanged = Signal()
    tilesChanged = Signal()
    unfinishedRestored = Signal(list)

    def __init__(self, model: FlagListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        # Where the unfinished flags are remembered.
        self.unfinished_store = default_store()
        # The open folder's flags that did not arrive, as they ended, and
        # the folder whose remembered ones have been read (until then,
        # nothing is written: it would forget them).
        self._unfinished: dict[str, UnfinishedFlag] = {}
        self._unfinished_read: Path | None = None
        self._engine: DownloadEngine | None = None
        self._batch: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._scan_generation = 0
        self._scan_task: asyncio.Task[None] | None = None
        self._rescan_wanted = False  # the folder changed during a scan
        # While a folder is read, its flags reach the model at most this
        # often (seconds): a local folder, even of 100,000 files, is read
        # in less and comes in one batch, without the model competing with
        # the reading thread for the interpreter; a slow one (a network
        # share) shows its flags a batch at a time.
        self.batch_interval = 0.25
        # The tally of the running (or last) batch.
        self.progress = BatchProgress(0)
        self.concurrency_note = ""
        self.timeline = Timeline()
        self._pending: list[FlagEvent] = []
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(16)
        self._frame.timeout.connect(self._apply_pending)
        self._folder: Path | None = None
        # Started by the first batch from the built-in server, kept for the
        # next ones, stopped on shutdown.
        self.builtin = BuiltinServer()
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

    @property
    def scanning(self) -> bool:
        """The folder is being scanned (opened, or changed on disk)."""
        return bool(self._jobs)

    # Batches --------------------------------------------------------------
    def start(self, codes: list[str], destination: Path, options: DownloadOptions) -> bool:
        """Begin a batch unless one runs; False if one was running."""
        if self.busy or not codes:
            return False
        self._engine = DownloadEngine(
            destination, options, self._on_event, on_limit=self._on_limit, builtin=self.builtin
        )
        self.concurrency_note = self._engine.concurrency_note
        self.timeline = Timeline(limit=self._engine.concurrency)
        self.model.prepare_batch(codes)
        self._rescan.stop()  # the batch ends with a scan
        self.progress = BatchProgress(len(codes))
        self._batch = asyncio.ensure_future(self._run(self._engine, codes, destination, options))
        self.busyChanged.emit(True)
        self.batchStarted.emit(len(codes))
        self.progressChanged.emit(0, len(codes))
        return True

    def cancel(self) -> None:
        if self._engine is not None:
            self._engine.cancel()

    async def _run(
        self, engine: DownloadEngine, codes: list[str], folder: Path, options: DownloadOptions
    ) -> None:
        try:
            summary = await engine.run(codes)
            self._apply_pending()
        except (DestinationError, ValueError) as exc:
            for code in codes:
                self.model.mark_failed(code, str(exc))
            self.batchFailed.emit(str(exc))
        else:
            self._remember(summary.results, options.server)
            await self._save_unfinished(folder)
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

    def _on_limit(self, change: LimitChange) -> None:
        # Drawn with the next frame's events.
        self.timeline.add_limit(change)

    def _apply_pending(self) -> None:
        self._frame.stop()
        events, self._pending = self._pending, []
        if not events:
            return
        for event in events:
            self.timeline.add(event)
        self.model.apply_events(events)
        results = [
            event.result
            for event in events
            if event.phase is Phase.FINISHED and event.result is not None
        ]
        if results:
            for result in results:
                self.progress.add(result)
            self.progressChanged.emit(self.progress.finished, self.progress.total)
        self.tilesChanged.emit()
        self.timelineChanged.emit()

    # Unfinished flags -----------------------------------------------------
    def _remember(self, results: Sequence[FlagResult], server: str) -> None:
        """Note how the flags of a batch that did not arrive ended; forget
        those that did."""
        for result in results:
            tile = self.model.tile(result.code)
            if not _not_arrived(tile):
                self._unfinished.pop(result.code, None)
                continue
            failure = result.failure
            self._unfinished[result.code] = UnfinishedFlag(
                code=result.code,
                state=tile.state,
                reason=tile.reason,
                server=server,
                kind=failure.kind if failure is not None else None,
                status=failure.status
                if failure and failure.kind is FailureKind.HTTP_STATUS
                else None,
            )

    def unfinished(self) -> list[UnfinishedFlag]:
        """The flags of the open folder that did not arrive and are still
        shown so (not saved since, by a batch or another program)."""
        return [
            flag
            for code, flag in sorted(self._unfinished.items())
            if _not_arrived(self.model.tile(code))
        ]

    async def _save_unfinished(self, folder: Path) -> None:
        if folder != self._unfinished_read:
            return
        await asyncio.to_thread(save_unfinished, self.unfinished_store, folder, self.unfinished())

    async def _restore_unfinished(self, folder: Path, generation: int) -> None:
        """Show the flags an earlier run left unfinished in *folder*, except
        those whose files are in it now."""
        remembered = await asyncio.to_thread(load_unfinished, self.unfinished_store, folder)
        if generation != self._scan_generation:
            return
        self._unfinished_read = folder
        flags = {flag.code: flag for flag in remembered}
        shown = self.model.show_unfinished(
            {code: (flag.state, flag.reason) for code, flag in flags.items()}
        )
        for code in shown:
            self._unfinished.setdefault(code, flags[code])
        if shown:
            self.unfinishedRestored.emit([flags[code] for code in shown])

    # Folder ---------------------------------------------------------------
    def open_folder(self, folder: Path) -> None:
        """Show the flags already in *folder* (the grid is emptied first) and
        keep watching it."""
        self._scan_generation += 1
        self._folder = folder
        self._rescan_wanted = False
        self._unfinished = {}
        self._unfinished_read = None
        self.model.clear()
        self._spawn(self._scan(folder, self._scan_generation, first=True))

    def _folder_changed(self, _path: str) -> None:
        # A batch's own saves are not news: the batch ends with one scan,
        # which also finds what other programs changed meanwhile.
        if not self.busy:
            self._rescan.start()

    def _sync_folder(self) -> None:
        if self._folder is None:
            return
        if self._scan_task is not None and not self._scan_task.done():
            # One scan at a time: a large folder that keeps changing would
            # otherwise be read by several threads at once.
            self._rescan_wanted = True
            return
        self._spawn(self._scan(self._folder, self._scan_generation, first=False))

    async def _scan(self, folder: Path, generation: int, first: bool) -> None:
        """Read *folder* on a worker thread. On opening, its flags are shown
        batch by batch as they are found; a later scan is compared with the
        tiles once it is complete (only then is a missing file known to be
        gone)."""
        self.scans += 1
        loop = asyncio.get_running_loop()
        batches: asyncio.Queue[dict[str, FlagFile] | None] = asyncio.Queue()
        stop = threading.Event()

        def post(batch: dict[str, FlagFile] | None) -> None:
            loop.call_soon_threadsafe(batches.put_nowait, batch)

        if first and await asyncio.to_thread(os.path.isdir, folder):
            # Watched before it is read, so that a change made meanwhile is
            # not missed (it brings a scan once this one ends); and now,
            # while the grid is empty: watching a folder of 100,000 entries
            # takes the kernel milliseconds.
            await self._watch(generation, [folder])
        reader = asyncio.ensure_future(asyncio.to_thread(self._read_folder, folder, post, stop))
        files: dict[str, FlagFile] = {}
        try:
            while (batch := await batches.get()) is not None:
                files.update(batch)
                if first and not await self._show(batch, generation):
                    return
            if generation != self._scan_generation:
                return
            if not first:
                new = {
                    code: found for code, found in files.items() if self.model.tile(code) is None
                }
                if not await self._show(new, generation):
                    return
                self.model.sync_on_disk(files)
            if first:
                await self._restore_unfinished(folder, generation)
            watched = [found.path for found in files.values()]
            if await reader:
                watched.append(folder)
            await self._watch(generation, watched)
        finally:
            stop.set()
            await reader
            if generation == self._scan_generation and self._rescan_wanted:
                self._rescan_wanted = False
                self._rescan.start()

    def _read_folder(
        self,
        folder: Path,
        post: Callable[[dict[str, FlagFile] | None], None],
        stop: threading.Event,
    ) -> bool:
        """On a worker thread: post the flags of *folder* in batches, at most
        one per ``batch_interval`` (a folder read at once comes as one
        batch, a slow one a little at a time), then None. True if *folder*
        is a folder (one that does not exist yet is made by a download)."""
        pending: dict[str, FlagFile] = {}
        posted = time.monotonic()
        try:
            for batch in scan_folder_batches(folder):
                if stop.is_set():
                    return False
                pending.update(batch)
                if pending and time.monotonic() - posted >= self.batch_interval:
                    post(pending)
                    pending, posted = {}, time.monotonic()
            if pending:
                post(pending)
            # os.path.isdir, not Path.is_dir: a name too long raises there.
            return os.path.isdir(folder)
        finally:
            post(None)

    async def _show(self, files: dict[str, FlagFile], generation: int) -> bool:
        """Give the model *files*, in code order, a slice at a time; False if
        another folder was opened meanwhile."""
        return await self._in_turns(
            generation,
            sorted(files),
            LISTING_SLICE,
            lambda codes: self.model.show_on_disk({code: files[code] for code in codes}),
        )

    async def _in_turns(
        self,
        generation: int,
        items: Sequence[str],
        size: int,
        apply: Callable[[Sequence[str]], object],
    ) -> bool:
        """Call *apply* on *items* a slice of *size* at a time, letting the
        event loop run (paint, answer the user) whenever a turn has taken
        TURN_BUDGET; False if another folder was opened meanwhile."""
        turn = time.perf_counter()
        for start in range(0, len(items), size):
            if generation != self._scan_generation:
                return False
            apply(items[start : start + size])
            if time.perf_counter() - turn > TURN_BUDGET:
                await asyncio.sleep(0)
                turn = time.perf_counter()
        return generation == self._scan_generation

    async def _watch(self, generation: int, paths: Iterable[Path]) -> None:
        """Watch *paths* (the open folder and its flags), nothing else."""
        wanted = {str(path) for path in paths}
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        removed = sorted(watched - wanted)
        if await self._in_turns(generation, removed, WATCH_SLICE, self._watcher.removePaths):
            added = sorted(wanted - watched)  # the folder before its files
            await self._in_turns(generation, added, WATCH_SLICE, self._watcher.addPaths)

    def _unwatch(self) -> None:
        paths = self._watcher.directories() + self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._scan_task = task
        self._jobs.add(task)
        task.add_done_callback(self._job_done)
        if len(self._jobs) == 1:
            self.scanningChanged.emit(True)

    def _job_done(self, task: asyncio.Task[None]) -> None:
        self._jobs.discard(task)
        if not self._jobs:
            self.scanningChanged.emit(False)
        if not task.cancelled() and task.exception() is not None:
            log.error("background job failed", exc_info=task.exception())

    # Shutdown -------------------------------------------------------------
    async def shutdown(self, deadline: float = 3.0) -> None:
        """Cancel everything and wait for it (at most *deadline* seconds).
        The folder is no longer watched: nothing new starts afterwards. Its
        unfinished flags are remembered."""
        folder, self._folder = self._folder, None
        self._scan_generation += 1
        self._rescan.stop()
        self._unwatch()
        self.cancel()
        for job in self._jobs:
            job.cancel()
        pending = [t for t in (self._batch, *self._jobs) if t is not None]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=deadline)
            if still:
                log.warning("tasks still running after %.1fs: %d", deadline, len(still))
        if folder is not None:
            await self._save_unfinished(folder)
        await self.builtin.stop()
        await self.model.cache.aclose()


def _not_arrived(tile: FlagTile | None) -> TypeGuard[FlagTile]:
    """Whether *tile* shows a flag that was tried and did not arrive (and
    has no file since)."""
    return tile is not None and tile.state.unfinished and tile.path is None
