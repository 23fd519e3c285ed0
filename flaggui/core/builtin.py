"""The built-in flag server: the flags installed with flaggui, served from the
process itself on an ephemeral 127.0.0.1 port, so that flaggui works — and
shows what concurrency does — with no network and no second program.

It is ``flaggui serve``'s application (:mod:`flaggui.server`), playing the
:class:`~flaggui.core.network.NetworkConditions` it is started with. The
server and aiohttp.web are imported when it first starts, never before, so
that ``flaggui --version`` and the window's first show do without them.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

from flaggui.core.i18n import _
from flaggui.core.network import NetworkConditions
from flaggui.core.servers import ServerError
from flaggui.core.untrusted import clean_text

if TYPE_CHECKING:
    from aiohttp import web

    from flaggui.server import FlagStore

HOST = "127.0.0.1"
PREFIX = "/flags"
# Stopping waits this long for answers under way, then cuts them off.
_STOP_GRACE = 0.5
# Room for every request of the largest batch to connect at once: the server
# plays the conditions it is given, not a small listen queue.
_BACKLOG = 1024


@functools.cache
def builtin_flags() -> FlagStore:
    """The built-in flags, read once per process (about 2.3 MB); raises
    ServerError if the installation lacks them."""
    from flaggui.server import FlagStore, SourceError

    try:
        return FlagStore.builtin()
    except SourceError as exc:
        raise ServerError(
            _("the built-in flags cannot be read: {error}").format(error=exc)
        ) from exc


class BuiltinServer:
    """The built-in flags, served while started. :meth:`start` starts the
    server, or returns the running one's URL if its conditions are the same
    (other conditions start it again, on a new port); :meth:`stop` stops it.
    Each may be called any number of times; a batch calls :meth:`start`
    before its first request."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._conditions: NetworkConditions | None = None
        self._url: str | None = None
        self._lock = asyncio.Lock()

    @property
    def url(self) -> str | None:
        """The base URL of the flags (``http://127.0.0.1:PORT/flags``) while
        the server runs, else None."""
        return self._url

    async def start(self, conditions: NetworkConditions | None = None) -> str:
        """Serve the built-in flags with *conditions*; return their base URL.
        Raises ServerError if the flags cannot be read or no port opened."""
        conditions = conditions or NetworkConditions()
        async with self._lock:
            if self._url is not None and conditions == self._conditions:
                return self._url
            await self._stop()
            from aiohttp import web

            from flaggui.server import Behaviour, create_app

            # Reading and checking 194 files is kept off the event loop.
            store = await asyncio.to_thread(builtin_flags)
            behaviour = Behaviour(
                conditions.latency, conditions.error_rate, bandwidth=conditions.bandwidth
            )
            app = create_app(store, PREFIX, behaviour)
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=_STOP_GRACE)
            await runner.setup()
            try:
                await web.TCPSite(runner, HOST, 0, backlog=_BACKLOG).start()
            except OSError as exc:
                await runner.cleanup()
                raise ServerError(
                    _("cannot start the built-in server: {error}").format(
                        error=clean_text(exc.strerror or str(exc))
                    )
                ) from exc
            except BaseException:
                await runner.cleanup()
                raise
            self._runner, self._conditions = runner, conditions
            self._url = f"http://{HOST}:{runner.addresses[0][1]}{PREFIX}"
            return self._url

    async def stop(self) -> None:
        """Stop serving (at once: requests under way are cut off)."""
        async with self._lock:
            await self._stop()

    async def _stop(self) -> None:
        runner, self._runner, self._url = self._runner, None, None
        if runner is not None:
            await runner.cleanup()
