"""``flaggui --smoke-test``: the whole app, offscreen, against its built-in
flag server. The packaged build runs it to prove it can start Qt, decode GIFs
(the image plugin is bundled), open TLS (certificates are bundled), serve the
flags it carries, download, save and show them, and quit cleanly (the
built-in server stopped with the window). With ``--lang zh_CN`` it
also proves the translations are bundled: Qt's and flaggui's catalogues, the
core's gettext catalogue and pycountry's Chinese country names."""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QSettings,
    QtMsgType,
    qInstallMessageHandler,
)

import qasync

from flaggui.core import i18n as core_i18n
from flaggui.core.builtin import builtin_flags
from flaggui.core.http import tls_context
from flaggui.core.servers import BUILTIN
from flaggui.core.storage import existing_size
from flaggui.ui import i18n
from flaggui.ui.app import closing, create_application
from flaggui.ui.flag_model import TileState
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings
from flaggui.ui.thumbnails import ThumbnailKey

SAMPLE_FLAGS = ["DE", "FR", "IT", "NG", "PE"]
DEADLINE = 60.0


class SmokeFailure(Exception):
    pass


async def _until(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _smoke(scratch: Path) -> str:
    context = tls_context()
    if not isinstance(context, ssl.SSLContext) or not context.cert_store_stats()["x509_ca"]:
        raise SmokeFailure("no certificate authorities for HTTPS")

    folder = scratch / "flags"
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(
        settings, StartOptions(server=BUILTIN, folder=folder, countries=SAMPLE_FLAGS)
    )
    try:
        window.show()
        window.start_download()
        await _until(lambda: not window.controller.busy, "the download")
        states = {tile.code: tile.state for tile in window.flags.tiles()}
        if states != dict.fromkeys(SAMPLE_FLAGS, TileState.DONE):
            reasons = {t.code: t.reason for t in window.flags.tiles() if t.reason}
            raise SmokeFailure(f"flags did not all download: {states} {reasons}")
        for code in SAMPLE_FLAGS:
            data = builtin_flags().flags[code.lower()]
            saved = folder / f"{code.lower()}.gif"
            if existing_size(saved) != len(data) or saved.read_bytes() != data:
                raise SmokeFailure(f"{saved} is missing or differs from what was served")

        def shown() -> bool:
            size = window.flags.thumbnail_size
            keys = [
                ThumbnailKey.of(t.path, t.version, size) for t in window.flags.tiles() if t.path
            ]
            broken = [k for k in keys if window.cache.is_broken(k.path, k.version)]
            if broken:
                raise SmokeFailure(f"cannot decode {broken[0].path}: is the GIF plugin missing?")
            return all(window.cache.pixmap(key) is not None for key in keys)

        await _until(shown, "the thumbnails")
        summary = window.summary_label.text()
    finally:
        closed = closing(window)
        window.close()
        await closed
    if window.controller.builtin.url is not None:
        raise SmokeFailure("the built-in server still runs after the window closed")
    return summary


def _check_language(language: str) -> None:
    """The catalogues of *language* load and translate (English's has only
    the plural forms)."""
    if i18n.install(language) != language:
        raise SmokeFailure(f"unknown language {language!r}")
    one = QCoreApplication.translate("MainWindow", "Downloading %n flags…", "", 1)
    if one == "Downloading 1 flags…":
        raise SmokeFailure(f"the {language} Qt catalogue (plural forms) is missing")
    if language == "en":
        return
    if core_i18n._("cancelled") == "cancelled":
        raise SmokeFailure(f"the {language} gettext catalogue is missing")
    if QCoreApplication.translate("MainWindow", "Download") == "Download":
        raise SmokeFailure(f"the {language} Qt catalogue is missing")
    if i18n.name_of("CN") == "China":
        raise SmokeFailure(f"pycountry's {language} country names are missing")


def _quiet_offscreen_notes(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen platform says it cannot talk to a window manager; that
    # is expected here, anything else is shown.
    if "This plugin does not support" not in message:
        print(message, file=sys.stderr)


def run(language: str = "en", qt_args: Sequence[str] = ()) -> int:
    """Run the smoke test in *language*, with Qt's own options *qt_args*; 0
    when everything worked, 1 with the reason."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    qInstallMessageHandler(_quiet_offscreen_notes)
    create_application(qt_args)
    with tempfile.TemporaryDirectory(prefix="flaggui-smoke-") as scratch:
        try:
            _check_language(language)
            summary = qasync.run(_smoke(Path(scratch)))
        except SmokeFailure as failure:
            print(f"flaggui smoke test FAILED: {failure}", file=sys.stderr)
            return 1
    print(f"flaggui smoke test passed: {summary}")
    return 0
