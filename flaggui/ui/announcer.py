"""What a screen reader hears of a running batch: a short summary now and
then, and one at the end, rather than a word for every flag."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QTimer

from flaggui.core.events import BatchSummary
from flaggui.ui.accessibility import announce
from flaggui.ui.batch_progress import BatchProgressBar
from flaggui.ui.controller import DownloadController


class BatchAnnouncer(QObject):
    """Announces a batch's progress politely, on behalf of *widget* (the
    progress bar, which keeps its own description up to date): when the
    batch starts ("Downloading: 0 of 194 saved"), at most once every
    ``interval`` milliseconds while flags finish ("49 of 194 saved, 2 not
    found"), and when it ends, with the classic "N flags downloaded in X s".

    ``announced`` holds what was announced, newest last.
    """

    def __init__(
        self,
        controller: DownloadController,
        widget: BatchProgressBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.widget = widget
        self.announced: deque[str] = deque(maxlen=20)
        self._waiting = False  # flags finished since the last announcement
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(5000)
        self._quiet.timeout.connect(self._quiet_over)
        controller.batchStarted.connect(self._started)
        controller.progressChanged.connect(self._progress)
        controller.batchFinished.connect(self._finished)
        controller.batchFailed.connect(self._failed)

    @property
    def interval(self) -> int:
        """Milliseconds between two announcements during a batch."""
        return self._quiet.interval()

    @interval.setter
    def interval(self, milliseconds: int) -> None:
        self._quiet.setInterval(milliseconds)

    def progress_text(self) -> str:
        """ "49 of 194 saved", then how many were not found, failed or were
        cancelled, if any: the progress bar's words."""
        return self.widget.tally(self.controller.progress)

    # The batch ------------------------------------------------------------
    def _started(self, _count: int) -> None:
        self.announce(self.tr("Downloading: {progress}").format(progress=self.progress_text()))

    def _progress(self, finished: int, _total: int) -> None:
        if not finished:
            return
        if self._quiet.isActive():
            self._waiting = True
        else:
            self.announce(self.progress_text())

    def _quiet_over(self) -> None:
        if self._waiting:
            self.announce(self.progress_text())

    def _finished(self, summary: BatchSummary) -> None:
        self.announce(f"{self.progress_text()}. {summary.downloaded_line}")

    def _failed(self, message: str) -> None:
        self.announce(self.tr("Cannot download: {reason}").format(reason=message))

    # Telling --------------------------------------------------------------
    def announce(self, text: str) -> None:
        """Say *text* politely (after what the reader is saying), then keep
        quiet for ``interval``."""
        self.announced.append(text)
        self._waiting = False
        self._quiet.start()
        announce(self.widget, text)
