"""Flag servers: the named ones, and checking a URL a user typed."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from flaggui.core.i18n import _

REMOTE = "https://www.fluentpython.com/data/flags"
LOCAL = "http://localhost:8000/flags"
SERVERS: dict[str, str] = {"REMOTE": REMOTE, "LOCAL": LOCAL}
DEFAULT_SERVER = REMOTE
# The flags built into flaggui, served from the process itself. Not a URL: the
# server has an address only while it runs, and the engine asks for it when a
# batch starts (see flaggui.core.builtin).
BUILTIN = "BUILTIN"


class ServerError(ValueError):
    """A server URL or label that cannot be used; the message is for the user."""


class NotAnHttpUrl(ServerError):
    """Text that is neither an http or https URL nor a server label: the
    message names the command line's labels, a window says it in its own
    words from *text*."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


def resolve_server(text: str) -> str:
    """Turn a label (REMOTE, LOCAL) or an http(s) URL into a base URL without
    a trailing slash, and BUILTIN into itself; raise ServerError for anything
    else."""
    text = text.strip()
    # ASCII only: with a dotless i (U+0131), "builtin" upper-cases to BUILTIN too.
    label = text.upper() if text.isascii() else ""
    if label in SERVERS:
        return SERVERS[label]
    if label == BUILTIN:
        return BUILTIN
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ServerError(
            _("{url!r} is not a valid URL: {error}").format(url=text, error=exc)
        ) from exc
    if parts.scheme not in ("http", "https"):
        labels = ", ".join([*SERVERS, BUILTIN])
        raise NotAnHttpUrl(
            _("{url!r} is neither an http or https URL nor one of {labels}").format(
                url=text, labels=labels
            ),
            text,
        )
    if not parts.hostname:
        raise ServerError(_("{url!r} has no host name").format(url=text))
    if parts.query or parts.fragment:
        raise ServerError(
            _("{url!r}: a server URL cannot have a query or a fragment").format(url=text)
        )
    if port == 0:
        raise ServerError(_("{url!r}: port 0 is not a valid port").format(url=text))
    return text.rstrip("/")


# Where a flag is on a server: {base} is the server URL, {cc} the code in
# lower case, {CC} in upper case. The extension names the image format.
DEFAULT_TEMPLATE = "{base}/{cc}/{cc}.gif"
FORMATS = ("gif", "png", "svg")
_FIELDS = {"base", "cc", "CC"}


def template_format(template: str) -> str:
    """Check a URL template and return the image format it promises (the
    extension of its path); raise ServerError with a reason otherwise."""
    try:
        parsed = [item for item in string.Formatter().parse(template) if item[1] is not None]
    except ValueError as exc:
        raise ServerError(
            _("{template!r} is not a valid template: {error}").format(template=template, error=exc)
        ) from exc
    # A format spec or conversion ({cc:>999999999}) could make a URL of any
    # size, and {} or {0} would ask for arguments that are never given.
    if any(spec or conversion or not name for _text, name, spec, conversion in parsed):
        raise ServerError(
            _("{template!r}: use the fields as they are: {{base}}, {{cc}}, {{CC}}").format(
                template=template
            )
        )
    fields = {name for _text, name, _spec, _conversion in parsed if name}
    if fields - _FIELDS:
        unknown = ", ".join(sorted(fields - _FIELDS))
        raise ServerError(
            _("{template!r} uses unknown fields: {unknown} (known: base, cc, CC)").format(
                template=template, unknown=unknown
            )
        )
    if not fields & {"cc", "CC"}:
        raise ServerError(
            _("{template!r} must contain {{cc}} or {{CC}} where the code goes").format(
                template=template
            )
        )
    sample = template.format(base="http://localhost", cc="cn", CC="CN")
    try:
        resolve_server(sample)  # a well-formed http or https URL once filled in
    except NotAnHttpUrl:
        raise ServerError(
            _("{template!r} must start with {{base}}, http:// or https://").format(
                template=template
            )
        ) from None
    path = urlsplit(sample).path
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if extension not in FORMATS:
        raise ServerError(
            _("{template!r} must end in .gif, .png or .svg (the format of the flags)").format(
                template=template
            )
        )
    return extension


def flag_url(base: str, code: str, template: str = DEFAULT_TEMPLATE) -> str:
    return template.format(base=base, cc=code.lower(), CC=code.upper())


def metadata_url(base: str, code: str) -> str:
    return f"{base}/{code.lower()}/metadata.json"
