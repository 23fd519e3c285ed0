"""Validation of downloaded bytes before anything is kept."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from flaggui.core.countries import FLAG_CODES
from flaggui.core.images import InvalidImage, sniff_format, validate_image
from tests.images import gif_claiming, make_gif, make_png

SHARED_ZIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "flags.zip"


def test_a_real_gif_is_accepted_with_its_size() -> None:
    info = validate_image(make_gif("cn", (61, 40)))
    assert (info.format, info.width, info.height) == ("gif", 61, 40)


def test_a_png_is_accepted_when_a_png_is_expected() -> None:
    info = validate_image(make_png((12, 8)), "png")
    assert (info.width, info.height) == (12, 8)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body>502</body></html>", "HTML page"),
        (b"  <html><head></head></html>", "HTML page"),
        (os.urandom(64).replace(b"G", b"g"), "not an image"),
        (make_png(), "PNG image, expected a GIF"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG image"),
        (gif_claiming(60000, 60000), "60000x60000"),
        (gif_claiming(0, 10), "empty size"),
        (make_gif("cn")[:-1], "truncated"),
        (make_gif("cn")[:40], "truncated"),
        (make_gif("cn")[:10], "truncated"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x3b", "holds no image"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x99", "unexpected block"),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidImage, match=reason):
        validate_image(data, "gif")


@pytest.mark.parametrize("cut", [20, 60, -2])
def test_truncated_png_is_refused(cut: int) -> None:
    with pytest.raises(InvalidImage, match="truncated"):
        validate_image(make_png()[:cut], "png")


def test_png_with_a_bad_checksum_is_refused() -> None:
    data = bytearray(make_png())
    data[20] ^= 0xFF
    with pytest.raises(InvalidImage, match="checksum"):
        validate_image(bytes(data), "png")


JUNK = b"<html>junk</html>" + bytes(range(256)) * 400


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (make_gif("cn", (61, 40)), "gif"),
        (make_gif("x", (1, 1)), "gif"),
        (make_png((12, 8)), "png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>\n', "svg"),
    ],
)
def test_length_is_where_the_image_ends(image: bytes, expected: str) -> None:
    """Bytes after the image are allowed but are not part of it: the engine
    keeps ``data[:length]``."""
    exact = validate_image(image, expected)
    assert exact.length == len(image)
    if expected == "svg":  # anything but whitespace after an SVG is an XML error
        with pytest.raises(InvalidImage, match="text after the end of the document"):
            validate_image(image + JUNK, expected)
        return
    followed = validate_image(image + JUNK, expected)
    assert followed == exact
    assert validate_image((image + JUNK)[: followed.length], expected) == exact


def test_the_end_of_a_png_is_after_the_crc_of_iend() -> None:
    png = make_png()
    assert png[-12:-4] == b"\x00\x00\x00\x00IEND"
    assert validate_image(png + b"\x00" * 100, "png").length == len(png)


def test_sniffing_names_what_arrived() -> None:
    assert sniff_format(make_gif("x")) == "gif"
    assert sniff_format(b"<svg xmlns='http://www.w3.org/2000/svg'/>") == "svg"
    assert sniff_format(b"\x00\x01") == "unknown"


def flag_set() -> list[bytes]:
    """The 194 real flags where the shared flags.zip is beside the project,
    else 194 generated ones: the check runs either way."""
    if not SHARED_ZIP.exists():
        return [make_gif(code.lower()) for code in FLAG_CODES]
    with zipfile.ZipFile(SHARED_ZIP) as archive:
        return [archive.read(n) for n in archive.namelist() if n.endswith(".gif")]


# The test id says which set ran.
@pytest.mark.parametrize("which", ["real flags.zip" if SHARED_ZIP.exists() else "generated"])
def test_every_flag_of_the_set_is_valid(which: str) -> None:
    flags = flag_set()
    for data in flags:
        assert validate_image(data).length == len(data)
    assert len(flags) == 194
