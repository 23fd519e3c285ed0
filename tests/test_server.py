"""``flaggui serve``'s application, served for real on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import zipfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from flaggui.server import (
    STATS_KEY,
    Behaviour,
    FlagStore,
    SourceError,
    create_app,
    parse_delay,
)
from tests.images import make_gif


def write_zip(path: Path, codes: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for cc in codes:
            archive.writestr(f"flags/{cc}/{cc}.gif", make_gif(cc))
            meta = {"country": f"Country {cc.upper()}", "iso_cc": cc.upper()}
            archive.writestr(f"flags/{cc}/metadata.json", json.dumps(meta))
    return path


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def test_store_loads_a_zip(tmp_path: Path) -> None:
    store = FlagStore.load(write_zip(tmp_path / "flags.zip", ["cn", "br"]))
    assert sorted(store.flags) == ["br", "cn"]
    assert store.flags["cn"] == make_gif("cn")
    assert json.loads(store.metadata_for("br"))["country"] == "Country BR"


@pytest.mark.parametrize("layout", ["nested", "flat"])
def test_store_loads_a_folder(tmp_path: Path, layout: str) -> None:
    for cc in ["cn", "jp"]:
        path = tmp_path / cc / f"{cc}.gif" if layout == "nested" else tmp_path / f"{cc}.gif"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(make_gif(cc))
    (tmp_path / "notes.txt").write_text("ignored")
    store = FlagStore.load(tmp_path)
    assert sorted(store.flags) == ["cn", "jp"]
    # No metadata file: the name comes from the catalogue.
    assert json.loads(store.metadata_for("jp"))["country"] == "Japan"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.zip", "does not exist"),
        (lambda p: p, "holds no flags"),
        (lambda p: (p / "x.txt", (p / "x.txt").write_text("x"))[0], "neither a folder nor a zip"),
    ],
)
def test_bad_sources(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    with pytest.raises(SourceError, match=message):
        FlagStore.load(make(tmp_path))


def test_parse_delay() -> None:
    assert parse_delay("0.3") == (0.3, 0.3)
    assert parse_delay("0.05:0.3") == (0.05, 0.3)
    for bad in ["x", "0.3:0.1", "-1"]:
        with pytest.raises(ValueError, match="bad delay"):
            parse_delay(bad)


async def test_serves_the_public_url_shape(tmp_path: Path) -> None:
    store = FlagStore.load(write_zip(tmp_path / "flags.zip", ["cn", "br"]))
    async with running(create_app(store)) as base, aiohttp.ClientSession() as session:
        async with session.get(f"{base}/flags/cn/cn.gif") as response:
            assert response.status == 200
            assert response.content_type == "image/gif"
            assert await response.read() == make_gif("cn")
        async with session.get(f"{base}/flags/br/metadata.json") as response:
            assert (await response.json())["country"] == "Country BR"
        for missing in ["/flags/jp/jp.gif", "/flags/cn/br.gif", "/flags/jp/metadata.json"]:
            async with session.get(base + missing) as response:
                assert response.status == 404, missing
        async with session.get(f"{base}/flags/") as response:
            assert (await response.text()).split() == ["br", "cn"]


async def test_prefix_error_rate_and_stats(tmp_path: Path) -> None:
    store = FlagStore.load(write_zip(tmp_path / "flags.zip", ["cn"]))
    app = create_app(store, prefix="/data/flags/", behaviour=Behaviour(error_rate=1.0))
    async with running(app) as base, aiohttp.ClientSession() as session:
        async with session.get(f"{base}/data/flags/cn/cn.gif") as failed:
            assert failed.status == 500
        async with session.get(f"{base}/_stats") as report:
            reported = await report.json()
    stats = app[STATS_KEY]
    assert (stats.requests, stats.errors_injected, stats.in_flight) == (1, 1, 0)
    assert reported == {"requests": 1, "in_flight": 0, "max_in_flight": 1, "errors_injected": 1}


async def test_delay_lets_requests_overlap(tmp_path: Path) -> None:
    codes = ["cn", "br", "jp", "in", "us"]
    store = FlagStore.load(write_zip(tmp_path / "flags.zip", codes))
    app = create_app(store, behaviour=Behaviour(delay=(0.2, 0.3), seed=1))
    async with running(app) as base, aiohttp.ClientSession() as session:

        async def fetch(cc: str) -> bytes:
            async with session.get(f"{base}/flags/{cc}/{cc}.gif") as response:
                return await response.read()

        bodies = await asyncio.gather(*(fetch(cc) for cc in codes))
    assert bodies == [make_gif(cc) for cc in codes]
    assert app[STATS_KEY].max_in_flight == 5


def test_bad_error_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        create_app(FlagStore({"cn": b"x"}), behaviour=Behaviour(error_rate=2))
