"""The flags a folder's batches left unfinished, kept between runs.

When a batch ends, and when the window closes, the flags of the open folder
that did not arrive — not found, failed for any reason, or cancelled — are
written to a small JSON file in flaggui's data folder, one file per
destination folder. When the window opens that folder again they are shown
as they ended, with their reasons, and *Retry failed* tries them again; a
flag that has arrived in the folder since is shown as saved.

The file is read as untrusted, since anything may have written it: at most
MAX_FILE bytes of a regular file, UTF-8 JSON of the expected shape and
version for this very folder, or nothing (with one warning in the log);
entries with an unknown code or a wrong type are dropped, texts are cleaned
of control characters and cut short. It is written atomically: the old file
or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from flaggui.core.countries import is_country_code, is_known_code
from flaggui.core.events import FailureKind
from flaggui.core.storage import save_atomically
from flaggui.core.untrusted import clean_text, read_regular
from flaggui.ui.flag_model import UNFINISHED, TileState

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# Every code AA..ZZ with the longest reason and server fits well within.
MAX_FILE = 4 * 1024 * 1024
MAX_FLAGS = 26 * 26
MAX_REASON = 300
MAX_SERVER = 1000
# Why a file was ignored is logged in at most this many characters.
_SHOWN_PROBLEM = 200
_STATES = {state.value: state for state in UNFINISHED}
_KINDS = {kind.value: kind for kind in FailureKind}


@dataclass(frozen=True)
class UnfinishedFlag:
    """A flag that did not arrive: how it ended (NOT_FOUND, ERROR or
    CANCELLED), why, from which server, and for a failure its kind and
    (for an HTTP status) the status."""

    code: str
    state: TileState
    reason: str = ""
    server: str = ""
    kind: FailureKind | None = None
    status: int | None = None


class UnreadableMemory(ValueError):
    """The file is not one flaggui wrote for this folder."""


def default_store() -> Path:
    """Where flaggui keeps what it remembers of folders: the platform's
    application data folder (``~/.local/share/flaggui/flaggui`` on Linux)."""
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return (Path(data) if data else Path.home() / ".flaggui") / "unfinished"


def memory_file(store: Path, folder: Path) -> Path:
    """The file in *store* for *folder*: named by a hash of its absolute
    path, which the file also holds (a file copied under another name is
    refused)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(folder))).hexdigest()[:32]
    return store / f"{key}.json"


# Writing ------------------------------------------------------------------
def dump_unfinished(folder: Path, flags: Iterable[UnfinishedFlag]) -> bytes:
    """The file's bytes (ASCII JSON) for *flags* of *folder*."""
    entries = [
        {
            "code": flag.code,
            "state": flag.state.value,
            "reason": clean_text(flag.reason, MAX_REASON),
            "server": clean_text(flag.server, MAX_SERVER),
            "kind": flag.kind.value if flag.kind is not None else None,
            "status": flag.status,
        }
        for flag in flags
    ]
    document = {"version": FORMAT_VERSION, "folder": os.path.abspath(folder), "flags": entries}
    return json.dumps(document, indent=1).encode("ascii")


def save_unfinished(store: Path, folder: Path, flags: Iterable[UnfinishedFlag]) -> bool:
    """Write the file for *folder*, or remove it when no flag is unfinished;
    False (and a warning in the log) if that failed."""
    flags = list(flags)
    target = memory_file(store, folder)
    try:
        if not flags:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            return True
        store.mkdir(parents=True, exist_ok=True)
        save_atomically(store, target.name, dump_unfinished(folder, flags))
    except OSError as exc:
        log.warning(
            "cannot remember the unfinished flags of %s in %s: %s",
            folder,
            target,
            clean_text(str(exc), _SHOWN_PROBLEM),
        )
        return False
    return True


# Reading ------------------------------------------------------------------
def load_unfinished(store: Path, folder: Path) -> list[UnfinishedFlag]:
    """The unfinished flags remembered for *folder*; none if there is no
    file, or (with a warning in the log) if it cannot be read or is not a
    file flaggui wrote for this folder. Never raises."""
    path = memory_file(store, folder)
    try:
        data = read_regular(path, MAX_FILE)
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("ignoring %s: %s", path, clean_text(str(exc), _SHOWN_PROBLEM))
        return []
    try:
        return parse_unfinished(data, folder)
    except UnreadableMemory as exc:
        log.warning("ignoring %s: %s", path, clean_text(str(exc), _SHOWN_PROBLEM))
        return []


def parse_unfinished(data: bytes, folder: Path) -> list[UnfinishedFlag]:
    """The flags in a file's *data*, for *folder*; UnreadableMemory if the
    file as a whole is not what flaggui writes. Entries that are not valid
    (an unknown code, a state other than not found, error or cancelled, a
    value of the wrong type) are dropped, and so is a code's second entry."""
    if len(data) > MAX_FILE:
        raise UnreadableMemory(f"{len(data)} bytes, more than {MAX_FILE}")
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnreadableMemory(f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise UnreadableMemory(f"expected an object, not {_type(document)}")
    version = document.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise UnreadableMemory(f"version {version!r}, not {FORMAT_VERSION}")
    if document.get("folder") != os.path.abspath(folder):
        raise UnreadableMemory("written for another folder")
    entries = document.get("flags")
    if not isinstance(entries, list):
        raise UnreadableMemory(f"flags: expected a list, not {_type(entries)}")
    if len(entries) > MAX_FLAGS:
        raise UnreadableMemory(f"{len(entries)} flags, more than {MAX_FLAGS}")
    flags: dict[str, UnfinishedFlag] = {}
    for entry in entries:
        flag = _flag(entry)
        if flag is not None and flag.code not in flags:
            flags[flag.code] = flag
    dropped = len(entries) - len(flags)
    if dropped:
        log.warning("ignored %d of the %d unfinished flags remembered", dropped, len(entries))
    return sorted(flags.values(), key=lambda flag: flag.code)


def _flag(entry: object) -> UnfinishedFlag | None:
    """One entry as a flag, or None if it is not a valid one."""
    if not isinstance(entry, dict):
        return None
    code, state, reason, server = (entry.get(key) for key in ("code", "state", "reason", "server"))
    kind, status = entry.get("kind"), entry.get("status")
    if not (
        isinstance(code, str)
        and is_country_code(code)
        and code.isupper()
        and is_known_code(code)
        and isinstance(state, str)
        and state in _STATES
        and isinstance(reason, str)
        and isinstance(server, str)
        and (kind is None or (isinstance(kind, str) and kind in _KINDS))
        and (status is None or (type(status) is int and 100 <= status <= 599))
    ):
        return None
    return UnfinishedFlag(
        code=code,
        state=_STATES[state],
        reason=clean_text(reason, MAX_REASON),
        server=clean_text(server, MAX_SERVER),
        kind=_KINDS[kind] if kind is not None else None,
        status=status,
    )


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def _type(value: object) -> str:
    return type(value).__name__
