"""The SVG policy: what an SVG flag may hold before flaggui keeps it and Qt
draws it (no outside files, no scripts, no bombs), and that real flags pass."""

from __future__ import annotations

import base64
import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flaggui.core import i18n
from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.svg import MAX_DEPTH, MAX_DRAWN, MAX_ELEMENTS, MAX_VALUE, check_svg
from tests.images import (
    REALISTIC_SVG_FLAGS,
    SVG_NS,
    XLINK_NS,
    gif_claiming,
    make_gif,
    make_png,
    svg_gradient_flag,
    svg_with_embedded_image,
)

XML = '<?xml version="1.0"?>\n'
JPEG = b"\xff\xd8\xff\xe0" + bytes(20)


def svg(body: str = "", attributes: str = "") -> bytes:
    """An SVG document holding *body*, its root carrying *attributes*."""
    return f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"{attributes}>{body}</svg>'.encode()


def data_uri(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def refusal(data: bytes) -> str:
    with pytest.raises(InvalidImage) as caught:
        validate_image(data, "svg")
    return str(caught.value)


@pytest.mark.parametrize("name", list(REALISTIC_SVG_FLAGS))
def test_realistic_flags_are_accepted(name: str) -> None:
    data = REALISTIC_SVG_FLAGS[name]()
    info = validate_image(data, "svg")
    assert (info.format, info.width, info.height, info.length) == ("svg", 0, 0, len(data))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(svg_with_embedded_image(make_png((10, 10))), id="embedded PNG"),
        pytest.param(svg_with_embedded_image(make_gif("cn"), "image/gif"), id="embedded GIF"),
        pytest.param(svg("", ' width="30" height="20"') + b"\n\n  \t\n", id="trailing space"),
        pytest.param(b"<svg/>", id="no namespace"),
        pytest.param(
            f'<svg:svg xmlns:svg="{SVG_NS}"><svg:rect width="3" height="2"/></svg:svg>'.encode(),
            id="prefixed root",
        ),
        pytest.param((XML + "<!DOCTYPE svg>\n").encode() + svg(), id="bare DOCTYPE"),
        pytest.param(svg('<use xlink:href="#nowhere"/>'), id="dangling use"),
        pytest.param(svg('<a xlink:href="#flag"><g id="flag"/></a>'), id="link in the document"),
        pytest.param(
            svg('<g id="flag"><a href="#flag"><rect/></a><set href="#flag" to="1"/></g>'),
            id="links to go to are no loop",
        ),
        pytest.param(
            '<?xml version="1.0" encoding="ISO-8859-1"?><svg><title>Côte</title></svg>'.encode(
                "latin-1"
            ),
            id="Latin-1",
        ),
        pytest.param(
            svg(
                '<linearGradient id="g"/><rect fill="url( #g )"/><rect fill="URL(#g)"/>'
                "<rect style=\"fill:url('#g');stroke:url(&quot;#g&quot;)\"/>"
                '<rect fill="url(#g) #fff"/>'
            ),
            id="url(#id) spellings",
        ),
        pytest.param(
            svg('<style>.a{fill:url("#g")} @media print{.a{fill:#000}}</style><g id="g"/>'),
            id="style sheet",
        ),
        pytest.param(svg("<text>url(http://example.com) @import</text>"), id="text is not CSS"),
        pytest.param(
            svg(
                '<linearGradient id="a"/><linearGradient id="b" xlink:href="#a"/>'
                '<rect fill="url(#b)"/><rect fill="url(#b)"/>'
            ),
            id="shared references",
        ),
    ],
)
def test_these_svgs_are_accepted(data: bytes) -> None:
    assert validate_image(data, "svg").length == len(data)


def cut_inside(marker: bytes, after: int, data: bytes | None = None) -> bytes:
    """*data* (the gradient flag) cut *after* bytes into *marker*."""
    data = svg_gradient_flag() if data is None else data
    return data[: data.index(marker) + after]


REFUSED: dict[str, list[tuple[bytes, str]]] = {
    "not well-formed, or not SVG": [
        (svg("<g>"), "the SVG is not well-formed XML (line 1: mismatched tag)"),
        (svg("\n<rect/>\n<g>"), "(line 3: mismatched tag)"),
        (svg() + b"<svg/>", "text after the end of the document"),
        (b'<svg a="1" a="2"/>', "duplicate attribute"),
        (svg("<x:rect/>"), "undeclared namespace prefix"),
        (svg("&nbsp;"), "undefined entity"),
        (svg("\x00"), "invalid token"),
        (svg("&#0;"), "(line 1: reference to invalid character number)"),
        (f'<svgx xmlns="{SVG_NS}"><svg/></svgx>'.encode(), "root element is <svgx>, not <svg>"),
        ((XML + "<!-- <svg> -->\n<g/>").encode(), "root element is <g>, not <svg>"),
        (b'<svg xmlns="http://www.w3.org/1999/xhtml"/>', "not in the SVG namespace"),
        (
            b'<?xml version="1.0" encoding="UTF-7"?><svg/>',
            "the SVG is in an unsupported text encoding (utf-7)",
        ),
        (b'<?xml version="1.0" encoding="unicode_escape"?><svg/>', "unsupported text encoding"),
    ],
    "truncated": [
        (svg_gradient_flag()[:-2], "the SVG is truncated (incomplete download)"),
        (svg_gradient_flag()[:-8], "truncated"),
        (cut_inside(b"<svg", 5), "truncated"),
        (cut_inside(b'width="900"', 8), "truncated"),
        (cut_inside(b"<![CDATA[", 12), "truncated"),
        (cut_inside(b"<!--", 6, svg("<!-- comment -->")), "truncated"),
        (cut_inside(b"</metadata>", 11), "truncated"),
        (cut_inside("é".encode(), 1, svg("<title>é</title>")), "truncated"),
    ],
    "DTDs, entities, processing instructions": [
        (
            (
                XML + '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
            ).encode()
            + svg(),
            "the SVG refers to an external DTD, which flaggui refuses",
        ),
        ((XML + '<!DOCTYPE svg SYSTEM "file:///dev/stdin">').encode() + svg(), "external DTD"),
        ((XML + "<!DOCTYPE svg [ ]>").encode() + svg(), "internal DTD subset"),
        (
            (XML + '<!DOCTYPE svg [<!ATTLIST image href CDATA "/etc/passwd">]>').encode() + svg(),
            "internal DTD subset",
        ),
        ((XML + "<!DOCTYPE svg [<!ELEMENT svg ANY>]>").encode() + svg(), "internal DTD subset"),
        (
            (XML + '<!DOCTYPE svg [<!ENTITY a "aaaa">]>').encode() + svg("&a;"),
            "the SVG declares XML entities, which flaggui refuses",
        ),
        (
            (XML + '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>').encode()
            + svg("&x;"),
            "entities",
        ),
        (
            (XML + '<!DOCTYPE svg [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>').encode()
            + svg(),
            "entities",
        ),
        (
            (XML + '<?xml-stylesheet href="flag.css" type="text/css"?>').encode() + svg(),
            "the SVG holds a processing instruction (<?xml-stylesheet?>)",
        ),
        (svg("<?php echo 1; ?>"), "processing instruction (<?php?>)"),
    ],
    "code and other documents": [
        *(
            (svg(f"<{name}/>"), f"the SVG holds active content (<{name}>), which flaggui refuses")
            for name in (
                "script",
                "foreignObject",
                "handler",
                "listener",
                "iframe",
                "video",
                "audio",
                "animation",
                "font-face-uri",
                "SCRIPT",
            )
        ),
        (
            svg('<ev:listener xmlns:ev="http://www.w3.org/2001/xml-events" event="click"/>'),
            "active content (<listener>)",
        ),
        (svg('<h:p xmlns:h="http://www.w3.org/1999/xhtml">hi</h:p>'), "the SVG embeds HTML"),
        (svg("", ' onload="alert(1)"'), "the SVG has an event handler (onload)"),
        (svg('<rect onClick="alert(1)"/>'), "event handler (onClick)"),
    ],
    "links out of the document": [
        *(
            (svg(f'<image width="9" height="9" {attribute}="{target}"/>'), expected)
            for attribute in ("href", "xlink:href", "src")
            for target, expected in (
                (
                    "/some/local/file.png",
                    "the SVG refers to an outside resource (/some/local/file.png)",
                ),
                ("file:///etc/passwd", "outside resource (file:///etc/passwd)"),
                ("/dev/stdin", "outside resource (/dev/stdin)"),
                ("fifo", "outside resource (fifo)"),
                ("flags/cn.png", "outside resource (flags/cn.png)"),
                ("http://example.com/cn.png", "outside resource (http://example.com/cn.png)"),
                ("https://example.com/cn.png", "outside resource (https://example.com/cn.png)"),
                ("//example.com/cn.png", "outside resource (//example.com/cn.png)"),
                ("javascript:alert(1)", "outside resource (javascript:alert(1))"),
                ("", "outside resource ()"),
            )
        ),
        (svg('<use xlink:href="flag.svg#star"/>'), "outside resource (flag.svg#star)"),
        (
            svg('<a href="https://example.com/"><rect/></a>'),
            "outside resource (https://example.com/)",
        ),
        (svg('<pattern id="p" xlink:href="p.svg#p"/>'), "outside resource (p.svg#p)"),
        (svg('<filter><feImage href="/etc/passwd"/></filter>'), "outside resource (/etc/passwd)"),
        (
            svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>'),
            "outside resource (/etc/passwd)",
        ),
        (
            svg('<image href="#star"/><g id="star"/>'),
            "the SVG's <image> is not an embedded PNG or GIF",
        ),
        (svg('<set attributeName="xlink:href" to="/dev/stdin"/>'), "outside resource (/dev/stdin)"),
        (svg('<animate attributeName="href" values="#a;/etc/passwd"/>'), "(/etc/passwd)"),
        (svg('<g xml:base="file:///etc/"><use href="#a"/></g>'), "outside resource (file:///etc/)"),
    ],
    "embedded data": [
        (
            svg(f'<image href="{data_uri(b"<svg/>", "image/svg+xml")}"/>'),
            "the SVG embeds data that is not a PNG or GIF image (data:image/svg+xml;base64,",
        ),
        (svg(f'<image href="{data_uri(JPEG, "image/jpeg")}"/>'), "not a PNG or GIF"),
        (svg('<image href="data:text/html,&lt;script&gt;"/>'), "not a PNG or GIF"),
        (svg('<image href="data:image/png,%89PNG"/>'), "not a PNG or GIF"),
        (svg(f'<image href="{data_uri(make_png(), "IMAGE/PNG").upper()}"/>'), "not a PNG or GIF"),
        (
            svg('<image href="data:image/png;base64,iVBOR@@@"/>'),
            "the SVG embeds an image whose base64 data is corrupt",
        ),
        (
            svg(f'<image href="{data_uri(make_png()[:60])}"/>'),
            "the SVG embeds a bad PNG image: the PNG is truncated",
        ),
        (
            svg(f'<image href="{data_uri(gif_claiming(60000, 60000), "image/gif")}"/>'),
            "bad GIF image: the image claims 60000x60000 pixels",
        ),
        (svg(f'<image href="{data_uri(make_png(), "image/gif")}"/>'), "bad GIF image"),
    ],
    "CSS": [
        (
            svg('<rect style="fill:url(file:///etc/passwd)"/>'),
            "the SVG refers to an outside resource (url(file:///etc/passwd))",
        ),
        (
            svg('<rect fill="url(http://example.com/p.svg#g)"/>'),
            "(url(http://example.com/p.svg#g))",
        ),
        (svg("<rect filter=\"url('/dev/stdin')\"/>"), "(url('/dev/stdin'))"),
        (svg('<rect style="fill:u\\72l(cn.png)"/>'), "(url(cn.png))"),
        (svg('<rect style="fill:url\\(cn.png)"/>'), "(url(cn.png))"),
        (svg('<rect style="fill:url (cn.png)"/>'), "(url (cn.png))"),
        (svg('<rect cursor="url(hand.cur), auto"/>'), "(url(hand.cur), auto)"),
        (svg('<rect mask="url(#m) url(m.svg#m)"/>'), "(url(m.svg#m))"),
        (svg("<rect style=\"fill:image-set('cn.png' 1x)\"/>"), "(image-set('cn.png' 1x))"),
        (svg('<rect marker-start="url(#a#b)"/>'), "outside resource"),
        (svg("<style>.a{fill:url(/etc/passwd)}</style>"), "(url(/etc/passwd)})"),
        (svg('<style><![CDATA[.a{background:url("//h/x")}]]></style>'), 'url("//h/x")'),
        (
            svg('<style>@import "flag.css";</style>'),
            "the SVG's style sheet uses @import, which flaggui refuses",
        ),
        (svg("<style>@IMPORT url(#x);</style>"), "uses @import"),
        (svg('<style>@\\69mport "x.css";</style>'), "uses @import"),
        (svg("<style>@font-face{font-family:x;src:local(x)}</style>"), "uses @font-face"),
    ],
    "costly to draw": [
        (svg('<g id="x"/><g id="x"/>'), "the SVG gives two elements the same id (#x)"),
        (svg('<path d="M0 0L9 0" stroke="red" stroke-dasharray="0.001"/>'), "dashed strokes"),
        (svg('<path d="M0 0L9 0" style="stroke-dash\\61rray:1"/>'), "dashed strokes"),
        (svg("<style>path { stroke-dasharray: 1 }</style>"), "dashed strokes"),
        (
            svg(
                '<defs><path id="p" d="M '
                + " ".join(f"{i % 100},{i // 100}" for i in range(20_000))
                + '"/></defs>'
                + '<use href="#p"/>' * 2000
            ),
            "would draw more than 100000 elements",
        ),
    ],
    "reference loops": [
        (svg('<g id="a"><use href="#a"/></g>'), "the SVG has a reference loop (#a)"),
        (svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'), "reference loop"),
        (svg('<use id="u" href="#u"/>'), "reference loop (#u)"),
        (
            svg('<linearGradient id="a" href="#b"/><linearGradient id="b" href="#a"/>'),
            "reference loop",
        ),
        (svg('<pattern id="p"><rect fill="url(#p)"/></pattern>'), "reference loop (#p)"),
        (svg('<g xml:id="x"><rect style="fill:url(#x)"/></g>'), "reference loop (#x)"),
    ],
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_these_svgs_are_refused_with_a_reason(kind: str) -> None:
    """Each with its reason, short enough to read in a tooltip."""
    for data, reason in REFUSED[kind]:
        text = refusal(data)
        assert reason in text, data
        assert len(text) <= 110, text


def test_check_svg_is_the_policy_without_sniffing() -> None:
    check_svg(svg())
    with pytest.raises(InvalidImage, match="root element is <html>"):
        check_svg(b"<html/>")


def test_raw_bytes_are_never_echoed() -> None:
    target = "\u202efile:///" + "\x9b31m" + "a" * 200
    text = refusal(svg(f'<image href="{target}"/>'))
    assert "\u202e" not in text
    assert "\x9b" not in text
    assert len(text) < 90
    assert text.endswith("aaa…)")


def test_reasons_are_translated() -> None:
    i18n.use("zh_CN")
    assert re.search("[\u4e00-\u9fff]", refusal(svg('<image href="/dev/stdin"/>')))
    assert re.search("[\u4e00-\u9fff]", refusal(svg("<g>")))


@pytest.mark.timeout(5)
def test_long_runs_of_spaces_in_css_are_checked_in_linear_time() -> None:
    spaces = " " * (MAX_VALUE - 20)
    assert "outside resource (url()" in refusal(svg(f'<rect fill="url({spaces}"/>'))
    assert "outside resource (url(')" in refusal(svg(f'<rect fill="url(\'{spaces}#a"/>'))


def test_nesting_is_bounded() -> None:
    depth = MAX_DEPTH - 1
    validate_image(svg("<g>" * depth + "</g>" * depth), "svg")
    depth = MAX_DEPTH
    reason = f"the SVG nests elements more than {MAX_DEPTH} deep"
    assert reason in refusal(svg("<g>" * depth + "</g>" * depth))


@pytest.mark.timeout(5)
def test_deep_nesting_of_100000_elements_is_refused_quickly() -> None:
    assert "deep" in refusal(svg("<g>" * 100_000 + "</g>" * 100_000))


def test_the_number_of_elements_is_bounded() -> None:
    validate_image(svg("<g/>" * (MAX_ELEMENTS - 1)), "svg")
    assert f"more than {MAX_ELEMENTS} elements" in refusal(svg("<g/>" * MAX_ELEMENTS))


def test_values_are_bounded() -> None:
    validate_image(svg(f'<desc x="{"a" * MAX_VALUE}"/>'), "svg")
    too_large = "the SVG holds a value larger than 1024 KiB"
    assert too_large in refusal(svg(f'<desc x="{"a" * (MAX_VALUE + 1)}"/>'))
    half = "a" * (MAX_VALUE // 2)
    assert too_large in refusal(svg(f"<style>{half}<![CDATA[{half}a]]></style>"))


@pytest.mark.timeout(5)
def test_a_billion_laughs_is_refused_quickly() -> None:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = f"{XML}<!DOCTYPE svg [{entities}]>".encode() + svg("<text>&a9;</text>")
    assert "entities" in refusal(bomb)


def use_bomb(levels: int) -> bytes:
    """Each group draws the one before it twice: 2**levels rectangles."""
    groups = "".join(
        f'<g id="u{i}"><use href="#u{i - 1}"/><use xlink:href="#u{i - 1}"/></g>'
        for i in range(1, levels + 1)
    )
    return svg(f'<defs><g id="u0"><rect/></g>{groups}</defs><use href="#u{levels}"/>')


@pytest.mark.timeout(5)
def test_a_use_bomb_is_refused_quickly() -> None:
    reason = f"the SVG would draw more than {MAX_DRAWN} elements through <use> (possible bomb)"
    assert reason in refusal(use_bomb(60))
    assert reason in refusal(use_bomb(16))
    validate_image(use_bomb(14), "svg")


def test_a_wide_use_fan_out_counts_too() -> None:
    star = '<g id="star">' + "<path/>" * 1000 + "</g>"
    assert "possible bomb" in refusal(svg(star + '<use href="#star"/>' * 100))
    validate_image(svg(star + '<use href="#star"/>' * 50), "svg")


XMLISH = st.lists(
    st.sampled_from(
        [
            "<svg",
            f' xmlns="{SVG_NS}"',
            f' xmlns:xlink="{XLINK_NS}"',
            ">",
            "/>",
            "</svg>",
            "<g",
            "</g>",
            "<use",
            ' href="#a"',
            ' xlink:href="#b"',
            ' id="a"',
            ' id="b"',
            ' fill="url(#a)"',
            ' style="fill:url(x)"',
            "<image",
            ' href="data:image/png;base64,iVBORw0KGgo="',
            "<style>",
            "</style>",
            "@import",
            "\\",
            "url(",
            ")",
            "<!DOCTYPE svg [",
            "]>",
            '<!ENTITY e "x">',
            "&e;",
            "&",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?pi x?>",
            '<?xml version="1.0"?>',
            "<",
            '"',
            "'",
            "=",
            " ",
            "\n",
            "é",
            "\x00",
            "\ud7ff",
        ]
    ),
    max_size=40,
).map("".join)


def refuse_only_as_invalid(data: bytes) -> None:
    """Check *data* both ways: any exception but InvalidImage fails."""
    with contextlib.suppress(InvalidImage):
        validate_image(data, "svg")
    with contextlib.suppress(InvalidImage):
        check_svg(data)


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_random_bytes_raise_nothing_but_invalid_image(data: bytes) -> None:
    for candidate in (data, b"<svg" + data, b'<?xml version="1.0"?><svg' + data):
        refuse_only_as_invalid(candidate)


@settings(max_examples=300)
@given(XMLISH)
def test_random_xml_raises_nothing_but_invalid_image(text: str) -> None:
    data = text.encode()
    for candidate in (data, svg(text)):
        refuse_only_as_invalid(candidate)


@pytest.mark.timeout(10)
def test_thousands_of_references_to_thousands_of_elements_are_checked_quickly() -> None:
    many = svg('<g id="x"/>' + '<use href="#x"/>' * 25_000)
    assert validate_image(many, "svg").length == len(many)
    shared = svg('<g id="x"/>' * 25_000 + '<use href="#x"/>' * 25_000)
    with pytest.raises(InvalidImage, match="same id"):
        validate_image(shared, "svg")
