"""Sequential versus concurrent: the tutorial's lesson, measured live.

The same selection is downloaded twice into a temporary folder (the user's
folder is not touched): one request at a time, then with the chosen
concurrency. Both timelines are drawn on one time scale, with the totals
and the speed-up."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagState
from flaggui.core.timeline import Timeline
from flaggui.ui.timeline_view import TimelineCanvas, nice_ceiling


class CompareDialog(QDialog):
    """Runs the two batches and shows them stacked; ``totals`` holds their
    seconds once both have run."""

    def __init__(
        self, codes: list[str], options: DownloadOptions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sequential vs concurrent"))
        self.resize(900, 640)
        self.codes = codes
        self.options = options
        self.canvases: list[TimelineCanvas] = []
        self.titles: list[QLabel] = []
        layout = QVBoxLayout(self)
        self.outcome = QLabel(
            self.tr("Downloading {count} flags one at a time, then {limit} at a time…").format(
                count=len(codes), limit=options.concurrency
            )
        )
        self.outcome.setStyleSheet("font-size: 13pt")
        layout.addWidget(self.outcome)
        for _ in range(2):
            title = QLabel()
            canvas = TimelineCanvas()
            scroll = QScrollArea()
            scroll.setWidget(canvas)
            scroll.setWidgetResizable(True)
            layout.addWidget(title)
            layout.addWidget(scroll, 1)
            self.titles.append(title)
            self.canvases.append(canvas)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)
        self.totals: list[float] = []
        self._engine: DownloadEngine | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._compare())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.wait([self._task])

    async def _compare(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="flaggui-compare-"))
        try:
            for index, concurrency in enumerate((1, self.options.concurrency)):
                name = (
                    self.tr("Sequential: 1 request at a time")
                    if index == 0
                    else self.tr("Concurrent: up to {limit} at a time").format(limit=concurrency)
                )
                summary = await self._run(index, concurrency, folder / str(index), name)
                self.totals.append(summary.elapsed)
                self.titles[index].setText(
                    f"{name} — {summary.downloaded_line}"
                    + (
                        f" ({summary.counts_line})"
                        if summary.count(FlagState.DONE) < len(self.codes)
                        else ""
                    )
                )
            sequential, concurrent = self.totals
            self.outcome.setText(
                self.tr(
                    "{count} flags: {sequential:.2f} s one at a time, {concurrent:.2f} s "
                    "concurrently — {speedup:.1f}× faster"
                ).format(
                    count=len(self.codes),
                    sequential=sequential,
                    concurrent=concurrent,
                    speedup=sequential / max(concurrent, 1e-6),
                )
            )
        except asyncio.CancelledError:
            self.outcome.setText(self.tr("Stopped."))
        finally:
            self._engine = None
            self.stop_button.setEnabled(False)
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _run(self, index: int, concurrency: int, folder: Path, name: str) -> BatchSummary:
        timeline = Timeline(limit=concurrency)
        canvas = self.canvases[index]
        canvas.set_timeline(timeline)
        self.titles[index].setText(name + " …")

        # The user's options (server, source, timeouts), one concurrency, and
        # every flag downloaded afresh.
        options = dataclasses.replace(self.options, concurrency=concurrency, force=True)
        self._engine = DownloadEngine(folder, options, timeline.add)
        engine = self._engine
        run = asyncio.ensure_future(engine.run(self.codes))
        try:
            while not run.done():
                await asyncio.wait([run], timeout=0.05)
                self._redraw()
        except asyncio.CancelledError:
            engine.cancel()  # its flags end cancelled; wait for that
            await asyncio.wait([run])
            raise
        self._redraw()
        return run.result()

    def _redraw(self) -> None:
        """Both canvases on one time scale: the longer run sets it, and fills
        it once both have ended."""
        longest = max(canvas.timeline.duration for canvas in self.canvases)
        done = all(canvas.timeline.finished for canvas in self.canvases)
        span = max(longest, 0.001) if done else nice_ceiling(longest)
        for canvas in self.canvases:
            canvas.refresh(span)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)
