"""What an SVG flag may contain before flaggui keeps it or Qt draws it.

An SVG is a program for a renderer more than a picture: it can point at any
file (``<image href="/home/me/secret.png">`` is drawn into the thumbnail; a
FIFO or ``/dev/stdin`` blocks Qt inside ``open()`` forever), embed scripts and
other documents, and grow without bound through XML entities or ``<use>``
references. :func:`check_svg` lets through only a self-contained drawing:

- well-formed XML whose root is ``<svg>`` in the SVG namespace (or none),
  with no DTD beyond a bare ``<!DOCTYPE svg>``, no entities, no processing
  instructions; nothing is ever fetched and no entity ever expanded;
- no element that runs code or embeds another document, no event handler;
- links (``href``, ``xlink:href``, ``src``) only to a ``#fragment`` of the
  document itself, or to a ``data:`` PNG or GIF that passes the image check;
  an ``<image>`` only to the latter (Qt opens ``href="#x"`` as a file);
  CSS ``url()`` only as ``url(#id)``, and no ``@import`` or ``@font-face``;
- bounded depth, element count and value size, and a bounded drawing once
  ``<use>`` and other references are followed, with no reference loop.

The document is read once by expat, as a stream of events (no tree, no
ElementTree or minidom, which resolve more than they should).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from xml.parsers import expat

from flaggui.core.i18n import N_, _
from flaggui.core.images import InvalidImage, validate_image
from flaggui.core.untrusted import clean_text

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_NS = "http://www.w3.org/XML/1998/namespace"

MAX_DEPTH = 256
MAX_ELEMENTS = 50_000
MAX_VALUE = 1 << 20
# Elements drawn once every <use> (and other reference) is followed.
MAX_DRAWN = 100_000
# Path data is drawn point by point: every this many characters of a `d` or
# `points` attribute count as one more element drawn, so one huge path used
# a thousand times is as much a bomb as a thousand thousand elements.
PATH_CHARACTERS_PER_ELEMENT = 64

# Elements that run code or embed another document (SVG 1.1, SVG Tiny 1.2,
# which Qt's renderer follows, and HTML's when they turn up without a
# namespace); compared in lower case.
ACTIVE_ELEMENTS = frozenset(
    {
        "script",
        "foreignobject",
        "handler",
        "listener",
        "iframe",
        "video",
        "audio",
        "animation",
        "font-face-uri",
        "embed",
        "object",
    }
)
# Elements drawn only where something refers to them.
TEMPLATE_ELEMENTS = frozenset(
    {
        "defs",
        "symbol",
        "clippath",
        "mask",
        "pattern",
        "marker",
        "lineargradient",
        "radialgradient",
        "filter",
    }
)
ANIMATION_ELEMENTS = frozenset(
    {"set", "animate", "animatecolor", "animatemotion", "animatetransform"}
)
# Elements whose link names what to go to or to animate, not what to draw.
NOT_DRAWING_LINKS = ANIMATION_ELEMENTS | {"a", "discard"}
ANIMATION_VALUES = ("to", "from", "by", "values")
LINK_ATTRIBUTES = frozenset({"href", "src"})
# The encodings expat reads itself; any other name would make it ask Python's
# codecs, which accept names such as "unicode_escape" or "rot13".
ENCODINGS = frozenset({"utf-8", "us-ascii", "iso-8859-1"})

# Namespace URI and local name are joined by a character XML never allows.
_SEPARATOR = "\x01"
_TRUNCATED = frozenset(
    expat.errors.codes[message]
    for message in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)
_EXPAT_MESSAGES = {
    expat.errors.codes[english]: message
    for english, message in (
        (expat.errors.XML_ERROR_TAG_MISMATCH, N_("mismatched tag")),
        (expat.errors.XML_ERROR_INVALID_TOKEN, N_("invalid token")),
        (expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT, N_("text after the end of the document")),
        (expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE, N_("duplicate attribute")),
        (expat.errors.XML_ERROR_UNBOUND_PREFIX, N_("undeclared namespace prefix")),
        (expat.errors.XML_ERROR_UNDEFINED_ENTITY, N_("undefined entity")),
    )
}
_XML_DECLARATION = re.compile(rb"<\?xml[ \t\r\n][^>]{0,400}?\?>")
_ENCODING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')""")
# Lower case only: Qt takes a link for a data: URI only if it starts "data",
# and opens anything else as a file.
_DATA_URI = re.compile(r"data:image/(png|gif);base64,(.*)", re.DOTALL)
_WHITESPACE = re.compile(r"[ \t\r\n]+")
# What may load something in CSS, and the one form of it that is let through.
_CSS_LOAD = re.compile(r"(?:url|src|image|image-set|cross-fade|element)\s*\(", re.IGNORECASE)
# No two runs of spaces meet in it, so it cannot backtrack over a long run.
_LOCAL_URL = re.compile(
    r"""url\(\s*(?:"\s*#([\w.:-]+)\s*"|'\s*#([\w.:-]+)\s*'|#([\w.:-]+))\s*\)""",
    re.IGNORECASE,
)
_AT_RULE = re.compile(r"@(import|font-face)", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\r\n|[\r\n\f]|(.))", re.DOTALL)


def check_svg(data: bytes) -> None:
    """Raise :class:`InvalidImage` with a reason for the user unless *data*
    is an SVG document that keeps to the policy above."""
    document = _Document()
    parser = expat.ParserCreate(encoding=_encoding(data), namespace_separator=_SEPARATOR)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = document.start_doctype
    parser.EndDoctypeDeclHandler = document.end_doctype
    parser.EntityDeclHandler = document.entity
    parser.UnparsedEntityDeclHandler = document.entity
    parser.SkippedEntityHandler = document.entity
    parser.ExternalEntityRefHandler = document.entity
    parser.ElementDeclHandler = document.declaration
    parser.AttlistDeclHandler = document.declaration
    parser.NotationDeclHandler = document.declaration
    parser.ProcessingInstructionHandler = document.processing_instruction
    parser.StartElementHandler = document.start_element
    parser.EndElementHandler = document.end_element
    parser.CharacterDataHandler = document.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        if exc.code in _TRUNCATED:
            raise InvalidImage(_("the SVG is truncated (incomplete download)")) from None
        message = _EXPAT_MESSAGES.get(exc.code)
        error = _(message) if message else clean_text(expat.ErrorString(exc.code), 50)
        raise InvalidImage(
            _("the SVG is not well-formed XML (line {line}: {error})").format(
                line=exc.lineno, error=error
            )
        ) from None
    document.check_drawing()


def _encoding(data: bytes) -> str:
    """The encoding to read *data* in: the one its XML declaration names if
    expat reads it itself, else UTF-8 (XML's default). Passed to expat, it
    overrides whatever the declaration says."""
    declaration = _XML_DECLARATION.match(data)
    if declaration is None or b"encoding" not in declaration.group():
        return "utf-8"
    found = _ENCODING.search(declaration.group())
    name = (found.group(1) or found.group(2) or b"") if found else b""
    encoding = name.decode("ascii", "replace").lower()
    if encoding not in ENCODINGS:
        raise InvalidImage(
            _("the SVG is in an unsupported text encoding ({encoding})").format(
                encoding=_shown(encoding)
            )
        )
    return encoding


def _split(name: str) -> tuple[str, str]:
    """``(namespace URI, local name)`` of an expat name."""
    uri, _sep, local = name.rpartition(_SEPARATOR)
    return uri, local


def _unescape_css(text: str) -> str:
    """*text* with CSS escapes (``\\75 rl(``, ``\\(``) resolved, so that no
    escaped spelling hides a ``url(`` or an ``@import``."""

    def character(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2) or ""

    return _CSS_ESCAPE.sub(character, text) if "\\" in text else text


def _css_references(value: str) -> list[str]:
    """The ids *value* names as ``url(#id)``; InvalidImage if anything in it
    could load something else."""
    if "(" not in value and "\\" not in value:
        return []
    text = _unescape_css(value)
    found = []
    for load in _CSS_LOAD.finditer(text):
        local = _LOCAL_URL.match(text, load.start())
        if local is None:
            raise _outside(text[load.start() :])
        found.append(local.group(1) or local.group(2) or local.group(3))
    return found


def _link_target(value: str) -> str | None:
    """The id a link names (``#id``), None for an embedded PNG or GIF that
    passes the image check; InvalidImage for anything else."""
    link = value.strip(" \t\r\n")
    if link.startswith("#"):
        return link[1:]
    embedded = _DATA_URI.fullmatch(link)
    if embedded is None:
        if link[:5].lower() == "data:":
            raise InvalidImage(
                _("the SVG embeds data that is not a PNG or GIF image ({target})").format(
                    target=_shown(link)
                )
            )
        raise _outside(link)
    image_format = embedded.group(1).lower()
    try:
        image = base64.b64decode(_WHITESPACE.sub("", embedded.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidImage(_("the SVG embeds an image whose base64 data is corrupt")) from None
    try:
        validate_image(image, image_format)
    except InvalidImage as exc:
        raise InvalidImage(
            _("the SVG embeds a bad {format} image: {reason}").format(
                format=image_format.upper(), reason=exc
            )
        ) from None
    return None


def _outside(target: str) -> InvalidImage:
    return InvalidImage(
        _("the SVG refers to an outside resource ({target})").format(target=_shown(target))
    )


def _shown(text: str) -> str:
    """The start of *text* from the file, fit to show in a reason."""
    return clean_text(text[:400], 40)


class _Document:
    """The expat handlers, and what they learn of the document: its element
    tree as child lists, each element's references to ids, and the ids."""

    def __init__(self) -> None:
        self.children: list[list[int]] = []
        self.references: list[list[str]] = []
        self.templates: set[int] = set()
        self.weights: list[int] = []
        self.elements_by_id: dict[str, int] = {}
        self.open: list[int] = []
        self.style_open = 0
        self.style_text: list[str] = []
        self.style_size = 0
        self.internal_subset = False

    # The prolog

    def start_doctype(
        self, _name: str, system_id: str | None, public_id: str | None, internal: int
    ) -> None:
        if system_id or public_id:
            raise InvalidImage(_("the SVG refers to an external DTD, which flaggui refuses"))
        self.internal_subset = bool(internal)

    def end_doctype(self) -> None:
        if self.internal_subset:
            raise InvalidImage(_("the SVG has an internal DTD subset, which flaggui refuses"))

    def entity(self, *_args: object) -> int:
        raise InvalidImage(_("the SVG declares XML entities, which flaggui refuses"))

    def declaration(self, *_args: object) -> None:
        # Only an internal DTD subset holds element, attribute-list and
        # notation declarations.
        raise InvalidImage(_("the SVG has an internal DTD subset, which flaggui refuses"))

    def processing_instruction(self, target: str, _data: str) -> None:
        raise InvalidImage(
            _("the SVG holds a processing instruction (<?{target}?>)").format(target=_shown(target))
        )

    # The elements

    def start_element(self, name: str, attributes: list[str]) -> None:
        index = len(self.children)
        if index >= MAX_ELEMENTS:
            raise InvalidImage(
                _("the SVG has more than {limit} elements").format(limit=MAX_ELEMENTS)
            )
        if len(self.open) >= MAX_DEPTH:
            raise InvalidImage(
                _("the SVG nests elements more than {limit} deep").format(limit=MAX_DEPTH)
            )
        uri, local = _split(name)
        kind = local.lower()
        if index == 0:
            _check_root(uri, local)
        if uri == XHTML_NS:
            raise InvalidImage(_("the SVG embeds HTML, which flaggui refuses"))
        if kind in ACTIVE_ELEMENTS:
            raise InvalidImage(
                _("the SVG holds active content (<{element}>), which flaggui refuses").format(
                    element=_shown(local)
                )
            )
        references = self._attribute_references(index, kind, attributes)
        self.weights.append(1 + _path_length(attributes) // PATH_CHARACTERS_PER_ELEMENT)
        if self.open:
            self.children[self.open[-1]].append(index)
        self.children.append([])
        self.references.append(references)
        self.open.append(index)
        if kind == "style":
            self.style_open += 1
        if kind in TEMPLATE_ELEMENTS:
            self.templates.add(index)

    def _attribute_references(self, index: int, kind: str, attributes: list[str]) -> list[str]:
        references: list[str] = []
        animates_link = False
        for name, value in zip(attributes[::2], attributes[1::2], strict=True):
            uri, local = _split(name)
            attribute = local.lower()
            if len(value) > MAX_VALUE:
                raise _too_large()
            if not uri and attribute.startswith("on"):
                raise InvalidImage(
                    _("the SVG has an event handler ({attribute}), which flaggui refuses").format(
                        attribute=_shown(local)
                    )
                )
            if uri == XML_NS and attribute == "base":
                # xml:base would make every relative link point elsewhere.
                raise _outside(value)
            if attribute in LINK_ATTRIBUTES:
                target = _link_target(value)
                if target is not None and kind == "image":
                    raise InvalidImage(
                        _("the SVG's <image> is not an embedded PNG or GIF ({target})").format(
                            target=_shown(value)
                        )
                    )
                if target is not None and kind not in NOT_DRAWING_LINKS:
                    references.append(target)
                continue
            _refuse_dashes(attribute, value)
            references.extend(_css_references(value))
            if attribute == "id" and uri in ("", XML_NS):
                self._name(value.strip(), index)
            if kind in ANIMATION_ELEMENTS and attribute == "attributename":
                animates_link = value.strip().rpartition(":")[2].lower() in LINK_ATTRIBUTES
        if animates_link:
            # <set attributeName="href" to="file:///..."/>: the values become links.
            for name, value in zip(attributes[::2], attributes[1::2], strict=True):
                if _split(name)[1].lower() in ANIMATION_VALUES:
                    for link in value.split(";"):
                        _link_target(link)
        return references

    def end_element(self, name: str) -> None:
        self.open.pop()
        if _split(name)[1].lower() == "style":
            self.style_open -= 1
            if not self.style_open:
                _check_style_sheet("".join(self.style_text))
                self.style_text.clear()
                self.style_size = 0

    def text(self, data: str) -> None:
        if self.style_open:
            self.style_size += len(data)
            if self.style_size > MAX_VALUE:
                raise _too_large()
            self.style_text.append(data)

    # The drawing

    def check_drawing(self) -> None:
        """Count the elements Qt would draw, following every reference to an
        id (``<use href="#star">``, ``fill="url(#g)"``) as if its target were
        copied there; a template such as ``<defs>`` counts only there. Each
        element is counted once (memoised, and capped just above the limit),
        so a "billion laughs" made of ``<use>`` costs no more to check than
        to read; every element is visited, so a reference loop anywhere is
        found."""
        cap = MAX_DRAWN + 1
        drawn = [0] * len(self.children)
        state = bytearray(len(self.children))  # 0 unseen, 1 on the path, 2 counted
        # The depth-first path: element, whether the one before draws it, the
        # edges still to follow; and beside it the counts so far.
        path = [(0, True, self._successors(0))]
        sums = [self.weights[0]]
        state[0] = 1
        while path:
            for successor, counts in path[-1][2]:
                if state[successor] == 1:
                    raise InvalidImage(
                        _("the SVG has a reference loop (#{id})").format(
                            id=_shown(self._id_of(successor))
                        )
                    )
                if state[successor] == 0:
                    state[successor] = 1
                    path.append((successor, counts, self._successors(successor)))
                    sums.append(self.weights[successor])
                    break
                if counts:
                    sums[-1] = min(cap, sums[-1] + drawn[successor])
            else:
                done, counts, _edges = path.pop()
                drawn[done] = sums.pop()
                state[done] = 2
                if sums and counts:
                    sums[-1] = min(cap, sums[-1] + drawn[done])
        if drawn[0] > MAX_DRAWN:
            raise InvalidImage(
                _(
                    "the SVG would draw more than {limit} elements through <use> (possible bomb)"
                ).format(limit=MAX_DRAWN)
            )

    def _successors(self, index: int) -> Iterator[tuple[int, bool]]:
        """The elements *index* draws: its children (a template is not drawn
        where it stands), then what it refers to; with whether each counts."""
        for child in self.children[index]:
            yield child, child not in self.templates
        for reference in self.references[index]:
            if (target := self.elements_by_id.get(reference)) is not None:
                yield target, True

    def _id_of(self, index: int) -> str:
        return next(key for key, found in self.elements_by_id.items() if found == index)

    def _name(self, name: str, index: int) -> None:
        # Which of two elements an id names is the renderer's choice; and
        # every reference to a name shared by thousands would be followed to
        # each of them, which makes checking a document quadratic.
        if name in self.elements_by_id:
            raise InvalidImage(
                _("the SVG gives two elements the same id (#{id})").format(id=_shown(name))
            )
        self.elements_by_id[name] = index


def _path_length(attributes: list[str]) -> int:
    """How many characters of path data the element's attributes hold."""
    return sum(
        len(value)
        for name, value in zip(attributes[::2], attributes[1::2], strict=True)
        if _split(name)[1] in ("d", "points")
    )


def _check_root(uri: str, local: str) -> None:
    if local != "svg":
        raise InvalidImage(
            _("the document's root element is <{element}>, not <svg>").format(element=_shown(local))
        )
    if uri not in ("", SVG_NS):
        raise InvalidImage(_("the root <svg> element is not in the SVG namespace"))


def _refuse_dashes(name: str, value: str) -> None:
    """Refuse dashed strokes: how many dashes a renderer draws depends on the
    length of the path (a tiny dash along a long path is millions of them),
    which no count of elements or characters bounds; flags draw none."""
    dashes = name == "stroke-dasharray" and value.strip().lower() not in ("", "none")
    if dashes or "dasharray" in _unescape_css(value).lower():
        raise InvalidImage(_("the SVG draws dashed strokes, which flaggui does not"))


def _check_style_sheet(text: str) -> None:
    _refuse_dashes("", text)
    rule = _AT_RULE.search(_unescape_css(text))
    if rule is not None:
        raise InvalidImage(
            _("the SVG's style sheet uses @{rule}, which flaggui refuses").format(
                rule=rule.group(1).lower()
            )
        )
    _css_references(text)


def _too_large() -> InvalidImage:
    return InvalidImage(
        _("the SVG holds a value larger than {kib} KiB, too large for a flag").format(
            kib=MAX_VALUE // 1024
        )
    )
