"""A small local flag server with the public server's URL shape.

``{prefix}/{cc}/{cc}.gif`` and ``{prefix}/{cc}/metadata.json`` are served
from a folder or a ``flags.zip``, with an optional delay and error rate so
that concurrency can be seen, demonstrated and tested without the internet.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from flaggui.core.countries import country_name
from flaggui.core.i18n import _

_FLAG_PATH = re.compile(r"(?:^|/)([a-z]{2})/\1\.gif$")
_FLAT_FLAG_PATH = re.compile(r"^([a-z]{2})\.gif$")
_META_PATH = re.compile(r"(?:^|/)([a-z]{2})/metadata\.json$")


class SourceError(ValueError):
    """A flag source that cannot be served; the message is for the user."""


@dataclass
class FlagStore:
    """Flag images and metadata held in memory, keyed by lower-case code."""

    flags: dict[str, bytes] = field(default_factory=dict)
    metadata: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def load(cls, source: Path) -> FlagStore:
        """Read a ``flags.zip`` or a folder laid out ``cc/cc.gif`` (or flat
        ``cc.gif``, such as a folder flaggui downloaded into)."""
        if not source.exists():
            raise SourceError(_("{source} does not exist").format(source=source))
        store = cls()
        try:
            if source.is_dir():
                for path in sorted(source.rglob("*")):
                    if path.is_file():
                        store._add(path.relative_to(source).as_posix(), path.read_bytes)
            elif zipfile.is_zipfile(source):
                with zipfile.ZipFile(source) as archive:
                    for name in archive.namelist():
                        store._add(name, lambda name=name: archive.read(name))
            else:
                raise SourceError(
                    _("{source} is neither a folder nor a zip file").format(source=source)
                )
        except (OSError, zipfile.BadZipFile) as exc:
            raise SourceError(
                _("cannot read {source}: {error}").format(source=source, error=exc)
            ) from exc
        if not store.flags:
            raise SourceError(
                _("{source} holds no flags (expected cc/cc.gif files)").format(source=source)
            )
        return store

    def _add(self, name: str, read: Callable[[], bytes]) -> None:
        if match := _FLAG_PATH.search(name) or _FLAT_FLAG_PATH.match(name):
            self.flags[match.group(1)] = read()
        elif match := _META_PATH.search(name):
            self.metadata[match.group(1)] = read()

    def metadata_for(self, cc: str) -> bytes:
        if cc in self.metadata:
            return self.metadata[cc]
        name = country_name(cc) or cc.upper()
        return json.dumps({"country": name, "iso_cc": cc.upper()}).encode()


@dataclass
class ServerStats:
    """What the server saw; benchmarks read the highest concurrency."""

    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    errors_injected: int = 0


STORE_KEY = web.AppKey("store", FlagStore)
STATS_KEY = web.AppKey("stats", ServerStats)


@dataclass(frozen=True)
class Behaviour:
    """Optional slowness and failures: a delay drawn uniformly from
    ``delay`` (min, max) seconds, and a 500 answer with ``error_rate``."""

    delay: tuple[float, float] = (0.0, 0.0)
    error_rate: float = 0.0
    seed: int | None = None


def parse_delay(text: str) -> tuple[float, float]:
    """``0.3`` -> (0.3, 0.3); ``0.05:0.3`` -> (0.05, 0.3)."""
    low, sep, high = text.partition(":")
    try:
        bounds = (float(low), float(high if sep else low))
    except ValueError:
        raise ValueError(
            _("bad delay {text!r}: use seconds, e.g. 0.3, or MIN:MAX").format(text=text)
        ) from None
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise ValueError(_("bad delay {text!r}: need 0 <= MIN <= MAX").format(text=text))
    return bounds


def normalize_prefix(prefix: str) -> str:
    """``flags/`` -> ``/flags``; ``/`` or ``""`` -> ``""`` (flags at the root)."""
    return "/" + prefix.strip("/") if prefix.strip("/") else ""


def create_app(
    store: FlagStore, prefix: str = "/flags", behaviour: Behaviour | None = None
) -> web.Application:
    """The aiohttp application; ``app[STATS_KEY]`` counts what it served."""
    behaviour = behaviour or Behaviour()
    if not 0.0 <= behaviour.error_rate <= 1.0:
        raise ValueError(
            _("the error rate must be between 0 and 1, not {rate}").format(
                rate=behaviour.error_rate
            )
        )
    rng = random.Random(behaviour.seed)
    prefix = normalize_prefix(prefix)
    app = web.Application()
    app[STORE_KEY] = store
    app[STATS_KEY] = ServerStats()

    async def respond(request: web.Request, body: bytes | None, content_type: str) -> web.Response:
        stats = request.app[STATS_KEY]
        stats.requests += 1
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            low, high = behaviour.delay
            if high > 0:
                await asyncio.sleep(rng.uniform(low, high))
            if behaviour.error_rate and rng.random() < behaviour.error_rate:
                stats.errors_injected += 1
                return web.Response(status=500, text="injected error\n")
            if body is None:
                return web.Response(status=404, text="no such flag\n")
            return web.Response(body=body, content_type=content_type)
        finally:
            stats.in_flight -= 1

    async def flag(request: web.Request) -> web.Response:
        cc = request.match_info["cc"]
        if request.match_info["name"] != cc:
            raise web.HTTPNotFound()
        return await respond(request, store.flags.get(cc), "image/gif")

    async def metadata(request: web.Request) -> web.Response:
        cc = request.match_info["cc"]
        body = store.metadata_for(cc) if cc in store.flags else None
        return await respond(request, body, "application/json")

    async def index(request: web.Request) -> web.Response:
        return web.Response(text="\n".join(sorted(store.flags)) + "\n")

    async def report(request: web.Request) -> web.Response:
        return web.json_response(dataclasses.asdict(request.app[STATS_KEY]))

    app.router.add_get("/_stats", report)
    app.router.add_get(prefix + r"/{cc:[a-z]{2}}/{name:[a-z]{2}}.gif", flag)
    app.router.add_get(prefix + r"/{cc:[a-z]{2}}/metadata.json", metadata)
    app.router.add_get(prefix + "/", index)
    return app


async def serve_forever(
    app: web.Application, host: str, port: int, announce: Callable[[str], None]
) -> None:
    """Serve *app* until cancelled; ``announce`` receives the listening URL.
    Raises OSError (e.g. port in use) before announcing."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1] if runner.addresses else port
        shown = f"[{host}]" if ":" in host else host
        announce(f"http://{shown}:{bound}")
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
