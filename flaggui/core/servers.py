"""Flag servers: the named ones, and checking a URL a user typed."""

from __future__ import annotations

from urllib.parse import urlsplit

REMOTE = "https://www.fluentpython.com/data/flags"
LOCAL = "http://localhost:8000/flags"
SERVERS: dict[str, str] = {"REMOTE": REMOTE, "LOCAL": LOCAL}
DEFAULT_SERVER = REMOTE


class ServerError(ValueError):
    """A server URL or label that cannot be used; the message is for the user."""


def resolve_server(text: str) -> str:
    """Turn a label (REMOTE, LOCAL) or an http(s) URL into a base URL without
    a trailing slash; raise ServerError for anything else."""
    text = text.strip()
    if text.upper() in SERVERS:
        return SERVERS[text.upper()]
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ServerError(f"{text!r} is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        labels = ", ".join(SERVERS)
        raise ServerError(f"{text!r} is not an http(s) URL nor one of {labels}")
    if not parts.hostname:
        raise ServerError(f"{text!r} has no host name")
    if parts.query or parts.fragment:
        raise ServerError(f"{text!r}: a server URL cannot have a query or a fragment")
    if port == 0:
        raise ServerError(f"{text!r}: port 0 is not a valid port")
    return text.rstrip("/")


def flag_url(base: str, code: str) -> str:
    cc = code.lower()
    return f"{base}/{cc}/{cc}.gif"


def metadata_url(base: str, code: str) -> str:
    return f"{base}/{code.lower()}/metadata.json"
