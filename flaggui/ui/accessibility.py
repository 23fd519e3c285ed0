"""Small repairs to what assistive technology is told about Qt's widgets."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QComboBox, QWidget


def tell_combo_choices(window: QWidget) -> None:
    """Have every combo box in *window* say so when its choice changes.

    On Linux, Qt gives a combo box its current text as its accessible name
    (the label comes as a relation), yet sends no event when that text
    changes: a screen reader's cache keeps the old choice, and reads "Code"
    after the user picked "Name" with the arrow keys. The choices made
    before the window shows are told once the event loop runs."""
    for combo in window.findChildren(QComboBox):
        combo.currentIndexChanged.connect(lambda _row, combo=combo: _name_changed(combo))
        QTimer.singleShot(0, combo, lambda combo=combo: _name_changed(combo))


def _name_changed(widget: QWidget) -> None:
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))
