"""Unhandled exceptions: logged, and shown in a dialog instead of lost."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("flaggui")

_open_dialogs: list[QMessageBox] = []


def show_exception(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """``sys.excepthook`` for the window: log the error and show it.

    Exceptions raised in Qt slots and in asyncio callbacks reach this hook;
    the app keeps running, and the user sees what went wrong.
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    details = "".join(traceback.format_exception(kind, value, tb))
    log.error("unhandled exception\n%s", details)
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "flaggui", "")
    box.setText(
        QCoreApplication.translate("errors", "Something went wrong: {error}").format(
            error=f"{kind.__name__}: {value}"
        )
    )
    box.setInformativeText(
        QCoreApplication.translate("errors", "flaggui keeps running. The details are below.")
    )
    box.setDetailedText(details)
    box.finished.connect(lambda _result: _open_dialogs.remove(box))
    _open_dialogs.append(box)
    box.open()


def asyncio_exception_handler(loop: object, context: dict[str, object]) -> None:
    """Route exceptions of asyncio callbacks and tasks to the same dialog."""
    error = context.get("exception")
    if isinstance(error, BaseException):
        show_exception(type(error), error, error.__traceback__)
    else:
        log.error("asyncio: %s", context.get("message"))


def install() -> None:
    sys.excepthook = show_exception
