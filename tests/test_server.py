"""``flaggui serve``'s application, served for real on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import struct
import zipfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from flaggui.core.images import InvalidImage, validate_image
from flaggui.server import (
    STATS_KEY,
    Behaviour,
    FlagStore,
    SourceError,
    create_app,
    parse_delay,
    prefix_in_url,
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


# Hostile sources: every entry is untrusted, nothing is read unbounded.

KIB = 1024
MIB = 1024 * KIB


def claim_size(path: Path, member: str, size: int) -> None:
    """Make the zip's directory say *member* unpacks to *size* bytes."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(data)


def padded_gif(cc: str, size: int) -> bytes:
    """A valid GIF of *size* bytes: readers stop at the trailer."""
    gif = make_gif(cc)
    return gif + bytes(size - len(gif))


HTML = b"<html><body>not a flag</body></html>"


def invalid(data: bytes) -> str:
    """Why validate_image refuses *data* as a GIF."""
    with pytest.raises(InvalidImage) as refused:
        validate_image(data, "gif")
    return str(refused.value)


def write_zeros(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of *size* zero bytes, written in chunks (deflates ~1000:1)."""
    with archive.open(name, "w") as member:
        for _ in range(size // MIB):
            member.write(bytes(MIB))


def test_zip_members_too_large_are_skipped_before_and_while_reading(tmp_path: Path) -> None:
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flags/br/br.gif", make_gif("br"))
        archive.writestr("flags/cn/cn.gif", make_gif("cn"))
        write_zeros(archive, "flags/jp/jp.gif", 20 * MIB)  # an honest bomb
        archive.writestr("flags/in/in.gif", padded_gif("in", 3 * MIB))
        archive.writestr("flags/br/metadata.json", json.dumps({"pad": "x" * 70 * KIB}))
    claim_size(source, "flags/cn/cn.gif", 3 * 1024 * MIB)  # claims 3 GiB
    claim_size(source, "flags/in/in.gif", 100)  # claims 100 bytes, holds 3 MiB
    store = FlagStore.load(source)
    assert sorted(store.flags) == ["br"]
    assert store.flags["br"] == make_gif("br")
    assert store.metadata == {}
    assert store.warnings == [
        "skipped flags/cn/cn.gif: cn.gif is larger than 2048 KiB, too large for a flag",
        "skipped flags/jp/jp.gif: jp.gif is larger than 2048 KiB, too large for a flag",
        "skipped flags/in/in.gif: cannot unpack it: Bad CRC-32 for file 'flags/in/in.gif'",
        "skipped flags/br/metadata.json: metadata.json is larger than 64 KiB, too large for a flag",
    ]


def test_a_zip_stops_at_the_total_cap(tmp_path: Path) -> None:
    codes = [f"{a}{b}" for a in "abcdefghijklm" for b in "abcdefghij"][:130]
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        for cc in codes:
            archive.writestr(f"{cc}/{cc}.gif", padded_gif(cc, 2 * MIB))
    store = FlagStore.load(source)
    assert len(store.flags) == 128  # 128 x 2 MiB = 256 MiB
    assert store.warnings == ["stopped reading: the flags read so far exceed 256 MiB"]


def test_a_zip_stops_after_ten_thousand_entries(tmp_path: Path) -> None:
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("cn/cn.gif", make_gif("cn"))
        for n in range(10_000):
            archive.writestr(f"x/{n}", b"")
        archive.writestr("jp/jp.gif", make_gif("jp"))
    store = FlagStore.load(source)
    assert sorted(store.flags) == ["cn"]
    assert store.warnings == [f"stopped after the first 10000 entries of {source}"]


def test_a_zip_with_a_huge_directory_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for n in range(20_000):
            archive.writestr(f"{n:0200}", b"")
    with pytest.raises(SourceError) as refused:
        FlagStore.load(source)
    assert str(refused.value) == (
        f"{source} lists too many files (a zip of flags lists a few hundred)"
    )


def test_zip_members_that_are_not_flags_are_skipped(tmp_path: Path) -> None:
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flags/br/br.gif", make_gif("br"))
        archive.writestr("../up/cn/cn.gif", make_gif("cn"))
        archive.writestr("/abs/jp/jp.gif", make_gif("jp"))
        archive.writestr("x\\y/in/in.gif", make_gif("in"))
        archive.writestr("flags/de/de.gif", make_gif("de"), compress_type=zipfile.ZIP_BZIP2)
        archive.writestr("flags/us/us.gif", HTML)
        archive.writestr("flags/\x1b[2J\u202e/it/it.gif", make_gif("it")[:-1])
        archive.writestr("flags/br/metadata.json", "[" * 30_000 + "]" * 30_000)
        archive.writestr("flags/fr/fr.gif", make_gif("fr"))
        archive.writestr("flags/fr/metadata.json", "[1, 2]")
    store = FlagStore.load(source)
    assert sorted(store.flags) == ["br", "fr"]
    assert store.metadata == {}
    assert store.warnings == [
        "skipped ../up/cn/cn.gif: the name leads outside the zip",
        "skipped /abs/jp/jp.gif: the name leads outside the zip",
        "skipped x\\y/in/in.gif: the name leads outside the zip",
        "skipped flags/de/de.gif: packed with a compression flaggui does not unpack",
        f"skipped flags/us/us.gif: {invalid(HTML)}",
        f"skipped flags/[2J/it/it.gif: {invalid(make_gif('it')[:-1])}",
        "skipped flags/br/metadata.json: not a JSON object",
        "skipped flags/fr/metadata.json: not a JSON object",
    ]


def test_a_folder_serves_only_regular_files_inside_it(tmp_path: Path) -> None:
    source = tmp_path / "flags"
    (source / "jp").mkdir(parents=True)
    (source / "br.gif").write_bytes(make_gif("br"))
    (source / "fr.gif").symlink_to("br.gif")  # inside the folder: served
    (source / "cn.gif").symlink_to("/etc/passwd")
    (source / "us.gif").symlink_to("/dev/zero")
    (source / "de.gif").symlink_to("de.gif")  # a loop
    (source / "it.gif").symlink_to(tmp_path / "gone.gif")
    os.mkfifo(source / "jp" / "jp.gif")  # reading it would wait for a writer forever
    (source / "in.gif").mkdir()
    with (source / "ru.gif").open("wb") as sparse:
        sparse.truncate(100 * MIB)
    (source / "jp" / "metadata.json").write_text("[" * 30_000 + "]" * 30_000)
    store = FlagStore.load(source)
    assert sorted(store.flags) == ["br", "fr"]
    assert store.flags["fr"] == make_gif("br")
    assert store.metadata == {}
    assert sorted(store.warnings) == [
        "skipped cn.gif: a link to a file outside the source folder",
        "skipped de.gif: Too many levels of symbolic links",
        "skipped in.gif: in.gif is a folder, not a regular file",
        "skipped it.gif: No such file or directory",
        "skipped jp/jp.gif: jp.gif is a FIFO (named pipe), not a regular file",
        "skipped jp/metadata.json: not a JSON object",
        "skipped ru.gif: ru.gif is larger than 2048 KiB, too large for a flag",
        "skipped us.gif: a link to a file outside the source folder",
    ]


def test_a_folder_stops_after_ten_thousand_entries(tmp_path: Path) -> None:
    (tmp_path / "aa.gif").write_bytes(make_gif("aa"))
    for n in range(10_000):
        (tmp_path / f"b{n:05}").touch()
    (tmp_path / "cn.gif").write_bytes(make_gif("cn"))  # sorted after the b… files
    store = FlagStore.load(tmp_path)
    assert sorted(store.flags) == ["aa"]
    assert store.warnings == [f"stopped after the first 10000 entries of {tmp_path}"]


def test_a_source_that_holds_only_skipped_entries_says_why(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "cn.gif")
    with pytest.raises(SourceError) as refused:
        FlagStore.load(tmp_path)
    assert str(refused.value) == f"{tmp_path} holds no flags (expected cc/cc.gif files)"
    assert refused.value.warnings == [
        "skipped cn.gif: cn.gif is a FIFO (named pipe), not a regular file"
    ]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / ("a" * 256), "File name too long"),
        (lambda p: (p / "loop", (p / "loop").symlink_to("loop"))[0], "Too many levels"),
        (lambda p: (p / "f", (p / "f").write_text("x"))[0] / "flags", "Not a directory"),
    ],
)
def test_a_source_path_the_system_refuses(
    tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    source = make(tmp_path)
    with pytest.raises(SourceError, match=f"^cannot read .*: {reason}"):
        FlagStore.load(source)


@pytest.mark.parametrize(
    ("make", "kind"), [(lambda p: (p / "pipe", os.mkfifo(p / "pipe"))[0], "a FIFO (named pipe)")]
)
def test_a_source_that_is_no_file_is_refused_unopened(
    tmp_path: Path, make: Callable[[Path], Path], kind: str
) -> None:
    source = make(tmp_path)
    with pytest.raises(SourceError) as refused:
        FlagStore.load(source)
    assert str(refused.value) == f"{source} is {kind}, not a regular file"


@pytest.mark.parametrize("prefix", ["/{x}", "/{", "my flags/ü", "/%41", "?q#f", "/\udcff"])
async def test_any_prefix_is_taken_literally(tmp_path: Path, prefix: str) -> None:
    store = FlagStore.load(write_zip(tmp_path / "flags.zip", ["cn"]))
    async with running(create_app(store, prefix)) as base, aiohttp.ClientSession() as session:
        url = URL(base + prefix_in_url(prefix) + "/cn/cn.gif", encoded=True)
        async with session.get(url) as response:
            assert response.status == 200
            assert await response.read() == make_gif("cn")
        async with session.get(f"{base}/flags/cn/cn.gif") as response:
            assert response.status == 404


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("inf", "bad delay 'inf'"),
        ("nan", "bad delay 'nan'"),
        ("0:inf", "bad delay '0:inf'"),
        ("61", "bad delay '61'"),
        ("1e3", "bad delay '1e3'"),
        ("", "bad delay ''"),
    ],
)
def test_parse_delay_refuses_what_is_not_0_to_60_seconds(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="bad delay") as refused:
        parse_delay(text)
    assert str(refused.value) == (
        f"{message}: use seconds, e.g. 0.3, or MIN:MAX (each from 0 to 60 seconds)"
    )


def test_a_zip_member_with_damaged_compressed_data_is_skipped(tmp_path: Path) -> None:
    source = tmp_path / "flags.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flags/br/br.gif", make_gif("br"))
        archive.writestr("flags/cn/cn.gif", make_gif("cn", (300, 200)))
    with zipfile.ZipFile(source) as archive:
        member = archive.getinfo("flags/cn/cn.gif")
    data = bytearray(source.read_bytes())
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    for offset in range(start + 2, start + member.compress_size - 2, 7):
        data[offset] ^= 0xFF  # deflate data that zlib cannot inflate
    source.write_bytes(bytes(data))
    store = FlagStore.load(source)
    assert sorted(store.flags) == ["br"]
    assert len(store.warnings) == 1
    assert store.warnings[0].startswith("skipped flags/cn/cn.gif: cannot unpack it: ")
