"""Qt's own options told apart from flaggui's on the command line."""

from __future__ import annotations

import pytest

from flaggui import cli, qt_options


def test_qt_options_are_taken_out_in_every_form_qt_reads() -> None:
    ours, qt = qt_options.split(
        [
            "-style",
            "Fusion",
            "--server",
            "LOCAL",
            "-reverse",
            "--qwindowgeometry",
            "800x600+0+0",
            "-stylesheet=dark.qss",
            "--platform",
            "offscreen",
            "--start",
            "--",
            "-reverse",
        ]
    )
    assert ours == ["--server", "LOCAL", "--start", "--", "-reverse"]
    assert qt == [
        "-style",
        "Fusion",
        "-reverse",
        "--qwindowgeometry",
        "800x600+0+0",
        "-stylesheet=dark.qss",
        "--platform",
        "offscreen",
    ]


def test_a_value_is_taken_as_qt_takes_it_even_if_it_starts_with_a_dash() -> None:
    assert qt_options.split(["-qwindowtitle", "-x-", "--start"]) == (
        ["--start"],
        ["-qwindowtitle", "-x-"],
    )


@pytest.mark.parametrize("args", [["-style"], ["--start", "-platform"]])
def test_a_qt_option_without_its_value_is_an_error(args: list[str]) -> None:
    with pytest.raises(qt_options.QtOptionError, match=f"{args[-1]} needs a value"):
        qt_options.split(args)


@pytest.mark.parametrize(
    ("args", "unknown"),
    [
        (["-stlye", "Fusion"], "-stlye"),
        (["--server", "LOCAL", "-revers"], "-revers"),
        (["get", "-al"], None),  # get's own short options, clustered
        (["-h"], None),
        (["--", "-stlye"], None),
        (["--start"], None),
    ],
)
def test_a_single_dash_word_before_the_command_is_suspect(
    args: list[str], unknown: str | None
) -> None:
    assert qt_options.unknown_qt_like(args, ("get", "serve")) == unknown


def test_an_unknown_option_is_told_the_nearest_qt_option() -> None:
    assert qt_options.unknown_message("-stlye") == "unknown option -stlye (did you mean -style?)"
    assert "Qt's options include -style NAME" in qt_options.unknown_message("-zzzzzz")


def test_the_platform_asked_for() -> None:
    assert qt_options.platform(["-style", "Fusion"]) is None
    assert qt_options.platform(["-platform", "xcb", "--platform", "offscreen"]) == "offscreen"
    assert qt_options.platform(["-qwindowtitle", "-platform"]) is None  # a title


def test_the_help_names_qt_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        cli.main(["--help"])
    assert exit_status.value.code == 0
    assert "Qt's own options work too, such as -style NAME, -platform NAME" in " ".join(
        capsys.readouterr().out.split()
    )
