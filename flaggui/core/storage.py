"""The destination folder: atomic saves, existing flags and leftover cleanup.

Everything here is blocking file I/O; the engine runs it in worker threads.
A flag is written to a temporary file in the destination folder and renamed
over ``{cc}.gif``, so the folder only ever holds complete files, whether the
process is cancelled, killed or runs out of disk. Temporary files carry the
writer's PID in their name, so one left by a process that died can be
recognised and removed later.

Files are not fsync'ed: that would only guard against a power cut in the
second after a save, it cost a third of a 194-flag download's time on
loopback, and a flag damaged that way is caught anyway, because every run
validates existing flags before skipping them and downloads broken ones again.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from flaggui.core.countries import is_country_code
from flaggui.core.i18n import _
from flaggui.core.images import MAX_FILE_BYTES, InvalidImage, validate_image
from flaggui.core.untrusted import UnsafeFile, clean_text, not_regular, read_regular

TEMP_PREFIX = ".flaggui-"
TEMP_SUFFIX = ".part"
# ASCII digits, and few enough to be a PID: a name is untrusted too, and
# os.kill() raises OverflowError for a number past the C int range (and
# signals the whole process group for 0).
_TEMP_RE = re.compile(
    rf"^{re.escape(TEMP_PREFIX)}[a-z]{{2}}-([1-9][0-9]{{0,8}})-.*{re.escape(TEMP_SUFFIX)}$"
)
# Where a PID cannot be checked, a leftover older than this is surely dead.
_STALE_AGE = 3600.0


class DestinationError(OSError):
    """The destination folder cannot be used; ``str()`` is for the user."""


def flag_filename(code: str, extension: str = "gif") -> str:
    """``CN`` -> ``cn.gif``; refuses anything but two ASCII letters so no
    input can name a path outside the destination folder."""
    if not is_country_code(code):
        raise ValueError(f"not a country code: {code!r}")
    return f"{code.lower()}.{extension}"


def shown_path(folder: Path | str) -> str:
    """A path as it may be shown: a name can hold escape codes too."""
    return clean_text(str(folder), 200)


def expand_home(folder: Path) -> Path:
    """*folder* with a leading ``~`` or ``~user`` expanded."""
    try:
        return folder.expanduser()
    except RuntimeError:  # ~name of a user who does not exist
        raise DestinationError(
            _("cannot find the home folder in {folder}").format(folder=shown_path(folder))
        ) from None


def refuse_a_file(folder: Path) -> None:
    """Raise DestinationError if *folder* is an existing file, or cannot even
    be looked at (a name too long, a parent that may not be searched)."""
    try:
        is_file = folder.exists() and not folder.is_dir()
    except OSError as exc:
        raise DestinationError(
            _("cannot use folder {folder}: {error}").format(
                folder=shown_path(folder), error=exc.strerror or exc
            )
        ) from exc
    if is_file:
        raise DestinationError(
            _("{folder} is a file, not a folder").format(folder=shown_path(folder))
        )


def prepare_destination(folder: Path) -> Path:
    """Create *folder* if needed and prove it is writable; return it absolute."""
    folder = expand_home(folder)
    refuse_a_file(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DestinationError(
            _("cannot create folder {folder}: {error}").format(
                folder=shown_path(folder), error=exc.strerror or exc
            )
        ) from exc
    try:
        # Named like a save's temporary, so that one left by a process killed
        # between these lines is removed by the next run.
        fd, probe = _new_temporary(folder, "pr")
        os.close(fd)
        os.unlink(probe)
        return folder.resolve()
    except OSError as exc:
        raise DestinationError(
            _("cannot write in folder {folder}: {error}").format(
                folder=shown_path(folder), error=exc.strerror or exc
            )
        ) from exc


@dataclass(frozen=True, slots=True)
class FolderSurvey:
    """What a batch found in its folder before any request: the folder
    (absolute), the flags already there and valid (code -> size), and the
    codes whose place holds something flaggui will not touch unasked, such
    as a FIFO or a link (code -> reason)."""

    folder: Path
    existing: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)


def open_destination(folder: Path, codes: list[str], extension: str = "gif") -> FolderSurvey:
    """Make *folder* ready for a batch: create it, prove it writable, remove
    dead processes' leftovers, and look at what is where each of *codes*
    would be saved."""
    survey = FolderSurvey(prepare_destination(folder))
    remove_stale_temporaries(survey.folder)
    for code in codes:
        path = survey.folder / flag_filename(code, extension)
        try:
            size = existing_size(path, extension)
        except UnsafeFile as exc:
            # A folder cannot be replaced by a file, even with --force.
            replaceable = path.is_symlink() or not path.is_dir()
            hint = _("{reason} (--force replaces it)") if replaceable else "{reason}"
            survey.blocked[code] = hint.format(reason=exc)
            continue
        if size is not None:
            survey.existing[code] = size
    return survey


def existing_size(path: Path, expected: str = "gif") -> int | None:
    """The size of *path* if it is a complete, valid image of the expected
    format and nothing more, else None. Raises UnsafeFile if *path* is there
    but is not a regular file (a link, a FIFO, a device, a folder): nothing
    but regular files is ever opened, so a FIFO cannot block and a link to
    ``/dev/zero`` cannot fill the memory."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(path.name, info.st_mode)
    try:
        data = read_regular(path, MAX_FILE_BYTES)
        image = validate_image(data, expected)
    except (OSError, InvalidImage):  # too large, swapped, unreadable: download it again
        return None
    # A flag with bytes after its end was not saved by flaggui: replace it.
    return len(data) if image.length == len(data) else None


# A new file only, written in binary, not inherited by child processes.
_NEW_FILE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOINHERIT", 0)
)
# Numbers the temporary files of this process (next() is atomic under the GIL).
_serials = itertools.count(1)


def save_atomically(folder: Path, filename: str, data: bytes) -> Path:
    """Write *data* to ``folder/filename`` so that the file is either absent,
    its old content, or the complete new content; never anything else."""
    target = folder / filename
    fd, temp_name = _new_temporary(folder, filename)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        _replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return target


def _new_temporary(folder: Path, filename: str) -> tuple[int, str]:
    """A new temporary file for *filename* in *folder*, open for writing,
    with the mode any new file gets (0666 less the umask). It is named after
    this process and a serial number, which no other writer uses, so a flag
    is saved in four system calls where a random name took seven. A name
    that is taken (by a file a dead process with the same PID left) is
    stepped over."""
    stem = os.path.join(folder, f"{TEMP_PREFIX}{filename[:2]}-{os.getpid()}-")
    for _attempt in range(100):
        name = f"{stem}{next(_serials)}{TEMP_SUFFIX}"
        try:
            return os.open(name, _NEW_FILE, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, _("no free name for a temporary file"), str(folder))


def _replace(source: str, target: Path) -> None:
    # On Windows another process (an antivirus, an image viewer) may hold the
    # target open for a moment; a short retry rides that out.
    attempts = 10 if sys.platform == "win32" else 1
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files left by flaggui processes that are gone; return
    how many were removed."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        if _writer_alive(int(match.group(1)), entry):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


def _writer_alive(pid: int, entry: os.DirEntry[str]) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        try:
            return time.time() - entry.stat().st_mtime < _STALE_AGE
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe_os_error(exc: OSError) -> str:
    """A short reason for a failed save, e.g. ``disk full``."""
    if exc.errno == errno.ENOSPC:
        return _("cannot save: the disk is full")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("cannot save: permission denied")
    return _("cannot save: {error}").format(error=exc.strerror or exc)
