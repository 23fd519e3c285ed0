"""The ``flaggui`` command: ``get`` and ``serve`` run headless, without Qt;
with no sub-command the window opens.

Each command imports what only it uses when it runs (the engine and asyncio
for ``get``, the server and aiohttp for ``serve``, Qt for the window), so
that ``--version``, ``--help`` and the window's start do not wait for them.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from flaggui import __version__, qt_options
from flaggui.core import i18n
from flaggui.core.countries import SelectionError, country_name, parse_selection
from flaggui.core.events import BatchSummary, FlagEvent, FlagState, Phase
from flaggui.core.i18n import N_, _, ngettext
from flaggui.core.limits import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    MIN_CONCURRENCY,
)
from flaggui.core.network import NetworkPreset, parse_bandwidth, parse_preset
from flaggui.core.servers import BUILTIN, DEFAULT_TEMPLATE, SERVERS, ServerError, resolve_server
from flaggui.core.storage import (
    DestinationError,
    expand_home,
    prepare_destination,
    refuse_a_file,
    shown_path,
)
from flaggui.core.untrusted import clean_text, parse_float, parse_int
from flaggui.terminal import HelpFormatter, fit

if TYPE_CHECKING:
    from tqdm import tqdm

    from flaggui.core.engine import DownloadOptions

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_COMMANDS = ("get", "serve")


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived while no batch was running to cancel."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def _end_on_stop_signals() -> None:
    """Let Ctrl+C or SIGTERM end the run at any moment outside a batch (a
    running batch's own handlers cancel it instead; see _download)."""
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _interrupt)


_Value = TypeVar("_Value")


def _option(parse: Callable[[str], _Value]) -> Callable[[str], _Value]:
    """An argparse ``type=`` from a parser raising ValueError: its message
    becomes the usage error, instead of argparse's "invalid value"."""

    def option(text: str) -> _Value:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return option


def _whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number in low..high (*what* is an N_ text)."""
    return _option(lambda text: parse_int(text, low, high, _(what)))


def _seconds(high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds above 0, at most *high*."""
    return _option(lambda text: parse_float(text, 0, high, _(what), low_open=True))


def default_destination() -> Path:
    """The user's Pictures folder + ``flags`` (XDG / OS conventions)."""
    import platformdirs

    return Path(platformdirs.user_pictures_dir()) / "flags"


# argparse asks gettext for its own words ("usage: ", its error messages);
# these are the ones a user meets, listed so that flaggui's catalogue has them.
_ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def _speak_argparse() -> None:
    """Let argparse's own messages follow flaggui's language: argparse looks
    its words up through the module-level names ``_`` and ``ngettext``."""
    for name, function in (("_", i18n._), ("ngettext", i18n.ngettext)):
        setattr(argparse, name, function)


def _language_option(value: str) -> str:
    language = i18n.language_of(value)
    if language is None:
        raise argparse.ArgumentTypeError(
            _("unknown language {language!r} (flaggui speaks {known})").format(
                language=value, known=", ".join(i18n.LANGUAGES)
            )
        )
    return language


def requested_language(argv: Sequence[str]) -> str:
    """The language of ``--lang`` (its last use, before any ``--``; argparse
    also takes ``--la`` and ``--lan``), else the one the environment asks for
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    chosen = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        option, equals, value = arg.partition("=")
        if option not in ("--la", "--lan", "--lang"):
            continue
        if equals:
            chosen = value
        elif index + 1 < len(argv):
            chosen = argv[index + 1]
    return (i18n.language_of(chosen) if chosen else None) or i18n.system_language()


def _command_texts(summary: str, description: str) -> dict[str, Any]:
    """What every sub-command's parser is made with: its line in the main
    help, its own description, and the column-aware help layout."""
    return {"help": summary, "description": description, "formatter_class": HelpFormatter}


def _add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        action="version",
        version=f"flaggui {__version__}",
        help=_("show the version and exit"),
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flaggui",
        formatter_class=HelpFormatter,
        description=_("Download country flags concurrently and browse them."),
    )
    _add_version(parser)
    languages = "|".join(i18n.LANGUAGES)
    lang_help = _("language of messages (default: the system's)")
    parser.add_argument("--lang", type=_language_option, metavar=languages, help=lang_help)
    window = parser.add_argument_group(
        _("window options (no command)"),
        _("Qt's own options work too, such as {options}.").format(options=qt_options.SHOWN),
    )
    window.add_argument("--server", help=_("URL or label of the flag server"))
    window.add_argument("--dest", type=Path, help=_("destination folder"))
    window.add_argument("--countries", metavar="CC,CC,...|POP20|ALL", help=_("countries to select"))
    window.add_argument(
        "--concurrency",
        type=_whole_number(MIN_CONCURRENCY, MAX_CONCURRENCY, N_("the number of requests")),
        metavar="N",
        help=_("requests at once, 1..{high}").format(high=MAX_CONCURRENCY),
    )
    window.add_argument("--start", action="store_true", help=_("start downloading at once"))
    window.add_argument(
        "--view", choices=("grid", "map"), help=_("show the flags as a grid or on a world map")
    )
    window.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("check the app works (offscreen, against a server of its own) and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    labels = ", ".join(
        [
            *(f"{k} = {v}" for k, v in SERVERS.items()),
            _("{label} = the flags built into flaggui, served offline").format(label=BUILTIN),
        ]
    )
    get = commands.add_parser(
        "get",
        **_command_texts(
            _("download flags (headless)"),
            _(
                "Download flags into a folder. CC is a country code (CN) or a letter "
                "meaning every country whose code starts with it; the default is the 20 most "
                "populous countries (POP20)."
            ),
        ),
    )
    _add_version(get)
    get.add_argument("cc", nargs="*", metavar="CC", help=_("country codes or single letters"))
    choice = get.add_mutually_exclusive_group()
    choice.add_argument("-a", "--all", action="store_true", help=_("all 194 flags of the set"))
    choice.add_argument("-e", "--every", action="store_true", help=_("every code AA..ZZ"))
    get.add_argument(
        "-l",
        "--limit",
        type=_whole_number(1, 676, N_("the limit")),
        metavar="N",
        help=_("only the first N codes"),
    )
    get.add_argument(
        "-m",
        "--max-req",
        type=_whole_number(MIN_CONCURRENCY, MAX_CONCURRENCY, N_("the number of requests")),
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=_("requests in flight at most, 1..{high} (default {default})").format(
            high=MAX_CONCURRENCY, default=DEFAULT_CONCURRENCY
        ),
    )
    get.add_argument(
        "-s",
        "--server",
        default="REMOTE",
        help=_("URL or label ({labels}); default REMOTE").format(labels=labels),
    )
    get.add_argument(
        "--network",
        type=_option(parse_preset),
        metavar="PRESET",
        help=_("network conditions the built-in server plays (with -s {label}): {presets}").format(
            label=BUILTIN,
            # argparse expands %-fields in help texts: "15% errors" is written 15%%.
            presets="; ".join(
                f"{preset.value} ({preset.conditions.describe()})" for preset in NetworkPreset
            ).replace("%", "%%"),
        ),
    )
    get.add_argument(
        "-d", "--dest", type=Path, help=_("destination folder (default ~/Pictures/flags)")
    )
    get.add_argument(
        "--timeout",
        type=_seconds(3600, N_("the timeout")),
        default=15.0,
        metavar="S",
        help=_("deadline per request attempt, in seconds"),
    )
    get.add_argument(
        "--retries",
        type=_whole_number(0, 10, N_("the number of retries")),
        default=2,
        metavar="N",
        help=_("retries per flag"),
    )
    get.add_argument(
        "--url-template",
        default=DEFAULT_TEMPLATE,
        metavar="T",
        # argparse expands %-fields in help texts, hence no % here.
        help=_(
            "where a flag is: {{base}} is SERVER, {{cc}} the code (default "
            "'{default}'; e.g. 'https://flagcdn.com/w320/{{cc}}.png'); "
            "the extension (.gif, .png, .svg) is the format checked and saved"
        ).format(default=DEFAULT_TEMPLATE),
    )
    get.add_argument("--force", action="store_true", help=_("download even flags already saved"))
    get.add_argument(
        "--no-adapt",
        dest="adapt",
        action="store_false",
        help=_(
            "keep MAX_REQ requests in flight whatever the server does, instead of "
            "adapting to it (fewer when it throttles, stalls or drops connections)"
        ),
    )
    get.add_argument("-v", "--verbose", action="store_true", help=_("one line per flag"))
    # A sub-command's default would overwrite the main parser's value.
    only_if_given: dict[str, Any] = {
        "default": argparse.SUPPRESS,
        "metavar": languages,
        "help": lang_help,
    }
    get.add_argument("--lang", type=_language_option, **only_if_given)

    serve = commands.add_parser(
        "serve",
        **_command_texts(
            _("serve flags locally"),
            _(
                "Serve flags from a folder (cc/cc.gif or cc.gif) or a flags.zip in the "
                "URL shape of the public flag server."
            ),
        ),
    )
    _add_version(serve)
    serve.add_argument(
        "source",
        nargs="?",
        type=Path,
        help=_("folder or flags.zip (default ~/Pictures/flags)"),
    )
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    serve.add_argument(
        "--port",
        type=_option(_port),
        default=8000,
        help=_("port to listen on (0: any free port)"),
    )
    serve.add_argument("--prefix", default="/flags", help=_("URL path of the flags"))
    serve.add_argument(
        "--delay",
        type=_option(_delay),
        default=(0.0, 0.0),
        metavar="S|MIN:MAX",
        help=_("seconds before each answer"),
    )
    serve.add_argument(
        "--error-rate",
        type=_option(_error_rate),
        default=0.0,
        metavar="P",
        help=_("share of 500 answers, 0..1"),
    )
    serve.add_argument(
        "--bandwidth",
        type=_option(parse_bandwidth),
        default=0,
        metavar="B",
        help=_("bytes per second per connection (default 0: no limit)"),
    )
    serve.add_argument("--seed", type=_option(_seed), help=_("random seed for delays and errors"))
    serve.add_argument("--lang", type=_language_option, **only_if_given)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    i18n.use(requested_language(argv))
    _speak_argparse()
    parser = _build_parser()
    try:
        argv, qt_args = qt_options.split(argv)
    except qt_options.QtOptionError as exc:
        parser.error(str(exc))
    unknown = qt_options.unknown_qt_like(argv, _COMMANDS)
    if unknown:
        parser.error(qt_options.unknown_message(unknown))
    args = parser.parse_args(argv)
    if qt_args and args.command is not None:
        parser.error(
            _("{options}: Qt's options are for the window, not for flaggui {command}").format(
                options=" ".join(qt_args), command=args.command
            )
        )
    if args.command == "get":
        previous = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
        _end_on_stop_signals()
        try:
            return _run_get(parser, args)
        except Interrupted as stop:
            return _interrupted(parser, "get", 128 + stop.signum)
        except KeyboardInterrupt:  # in the moment asyncio hands Ctrl+C back
            return _interrupted(parser, "get", EXIT_INTERRUPTED)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    if args.command == "serve":
        try:
            return _run_serve(parser, args)
        except KeyboardInterrupt:  # while the source is still being read
            return _interrupted(parser, "serve", EXIT_INTERRUPTED)
    return _run_window(parser, args, qt_args)


def _interrupted(parser: argparse.ArgumentParser, command: str, status: int) -> int:
    print(
        _("{prog} {command}: interrupted").format(prog=parser.prog, command=command),
        file=sys.stderr,
    )
    return status


def _window_folder(dest: Path) -> Path:
    """``--dest`` with ``~`` expanded, absolute. A file is refused here; a
    path the system rejects (a name too long, a folder not searchable…) is
    left for the window, which says why and opens its usual folder."""
    dest = expand_home(dest).absolute()
    try:
        refuse_a_file(dest)  # the window creates the folder when it first saves
    except DestinationError as exc:
        if not isinstance(exc.__cause__, OSError):  # a file: the user's to fix
            raise
        # The system rejects the path: the window warns and opens its usual folder.
    return dest


# Qt platforms that draw on a display server; others (offscreen, vnc,
# eglfs, linuxfb…) need none.
_DISPLAY_PLATFORMS = ("xcb", "wayland")


def _missing_display(platform: str | None = None) -> bool:
    """Whether the window would find no display: on Linux and the BSDs,
    with neither DISPLAY nor WAYLAND_DISPLAY set, unless the platform asked
    for (``-platform``, else QT_QPA_PLATFORM) needs none. Qt itself would
    abort (exit 134) with a misleading message about xcb-cursor0."""
    if sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY"):
        return False
    if os.environ.get("WAYLAND_DISPLAY"):
        return False
    # "wayland;xcb" lists fallbacks; "xcb:option=value" passes options.
    wanted = (platform or os.environ.get("QT_QPA_PLATFORM", "")).split(";")
    names = [choice.partition(":")[0].strip().lower() for choice in wanted]
    return all(not name or name.startswith(_DISPLAY_PLATFORMS) for name in names)


def _run_window(
    parser: argparse.ArgumentParser, args: argparse.Namespace, qt_args: list[str]
) -> int:
    if args.smoke_test:
        from flaggui.ui.smoke import run as run_smoke_test

        return run_smoke_test(args.lang or "en", qt_args)
    try:
        countries = parse_selection([args.countries]) if args.countries else None
        server = resolve_server(args.server) if args.server else None
        dest = _window_folder(args.dest) if args.dest else None
    except (SelectionError, ServerError, DestinationError, ValueError) as exc:
        parser.error(str(exc))
    if _missing_display(qt_options.platform(qt_args)):
        print(
            _(
                "flaggui: the window needs a display (DISPLAY and WAYLAND_DISPLAY "
                "are not set); flaggui get works without one"
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        from flaggui.ui.app import run
        from flaggui.ui.main_window import StartOptions
    except ImportError as exc:
        message = _("flaggui: cannot start the window: {error}").format(error=exc)
        print(message, file=sys.stderr)
        print(_("flaggui get and flaggui serve work without it."), file=sys.stderr)
        return EXIT_FAILED
    return run(
        StartOptions(server, dest, countries, args.concurrency, args.start, args.lang, args.view),
        qt_args,
    )


def _fail(
    parser: argparse.ArgumentParser, command: str, message: str, status: int = EXIT_USAGE
) -> int:
    print(
        _("{prog} {command}: error: {message}").format(
            prog=parser.prog, command=command, message=message
        ),
        file=sys.stderr,
    )
    return status


def _run_get(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from flaggui.core.engine import DownloadOptions

    try:
        codes = parse_selection(args.cc, all_flags=args.all, every=args.every, limit=args.limit)
        server = resolve_server(args.server)
        if args.network is not None and server != BUILTIN:
            raise ValueError(
                _("--network is for the built-in server: add -s {label}").format(label=BUILTIN)
            )
        options = DownloadOptions(
            server=server,
            concurrency=args.max_req,
            timeout=args.timeout,
            retries=args.retries,
            force=args.force,
            url_template=args.url_template,
            adaptive=args.adapt,
            network=(args.network or NetworkPreset.INSTANT).conditions,
            names=args.verbose,  # only -v prints them
        )
        destination = prepare_destination(args.dest or default_destination())
    except (SelectionError, ServerError, DestinationError, ValueError) as exc:
        return _fail(parser, "get", str(exc))
    try:
        return _download(codes, destination, options, verbose=args.verbose)
    except ServerError as exc:  # the built-in server could not start
        return _fail(parser, "get", str(exc), EXIT_FAILED)


def _delay(text: str) -> tuple[float, float]:
    from flaggui.server import parse_delay

    return parse_delay(text)


def _port(text: str) -> int:
    return parse_int(text, 0, 65535, _("the port"))


def _error_rate(text: str) -> float:
    return parse_float(text, 0.0, 1.0, _("the error rate"))


def _seed(text: str) -> int:
    # parse_int reads at most 18 digits.
    return parse_int(text, 0, 10**18 - 1, _("the seed"))


# How many of a source's warnings are printed before the rest are counted.
_SHOWN_WARNINGS = 20


def _warn(parser: argparse.ArgumentParser, command: str, warnings: Sequence[str]) -> None:
    """Print the first *warnings* on stderr, one a line, and count the rest."""
    for warning in warnings[:_SHOWN_WARNINGS]:
        print(
            _("{prog} {command}: warning: {message}").format(
                prog=parser.prog, command=command, message=warning
            ),
            file=sys.stderr,
        )
    if (more := len(warnings) - _SHOWN_WARNINGS) > 0:
        message = ngettext("and {n} more warning", "and {n} more warnings", more)
        print(
            _("{prog} {command}: warning: {message}").format(
                prog=parser.prog, command=command, message=message.format(n=more)
            ),
            file=sys.stderr,
        )


def _is_loopback(host: str) -> bool:
    """Whether *host* is reachable from this machine only."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name, or "" (every address)
        return False


def _run_serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import asyncio

    from flaggui.server import (
        Behaviour,
        FlagStore,
        SourceError,
        create_app,
        prefix_in_url,
        serve_forever,
    )

    source = args.source or default_destination()
    host = clean_text(args.host, 80)
    try:
        store = FlagStore.load(source)
    except SourceError as exc:
        _warn(parser, "serve", exc.warnings)
        return _fail(parser, "serve", str(exc))
    behaviour = Behaviour(args.delay, args.error_rate, args.seed, args.bandwidth)
    app = create_app(store, args.prefix, behaviour)
    _warn(parser, "serve", store.warnings)
    if not _is_loopback(args.host):
        _warn(
            parser,
            "serve",
            [
                _(
                    "listening on {host}: other machines on the network can reach this server"
                ).format(host=host or "''")
            ],
        )

    def announce(url: str) -> None:
        print(
            ngettext(
                "Serving {n} flag from {source} at {url}",
                "Serving {n} flags from {source} at {url}",
                len(store.flags),
            ).format(
                n=len(store.flags),
                source=shown_path(source),
                url=url + prefix_in_url(args.prefix),
            ),
            flush=True,
        )
        print(_("Press Ctrl+C to stop."), flush=True)

    try:
        asyncio.run(serve_forever(app, args.host, args.port, announce))
    except KeyboardInterrupt:
        return EXIT_OK
    except (OSError, UnicodeError) as exc:  # UnicodeError: a host name IDNA cannot encode
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            message = _("port {port} on {host} is already in use").format(port=args.port, host=host)
        else:
            error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            message = _("cannot listen on {host}:{port}: {error}").format(
                host=host, port=args.port, error=clean_text(str(error))
            )
        return _fail(parser, "serve", message, EXIT_FAILED)
    return EXIT_OK


_STATES = {
    FlagState.DONE: N_("done"),
    FlagState.SKIPPED: N_("skipped"),
    FlagState.NOT_FOUND: N_("not found"),
    FlagState.ERROR: N_("ERROR"),
    FlagState.CANCELLED: N_("cancelled"),
}


def _progress_bar(total: int) -> tqdm[NoReturn]:
    """A progress bar of *total* flags on stderr (a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, unit=_("flag"), file=sys.stderr, leave=False, dynamic_ncols=True)


def _download(
    codes: list[str], destination: Path, options: DownloadOptions, *, verbose: bool
) -> int:
    """Run one batch with a progress bar on a terminal; print the summary."""
    import asyncio
    import gc
    import importlib

    from flaggui.core.adaptive import LimitChange, NotableChanges
    from flaggui.core.engine import DownloadEngine

    # The engine loads its HTTP layer (and aiohttp) as the batch starts;
    # loaded here, it stays out of the time the summary reports.
    importlib.import_module("flaggui.core.http")
    bar = _progress_bar(len(codes)) if sys.stderr.isatty() else None
    # Lines written through the bar keep clear of it.
    write = bar.write if bar is not None else print

    def on_event(event: FlagEvent) -> None:
        if event.phase is not Phase.FINISHED or event.result is None:
            return
        if bar is not None:
            bar.update(1)
        if verbose:
            result = event.result
            name = country_name(result.code, i18n.current) or result.country or ""
            detail = result.reason or f"{result.size / 1024:.1f} KiB"
            state = _(_STATES[result.state])
            write(f"{result.code}  {fit(name, 32)} {fit(state, 9)}  {detail}".rstrip())

    notable = NotableChanges()

    def on_limit(change: LimitChange) -> None:
        if verbose and notable(change):
            write(change.explanation)

    engine = DownloadEngine(destination, options, on_event, on_limit=on_limit)
    if engine.concurrency_note:
        print(_("flaggui get: {note}").format(note=engine.concurrency_note), file=sys.stderr)

    received: list[int] = []

    def stop(signum: int) -> None:
        received.append(signum)
        engine.cancel()

    async def run() -> BatchSummary:
        loop = asyncio.get_running_loop()
        # Ctrl+C or SIGTERM cancels the batch, even while the folder is still
        # being looked at: unfinished flags end CANCELLED, saves under way
        # complete, and the summary is still printed.
        for signum in _STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop, signum)
        try:
            return await engine.run(codes)
        finally:
            for signum in _STOP_SIGNALS:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(signum)
            _end_on_stop_signals()  # the loop put the default handlers back

    # What start-up loaded lives as long as the process: kept out of the
    # garbage collector's walks during the batch, and out of the full
    # collection at exit, which would otherwise take tens of milliseconds.
    gc.freeze()
    try:
        summary = asyncio.run(run())
    finally:
        if bar is not None:
            bar.close()
    _print_summary(summary, destination, options.server)
    if received:
        return 128 + received[0]
    if summary.count(FlagState.CANCELLED):
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.failed else EXIT_OK


def _print_summary(summary: BatchSummary, destination: Path, server: str) -> None:
    from flaggui.core.diagnosis import diagnose

    failed = summary.failed
    if failed:
        print(_("{n} failed:").format(n=len(failed)))
        for result in failed:
            print(f"  {result.code}  {result.reason}")
    missing = [r.code for r in summary.results if r.state is FlagState.NOT_FOUND]
    if missing:
        print(_("not found on the server: {codes}").format(codes=" ".join(missing)))
    diagnosis = diagnose(summary)
    if diagnosis is not None:
        print(diagnosis.message)
        if diagnosis.offline_helps and server != BUILTIN:
            print(
                _(
                    "The flags that come with flaggui need no network: flaggui get -s {label}"
                ).format(label=BUILTIN)
            )
    print(
        _("{counts} (saved in {folder})").format(
            counts=summary.counts_line, folder=shown_path(destination)
        )
    )
    print(summary.downloaded_line)
