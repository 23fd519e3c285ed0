"""``flaggui serve`` run as a process, for tests that need the real command."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass
class Served:
    banner: str  # the first line it printed
    url: str  # where the flags are
    stderr: str = ""  # everything it printed there, once it has stopped


@contextlib.asynccontextmanager
async def flaggui_serve(*args: str) -> AsyncIterator[Served]:
    """``flaggui serve ARGS --port 0`` until the block ends, then Ctrl+C; it
    must exit 0."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "serve",
        *args,
        "--port",
        "0",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        served = Served(banner, banner.split(" at ")[1].strip())
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = await asyncio.wait_for(process.communicate(), 20)
    served.stderr = err.decode()
    assert process.returncode == 0
