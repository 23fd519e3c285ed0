"""Small repairs to what assistive technology is told about Qt's widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAccessibleWidget,
    QComboBox,
    QLineEdit,
    QStackedWidget,
    QWidget,
)

# Qt 6.8 and newer tell assistive technology of an announcement; with an
# older Qt nothing is announced, and what a widget describes is read only
# when asked.
_Announcement = getattr(QtGui, "QAccessibleAnnouncementEvent", None)


def announce(widget: QWidget, text: str) -> None:
    """Have screen readers say *text* politely, after what they are saying,
    on behalf of *widget* (which should describe the same in its own
    accessible description, for readers that do not announce)."""
    if _Announcement is not None and QAccessible.isActive():
        event = _Announcement(widget, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)


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


def settle_carets(window: QWidget) -> None:
    """Place the caret of every empty text field in *window* once.

    Qt reports a field's first caret position as a move, and a field
    reached with Tab reports it before it reports the focus. Orca then
    takes the field for focused without reading it: an empty search field
    was heard as nothing at all, or as "Text unselected", never by its
    name."""
    for edit in window.findChildren(QLineEdit):
        edit.setCursorPosition(edit.cursorPosition())


class _CurrentItemTeller(QObject):
    """See :func:`tell_current_item`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            # Qt tells the view's own focus after this event: the item follows it.
            QTimer.singleShot(0, watched, lambda: _tell_current(watched))
        return False


def _tell_current(view: QAbstractItemView) -> None:
    current = view.currentIndex()
    if QAccessible.isActive() and view.hasFocus() and current.isValid():
        event = QAccessibleEvent(view, QAccessible.Event.Focus)
        event.setChild(current.row())
        QAccessible.updateAccessibility(event)


def tell_current_item(*views: QAbstractItemView) -> None:
    """When one of *views* (lists of one column) gets the focus, tell
    assistive technology which item is current, as Qt does when the current
    item changes: a screen reader then reads "Brazil (BR), done" after the
    list's name, rather than only "list with 194 items"."""
    for view in views:
        teller = _CurrentItemTeller(view)
        view.installEventFilter(teller)


_AccessibleFactory = Callable[[str, QObject], QAccessibleInterface | None]
_installed_factories: set[_AccessibleFactory] = set()


def install_factory(factory: _AccessibleFactory) -> None:
    """Have Qt ask *factory* for the accessible interface of each widget,
    once however many times this is called (a widget class calls it as
    its first instance is made)."""
    if factory not in _installed_factories:
        QAccessible.installFactory(factory)
        _installed_factories.add(factory)


class ViewStack(QStackedWidget):
    """A stack of views that assistive technology takes for layout. Qt
    calls a stack a "layered pane", and Orca reads that, unnamed, before
    whatever inside it gets the focus ("layered pane, Flags, list")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        install_factory(_accessible_view_stack)
        super().__init__(parent)


def _accessible_view_stack(_key: str, widget: QObject) -> QAccessibleInterface | None:
    if isinstance(widget, ViewStack):
        return QAccessibleWidget(widget, QAccessible.Role.Client)
    return None
