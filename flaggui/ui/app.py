"""Starting the window: one loop for Qt and asyncio (qasync)."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from importlib import resources

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from flaggui import APP_ID, APP_NAME, __version__
from flaggui.core.i18n import _
from flaggui.ui import errors, event_loop, i18n, theme
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings


def app_icon() -> QIcon:
    icon_file = resources.files("flaggui.resources").joinpath("icons/flaggui.svg")
    with resources.as_file(icon_file) as path:
        return QIcon(str(path))


def create_application(qt_args: Sequence[str] = ()) -> QApplication:
    """The application, made with Qt's own command-line options *qt_args*
    (``-style Fusion``, ``-reverse`` …), or the one that exists already."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    # The window closes itself once downloads have stopped; the loop must
    # not end before that.
    app.setQuitOnLastWindowClosed(False)
    return app


def settle_heap() -> None:
    """Collect what start-up left behind and keep the rest (Qt's wrappers,
    the country data, the window: tens of thousands of objects that live as
    long as the process) out of later garbage collections, which would
    otherwise walk all of it and stall the window for 10 ms or more each
    time, in the middle of a listing or a download."""
    gc.collect()
    gc.freeze()


async def prepare_for_downloads(after: float = 0.0) -> None:
    """Once the window is on screen (and *after* seconds more, so its first
    frames come first), before anyone clicks: load the HTTP side of the
    engine (aiohttp and the certificate store, tens of milliseconds) on a
    worker thread, so that the first batch does not stall the window loading
    it; then set what is alive by then aside from the garbage collector, as
    :func:`settle_heap` did for the window itself."""
    await asyncio.sleep(after)
    await asyncio.to_thread(_load_http)
    gc.freeze()


def _load_http() -> None:
    from flaggui.core import http

    http.tls_context()


def closing(window: MainWindow) -> asyncio.Future[None]:
    """A future that is done once *window* has closed (after stopping its
    downloads)."""
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def settle() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(settle)
    return closed


async def show_window(options: StartOptions) -> None:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(errors.asyncio_exception_handler)
    window = MainWindow(Settings(), options)
    settle_heap()
    closed = closing(window)
    # Ctrl+C in the terminal, and SIGTERM (a logout, `kill`, a service
    # manager), close the window cleanly: downloads are cancelled, no partial
    # file stays, settings are saved, and the process exits 0. Qt's loop
    # does not return to Python on its own, so a timer lets the handler run.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_args: window.close())
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(200)
    window.show()
    prepared = asyncio.ensure_future(prepare_for_downloads(after=0.5))
    if options.start:
        window.start_download()
    try:
        await closed
    finally:
        prepared.cancel()


def run(options: StartOptions, qt_args: Sequence[str] = ()) -> int:
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    errors.install()
    create_application(qt_args)
    settings = Settings()
    i18n.install(options.language or i18n.choose(settings.language.value))
    theme.apply(settings.theme)
    try:
        event_loop.run(show_window(options))
    except event_loop.QtLoopEnded:
        # Nothing can be shown or asked any more. The flags saved are
        # whole files: each is written aside and renamed into place.
        print(
            _("flaggui: the window lost its display (the X server or compositor went away)"),
            file=sys.stderr,
        )
        return 1
    return 0
