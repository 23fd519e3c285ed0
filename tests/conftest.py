from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from flaggui.core.storage import TEMP_PREFIX
from tests.scripted_server import ScriptedServer

# Qt must never look for a display in the test run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
async def server() -> AsyncIterator[ScriptedServer]:
    scripted = ScriptedServer()
    await scripted.start()
    yield scripted
    await scripted.close()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "flags"


def folder_files(folder: Path) -> list[str]:
    """Every entry of *folder*, hidden ones included."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_no_temporaries(folder: Path) -> None:
    stray = [n for n in folder_files(folder) if n.startswith((TEMP_PREFIX, ".")) or "part" in n]
    assert stray == []
    empty = [n for n in folder_files(folder) if (folder / n).stat().st_size == 0]
    assert empty == []
