"""Small real images for the tests, made with Pillow (no flags.zip needed)."""

from __future__ import annotations

import base64
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


# Realistic SVG flags, written the way flag sites and editors write them; no
# real SVG flags are available offline.

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def svg_stars_flag() -> bytes:
    """The US flag as many sites draw it: one star in <defs>, then 50
    ``<use xlink:href="#star">``; an XML declaration and xmlns:xlink."""
    stripes = "".join(
        f'<rect y="{row * 300}" width="7410" height="300" fill="#b22234"/>'
        for row in range(0, 13, 2)
    )
    stars = "".join(
        f'<use xlink:href="#star" x="{247 * (col * 2 + row % 2) + 247}" y="{210 * row + 210}"/>'
        for row in range(9)
        for col in range(6 if row % 2 == 0 else 5)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="1235" height="650"'
        ' viewBox="0 0 7410 3900">\n'
        "  <defs>\n"
        '    <polygon id="star" fill="#fff" transform="translate(-124,-120)"'
        ' points="124,0 153,89 247,89 171,144 200,233 124,178 48,233 77,144 0,89 95,89"/>\n'
        "  </defs>\n"
        f'  <rect width="7410" height="3900" fill="#fff"/>{stripes}\n'
        f'  <rect width="2964" height="2100" fill="#3c3b6e"/>\n  <g>{stars}</g>\n'
        "</svg>\n"
    ).encode()


def svg_nested_use_flag() -> bytes:
    """The US flag as Wikimedia draws it: rows of stars made of <use> of
    groups of <use> (the star is drawn 50 times through 4 levels)."""
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="1235" height="650"'
        ' viewBox="0 0 7410 3900">'
        '<rect width="7410" height="3900" fill="#b22234"/>'
        '<path d="M0,450H7410m0,600H0m0,600H7410m0,600H0m0,600H7410m0,600H0"'
        ' stroke="#fff" stroke-width="300"/>'
        '<rect width="2964" height="2100" fill="#3c3b6e"/>'
        '<g fill="#fff"><g id="s18"><g id="s9"><g id="s5"><g id="s4">'
        '<path id="s" d="M247,90 317.53,307.08 132.87,172.92H361.13L176.47,307.08z"/>'
        '<use xlink:href="#s" y="420"/><use xlink:href="#s" y="840"/>'
        '<use xlink:href="#s" y="1260"/></g><use xlink:href="#s" y="1680"/></g>'
        '<use xlink:href="#s4" x="247" y="210"/></g><use xlink:href="#s9" x="494"/></g>'
        '<use xlink:href="#s18" x="988"/><use xlink:href="#s9" x="1976"/>'
        '<use xlink:href="#s5" x="2470"/></g></svg>'
    ).encode()


def svg_clipped_flag() -> bytes:
    """The Union Flag as Wikimedia draws it: two <clipPath>s used through
    ``clip-path="url(#…)"``."""
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 60 30" width="1200" height="600">\n'
        '<clipPath id="s"><path d="M0,0 v30 h60 v-30 z"/></clipPath>\n'
        '<clipPath id="t"><path d="M30,15 h30 v15 z v15 h-30 z h-30 v-15 z v-15 h30 z"/>'
        "</clipPath>\n"
        '<g clip-path="url(#s)">\n'
        '<path d="M0,0 v30 h60 v-30 z" fill="#012169"/>\n'
        '<path d="M0,0 L60,30 M60,0 L0,30" stroke="#fff" stroke-width="6"/>\n'
        '<path d="M0,0 L60,30 M60,0 L0,30" clip-path="url(#t)" stroke="#C8102E"'
        ' stroke-width="4"/>\n'
        '<path d="M30,0 v30 M0,15 h60" stroke="#fff" stroke-width="10"/>\n'
        '<path d="M30,0 v30 M0,15 h60" stroke="#C8102E" stroke-width="6"/>\n'
        "</g>\n</svg>\n"
    ).encode()


def svg_gradient_flag() -> bytes:
    """An editor's flag: gradients (one inheriting another's stops through
    xlink:href), ``url(#…)`` in attributes, in ``style`` and in a CDATA style
    sheet, a mask, comments, a title, and Inkscape's own namespaces."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"'
        ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
        ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' width="900" height="600" viewBox="0 0 900 600" version="1.1" id="svg2"'
        ' sodipodi:docname="flag.svg" xml:space="preserve">\n'
        "  <title>Flag</title>\n"
        "  <metadata><rdf:RDF><rdf:Description><dc:format>image/svg+xml</dc:format>"
        "</rdf:Description></rdf:RDF></metadata>\n"
        '  <sodipodi:namedview id="base" pagecolor="#ffffff" inkscape:zoom="1"/>\n'
        '  <style type="text/css"><![CDATA[\n'
        "    .band { fill: url('#sky'); stroke: none }\n"
        '    .sun { fill: url("#glow") }\n'
        "    @media print { .band { fill: #00f } }\n"
        "  ]]></style>\n"
        "  <defs>\n"
        '    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">\n'
        '      <stop offset="0" stop-color="#0055a4"/><stop offset="1" stop-color="#002654"/>\n'
        "    </linearGradient>\n"
        '    <radialGradient id="glow" xlink:href="#sky" cx="0.5" cy="0.5" r="0.5"/>\n'
        '    <mask id="m"><rect width="900" height="600" fill="#fff"/>'
        '<circle cx="450" cy="300" r="60" fill="#000"/></mask>\n'
        "  </defs>\n"
        '  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">\n'
        '    <rect class="band" width="900" height="200" style="fill:url(#sky);opacity:1"/>\n'
        '    <rect y="200" width="900" height="200" fill="#fff" mask="url(#m)"/>\n'
        '    <rect y="400" width="900" height="200" fill="url(#sky)"/>\n'
        '    <circle class="sun" cx="450" cy="300" r="50" filter="none"/>\n'
        '    <text x="10" y="590" font-size="12">see url(http://example.com) &amp; more</text>\n'
        "  </g>\n"
        "</svg>\n"
    ).encode()


def svg_lone_flag() -> bytes:
    """An empty flag: one self-closing <svg/> after an XML declaration."""
    return f'<?xml version="1.0"?>\n<svg xmlns="{SVG_NS}" width="30" height="20"/>\n'.encode()


def svg_with_embedded_image(data: bytes, media_type: str = "image/png") -> bytes:
    """A flag whose emblem is a raster image in a data: URI, wrapped at 76
    characters as base64 tools do."""
    encoded = base64.b64encode(data).decode()
    wrapped = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="30" height="20">'
        '<rect width="30" height="20" fill="#d52b1e"/>'
        f'<image x="5" y="5" width="10" height="10" xlink:href="data:{media_type};base64,\n'
        f'{wrapped}"/></svg>'
    ).encode()


REALISTIC_SVG_FLAGS = {
    "stars": svg_stars_flag,
    "nested use": svg_nested_use_flag,
    "clip paths": svg_clipped_flag,
    "gradients": svg_gradient_flag,
    "self-closing": svg_lone_flag,
}
