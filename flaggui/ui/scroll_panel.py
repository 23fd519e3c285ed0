"""A panel that scrolls up and down rather than be squeezed."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class VerticalScrollArea(QScrollArea):
    """Shows *panel* at its full width and scrolls it vertically: it may be
    as short as the window needs (with the timeline open, in 800 x 600, or
    with a large font) but never narrower than the panel, so nothing in it
    is cut off at the side. The panel's controls take the focus, not the
    area, and it scrolls to the one that has it."""

    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        panel = self.widget()
        if panel is not None:
            scroll_bar = self.verticalScrollBar().sizeHint().width()
            hint.setWidth(panel.minimumSizeHint().width() + scroll_bar + 2 * self.frameWidth())
        return hint
