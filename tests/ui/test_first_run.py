"""A batch that explains itself: the banner that names one cause for a
failed batch, and the progress bar that tells how the flags ended, driven
as a person drives the window, against real servers on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flaggui.core.countries import FLAG_CODES
from flaggui.core.events import FlagResult, FlagState
from flaggui.core.progress import BatchProgress
from flaggui.core.servers import BUILTIN
from flaggui.ui.batch_progress import SEGMENTS, BatchProgressBar
from flaggui.ui.flag_model import TileState
from flaggui.ui.main_window import MainWindow
from tests import faults
from tests.scripted_server import ScriptedServer
from tests.test_diagnosis import closed_port
from tests.ui.conftest import Loop, PaintCounter, WindowFactory

CODES = ["BR", "CN", "JP"]


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def states(window: MainWindow) -> dict[str, TileState]:
    return {tile.code: tile.state for tile in window.flags.tiles()}


def download(qtbot: QtBot, loop: Loop, window: MainWindow) -> None:
    click(qtbot, window.download_button)
    assert window.controller.busy
    loop.until(lambda: not window.controller.busy)


def bar_colours(window: MainWindow) -> set[str]:
    """The colours along the middle of the bar, as painted, away from its
    rounded ends."""
    image = window.progress.grab().toImage()
    y = 4  # within the bar, above the words
    return {image.pixelColor(x, y).name() for x in range(8, image.width() - 8)}


def test_a_closed_port_is_named_once_above_the_grid(
    qtbot: QtBot, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    port = closed_port()
    window = make_window(
        server=f"http://127.0.0.1:{port}/flags", folder=tmp_path / "flags", countries=CODES
    )
    assert not window.banner.isVisible()
    download(qtbot, loop, window)

    assert window.banner.isVisible()
    assert window.banner.message.text() == (
        f"Cannot reach 127.0.0.1:{port}: no network connection, or the server is not running?"
    )
    assert window.banner.accessibleName() == "Download problem"
    assert window.banner.builtin_button.isVisible()
    assert window.banner.retry_button.isVisible()
    # No full bar of progress: all of it is the colour of failure.
    assert window.progress.text() == "3 failed"
    assert window.progress.accessibleName() == "Download progress"
    assert window.progress.accessibleDescription() == "0 of 3 saved, 3 failed"
    assert bar_colours(window) == {SEGMENTS[FlagState.ERROR].name()}

    click(qtbot, window.banner.dismiss_button)
    assert not window.banner.isVisible()


def test_a_name_that_does_not_resolve_offers_the_built_in_server(
    qtbot: QtBot, loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(
        server="http://nonexistent.invalid/flags", folder=tmp_path / "flags", countries=CODES
    )
    download(qtbot, loop, window)
    assert window.banner.isVisible()
    assert window.banner.message.text() == (
        "Cannot find the server nonexistent.invalid: no network connection, or a mistyped address?"
    )

    click(qtbot, window.banner.builtin_button)

    assert not window.banner.isVisible()
    assert window.panel.server_combo.currentData() == BUILTIN
    assert window.panel.network_combo.isVisible()
    assert window.download_button.isEnabled()


def test_retry_in_the_banner_tries_the_flags_again(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    dest = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=dest, countries=CODES)
    download(qtbot, loop, window)  # nothing routed: a 404 for every flag
    assert window.banner.isVisible()
    assert window.banner.message.text() == (
        "127.0.0.1 has none of these flags (HTTP 404): is the server's address or the source right?"
    )
    assert window.progress.text() == "3 not found"

    faults.route_healthy(flag_server, CODES)
    click(qtbot, window.banner.retry_button)
    assert not window.banner.isVisible()
    loop.until(lambda: not window.controller.busy)

    assert states(window) == dict.fromkeys(CODES, TileState.DONE)
    assert not window.banner.isVisible()
    assert window.progress.text() == "3 saved"
    assert bar_colours(window) == {SEGMENTS[FlagState.DONE].name()}


def test_mixed_failures_leave_the_banner_hidden(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    flag_server.route("br", faults.healthy("br"))
    flag_server.route("cn", faults.status(403))
    window = make_window(server=flag_server.base_url, folder=tmp_path / "flags", countries=CODES)
    download(qtbot, loop, window)

    assert not window.banner.isVisible()
    assert window.progress.text() == "1 saved · 1 not found · 1 failed"
    assert window.progress.accessibleDescription() == "1 of 3 saved, 1 not found, 1 failed"
    assert bar_colours(window) == {
        SEGMENTS[state].name() for state in (FlagState.DONE, FlagState.NOT_FOUND, FlagState.ERROR)
    }


def test_a_slow_batch_shows_its_speed_and_the_time_left(
    qtbot: QtBot,
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    codes = FLAG_CODES[:16]
    faults.route_healthy(flag_server, codes)
    flag_server.delay = 0.25
    window = make_window(
        server=flag_server.base_url, folder=tmp_path / "flags", countries=codes, concurrency=2
    )
    window.panel.adaptive_check.setChecked(False)
    click(qtbot, window.download_button)
    assert window.progress.text().startswith("0 of 16")
    assert "flags/s" not in window.progress.text()  # no speed before there is one

    loop.until(lambda: "left" in window.progress.text())
    words = window.progress.text().split(" · ")
    assert words[0].endswith(" of 16")
    assert words[1].endswith(" flags/s")
    assert words[2].endswith(" KiB/s")
    assert re.fullmatch(r"about \d+ s left", words[3])
    assert "flags/s" in window.progress.accessibleDescription()
    loop.until(lambda: not window.controller.busy)

    assert window.progress.text() == "16 saved"
    assert window.progress.accessibleDescription() == "16 of 16 saved"


def test_the_progress_bar_is_repainted_with_the_window_not_at_each_change(
    qtbot: QtBot,
) -> None:
    bar = BatchProgressBar()
    qtbot.addWidget(bar)
    bar.resize(300, 40)
    bar.show()
    qtbot.waitExposed(bar)
    counter = PaintCounter()
    bar.installEventFilter(counter)
    progress = BatchProgress(10)
    bar.start(progress)
    qtbot.waitUntil(lambda: counter.paints > 0)
    counter.paints = 0
    for code in ("AD", "AE", "AF"):
        progress.add(FlagResult(code, FlagState.DONE, size=1024))
        bar.refresh()
    assert counter.paints == 0
    qtbot.waitUntil(lambda: counter.paints > 0)
    assert bar.value() == 3
    assert bar.text().startswith("3 of 10")
