"""An SVG found in a folder may point at anything: a local picture, a FIFO,
a device. None of it is ever drawn or opened: such an SVG is refused by the
image check before Qt sees it, and its tile says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage

from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.servers import LOCAL
from flaggui.ui.flag_model import TileState
from flaggui.ui.main_window import MainWindow
from flaggui.ui.thumbnails import RefusedImage, decode_scaled, flag_image
from tests.images import make_gif
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.hostile import fifo, settled
from tests.ui.test_main_window import rendered

# The colour of the local picture an SVG must never draw into a thumbnail.
SECRET_RGB = (0, 255, 0)


def secret_png(path: Path) -> Path:
    """A local picture, all of the secret colour."""
    Image.new("RGB", (30, 20), SECRET_RGB).save(path, format="PNG")
    return path


def svg_drawing(href: str) -> bytes:
    """An SVG flag that draws the picture at *href* over itself."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="30" height="20">'
        '<rect width="30" height="20" fill="#0055a4"/>'
        f'<image href="{href}" xlink:href="{href}" width="30" height="20"/>'
        "</svg>"
    ).encode()


def shows_secret(image: QImage) -> bool:
    """Whether *image* has a pixel of the secret colour (or near it, once scaled)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.green() > 200 and colour.red() < 80 and colour.blue() < 80:
                return True
    return False


def thumbnails_showing_secret(window: MainWindow) -> list[str]:
    """The paths of the cached renderings that show the secret picture."""
    cache = window.cache
    return sorted(
        {key.path for key, pixmap in cache._entries.items() if shows_secret(pixmap.toImage())}
    )


def test_the_safe_loader_refuses_svgs_that_point_outside(tmp_path: Path) -> None:
    secret = secret_png(tmp_path / "secret.png")
    for name, href in [("br.svg", str(secret)), ("jp.svg", secret.as_uri())]:
        svg = tmp_path / name
        svg.write_bytes(svg_drawing(href))
        with pytest.raises(RefusedImage):
            decode_scaled(str(svg), 96, 64)
        assert flag_image(svg) is None  # nor dragged out or copied


def test_svgs_never_draw_local_files_or_open_fifos_into_the_window(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    secret = secret_png(tmp_path / "secret.png")
    folder = tmp_path / "flags"
    folder.mkdir()
    (folder / "fr.gif").write_bytes(make_gif("fr"))
    (folder / "br.svg").write_bytes(svg_drawing(str(secret)))
    (folder / "jp.svg").write_bytes(svg_drawing(secret.as_uri()))
    with fifo(tmp_path / "pipe") as pipe:
        (folder / "ru.svg").write_bytes(svg_drawing(str(tmp_path / "pipe")))
        # The image check is the gate: without it Qt would open the FIFO
        # and hang the test for good, so the test stops here instead.
        for name in ["br.svg", "jp.svg", "ru.svg"]:
            with pytest.raises(InvalidImage):
                validate_image((folder / name).read_bytes(), "svg")
        window = make_window(server=LOCAL, folder=folder, countries=[])
        codes = ["BR", "FR", "JP", "RU"]
        loop.until(lambda: window.flags.rowCount() == len(codes))
        loop.until(lambda: all(settled(window, code) for code in codes))

        assert rendered(window, "FR")
        for code in ["BR", "JP", "RU"]:
            tile = window.flags.tile(code)
            assert tile is not None
            assert tile.state is TileState.ERROR
            assert tile.reason
        assert thumbnails_showing_secret(window) == []
        assert pipe.never_opened()
        make_window.close(window, timeout=1.0)
