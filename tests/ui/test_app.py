"""``flaggui`` with no command: the whole app in a process, as launched."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from flaggui import cli
from flaggui.core import http
from flaggui.ui.app import prepare_for_downloads
from tests import faults
from tests.conftest import assert_no_temporaries, folder_files
from tests.images import make_gif
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop


def app_environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env


def run_flaggui(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``flaggui ARGS`` as a process that ends by itself."""
    return subprocess.run(
        [sys.executable, "-m", "flaggui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_start_downloads_at_once_and_ctrl_c_or_sigterm_closes_cleanly(
    server: ScriptedServer, tmp_path: Path, stop: signal.Signals
) -> None:
    faults.route_healthy(server, ["cn", "br"])
    server.route("jp", faults.drips("jp", interval=0.05))
    dest = tmp_path / "flags"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "--server",
        server.base_url,
        "--dest",
        str(dest),
        "--countries",
        "CN,BR,JP",
        "--concurrency",
        "5",
        "--view",
        "map",
        "--start",
        env=app_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = asyncio.get_running_loop().time() + 30
    while not ((dest / "br.gif").exists() and (dest / "cn.gif").exists() and server.hits["jp"]):
        assert asyncio.get_running_loop().time() < deadline, "the window did not download"
        await asyncio.sleep(0.05)
    process.send_signal(stop)  # closes the window mid-download
    _out, err = await asyncio.wait_for(process.communicate(), 20)
    messages = err.decode()

    assert process.returncode == 0, messages
    for alarming in ["Traceback", "Task was destroyed", "Event loop is closed", "Error"]:
        assert alarming not in messages
    assert folder_files(dest) == ["br.gif", "cn.gif"]
    assert (dest / "cn.gif").read_bytes() == make_gif("cn")
    assert_no_temporaries(dest)
    saved = (tmp_path / "config" / "flaggui" / "flaggui.conf").read_text()
    assert "BR CN JP" in saved
    assert "concurrency=5" in saved


def test_once_shown_the_window_prepares_the_first_batch_and_sets_its_objects_aside(
    loop: Loop,
) -> None:
    """What the first batch would otherwise do while the window waits: the
    HTTP side is loaded with its certificate store; and what is alive then
    is no longer walked by the garbage collector's full collections."""
    http.tls_context.cache_clear()
    try:
        loop.run(prepare_for_downloads())
        assert http.tls_context.cache_info().currsize == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--countries", "QQ"], "unknown country code 'QQ'"),
        (["--concurrency", "0"], "from 1 to 1000, not '0'"),
        (["--view", "globe"], "invalid choice: 'globe'"),
        (
            ["--server", "ftp://example.org"],
            "neither an http or https URL nor one of REMOTE, LOCAL, BUILTIN",
        ),
        (["--concurrency", "١٢"], "from 1 to 1000, not '١٢'"),
        (["--concurrency", "1_000"], "from 1 to 1000, not '1_000'"),
        (["--dest", "~no-such-user-x/flags"], "cannot find the home folder in ~no-such-user-x"),
        (["-stlye", "Fusion"], "flaggui: error: unknown option -stlye (did you mean -style?)"),
        (["-style"], "flaggui: error: -style needs a value"),
        (["get", "-style", "Fusion"], "-style Fusion: Qt's options are for the window, not"),
    ],
)
def test_bad_window_options_are_refused_before_qt_starts(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_flaggui(*args, env=app_environment(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dest_the_system_rejects_is_left_for_the_window_to_warn_about(
    tmp_path: Path,
) -> None:
    too_long = tmp_path / ("x" * 256) / "flags"
    assert cli._window_folder(too_long) == too_long


@pytest.mark.parametrize("platform", [None, "xcb", "wayland", "wayland;xcb", "xcb:dpi=96"])
def test_without_a_display_the_window_says_so_in_one_line(
    tmp_path: Path, platform: str | None
) -> None:
    env = app_environment(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    result = run_flaggui(env=env)
    assert result.returncode == 2
    assert result.stderr == (
        "flaggui: the window needs a display (DISPLAY and WAYLAND_DISPLAY are not set); "
        "flaggui get works without one\n"
    )


def test_a_file_as_the_folder_is_refused_before_qt_starts(tmp_path: Path) -> None:
    a_file = tmp_path / "flags"
    a_file.write_text("not a folder")
    result = run_flaggui("--dest", str(a_file), env=app_environment(tmp_path))
    assert result.returncode == 2
    assert result.stderr.endswith(f"flaggui: error: {a_file} is a file, not a folder\n")


@pytest.mark.parametrize(
    ("args", "summary"), [([], "5 done,"), (["--lang", "zh_CN"], "完成 5，已存在 0，")]
)
def test_smoke_test_passes(tmp_path: Path, args: list[str], summary: str) -> None:
    result = run_flaggui(*args, "--smoke-test", env=app_environment(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"flaggui smoke test passed: {summary}")
    assert result.stderr == ""


# The window's start with its run replaced by a report of the application
# it would run in.
REPORTING_APP = """
import sys
from flaggui import cli
from flaggui.ui import app

def run(options, qt_args):
    application = app.create_application(qt_args)
    print(application.style().name(), application.layoutDirection().name, options.view)
    print(application.styleSheet())  # "file:///…" for -stylesheet FILE
    return 0

app.run = run
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("args", "report"),
    [
        (
            ["-style", "Windows", "--view", "map", "-reverse", "--qwindowgeometry", "800x600"],
            "windows RightToLeft map",
        ),
        (["-stylesheet", "{sheet}"], "file:///{sheet}"),  # as Qt writes it
    ],
)
def test_qt_options_reach_the_application(tmp_path: Path, args: list[str], report: str) -> None:
    script = tmp_path / "report.py"
    script.write_text(REPORTING_APP, encoding="utf-8")
    sheet = tmp_path / "style.qss"
    sheet.write_text("QLabel { color: red; }", encoding="utf-8")
    env = app_environment(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)  # -platform offscreen needs no display
    result = subprocess.run(
        [
            sys.executable,
            str(script),
            "-platform",
            "offscreen",
            *(arg.format(sheet=sheet) for arg in args),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert report.format(sheet=sheet) in result.stdout.splitlines()


# The window, whose display goes away once it is shown: Qt's xcb plugin
# then ends the application's event loop by itself.
DISPLAY_LOST = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from flaggui import cli
from flaggui.ui import app

shown = app.show_window

async def show_window(options):
    QTimer.singleShot(300, lambda: QApplication.exit(1))
    await shown(options)

app.show_window = show_window
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_window_that_loses_its_display_says_so_in_one_line(tmp_path: Path) -> None:
    script = tmp_path / "display_lost.py"
    script.write_text(DISPLAY_LOST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), "--dest", str(tmp_path / "flags")],
        env=app_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "flaggui: the window lost its display (the X server or compositor went away)"
    )
    assert "Traceback" not in result.stderr


def test_the_smoke_test_runs_with_qt_options(tmp_path: Path) -> None:
    result = run_flaggui(
        "-style", "Fusion", "-reverse", "--smoke-test", env=app_environment(tmp_path), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("flaggui smoke test passed: 5 done,")
    assert result.stderr == ""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="lists threads through /proc")
def test_painting_stays_on_the_window_thread(qapp: QApplication) -> None:
    """Qt's raster engine would hand a fill this tall to a pool of its own
    threads and wait for them; the window draws on its own thread instead."""
    image = QImage(600, 600, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.fillRect(0, 0, 600, 600, QColor(30, 115, 232, 128))
    painter.drawImage(0, 0, image.copy())
    painter.end()
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            names.append(Path(f"/proc/self/task/{task}/comm").read_text().strip())
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    assert "Thread (pooled)" not in names
    assert image.pixelColor(300, 300).blue() > 0
