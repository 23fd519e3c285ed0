"""How long flaggui takes to start: from launch to its first window shown,
and a whole ``flaggui get --version``.

Each figure is the median, min and max of five launches of ``python -m
flaggui`` from this tree, after one untimed launch that warms the file
cache. The window runs on an Xvfb server of the benchmark's own when Xvfb is
installed, else on Qt's offscreen platform (``--offscreen`` forces it). Every
launch gets the same fresh HOME and XDG folders, so no settings, flags or
caches of the user's are read (the default flag folder there is empty).

"Shown" is detected without help from the app. Python is started with the
few lines of PROBE ahead of ``runpy.run_module("flaggui")``: once the app
imports ``flaggui.ui.event_loop``, they wrap its ``run``, which the app calls
after creating its QApplication and before building the window, so that it
first installs
an application-wide event filter. The first Expose event of a window that
is then exposed marks the window mapped (under Xvfb: by the X server); a
zero-delay timer after it lets Qt finish painting that first frame. The
probe then prints CLOCK_MONOTONIC, which every process on Linux shares, the
class of the visible top-level widget and whether aiohttp had been imported,
and ends the process. A launch's time is that reading minus the
benchmark's own just before it started the process. If the app ever starts
without ``event_loop.run`` the probe never fires and the launch times out.

``cli_version_s`` is the whole ``python -m flaggui get --version`` process,
from start to exit (``version_s`` the same for ``flaggui --version``). The
last line printed is one JSON object.

    python benchmarks/startup.py [--runs N] [--offscreen]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60.0

PROBE = """
import os, runpy, sys, time
from importlib.machinery import PathFinder


def report():
    from PySide6.QtWidgets import QApplication

    now = time.monotonic()
    shown = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
    print("shown", now, ",".join(shown), "aiohttp" in sys.modules, flush=True)
    os._exit(0)


def watch_first_window():
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstExpose(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Expose and watched.isWindowType():
                if watched.isExposed():
                    app.removeEventFilter(self)
                    QTimer.singleShot(0, report)
            return False

    app = QApplication.instance()
    app.installEventFilter(FirstExpose(app))


class AfterEventLoop:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "flaggui.ui.event_loop":
            return None
        sys.meta_path.remove(AfterEventLoop)
        spec = PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            run = module.run

            def run_watched(*args, **kwargs):
                watch_first_window()
                return run(*args, **kwargs)

            module.run = run_watched

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, AfterEventLoop)
runpy.run_module("flaggui", run_name="__main__", alter_sys=True)
"""


@contextmanager
def xvfb() -> Iterator[str]:
    """An Xvfb server for the benchmark's launches; yields its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as announced:
            number = announced.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def no_display() -> Iterator[None]:
    """Stands for :func:`xvfb` on Qt's offscreen platform."""
    yield None


def isolated_env(home: Path, display: str | None) -> dict[str, str]:
    """The environment of every launch: this tree first on the path, a home
    of its own, English, and the display chosen."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "QT_", "LC_", "WAYLAND_"))
        and key not in ("DISPLAY", "LANGUAGE", "PYTHONSTARTUP")
    }
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
        LANG="C.UTF-8",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    if display:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def window_launch(env: dict[str, str]) -> tuple[float, str, bool]:
    """One launch of the window: seconds to its first frame, the visible
    top-level widgets' classes, and whether aiohttp was imported by then."""
    start = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("shown ")]
    if process.returncode != 0 or not lines:
        raise SystemExit(f"the window did not show:\n{process.stdout}{process.stderr}")
    _, stamp, widgets, aiohttp_loaded = lines[-1].split(" ")
    if "MainWindow" not in widgets.split(","):
        raise SystemExit(f"the first window shown was not flaggui's: {widgets or 'none'}")
    return float(stamp) - start, widgets, aiohttp_loaded == "True"


def command_launch(env: dict[str, str], *args: str) -> float:
    """One whole ``flaggui *args`` process, in seconds; it must succeed."""
    start = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "flaggui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    elapsed = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit(f"flaggui {' '.join(args)} exited {process.returncode}:\n{process.stderr}")
    return elapsed


def spread(label: str, launch: Callable[[], float], runs: int) -> tuple[float, float, float]:
    launch()  # warms the file cache; not counted
    times = [launch() for _ in range(runs)]
    median = statistics.median(times)
    shown = " ".join(f"{t:.3f}" for t in times)
    print(
        f"{label:<26} median {median:.3f} s  (min {min(times):.3f}, max {max(times):.3f}): {shown}"
    )
    return median, min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed launches of each")
    parser.add_argument("--offscreen", action="store_true", help="use Qt's offscreen platform")
    args = parser.parse_args()
    use_xvfb = not args.offscreen and shutil.which("Xvfb") is not None
    seen: list[tuple[str, bool]] = []

    def window() -> float:
        seconds, widgets, aiohttp_loaded = window_launch(env)
        seen.append((widgets, aiohttp_loaded))
        return seconds

    with tempfile.TemporaryDirectory() as home:
        with xvfb() if use_xvfb else no_display() as display:
            env = isolated_env(Path(home), display)
            platform = "xvfb" if display else "offscreen"
            print(f"tree: {ROOT}  platform: {platform}  runs: {args.runs}")
            shown = spread("launch -> window shown", window, args.runs)
        version = spread("flaggui --version", lambda: command_launch(env, "--version"), args.runs)
        get_version = spread(
            "flaggui get --version", lambda: command_launch(env, "get", "--version"), args.runs
        )
    widgets = sorted({w for w, _ in seen})
    aiohttp_before = any(loaded for _, loaded in seen)
    print(f"windows shown: {', '.join(widgets)}; aiohttp imported before: {aiohttp_before}")
    print(
        json.dumps(
            {
                "window_shown_s": round(shown[0], 4),
                "window_shown_spread_s": [round(shown[1], 4), round(shown[2], 4)],
                "cli_version_s": round(get_version[0], 4),
                "cli_version_spread_s": [round(get_version[1], 4), round(get_version[2], 4)],
                "version_s": round(version[0], 4),
                "version_spread_s": [round(version[1], 4), round(version[2], 4)],
                "runs": args.runs,
                "platform": platform,
                "aiohttp_before_shown": aiohttp_before,
            }
        )
    )


if __name__ == "__main__":
    main()
