from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from flaggui.core import i18n
from flaggui.core.storage import TEMP_PREFIX
from tests.scripted_server import ScriptedServer

# Qt must never look for a display in the test run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Messages in English whatever the machine's locale; tests of 简体中文 ask for it.
os.environ["LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts and ends speaking English."""
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture(autouse=True)
def _data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What flaggui remembers in its data folder (the unfinished flags of a
    folder, the trash) goes under the test's own folder, for it and for any
    flaggui it starts."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


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


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_asyncio_errors = _Recorder()
logging.getLogger("asyncio").addHandler(_asyncio_errors)


@pytest.fixture(autouse=True)
def _no_asyncio_errors() -> Iterator[None]:
    """Fail a test after which asyncio complained ("Task was destroyed but
    it is pending", "Event loop is closed", an unretrieved exception)."""
    _asyncio_errors.records.clear()
    yield
    gc.collect()
    messages = [r.getMessage() for r in _asyncio_errors.records]
    _asyncio_errors.records.clear()
    assert messages == []
