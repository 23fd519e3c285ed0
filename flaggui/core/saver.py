"""Saving flags off the event loop, many per trip to the worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from flaggui.core.storage import save_atomically

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Job:
    filename: str
    data: bytes
    future: asyncio.Future[Path]


def _save_batch(folder: Path, jobs: list[tuple[str, bytes]]) -> list[Path | Exception]:
    outcomes: list[Path | Exception] = []
    for filename, data in jobs:
        try:
            outcomes.append(save_atomically(folder, filename, data))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes


class BatchSaver:
    """Saves flags atomically on a worker thread, batching those that arrive
    together.

    Every trip to a worker thread wakes the thread and then the event loop,
    and the two contend for the interpreter lock with the network code; when
    a hundred flags arrive in the same few milliseconds, one trip saves them
    all. A save that has started always completes, even if the flag's task
    is cancelled meanwhile, so a file is never left half written.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: list[_Job] = []
        self._worker: asyncio.Task[None] | None = None

    async def save(self, filename: str, data: bytes) -> Path:
        loop = asyncio.get_running_loop()
        job = _Job(filename, data, loop.create_future())
        self._pending.append(job)
        if self._worker is None:
            self._worker = loop.create_task(self._drain(), name="flaggui-saver")
        return await job.future

    async def wait_idle(self) -> None:
        """Return once every queued save has finished."""
        if self._worker is not None:
            await finish_even_if_cancelled(self._worker)

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                jobs = [(job.filename, job.data) for job in batch]
                outcomes = await finish_even_if_cancelled(
                    asyncio.to_thread(_save_batch, self.folder, jobs)
                )
                for job, outcome in zip(batch, outcomes, strict=True):
                    if job.future.done():
                        continue
                    if isinstance(outcome, Exception):
                        job.future.set_exception(outcome)
                    else:
                        job.future.set_result(outcome)
        finally:
            self._worker = None


async def finish_even_if_cancelled(work: Awaitable[T]) -> T:
    """Await *work* to the end even if the caller is cancelled meanwhile:
    work that has started on a thread runs on regardless, so its result must
    be collected. Raises CancelledError only if *work* itself was cancelled."""
    future = asyncio.ensure_future(work)
    while True:
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if future.cancelled():
                raise
            if future.done():
                return future.result()
