"""Values that come from outside flaggui: cleaned, parsed strictly, read boundedly.

Every byte from a server, every file found in a folder and every value typed
on a command line or stored in a settings file may be hostile. Three helpers
make such values safe to use:

- :func:`clean_text` before text from outside is shown anywhere (a terminal
  would obey escape sequences; a window would obey bidi overrides);
- :func:`parse_int` and :func:`parse_float` for numbers: ASCII digits only
  (``int()`` also takes ``'١٢'`` and ``'1_000'``, ``float()`` takes ``'nan'``
  and ``'inf'``), finite, in a stated range;
- :func:`read_regular` to read a file: only a regular file is ever opened
  (never a FIFO, which would block ``open()``, nor a device such as
  ``/dev/zero``, nor a link unless asked), and never more than a cap.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from flaggui.core.i18n import _

# The longest text from outside that is shown in one piece.
MAX_SHOWN = 120
# Unicode categories never shown: controls (C0, DEL, C1: terminal escapes),
# formats (bidi overrides and isolates, zero-width characters), surrogates,
# private use, unassigned, and line/paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")
_INT = re.compile(r"[+-]?[0-9]{1,18}")
_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})")


def clean_text(text: str, limit: int = MAX_SHOWN) -> str:
    """*text* with every control, format and separator character removed
    (line breaks and tabs become spaces), runs of spaces collapsed, and cut
    to at most *limit* characters (the last one then ``…``)."""
    if text.isprintable():
        # No control, format, separator or unassigned character, and no
        # space but U+0020: the usual case, without a look at each character.
        kept = text
    else:
        kept = "".join(
            " " if char.isspace() else char
            for char in text
            if char.isspace() or unicodedata.category(char) not in _HIDDEN
        )
    kept = _SPACES.sub(" ", kept).strip()
    if len(kept) > limit:
        kept = kept[: max(0, limit - 1)].rstrip() + "…"
    return kept


def quoted(text: str, limit: int = 40) -> str:
    """*text* cleaned and in quotes, for an error message that repeats what
    the user (or a file) gave."""
    return repr(clean_text(text, limit))


# What a number typed or sent may be padded with. str.strip() would also
# take control characters such as U+001F, which int() and float() refuse.
ASCII_SPACE = " \t\r\n"


def parse_int(text: str, low: int, high: int, what: str) -> int:
    """``text`` as a whole number in ``low..high``; ValueError naming *what*
    and the range otherwise."""
    stripped = text.strip(ASCII_SPACE)
    if _INT.fullmatch(stripped):
        value = int(stripped)
        if low <= value <= high:
            return value
    raise ValueError(
        _("{what} must be a whole number from {low} to {high}, not {value}").format(
            what=what, low=low, high=high, value=quoted(text)
        )
    )


def parse_float(text: str, low: float, high: float, what: str, *, low_open: bool = False) -> float:
    """``text`` as a finite decimal number in ``low..high`` (above *low* if
    *low_open*); ValueError naming *what* and the range otherwise."""
    stripped = text.strip(ASCII_SPACE)
    if _FLOAT.fullmatch(stripped):
        value = float(stripped)
        if (value > low if low_open else value >= low) and value <= high:
            return value
    message = (
        _("{what} must be a number above {low:g} and at most {high:g}, not {value}")
        if low_open
        else _("{what} must be a number from {low:g} to {high:g}, not {value}")
    )
    raise ValueError(message.format(what=what, low=low, high=high, value=quoted(text)))


class UnsafeFile(OSError):
    """A file flaggui will not read: not a regular file, a link, or larger
    than allowed. ``str()`` is the reason for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def describe_file_type(mode: int) -> str:
    """``a folder``, ``a FIFO (named pipe)``, ``a device`` … for a stat mode."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def not_regular(name: str, mode: int) -> UnsafeFile:
    return UnsafeFile(
        _("{name} is {kind}, not a regular file").format(name=name, kind=describe_file_type(mode))
    )


def too_large(name: str, limit: int) -> UnsafeFile:
    return UnsafeFile(
        _("{name} is larger than {kib} KiB, too large for a flag").format(
            name=name, kib=max(1, limit // 1024)
        )
    )


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them.

    Raises UnsafeFile if *path* is anything but a regular file (a link too:
    a caller that accepts a link resolves it first) or holds more than
    *limit* bytes; other OSErrors (missing, unreadable) pass
    through. The type is checked before opening and again on the open
    descriptor, so a file swapped in between is caught too.
    """
    name = os.path.basename(path)
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(name, info.st_mode)
    try:
        fd = os.open(path, _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link swapped in
            raise not_regular(name, stat.S_IFLNK) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(name, info.st_mode)
        if info.st_size > limit:
            raise too_large(name, limit)
        chunks = []
        remaining = limit + 1  # one byte more than allowed proves a file grew past the cap
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise too_large(name, limit)
        return data
    finally:
        os.close(fd)
