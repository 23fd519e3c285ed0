"""The ``flaggui`` command: ``get`` and ``serve`` run headless, without Qt;
with no sub-command the window opens."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs
from tqdm import tqdm

from flaggui import __version__
from flaggui.core.countries import SelectionError, country_name, parse_selection
from flaggui.core.engine import DownloadEngine, DownloadOptions
from flaggui.core.events import BatchSummary, FlagEvent, FlagState, Phase
from flaggui.core.limits import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, check_concurrency
from flaggui.core.servers import DEFAULT_TEMPLATE, SERVERS, ServerError, resolve_server
from flaggui.core.storage import DestinationError, prepare_destination
from flaggui.server import (
    Behaviour,
    FlagStore,
    SourceError,
    create_app,
    normalize_prefix,
    parse_delay,
    serve_forever,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def default_destination() -> Path:
    """The user's Pictures folder + ``flags`` (XDG / OS conventions)."""
    return Path(platformdirs.user_pictures_dir()) / "flags"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flaggui",
        description="Download country flags concurrently and browse them.",
    )
    parser.add_argument("--version", action="version", version=f"flaggui {__version__}")
    window = parser.add_argument_group("window options (no command)")
    window.add_argument("--server", help="URL or label of the flag server")
    window.add_argument("--dest", type=Path, help="destination folder")
    window.add_argument("--countries", metavar="CC,CC,...|POP20|ALL", help="countries to select")
    window.add_argument(
        "--concurrency", type=int, metavar="N", help=f"requests at once, 1..{MAX_CONCURRENCY}"
    )
    window.add_argument("--start", action="store_true", help="start downloading at once")
    window.add_argument(
        "--smoke-test",
        action="store_true",
        help="check the app works (offscreen, against a server of its own) and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    labels = ", ".join(f"{k} = {v}" for k, v in SERVERS.items())
    get = commands.add_parser(
        "get",
        help="download flags (headless)",
        description="Download flags into a folder. CC is a country code (CN) or a letter "
        "meaning every country whose code starts with it; the default is the 20 most "
        "populous countries (POP20).",
    )
    get.add_argument("cc", nargs="*", metavar="CC", help="country codes or single letters")
    choice = get.add_mutually_exclusive_group()
    choice.add_argument("-a", "--all", action="store_true", help="all 194 flags of the set")
    choice.add_argument("-e", "--every", action="store_true", help="every code AA..ZZ")
    get.add_argument("-l", "--limit", type=int, metavar="N", help="only the first N codes")
    get.add_argument(
        "-m",
        "--max-req",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"requests in flight at most, 1..{MAX_CONCURRENCY} (default {DEFAULT_CONCURRENCY})",
    )
    get.add_argument(
        "-s", "--server", default="REMOTE", help=f"URL or label ({labels}); default REMOTE"
    )
    get.add_argument(
        "-d", "--dest", type=Path, help="destination folder (default ~/Pictures/flags)"
    )
    get.add_argument(
        "--timeout", type=float, default=15.0, metavar="S", help="deadline per request attempt"
    )
    get.add_argument("--retries", type=int, default=2, metavar="N", help="retries per flag")
    get.add_argument(
        "--url-template",
        default=DEFAULT_TEMPLATE,
        metavar="T",
        help="where a flag is: {base} is SERVER, {cc} the code (default "
        "'{base}/{cc}/{cc}.gif'; e.g. 'https://flagcdn.com/w320/{cc}.png'); "
        "the extension (.gif, .png, .svg) is the format checked and saved",
    )
    get.add_argument("--force", action="store_true", help="download even flags already saved")
    get.add_argument("-v", "--verbose", action="store_true", help="one line per flag")

    serve = commands.add_parser(
        "serve",
        help="serve flags locally",
        description="Serve flags from a folder (cc/cc.gif or cc.gif) or a flags.zip in the "
        "URL shape of the public flag server.",
    )
    serve.add_argument(
        "source", nargs="?", type=Path, help="folder or flags.zip (default ~/Pictures/flags)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--prefix", default="/flags", help="URL path of the flags")
    serve.add_argument(
        "--delay", default="0", metavar="S|MIN:MAX", help="seconds before each answer"
    )
    serve.add_argument(
        "--error-rate", type=float, default=0.0, metavar="P", help="share of 500 answers, 0..1"
    )
    serve.add_argument("--seed", type=int, help="random seed for delays and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "get":
        return _run_get(parser, args)
    if args.command == "serve":
        return _run_serve(parser, args)
    return _run_window(parser, args)


def _run_window(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.smoke_test:
        from flaggui.ui.smoke import run as run_smoke_test

        return run_smoke_test()
    try:
        countries = parse_selection([args.countries]) if args.countries else None
        server = resolve_server(args.server) if args.server else None
        if args.concurrency is not None:
            check_concurrency(args.concurrency)
    except (SelectionError, ServerError, ValueError) as exc:
        parser.error(str(exc))
    dest = args.dest.expanduser().absolute() if args.dest else None
    if dest is not None and dest.exists() and not dest.is_dir():
        parser.error(f"{dest} is a file, not a folder")
    try:
        from flaggui.ui.app import run
        from flaggui.ui.main_window import StartOptions
    except ImportError as exc:
        print(f"flaggui: cannot start the window: {exc}", file=sys.stderr)
        print("flaggui get and flaggui serve work without it.", file=sys.stderr)
        return EXIT_FAILED
    return run(StartOptions(server, dest, countries, args.concurrency, args.start))


def _fail(parser: argparse.ArgumentParser, command: str, message: str) -> int:
    print(f"{parser.prog} {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _run_get(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        codes = parse_selection(args.cc, all_flags=args.all, every=args.every, limit=args.limit)
        server = resolve_server(args.server)
        check_concurrency(args.max_req)
        options = DownloadOptions(
            server=server,
            concurrency=args.max_req,
            timeout=args.timeout,
            retries=args.retries,
            force=args.force,
            url_template=args.url_template,
        )
        destination = prepare_destination(args.dest or default_destination())
    except (SelectionError, ServerError, DestinationError, ValueError) as exc:
        return _fail(parser, "get", str(exc))
    return _download(codes, destination, options, verbose=args.verbose)


def _run_serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    source = args.source or default_destination()
    try:
        if not 0 <= args.port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, not {args.port}")
        behaviour = Behaviour(parse_delay(args.delay), args.error_rate, args.seed)
        store = FlagStore.load(source)
        app = create_app(store, args.prefix, behaviour)
    except (SourceError, ValueError) as exc:
        return _fail(parser, "serve", str(exc))

    prefix = normalize_prefix(args.prefix)

    def announce(url: str) -> None:
        print(f"Serving {len(store.flags)} flags from {source} at {url}{prefix}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)

    try:
        asyncio.run(serve_forever(app, args.host, args.port, announce))
    except KeyboardInterrupt:
        return EXIT_OK
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = f"port {args.port} on {args.host} is already in use"
        else:
            message = f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        print(f"flaggui serve: error: {message}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


_SYMBOLS = {
    FlagState.DONE: "done",
    FlagState.SKIPPED: "skipped",
    FlagState.NOT_FOUND: "not found",
    FlagState.ERROR: "ERROR",
    FlagState.CANCELLED: "cancelled",
}


def _download(
    codes: list[str], destination: Path, options: DownloadOptions, *, verbose: bool
) -> int:
    """Run one batch with a progress bar on a terminal; print the summary."""
    bar = tqdm(
        total=len(codes),
        unit="flag",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
        dynamic_ncols=True,
    )

    def on_event(event: FlagEvent) -> None:
        if event.phase is not Phase.FINISHED or event.result is None:
            return
        bar.update(1)
        if verbose:
            result = event.result
            name = result.country or country_name(result.code) or ""
            detail = result.reason or f"{result.size / 1024:.1f} KiB"
            bar.write(f"{result.code}  {name:<32.32} {_SYMBOLS[result.state]:<9}  {detail}")

    engine = DownloadEngine(destination, options, on_event)
    if engine.concurrency_note:
        print(f"flaggui get: {engine.concurrency_note}", file=sys.stderr)

    async def run() -> BatchSummary:
        loop = asyncio.get_running_loop()
        # Ctrl+C cancels the batch: unfinished flags end CANCELLED and the
        # summary is still printed.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, engine.cancel)
        try:
            return await engine.run(codes)
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGINT)

    try:
        summary = asyncio.run(run())
    except KeyboardInterrupt:
        bar.close()
        print("flaggui get: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        bar.close()
    _print_summary(summary, destination)
    if summary.count(FlagState.CANCELLED):
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.failed else EXIT_OK


def _print_summary(summary: BatchSummary, destination: Path) -> None:
    failed = summary.failed
    if failed:
        print(f"{len(failed)} failed:")
        for result in failed:
            print(f"  {result.code}  {result.reason}")
    missing = [r.code for r in summary.results if r.state is FlagState.NOT_FOUND]
    if missing:
        print(f"not found on the server: {' '.join(missing)}")
    print(f"{summary.counts_line} (saved in {destination})")
    print(summary.downloaded_line)
