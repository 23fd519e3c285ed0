"""Writing small GIF images without an imaging library.

flaggui only needs this to make sample flags (the built-in smoke test and
demo servers); it writes valid, uncompressed-style GIF89a files: the LZW
stream restarts with a clear code before its dictionary would grow past
8-bit codes, so every code is exactly one byte.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

Colour = tuple[int, int, int]

_MIN_CODE_SIZE = 7  # 128 palette entries; codes are then 8 bits wide
_CLEAR = 1 << _MIN_CODE_SIZE
_END = _CLEAR + 1
# A new dictionary entry is made for every code after the first, starting at
# _END + 1; the code width would grow at 256, so the stream is cleared first.
_RUN = 256 - (_END + 1)


def write_gif(width: int, height: int, pixels: Sequence[int], palette: Sequence[Colour]) -> bytes:
    """A GIF89a of *width* x *height* palette indexes (row by row) with up to
    128 *palette* colours."""
    if len(pixels) != width * height:
        raise ValueError("pixels do not match the size")
    if not 1 <= len(palette) <= 128 or not 0 < width < 65536 or not 0 < height < 65536:
        raise ValueError("up to 128 colours and sides below 65536")
    table = bytearray()
    for red, green, blue in palette:
        table += bytes((red, green, blue))
    table += bytes(3 * (128 - len(palette)))
    codes = bytearray()
    for start in range(0, len(pixels), _RUN):
        codes.append(_CLEAR)
        codes += bytes(pixels[start : start + _RUN])
    codes.append(_END)
    blocks = bytearray()
    for start in range(0, len(codes), 255):
        chunk = codes[start : start + 255]
        blocks.append(len(chunk))
        blocks += chunk
    return b"".join(
        [
            b"GIF89a",
            struct.pack("<HHBBB", width, height, 0xF6, 0, 0),  # global table of 128
            bytes(table),
            b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0),
            bytes((_MIN_CODE_SIZE,)),
            bytes(blocks),
            b"\x00\x3b",
        ]
    )


def striped_flag(colours: Sequence[Colour], width: int = 60, height: int = 40) -> bytes:
    """A flag of vertical stripes, one per colour."""
    stripe = max(1, width // len(colours))
    row = [min(x // stripe, len(colours) - 1) for x in range(width)]
    return write_gif(width, height, row * height, colours)
