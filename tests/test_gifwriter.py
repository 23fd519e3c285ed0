"""The tiny GIF writer makes images that real decoders read correctly."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from flaggui.core.gifwriter import striped_flag, write_gif
from flaggui.core.images import validate_image


@pytest.mark.parametrize(("width", "height"), [(1, 1), (60, 40), (300, 7), (17, 200)])
def test_written_gifs_decode_to_the_same_pixels(width: int, height: int) -> None:
    palette = [(255, 0, 0), (0, 128, 0), (0, 0, 255), (250, 250, 250)]
    pixels = [(x * 7 + y * 3) % len(palette) for y in range(height) for x in range(width)]
    data = write_gif(width, height, pixels, palette)
    assert validate_image(data).width == width
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (width, height)
    expected = [palette[p] for p in pixels]
    assert [image.getpixel((x, y)) for y in range(height) for x in range(width)] == expected


def test_striped_flag() -> None:
    image = Image.open(io.BytesIO(striped_flag([(0, 0, 0), (255, 255, 0)]))).convert("RGB")
    assert image.getpixel((0, 0)) == (0, 0, 0)
    assert image.getpixel((59, 39)) == (255, 255, 0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="do not match"):
        write_gif(2, 2, [0], [(0, 0, 0)])
    with pytest.raises(ValueError, match="128 colours"):
        write_gif(1, 1, [0], [])
