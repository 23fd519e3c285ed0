"""A small local flag server with the public server's URL shape.

``{prefix}/{cc}/{cc}.gif`` and ``{prefix}/{cc}/metadata.json`` are served
from a folder, a ``flags.zip`` or the flags built into flaggui, with an
optional delay, error rate and bandwidth so that concurrency can be seen,
demonstrated and tested without the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import os
import random
import re
import stat
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import quote

# First: aiohttp loaded without the certificate authorities it would load
# for nothing (see there).
from flaggui.core.aiohttp_import import aiohttp  # noqa: F401

# isort: split
from aiohttp import web
from yarl import URL

from flaggui.core.countries import country_name
from flaggui.core.engine import DownloadOptions
from flaggui.core.i18n import _, ngettext
from flaggui.core.images import validate_image
from flaggui.core.network import MAX_BANDWIDTH, MAX_DELAY
from flaggui.core.storage import shown_path
from flaggui.core.untrusted import (
    UnsafeFile,
    clean_text,
    not_regular,
    parse_float,
    read_regular,
    too_large,
)

_FLAG_PATH = re.compile(r"(?:^|/)([a-z]{2})/\1\.gif$")
_FLAT_FLAG_PATH = re.compile(r"^([a-z]{2})\.gif$")
_META_PATH = re.compile(r"(?:^|/)([a-z]{2})/metadata\.json$")
_FLAG_ROUTE = re.compile(r"([a-z]{2})/\1\.gif")
_META_ROUTE = re.compile(r"([a-z]{2})/metadata\.json")

# A served flag is one the engine would accept; a source is read into memory,
# so what is read from it is bounded by size, by total and by number.
MAX_FLAG_BYTES = DownloadOptions().max_bytes
MAX_METADATA_BYTES = 64 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 10_000
# ZipFile parses the whole central directory when it opens; 10,000 entries
# take well under 1 MiB of it.
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
# Compressions that inflate boundedly per byte read (bzip2 and LZMA can
# turn a few KiB into gigabytes in one step).
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

_T = TypeVar("_T")


class SourceError(ValueError):
    """A flag source that cannot be served; the message is for the user,
    ``warnings`` say what was skipped on the way."""

    def __init__(self, message: str, warnings: list[str] | None = None) -> None:
        super().__init__(message)
        self.warnings = warnings or []


class _Exhausted(Exception):
    """The source holds more than flaggui reads; what was read is kept."""


@dataclass
class FlagStore:
    """Flag images and metadata held in memory, keyed by lower-case code;
    ``warnings`` name every entry of the source that was skipped, and why."""

    flags: dict[str, bytes] = field(default_factory=dict)
    metadata: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _total: int = field(default=0, init=False, repr=False)

    @classmethod
    def load(cls, source: Path) -> FlagStore:
        """Read a ``flags.zip`` or a folder laid out ``cc/cc.gif`` (or flat
        ``cc.gif``, such as a folder flaggui downloaded into).

        Only valid GIFs and JSON objects within the size caps are kept;
        anything else is skipped with a warning. Raises SourceError if
        *source* cannot be read or holds no flag."""
        shown = shown_path(source)
        store = cls()
        try:
            mode = source.stat().st_mode
            if stat.S_ISDIR(mode):
                store._load_folder(source.resolve(strict=True), shown)
            elif stat.S_ISREG(mode):
                with source.open("rb") as file:
                    store._load_zip(file, shown)
            else:
                raise SourceError(str(not_regular(shown, mode)))
        except FileNotFoundError:
            raise SourceError(_("{source} does not exist").format(source=shown)) from None
        except (OSError, zipfile.BadZipFile) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise SourceError(
                _("cannot read {source}: {error}").format(
                    source=shown, error=clean_text(str(reason))
                )
            ) from exc
        except _Exhausted:
            pass
        if not store.flags:
            raise SourceError(
                _("{source} holds no flags (expected cc/cc.gif files)").format(source=shown),
                store.warnings,
            )
        return store

    @classmethod
    def builtin(cls) -> FlagStore:
        """The flags built into flaggui: the Fluent Python flag set, installed
        with it as ``flaggui.resources.flags`` (``cc/cc.gif``, ``cc/metadata.json``)."""
        with resources.as_file(resources.files("flaggui.resources") / "flags") as folder:
            return cls.load(folder)

    def _load_zip(self, file: BinaryIO, shown: str) -> None:
        # The reader ZipFile itself opens with (private, unchanged for years).
        end = zipfile._EndRecData(file)  # type: ignore[attr-defined]
        if end is None:
            raise SourceError(_("{source} is neither a folder nor a zip file").format(source=shown))
        if end[zipfile._ECD_SIZE] > MAX_ZIP_DIRECTORY_BYTES:  # type: ignore[attr-defined]
            raise SourceError(
                _("{source} lists too many files (a zip of flags lists a few hundred)").format(
                    source=shown
                )
            )
        with zipfile.ZipFile(file) as archive:
            for info in self._examined(archive.infolist(), shown):
                self._add_member(archive, info)

    def _add_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        name = info.filename
        cap = self._cap_for(name)
        if cap is None:
            return
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            self._skip(name, _("the name leads outside the zip"))
        elif info.compress_type not in _ZIP_METHODS:
            self._skip(name, _("packed with a compression flaggui does not unpack"))
        elif info.file_size > cap:
            self._skip(name, str(too_large(os.path.basename(name), cap)))
        else:
            self._check_room(info.file_size)
            try:
                with archive.open(info) as member:
                    data = member.read(cap + 1)  # the directory may understate the size
            except (
                OSError,
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                RuntimeError,
                ValueError,
            ) as exc:
                self._skip(name, _("cannot unpack it: {error}").format(error=exc))
                return
            if len(data) > cap:
                self._skip(name, str(too_large(os.path.basename(name), cap)))
            else:
                self._reserve(len(data))
                self._add(name, data)

    def _load_folder(self, root: Path, shown: str) -> None:
        for name, entry in self._examined(_walk(root, self._skip), shown):
            if (cap := self._cap_for(name)) is not None:
                self._add_file(root, name, entry, cap)

    def _add_file(self, root: Path, name: str, entry: os.DirEntry[str], cap: int) -> None:
        path = entry.path
        try:
            if entry.is_symlink():
                target = Path(os.path.realpath(path, strict=True))
                if not target.is_relative_to(root):
                    self._skip(name, _("a link to a file outside the source folder"))
                    return
                path = str(target)
            data = read_regular(path, cap)
        except UnsafeFile as exc:
            self._skip(name, str(exc))
        except OSError as exc:
            self._skip(name, exc.strerror or str(exc))
        else:
            self._reserve(len(data))
            self._add(name, data)

    def _examined(self, entries: Iterable[_T], shown: str) -> Iterator[_T]:
        """*entries*, at most MAX_ENTRIES of them."""
        for count, entry in enumerate(entries):
            if count == MAX_ENTRIES:
                self.warnings.append(
                    ngettext(
                        "stopped after the first entry of {source}",
                        "stopped after the first {n} entries of {source}",
                        MAX_ENTRIES,
                    ).format(n=MAX_ENTRIES, source=shown)
                )
                raise _Exhausted
            yield entry

    def _reserve(self, size: int) -> None:
        """Count *size* bytes read towards the total, or stop reading the source."""
        self._check_room(size)
        self._total += size

    def _check_room(self, size: int) -> None:
        if self._total + size > MAX_TOTAL_BYTES:
            self.warnings.append(
                _("stopped reading: the flags read so far exceed {mib} MiB").format(
                    mib=MAX_TOTAL_BYTES // (1024 * 1024)
                )
            )
            raise _Exhausted

    @staticmethod
    def _cap_for(name: str) -> int | None:
        """The size cap of a source entry flaggui serves, None for others."""
        if _FLAG_PATH.search(name) or _FLAT_FLAG_PATH.match(name):
            return MAX_FLAG_BYTES
        if _META_PATH.search(name):
            return MAX_METADATA_BYTES
        return None

    def _add(self, name: str, data: bytes) -> None:
        try:
            if match := _FLAG_PATH.search(name) or _FLAT_FLAG_PATH.match(name):
                validate_image(data, "gif")
                self.flags[match.group(1)] = data
            elif match := _META_PATH.search(name):
                _check_metadata(data)
                self.metadata[match.group(1)] = data
        except ValueError as exc:  # InvalidImage, or metadata that is not a JSON object
            self._skip(name, str(exc))

    def _skip(self, name: str, reason: str) -> None:
        self.warnings.append(
            _("skipped {entry}: {reason}").format(
                entry=clean_text(name, 80), reason=clean_text(reason)
            )
        )

    def metadata_for(self, cc: str) -> bytes:
        """The metadata JSON of *cc*: the source's, else made from the catalogue."""
        if cc in self.metadata:
            return self.metadata[cc]
        name = country_name(cc) or cc.upper()
        return json.dumps({"country": name, "iso_cc": cc.upper()}).encode()


def _walk(root: Path, skip: Callable[[str, str], None]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under *root*, folders included, as its path relative to
    *root* and its DirEntry. Links to folders are not entered; an unreadable
    subfolder is passed to *skip*, an unreadable *root* raises OSError."""
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(root / relative) as scan:
                # A folder may hold millions of names; more than the cap is never looked at.
                entries = sorted(itertools.islice(scan, MAX_ENTRIES + 1), key=lambda e: e.name)
        except OSError as exc:
            if not relative:
                raise
            skip(relative, exc.strerror or str(exc))
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name)
            yield name, entry


def _check_metadata(data: bytes) -> None:
    """Raise ValueError unless *data* is a JSON object."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: [[[[… nested too deep
        value = None
    if not isinstance(value, dict):
        raise ValueError(_("not a JSON object"))


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
    ``delay`` (min, max) seconds, a 500 answer with ``error_rate``, and
    bodies sent at ``bandwidth`` bytes per second per connection (0: at once)."""

    delay: tuple[float, float] = (0.0, 0.0)
    error_rate: float = 0.0
    seed: int | None = None
    bandwidth: int = 0


# A paced body is written in this many pieces a second, each at least
# _MIN_PIECE bytes: smooth enough to watch, few enough writes to be cheap.
_PIECES_PER_SECOND = 20
_MIN_PIECE = 256
_MAX_PIECE = 64 * 1024


async def _send_paced(
    request: web.Request, response: web.StreamResponse, body: bytes, bandwidth: int
) -> None:
    """Send *response*'s headers, then write *body* so that its last byte leaves no sooner than
    ``len(body) / bandwidth`` seconds after its first could have: each piece
    waits for the moment the bytes before it, and it, are due."""
    piece = min(max(bandwidth // _PIECES_PER_SECOND, _MIN_PIECE), _MAX_PIECE)
    start = time.monotonic()
    # A client that stops listening (its deadline passed, it was cancelled)
    # ends the body quietly: that is no fault of the server's.
    with contextlib.suppress(ConnectionResetError):
        await response.prepare(request)
        for offset in range(0, len(body), piece):
            chunk = body[offset : offset + piece]
            due = start + (offset + len(chunk)) / bandwidth
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await response.write(chunk)
        await response.write_eof()


def parse_delay(text: str) -> tuple[float, float]:
    """``0.3`` -> (0.3, 0.3); ``0.05:0.3`` -> (0.05, 0.3); each bound a
    finite number of seconds from 0 to MAX_DELAY, else ValueError."""
    low, sep, high = text.partition(":")
    shown = clean_text(text, 40)
    try:
        bounds = tuple(parse_float(part, 0, MAX_DELAY, "") for part in (low, high if sep else low))
    except ValueError:
        raise ValueError(
            _("bad delay {text!r}: use seconds, e.g. 0.3, or MIN:MAX").format(text=shown)
            + " "
            + _("(each from 0 to {high:g} seconds)").format(high=MAX_DELAY)
        ) from None
    if bounds[1] < bounds[0]:
        raise ValueError(_("bad delay {text!r}: need 0 <= MIN <= MAX").format(text=shown))
    return bounds[0], bounds[1]


def normalize_prefix(prefix: str) -> str:
    """``flags/`` -> ``/flags``; ``/`` or ``""`` -> ``""`` (flags at the root)."""
    return "/" + prefix.strip("/") if prefix.strip("/") else ""


def prefix_in_url(prefix: str) -> str:
    """The normalized *prefix* as a URL writes it: ``my flags`` -> ``/my%20flags``."""
    return quote(normalize_prefix(prefix), errors="surrogateescape")


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
    if not 0 <= behaviour.bandwidth <= MAX_BANDWIDTH:
        raise ValueError(
            _("the bandwidth must be from 0 to {high} bytes per second").format(high=MAX_BANDWIDTH)
        )
    rng = random.Random(behaviour.seed)
    # The prefix as aiohttp decodes it from the URL flaggui announces, so the
    # two agree even on characters that are not UTF-8.
    prefix = URL.build(path=prefix_in_url(prefix), encoded=True).path.rstrip("/")
    app = web.Application()
    app[STORE_KEY] = store
    app[STATS_KEY] = ServerStats()

    async def respond(
        request: web.Request, body: bytes | None, content_type: str
    ) -> web.StreamResponse:
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
            if behaviour.bandwidth:
                response = web.StreamResponse(headers={"Content-Type": content_type})
                response.content_length = len(body)
                await _send_paced(request, response, body, behaviour.bandwidth)
                return response
            return web.Response(body=body, content_type=content_type)
        finally:
            stats.in_flight -= 1

    async def under_prefix(request: web.Request) -> web.StreamResponse:
        # The prefix is compared as text: any characters work, none is a pattern.
        path = request.path
        if not path.startswith(prefix + "/"):
            raise web.HTTPNotFound()
        rest = path[len(prefix) + 1 :]
        if not rest:
            return web.Response(text="\n".join(sorted(store.flags)) + "\n")
        if match := _FLAG_ROUTE.fullmatch(rest):
            return await respond(request, store.flags.get(match.group(1)), "image/gif")
        if match := _META_ROUTE.fullmatch(rest):
            cc = match.group(1)
            body = store.metadata_for(cc) if cc in store.flags else None
            return await respond(request, body, "application/json")
        raise web.HTTPNotFound()

    async def report(request: web.Request) -> web.Response:
        return web.json_response(dataclasses.asdict(request.app[STATS_KEY]))

    app.router.add_get("/_stats", report)
    app.router.add_get("/{path:.*}", under_prefix)
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
