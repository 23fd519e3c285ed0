"""Flag sources beyond the teaching server: URL templates, PNG and SVG."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flaggui.core.engine import DownloadEngine
from flaggui.core.events import FlagState
from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.servers import ServerError, flag_url, template_format
from tests import faults
from tests.conftest import folder_files
from tests.images import make_gif, make_png
from tests.scripted_server import Exchange, ScriptedServer
from tests.test_engine import quick

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">'
    b'<rect width="30" height="20" fill="#de2910"/></svg>\n'
)


def by_path(files: dict[str, bytes]) -> faults.Behaviour:
    """Answers each path with its bytes (the code is the file name here)."""

    async def behaviour(exchange: Exchange) -> None:
        body = files.get(exchange.path)
        await exchange.send(200 if body is not None else 404, body or b"no such file")

    return behaviour


@pytest.mark.parametrize(
    ("template", "fmt"),
    [
        ("{base}/{cc}/{cc}.gif", "gif"),
        ("https://flagcdn.com/w320/{cc}.png", "png"),
        ("https://flagcdn.com/{cc}.svg", "svg"),
        ("{base}/{CC}.PNG", "png"),
    ],
)
def test_templates_name_their_format(template: str, fmt: str) -> None:
    assert template_format(template) == fmt


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{base}/flag.gif", "must contain {cc}"),
        ("{base}/{cc}/{country}.gif", "unknown fields: country"),
        ("{base}/{cc}.jpg", "must end in .gif, .png or .svg"),
        ("ftp://x/{cc}.gif", "must start with {base}, http:// or https://"),
        ("{base}/{cc.gif", "not a valid template"),
        ("{base}/{}/{cc}.gif", "use the fields as they are"),
        ("{base}/{0}/{cc}.gif", "unknown fields: 0"),
        ("{base}/{cc:>999999999}.gif", "use the fields as they are"),
        ("{base}/{cc!r}.gif", "use the fields as they are"),
        ("{base}/{cc[0]}.gif", "unknown fields: cc[0]"),
    ],
)
def test_bad_templates(template: str, reason: str) -> None:
    with pytest.raises(ServerError, match=re.escape(reason)):
        template_format(template)


def test_flag_url() -> None:
    assert flag_url("http://h", "CN", "{base}/w320/{cc}.png") == "http://h/w320/cn.png"
    assert flag_url("http://h", "cn", "{base}/{CC}.svg") == "http://h/CN.svg"


def test_svg_validation() -> None:
    assert validate_image(SVG, "svg").format == "svg"
    assert validate_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "svg").format == "svg"
    with pytest.raises(InvalidImage, match="truncated"):
        validate_image(SVG[:80], "svg")
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    with pytest.raises(InvalidImage, match="entities"):
        validate_image(bomb, "svg")
    with pytest.raises(InvalidImage, match="GIF image, expected a SVG"):
        validate_image(make_gif("cn"), "svg")


async def test_png_and_svg_sources(server: ScriptedServer, dest: Path) -> None:
    png, svg = make_png((30, 20)), SVG
    files = {"/flags/w320/cn.png": png, "/flags/svg/cn.svg": svg}
    server.route("w320", by_path(files))
    server.route("svg", by_path(files))
    for template, name, body in [
        ("{base}/w320/{cc}.png", "cn.png", png),
        ("{base}/svg/{cc}.svg", "cn.svg", svg),
    ]:
        engine = DownloadEngine(dest, quick(server, url_template=template))
        summary = await engine.run(["CN"])
        assert summary.results[0].state is FlagState.DONE, summary.results[0].reason
        assert (dest / name).read_bytes() == body
        again = await DownloadEngine(dest, quick(server, url_template=template)).run(["CN"])
        assert again.results[0].state is FlagState.SKIPPED
    assert folder_files(dest) == ["cn.png", "cn.svg"]


async def test_wrong_format_for_the_template_is_refused(server: ScriptedServer, dest: Path) -> None:
    server.route("w320", by_path({"/flags/w320/cn.png": make_gif("cn")}))
    summary = await DownloadEngine(dest, quick(server, url_template="{base}/w320/{cc}.png")).run(
        ["CN"]
    )
    (result,) = summary.results
    assert result.state is FlagState.ERROR
    assert "GIF image, expected a PNG image" in result.reason
    assert folder_files(dest) == []


async def test_cli_url_template(server: ScriptedServer, dest: Path) -> None:
    server.route("w320", by_path({"/flags/w320/jp.png": make_png()}))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "get",
        "JP",
        "-s",
        server.base_url,
        "-d",
        str(dest),
        "--url-template",
        "{base}/w320/{cc}.png",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err
    assert re.search(r"^1 flag downloaded in \d+\.\d\ds$", out.decode(), re.M)
    assert folder_files(dest) == ["jp.png"]

    bad = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "flaggui",
        "get",
        "JP",
        "--url-template",
        "{base}/{cc}.bmp",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _out, err = await bad.communicate()
    assert bad.returncode == 2
    assert "must end in .gif, .png or .svg" in err.decode()
