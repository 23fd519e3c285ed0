"""Checks that a body of bytes is a complete image of the expected format.

Nothing is kept on disk unless it passes :func:`validate_image`: an HTML error
page, a truncated transfer, random bytes, an image of another format or one
whose header claims absurd dimensions (a decompression bomb) all raise
:class:`InvalidImage` with a reason meant for the user. The check walks the
file's block structure without decoding pixels, so a GIF or PNG costs
microseconds. An SVG must keep to the policy of :mod:`flaggui.core.svg` (no
outside files, no scripts, no bombs); parsing it costs up to a few hundred
milliseconds for a large document, so callers on an event loop run it in a
thread.

Bytes after the end of an image do not make it invalid, but are no part of
it: :attr:`ImageInfo.length` says where the image ends.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from flaggui.core.i18n import N_, _

GIF_MAGICS = (b"GIF87a", b"GIF89a")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The largest flag of the standard set is 610x306; real flag images from any
# source stay far below these bounds, while a bomb claims far more.
MAX_SIDE = 8192
MAX_PIXELS = 32_000_000
# The most of a file found in a folder that is ever read, to check it or to
# show it: flags are a few KiB (a download over 2 MiB is refused), so a file
# beyond this is no flag, however many images of other origins a user keeps.
MAX_FILE_BYTES = 16 * 1024 * 1024


class InvalidImage(ValueError):
    """The bytes are not a complete, sane image; ``str()`` is the reason."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What :func:`validate_image` found: the format, the size in pixels
    (0x0 for an SVG) and *length*, the number of bytes the image occupies
    from the start of the data (the rest is not part of it)."""

    format: str
    width: int
    height: int
    length: int


def sniff_format(data: bytes) -> str:
    """Name what *data* looks like: ``gif``, ``png``, ``jpeg``, ``html``,
    ``svg``, ``empty`` or ``unknown``."""
    if not data:
        return "empty"
    if data.startswith(GIF_MAGICS):
        return "gif"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head:
        return "html"
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048]):
        return "svg"
    return "unknown"


_DESCRIPTIONS = {
    "empty": N_("the data is empty"),
    "html": N_("the data is an HTML page, not an image"),
    "unknown": N_("the data is not an image (unrecognised bytes)"),
}


def validate_image(data: bytes, expected: str = "gif") -> ImageInfo:
    """Return the size of the image in *data* or raise InvalidImage.

    *expected* is the format the URL promised (``gif``, ``png`` or ``svg``;
    an SVG's size is not read and is reported as 0x0). Bytes after the end
    of a GIF or PNG are allowed; keep only ``data[:info.length]``.
    """
    found = sniff_format(data)
    if found != expected:
        reason = (
            _(_DESCRIPTIONS[found])
            if found in _DESCRIPTIONS
            else _("the data is a {format} image").format(format=found.upper())
        )
        raise InvalidImage(
            _("{reason}, expected a {format} image").format(reason=reason, format=expected.upper())
        )
    if found == "gif":
        return _check_gif(data)
    if found == "png":
        return _check_png(data)
    if found == "svg":
        return _check_svg(data)
    raise InvalidImage(_("cannot validate {format} images").format(format=expected.upper()))


def _check_dimensions(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise InvalidImage(
            _("the image claims an empty size of {width}x{height} pixels").format(
                width=width, height=height
            )
        )
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise InvalidImage(
            _(
                "the image claims {width}x{height} pixels, too large for a flag (possible bomb)"
            ).format(width=width, height=height)
        )


def _check_gif(data: bytes) -> ImageInfo:
    truncated = InvalidImage(_("the GIF is truncated (incomplete download)"))
    if len(data) < 13:
        raise truncated
    width, height, packed = struct.unpack_from("<HHB", data, 6)
    _check_dimensions(width, height)
    pos = 13
    if packed & 0x80:
        pos += 3 << ((packed & 0x07) + 1)
    frames = 0
    size = len(data)

    def skip_sub_blocks(pos: int) -> int:
        while True:
            if pos >= size:
                raise truncated
            length = data[pos]
            pos += 1
            if length == 0:
                return pos
            pos += length

    while True:
        if pos >= size:
            raise truncated
        block = data[pos]
        pos += 1
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            pos = skip_sub_blocks(pos + 1)
        elif block == 0x2C:  # image descriptor
            if pos + 9 > size:
                raise truncated
            frame_w, frame_h, frame_packed = struct.unpack_from("<HHB", data, pos + 4)
            _check_dimensions(frame_w, frame_h)
            pos += 9
            if frame_packed & 0x80:
                pos += 3 << ((frame_packed & 0x07) + 1)
            pos = skip_sub_blocks(pos + 1)  # LZW minimum code size, then data
            frames += 1
        else:
            raise InvalidImage(
                _("the GIF is corrupt (unexpected block 0x{block:02X})").format(block=block)
            )
    if frames == 0:
        raise InvalidImage(_("the GIF holds no image"))
    return ImageInfo("gif", width, height, pos)


def _check_svg(data: bytes) -> ImageInfo:
    """A complete SVG document that keeps to flaggui's SVG policy. Anything
    after its root element but whitespace is an XML error, so all of *data*
    is the image."""
    # Imported here: flaggui.core.svg builds on this module (InvalidImage, and
    # validate_image for the PNG and GIF images an SVG may embed).
    from flaggui.core.svg import check_svg

    check_svg(data)
    return ImageInfo("svg", 0, 0, len(data))


def _check_png(data: bytes) -> ImageInfo:
    truncated = InvalidImage(_("the PNG is truncated (incomplete download)"))
    pos = len(PNG_MAGIC)
    width = height = 0
    seen_data = False
    while True:
        if pos + 8 > len(data):
            raise truncated
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 8 + length + 4
        if end > len(data):
            raise truncated
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(kind + body) != crc:
            raise InvalidImage(_("the PNG is corrupt (checksum mismatch)"))
        if pos == len(PNG_MAGIC):
            if kind != b"IHDR" or length < 8:
                raise InvalidImage(_("the PNG is corrupt (no header)"))
            width, height = struct.unpack_from(">II", body)
            _check_dimensions(width, height)
        seen_data = seen_data or kind == b"IDAT"
        pos = end
        if kind == b"IEND":
            break
    if not seen_data:
        raise InvalidImage(_("the PNG holds no image"))
    return ImageInfo("png", width, height, pos)
