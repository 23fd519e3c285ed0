"""Text for a terminal, where a Chinese character takes two columns: padding
to a width and wrapping that may break between Chinese characters (which
have no spaces between them) but not before a closing mark such as ，or ）."""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterable

from flaggui.core import i18n

# No line starts with these, and none ends with the opening ones.
_NO_LINE_START = set("，。、；：！？）」』】》〉”’…%,.;:!?)]}")
_NO_LINE_END = set("（「『【《〈“‘([{")
_SPACES = re.compile(r"\s+")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _columns_of(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0  # combining marks and invisible format characters
    return 2 if _is_wide(char) else 1


def columns(text: str) -> int:
    """How many terminal columns *text* takes."""
    return sum(_columns_of(char) for char in text)


def fit(text: str, width: int) -> str:
    """*text* cut or padded with spaces to exactly *width* columns."""
    out, used = [], 0
    for char in text:
        size = _columns_of(char)
        if used + size > width:
            break
        out.append(char)
        used += size
    return "".join(out) + " " * (width - used)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """*text* as unbreakable pieces, each with whether a space precedes it."""
    pieces: list[tuple[str, bool]] = []
    spaced = False
    for char in text:
        if char.isspace():
            spaced = True
            continue
        if pieces and not spaced:
            last = pieces[-1][0]
            glue = not (_is_wide(char) or _is_wide(last[-1])) or char in _NO_LINE_START
            if glue or last[-1] in _NO_LINE_END:
                pieces[-1] = (last + char, pieces[-1][1])
                continue
        pieces.append((char, spaced))
        spaced = False
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* columns (a piece longer than that,
    such as a URL, gets a line of its own), breaking at spaces or between
    Chinese characters."""
    lines: list[str] = []
    line, used = "", 0
    for piece, spaced in _pieces(_SPACES.sub(" ", text).strip()):
        gap = " " if spaced and line else ""
        size = columns(piece)
        if line and used + len(gap) + size > width:
            lines.append(line)
            line, used = piece, size
        else:
            line, used = line + gap + piece, used + len(gap) + size
    if line:
        lines.append(line)
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping help texts by columns rather than
    characters so that Chinese help fits the terminal."""

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        # argparse indents the usage's continuation lines by len(prefix);
        # "用法：" is 3 characters but 6 columns wide.
        if prefix is None:
            prefix = i18n._("usage: ")
        spaces = " " * columns(prefix)
        text = super()._format_usage(usage, actions, groups, spaces)
        return prefix + text.removeprefix(spaces)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width))
