"""Qt's own command-line options (``-style Fusion``, ``-platform offscreen``,
``-reverse``, ``--qwindowgeometry 800x600+0+0`` …), told apart from
flaggui's before argparse reads the command line, so that they reach
QApplication instead of failing as an unknown command.

The names are those QApplication and QGuiApplication document, with the X11
platform's (``-display``, ``-geometry`` …); as Qt does, each may start with
one dash or two. No Qt is imported here: ``flaggui get`` never loads it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from flaggui.core.i18n import _

# Followed by a value: "-style Fusion".
WITH_VALUE = frozenset(
    {
        "style",
        "stylesheet",
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "qwindowgeometry",
        "qwindowicon",
        "qwindowtitle",
        "session",
        # The X11 platform's.
        "display",
        "geometry",
        "title",
        "icon",
        "name",
        "visual",
    }
)
# With their value after "=": "-style=Fusion".
WITH_EQUALS = frozenset({"style", "stylesheet", "qmljsdebugger"})
# On their own.
FLAGS = frozenset({"reverse", "widgetcount", "nograb", "dograb"})
# The ones shown in help and error messages.
SHOWN = "-style NAME, -platform NAME, -reverse, -qwindowgeometry WxH+X+Y, -stylesheet FILE"


class QtOptionError(ValueError):
    """A Qt option without its value; the message is for the user."""


def _name(arg: str) -> str:
    """``style`` for ``-style``, ``--style`` and ``-style=…``; "" for
    anything that is not a dash and a word."""
    if not arg.startswith("-") or arg in ("-", "--"):
        return ""
    return arg.removeprefix("-").removeprefix("-").partition("=")[0]


def split(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """flaggui's arguments and Qt's, from a command line (without the
    program name). A ``--`` ends the options: what follows is flaggui's.
    Raises QtOptionError for a Qt option that lacks its value."""
    ours: list[str] = []
    qt: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        name = _name(arg)
        if arg == "--":
            ours.extend(argv[index:])
            break
        equals = "=" in arg
        if (equals and name in WITH_EQUALS) or (not equals and name in FLAGS):
            qt.append(arg)
        elif not equals and name in WITH_VALUE:
            if index + 1 == len(argv):
                raise QtOptionError(_("{option} needs a value").format(option=arg))
            qt.extend(argv[index : index + 2])
            index += 1
        else:
            ours.append(arg)
        index += 1
    return ours, qt


def unknown_qt_like(argv: Sequence[str], commands: Collection[str]) -> str | None:
    """The first argument before the command (one of *commands*) that looks
    like a Qt option, one dash and a word such as ``-stlye``, but is none:
    argparse would read it as a cluster of letters or its value as a command
    and say something puzzling. (flaggui's own options have two dashes.)"""
    for arg in argv:
        if arg == "--" or arg in commands:
            return None
        if arg.startswith("-") and not arg.startswith("--") and len(_name(arg)) > 1:
            return arg
    return None


def unknown_message(option: str) -> str:
    """Why *option* is refused, and the nearest Qt option if one is near."""
    import difflib  # only on this error's path: the commands start without it

    known = sorted(WITH_VALUE | WITH_EQUALS | FLAGS)
    near = difflib.get_close_matches(_name(option), known, n=1)
    if near:
        return _("unknown option {option} (did you mean -{near}?)").format(
            option=option, near=near[0]
        )
    return _("unknown option {option} (Qt's options include {shown})").format(
        option=option, shown=SHOWN
    )


def platform(qt_args: Sequence[str]) -> str | None:
    """The platform ``-platform`` asks for (its last use), if any."""
    chosen = None
    args = iter(qt_args)
    for arg in args:
        if "=" not in arg and _name(arg) in WITH_VALUE:
            value = next(args, None)
            if _name(arg) == "platform":
                chosen = value
    return chosen
