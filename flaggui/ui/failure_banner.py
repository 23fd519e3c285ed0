"""A banner above the grid that says once why a whole batch failed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QWidget,
)

from flaggui.core.diagnosis import Diagnosis, diagnose
from flaggui.core.events import BatchSummary
from flaggui.core.servers import BUILTIN

# Its own colours, light or dark theme alike: a pale red that reads as a
# warning, with text dark enough on it.
_STYLE = """
#failureBanner { background: #fce8e6; border: 1px solid #f28b82; border-radius: 4px; }
#failureBanner QLabel { color: #3c1414; background: transparent; }
"""


class FailureBanner(QFrame):
    """Names the one cause most of a batch failed for (no network, a server
    that is not running, a 404 for everything), with what to do about it:
    use the built-in server, which needs no network, or retry. Hidden until
    a batch ends so; a batch with mixed failures leaves it hidden.

    Signals:
        useBuiltinRequested(): the user chose the built-in server.
        retryRequested(): the user asked to try the failed flags again.
    """

    useBuiltinRequested = Signal()
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagnosis: Diagnosis | None = None
        self.setObjectName("failureBanner")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName(self.tr("Download problem"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon = QLabel()
        self.icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        self.icon.setAccessibleName(self.tr("Warning"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.builtin_button = QPushButton(self.tr("Use the built-in server"))
        self.builtin_button.setAccessibleName(self.tr("Use the built-in server"))
        self.builtin_button.setToolTip(
            self.tr("Switch to the flags that come with flaggui: no network needed")
        )
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setAccessibleName(self.tr("Retry the failed flags"))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton)
        )
        self.dismiss_button.setToolTip(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss"))
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.builtin_button)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.builtin_button.clicked.connect(self._use_builtin)
        self.retry_button.clicked.connect(self._retry)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def show_for(self, summary: BatchSummary, server: str) -> Diagnosis | None:
        """Show the cause *summary*'s failures share, if they share one,
        else hide; *server* is the batch's (a URL or BUILTIN)."""
        self.diagnosis = diagnose(summary)
        if self.diagnosis is None:
            self.hide()
            return None
        text = self.diagnosis.message
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.setAccessibleDescription(text)
        self.builtin_button.setVisible(server != BUILTIN)
        self.show()
        # A screen reader says it without the user going to look for it.
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
        return self.diagnosis

    def _use_builtin(self) -> None:
        self.hide()
        self.useBuiltinRequested.emit()

    def _retry(self) -> None:
        self.hide()
        self.retryRequested.emit()
