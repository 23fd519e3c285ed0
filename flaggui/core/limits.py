"""Fitting the concurrency setting to the process's open-file limit.

Every request in flight holds a socket, and every save a temporary file.
macOS starts apps with a soft limit of 256 open files, so 1000 requests would
fail with "Too many open files". The soft limit is raised toward the hard
limit once; if that is still too low the concurrency is lowered and the
caller is told why.
"""

from __future__ import annotations

import sys
from functools import cache

from flaggui.core.i18n import _, ngettext

MIN_CONCURRENCY = 1
MAX_CONCURRENCY = 1000
DEFAULT_CONCURRENCY = 20
# Descriptors kept for everything else: Python, Qt, the event loop, saves.
RESERVED_FILES = 64


@cache
def open_file_limit() -> int | None:
    """Raise the soft open-file limit as far as allowed; return it (None where
    the platform has no such limit, e.g. Windows)."""
    if sys.platform == "win32":
        return None
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONCURRENCY + RESERVED_FILES * 2
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return None if soft == resource.RLIM_INFINITY else soft


def check_concurrency(value: int) -> int:
    if not MIN_CONCURRENCY <= value <= MAX_CONCURRENCY:
        raise ValueError(
            _("concurrency must be between {low} and {high}, not {value}").format(
                low=MIN_CONCURRENCY, high=MAX_CONCURRENCY, value=value
            )
        )
    return value


def fit_concurrency(requested: int) -> tuple[int, str]:
    """Return the concurrency to use and, if it had to be lowered, a note."""
    check_concurrency(requested)
    limit = open_file_limit()
    if limit is None or requested + RESERVED_FILES <= limit:
        return requested, ""
    usable = max(MIN_CONCURRENCY, limit - RESERVED_FILES)
    return usable, ngettext(
        "concurrency lowered from {requested} to {usable}: "
        "this system allows only {limit} open file",
        "concurrency lowered from {requested} to {usable}: "
        "this system allows only {limit} open files",
        limit,
    ).format(requested=requested, usable=usable, limit=limit)
