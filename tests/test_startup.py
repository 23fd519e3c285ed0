"""What flaggui loads before it is useful: each command imports only what it
uses, and the window is up before aiohttp is loaded. Checked in child
interpreters, whose ``sys.modules`` start empty."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from flaggui import __version__
from tests import faults
from tests.conftest import folder_files
from tests.scripted_server import ScriptedServer

# Runs ``python -m flaggui`` with the arguments given after it, then prints
# the names of the loaded modules as the last line on stderr.
RUN_FLAGGUI = """
import json, runpy, sys
try:
    runpy.run_module("flaggui", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

# Opens the window as ``flaggui`` does, with its settings and folder under
# argv[1] and the server argv[2] if given, and prints the modules loaded at
# the moment it is exposed.
SHOW_WINDOW = """
import asyncio, json, sys
from pathlib import Path

import flaggui.cli
from PySide6.QtCore import QSettings
from flaggui.ui.app import closing, create_application
from flaggui.ui.main_window import MainWindow, StartOptions
from flaggui.ui.settings import Settings
import qasync


async def show():
    home = Path(sys.argv[1])
    settings = Settings(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    server = sys.argv[2] if len(sys.argv) > 2 else None
    window = MainWindow(settings, StartOptions(server=server, folder=home / "flags"))
    closed = closing(window)
    window.show()
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        await asyncio.sleep(0.01)
    shown = sorted(sys.modules)
    window.close()
    await closed
    print(json.dumps(shown))


create_application()
qasync.run(show())
"""

# Loaded by the server, the window or the progress bar; never by the CLI's import.
HEAVY = ("aiohttp", "flaggui.server", "flaggui.core.http", "tqdm", "PySide6", "qasync")


def loaded(names: list[str], *prefixes: str) -> list[str]:
    """The modules among *names* that are any of *prefixes* or inside them."""
    return [n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)]


def run_flaggui(*args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    process = subprocess.run(
        [sys.executable, "-c", RUN_FLAGGUI, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return process, json.loads(process.stderr.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_server_progress_bar_or_qt() -> None:
    code = "import json, sys, flaggui.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    modules = json.loads(out.stdout)
    assert loaded(modules, *HEAVY, "platformdirs", "pycountry", "asyncio") == []


# Prints how many authorities aiohttp's default TLS context, one made after
# it, and flaggui's own https context hold, once *module* is imported.
COUNT_AUTHORITIES = """
import importlib, json, ssl, sys
importlib.import_module(sys.argv[1])
import aiohttp.connector
from flaggui.core import http
print(json.dumps([
    aiohttp.connector._SSL_CONTEXT_VERIFIED.cert_store_stats()["x509_ca"],
    ssl.create_default_context().cert_store_stats()["x509_ca"],
    http.tls_context().cert_store_stats()["x509_ca"],
]))
"""


@pytest.mark.parametrize("module", ["flaggui.core.http", "flaggui.server"])
def test_aiohttp_is_loaded_without_the_system_authorities(module: str) -> None:
    """flaggui never uses aiohttp's default TLS contexts (every https request
    carries certifi's): loading authorities into them as aiohttp is imported
    would cost every start ~40 ms. Only those two skip them."""
    import certifi

    # A system store that surely holds authorities, whatever the machine has.
    env = {**os.environ, "SSL_CERT_FILE": certifi.where()}
    out = subprocess.run(
        [sys.executable, "-c", COUNT_AUTHORITIES, module],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    aiohttps, made_after, flagguis = json.loads(out.stdout)
    assert aiohttps == 0
    assert made_after > 100
    assert flagguis > 100


def test_version_loads_no_aiohttp() -> None:
    for args in (["--version"], ["get", "--version"], ["serve", "--version"]):
        process, modules = run_flaggui(*args)
        assert process.stdout.strip() == f"flaggui {__version__}"
        assert loaded(modules, *HEAVY) == []


async def test_get_without_a_terminal_loads_no_progress_bar(
    server: ScriptedServer, tmp_path: Path
) -> None:
    faults.route_healthy(server, ["cn", "jp"])
    dest = tmp_path / "flags"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-c", RUN_FLAGGUI, "get", "cn", "jp", "-s", server.base_url, "-d", str(dest)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "LANGUAGE": "en"},
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    modules = json.loads(err.decode().strip().splitlines()[-1])
    assert out.decode().splitlines()[-1].startswith("2 flags downloaded in ")
    assert folder_files(dest) == ["cn.gif", "jp.gif"]
    assert "aiohttp" in modules  # the download did run
    assert loaded(modules, "tqdm", "flaggui.server", "aiohttp.web", "PySide6") == []
    assert loaded(modules, "platformdirs") == []  # --dest was given
    assert loaded(modules, "pycountry") == []  # nor are names printed without -v
    # A plain-http server needs no certificates, English no catalogue.
    assert loaded(modules, "certifi", "importlib.resources") == []


async def test_get_on_a_terminal_shows_a_progress_bar(
    server: ScriptedServer, tmp_path: Path
) -> None:
    faults.route_healthy(server, ["cn", "jp"])
    dest = tmp_path / "flags"
    terminal, side = pty.openpty()
    # 24 rows of 80 columns: tqdm draws nothing on a terminal 0 columns wide.
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "flaggui", "get", "cn", "jp", "-s", server.base_url, "-d", str(dest)),
            stdout=subprocess.PIPE,
            stderr=side,
        )
        os.close(side)
        out, _ = await asyncio.wait_for(process.communicate(), 60)
        shown = b""
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # EIO: the child's end is closed and all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(terminal)
    assert process.returncode == 0
    assert out.decode().splitlines()[-1].startswith("2 flags downloaded in ")
    assert b"/2 [" in shown  # tqdm's "0/2 [00:00<?, ?flag/s]"


@pytest.mark.parametrize("server", [[], ["BUILTIN"]])
def test_window_is_shown_before_aiohttp_is_loaded(tmp_path: Path, server: list[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANGUAGE": "en"}
    out = subprocess.run(
        [sys.executable, "-c", SHOW_WINDOW, str(tmp_path), *server],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert "flaggui.ui.main_window" in modules
    assert loaded(modules, "aiohttp", "flaggui.server", "flaggui.core.http", "tqdm") == []


# The app's own start: the window shown, then the HTTP layer loaded while
# the user looks at it, so that the first download does not wait for it.
WARM_UP = """
import asyncio, json, sys

from PySide6.QtWidgets import QApplication
from flaggui.ui import app
from flaggui.ui.main_window import StartOptions

seen = []


async def watch():
    while not QApplication.topLevelWidgets() or not any(
        w.isVisible() for w in QApplication.topLevelWidgets()
    ):
        await asyncio.sleep(0.005)
    seen.append("flaggui.core.http" in sys.modules)
    for _ in range(2000):
        if "flaggui.core.http" in sys.modules:
            break
        await asyncio.sleep(0.005)
    seen.append("flaggui.core.http" in sys.modules)
    for window in QApplication.topLevelWidgets():
        window.close()


async def main():
    watcher = asyncio.ensure_future(watch())
    await app.show_window(StartOptions(folder=None))
    await watcher


app.create_application()
import qasync
qasync.run(main())
print(json.dumps(seen))
"""


def test_the_window_loads_the_http_layer_after_it_is_shown(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LANGUAGE": "en",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    out = subprocess.run(
        [sys.executable, "-c", WARM_UP], capture_output=True, text=True, timeout=60, env=env
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, True]
