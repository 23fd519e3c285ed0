"""aiohttp, imported without loading certificate authorities nobody uses.

As it is imported, aiohttp builds two default TLS contexts, and each loads
the system's certificate authorities: about 20 ms apiece on a desktop
machine, 40 ms of every start of ``flaggui get`` and of the window's first
batch, spent on the event loop. flaggui never uses them: every https request
it makes passes its own context (certifi's authorities, loaded with the
first https request: :func:`flaggui.core.http.tls_context`), and a plain-http
request uses none. So while aiohttp is imported here, a context does not
load OpenSSL's default authorities (the CA file and directory); the two
built then trust no one (on Linux and macOS; Windows adds its own store,
left as it is), and a request that fell back on them would fail its
certificate check rather than pass it.

Import aiohttp through this module (``from flaggui.core.aiohttp_import
import aiohttp``) before anything else imports it; once aiohttp is loaded,
this changes nothing.
"""

from __future__ import annotations

import ssl
import sys

__all__ = ["aiohttp"]

if "aiohttp" in sys.modules:
    import aiohttp
else:

    def _skip_default_authorities(context: ssl.SSLContext) -> None:
        pass

    _own = ssl.SSLContext.__dict__.get("set_default_verify_paths")
    ssl.SSLContext.set_default_verify_paths = _skip_default_authorities  # type: ignore[method-assign,assignment]
    try:
        import aiohttp
    finally:
        # The usual method again, for every context made from now on.
        if _own is None:
            del ssl.SSLContext.set_default_verify_paths
        else:
            ssl.SSLContext.set_default_verify_paths = _own  # type: ignore[method-assign]
