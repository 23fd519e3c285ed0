"""Small real images for the tests, made with Pillow (no flags.zip needed)."""

from __future__ import annotations

import hashlib
import io
import struct

from PIL import Image


def make_gif(code: str, size: tuple[int, int] = (30, 20)) -> bytes:
    """A valid GIF89a whose colours and stripe depend on *code*."""
    digest = hashlib.sha256(code.encode()).digest()
    image = Image.new("RGB", size, tuple(digest[:3]))
    stripe = Image.new("RGB", (size[0], size[1] // 3 or 1), tuple(digest[3:6]))
    image.paste(stripe, (0, digest[6] % max(1, size[1] - stripe.height)))
    out = io.BytesIO()
    image.save(out, format="GIF")
    return out.getvalue()


def make_png(size: tuple[int, int] = (30, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def gif_claiming(width: int, height: int) -> bytes:
    """A small, well-formed GIF whose header claims *width* x *height*."""
    data = bytearray(make_gif("xx"))
    struct.pack_into("<HH", data, 6, width, height)
    return bytes(data)
