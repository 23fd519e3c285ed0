"""Sequential versus concurrent: the tutorial's lesson, measured live.

The same selection is downloaded twice into a temporary folder (the user's
folder is not touched): one request at a time, then with the chosen
concurrency. Both timelines are drawn on one time scale, with the totals
and the speed-up."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import math
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagState
from flaggui.core.timeline import CSV_FIELDS, Timeline
from flaggui.ui.accessibility import announce
from flaggui.ui.timeline_header import nice_ceiling
from flaggui.ui.timeline_view import TimelineCanvas, TimelineExport, TimelineView, add_legend


class CompareDialog(QDialog):
    """Runs the two batches and shows them stacked; ``totals`` holds their
    seconds once both have run. It opens on Stop (Enter or Space stops);
    when both runs have ended, the outcome is announced and Enter closes.
    Closing it, or Esc, stops the runs."""

    def __init__(
        self, codes: list[str], options: DownloadOptions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sequential vs concurrent"))
        self.resize(900, 640)
        self.codes = codes
        self.options = options
        self.views: list[TimelineView] = []
        self.canvases: list[TimelineCanvas] = []
        self.titles: list[QLabel] = []
        self.run_names = [
            self.tr("Sequential: 1 request at a time"),
            self.tr("Concurrent: up to {limit} at a time").format(limit=options.concurrency),
        ]
        layout = QVBoxLayout(self)
        self.outcome = QLabel(
            self.tr(
                "Downloading %n flags one at a time, then {limit} at a time…", "", len(codes)
            ).format(limit=options.concurrency)
        )
        self.outcome.setStyleSheet("font-size: 13pt")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        # Why the numbers differ, in plain words, once both runs have ended.
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        layout.addWidget(self.explanation)
        legend = QHBoxLayout()
        add_legend(legend)
        legend.addStretch(1)
        layout.addLayout(legend)
        runs = QWidget()
        runs_layout = QVBoxLayout(runs)
        runs_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(runs, 1)
        for name in self.run_names:
            title = QLabel()
            view = TimelineView()
            view.canvas.setAccessibleName(name)
            runs_layout.addWidget(title)
            runs_layout.addWidget(view, 1)
            self.titles.append(title)
            self.views.append(view)
            self.canvases.append(view.canvas)
        buttons = QHBoxLayout()
        self.export = TimelineExport(buttons, self.picture, self._export_text, self)
        buttons.addStretch(1)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setDefault(True)
        buttons.addWidget(self.stop_button)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.stop_button.setFocus()
        self.finished.connect(self.stop)
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
                name = self.run_names[index]
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
                    "%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s "
                    "concurrently — {speedup:.1f}× faster",
                    "",
                    len(self.codes),
                ).format(
                    sequential=sequential,
                    concurrent=concurrent,
                    speedup=sequential / max(concurrent, 1e-6),
                )
            )
            self.explanation.setText(self.explain())
            self.explanation.show()
        except asyncio.CancelledError:
            self.outcome.setText(self.tr("Stopped."))
        finally:
            self._engine = None
            self._ended()
            await asyncio.to_thread(shutil.rmtree, folder, True)

    def _ended(self) -> None:
        """Close becomes the default button, and takes the focus from Stop;
        the outcome is announced."""
        self.close_button.setDefault(True)
        if self.stop_button.hasFocus():
            self.close_button.setFocus()
        self.stop_button.setEnabled(False)
        outcome = self.outcome.text()
        if self.explanation.text():
            outcome += " " + self.explanation.text()
        announce(self.outcome, outcome)

    async def _run(self, index: int, concurrency: int, folder: Path, name: str) -> BatchSummary:
        timeline = Timeline(limit=concurrency)
        canvas = self.canvases[index]
        canvas.set_timeline(timeline)
        self.titles[index].setText(name + " …")

        # The user's options (server, source, timeouts), one concurrency, and
        # every flag downloaded afresh.
        options = dataclasses.replace(self.options, concurrency=concurrency, force=True)
        self._engine = DownloadEngine(folder, options, timeline.add, on_limit=timeline.add_limit)
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
        if not canvas.hasFocus():
            canvas.describe()  # the run in words, once it has ended
        return run.result()

    def _redraw(self) -> None:
        """Both canvases on one time scale: the longer run sets it, and fills
        it once both have ended."""
        longest = max(canvas.timeline.duration for canvas in self.canvases)
        done = all(canvas.timeline.finished for canvas in self.canvases)
        span = max(longest, 0.001) if done else nice_ceiling(longest)
        for canvas in self.canvases:
            canvas.refresh(span)

    def explain(self) -> str:
        """One sentence for a learner: why one way took as long as it did."""
        count = len(self.codes)
        first, second = (canvas.timeline for canvas in self.canvases)
        each = first.duration / max(count, 1)
        limit = self.options.concurrency
        sequential = self.tr(
            "One at a time, each request waits for the one before it: %n × {each:.2f} s.",
            "",
            count,
        ).format(each=each)
        if limit >= count:
            concurrent = self.tr(
                "Concurrently, all %n wait together: about as long as the slowest "
                "one ({slowest:.2f} s).",
                "",
                count,
            ).format(slowest=second.slowest_request())
        else:
            concurrent = self.tr(
                "Concurrently, up to {limit} wait together: about {rounds} rounds of {each:.2f} s."
            ).format(limit=limit, rounds=math.ceil(count / limit), each=each)
        return f"{sequential} {concurrent}"

    def picture(self) -> QPixmap:
        """Both runs, each under its title with every row."""
        parts = [
            part
            for title, view in zip(self.titles, self.views, strict=True)
            for part in (title.grab(), view.picture())
        ]
        sizes = [part.deviceIndependentSize() for part in parts]
        ratio = self.devicePixelRatioF()
        width = max(size.width() for size in sizes)
        height = sum(size.height() for size in sizes)
        pixmap = QPixmap(QSize(round(width * ratio), round(height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().window().color())
        painter = QPainter(pixmap)
        top = 0.0
        for part, size in zip(parts, sizes, strict=True):
            painter.drawPixmap(QPointF(0, top), part)
            top += size.height()
        painter.end()
        return pixmap

    def _export_text(self, kind: str) -> str:
        """Both runs' timings: CSV rows with the run they belong to, or one
        JSON object with both timelines."""
        names = ("sequential", "concurrent")
        timelines = [canvas.timeline for canvas in self.canvases]
        if kind == "JSON":
            both = {name: json.loads(t.to_json()) for name, t in zip(names, timelines, strict=True)}
            return json.dumps(both, indent=1)
        out = io.StringIO()
        rows = [
            {"run": name, **row}
            for name, timeline in zip(names, timelines, strict=True)
            for row in timeline.rows()
        ]
        writer = csv.DictWriter(out, fieldnames=["run", *CSV_FIELDS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
