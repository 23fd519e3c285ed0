"""Making menu actions: one way, so every action shows its shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def make_action(
    parent: QObject,
    text: str,
    shortcut: str | QKeySequence.StandardKey = "",
    slot: Callable[[], object] | None = None,
) -> QAction:
    """A QAction with *text* and *shortcut*, calling *slot* when triggered."""
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if slot is not None:
        action.triggered.connect(slot)
    return action
