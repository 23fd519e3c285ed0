"""Batched saving off the event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from flaggui.core.saver import BatchSaver
from tests.conftest import folder_files
from tests.images import make_gif


async def test_many_saves_at_once_all_land(tmp_path: Path) -> None:
    saver = BatchSaver(tmp_path)
    codes = [f"a{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
    paths = await asyncio.gather(*(saver.save(f"{c}.gif", make_gif(c)) for c in codes))
    assert paths == [tmp_path / f"{c}.gif" for c in codes]
    assert all((tmp_path / f"{c}.gif").read_bytes() == make_gif(c) for c in codes)
    await saver.wait_idle()


async def test_a_failed_save_fails_only_its_own_flag(tmp_path: Path) -> None:
    saver = BatchSaver(tmp_path)
    (tmp_path / "bb.gif").mkdir()  # a folder where the file should go
    good, bad = await asyncio.gather(
        saver.save("aa.gif", b"one"), saver.save("bb.gif", b"two"), return_exceptions=True
    )
    assert good == tmp_path / "aa.gif"
    assert isinstance(bad, IsADirectoryError)
    assert folder_files(tmp_path) == ["aa.gif", "bb.gif"]


async def test_a_save_in_progress_completes_even_if_its_waiter_is_cancelled(
    tmp_path: Path,
) -> None:
    saver = BatchSaver(tmp_path)
    waiter = asyncio.create_task(saver.save("cn.gif", make_gif("cn")))
    await asyncio.sleep(0)  # the batch is now on its way to the worker thread
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await saver.wait_idle()
    assert (tmp_path / "cn.gif").read_bytes() == make_gif("cn")
    assert folder_files(tmp_path) == ["cn.gif"]
