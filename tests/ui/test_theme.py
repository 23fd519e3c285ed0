"""View ▸ Theme: light and dark palettes, remembered, and the colours that
are painted rather than styled readable on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from flaggui.core.servers import LOCAL
from flaggui.ui import theme
from flaggui.ui.map_view import MapColours
from flaggui.ui.settings import Settings
from flaggui.ui.theme import ErrorLabel, Theme
from flaggui.ui.timeline_header import FLIGHT_COLOUR, LIMIT_COLOUR, chart_colours
from flaggui.ui.timeline_view import TimelineCanvas, TimelineView
from tests.ui.conftest import WindowFactory
from tests.ui.test_timeline_view import saturated

Role = QPalette.ColorRole


def contrast(one: QColor, other: QColor) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""

    def luminance(colour: QColor) -> float:
        def linear(channel: float) -> float:
            return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

        red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The application, back to the system's colours afterwards."""
    yield qapp
    switch(qapp, Theme.SYSTEM)
    assert not theme.palette_is_dark(qapp.palette())


def switch(app: QApplication, choice: Theme) -> None:
    """Apply *choice*; widgets take a new palette when its events arrive."""
    theme.apply(choice)
    app.processEvents()


def window_colour(app: QApplication) -> QColor:
    return app.palette().color(Role.Window)


def test_the_theme_menu_switches_the_palette_and_is_remembered(
    themed: QApplication, make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    menu = window.theme_menu
    assert [item.text() for item in menu.actions()] == ["&System", "&Light", "&Dark"]
    assert [item.isChecked() for item in menu.actions()] == [True, False, False]
    assert window_colour(themed).lightness() > 200  # the offscreen platform is light

    dark = next(item for item in menu.actions() if item.data() == "dark")
    dark.trigger()
    themed.processEvents()
    assert settings.theme is Theme.DARK
    assert window_colour(themed).lightness() < 60
    assert window.palette().color(Role.Window) == window_colour(themed)
    assert window.panel.country_view.palette().color(Role.Base).lightness() < 60
    make_window.close(window)

    again = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    assert [item.isChecked() for item in again.theme_menu.actions()] == [False, False, True]
    light = next(item for item in again.theme_menu.actions() if item.data() == "light")
    light.trigger()
    themed.processEvents()
    assert settings.theme is Theme.LIGHT
    assert window_colour(themed).lightness() > 200


def test_the_dark_palette_keeps_text_and_checkboxes_readable(themed: QApplication) -> None:
    switch(themed, Theme.DARK)
    palette = themed.palette()
    for text, ground in [
        (Role.WindowText, Role.Window),
        (Role.Text, Role.Base),  # the country list and its checkboxes' marks
        (Role.Text, Role.AlternateBase),
        (Role.ButtonText, Role.Button),
        (Role.HighlightedText, Role.Highlight),
        (Role.ToolTipText, Role.ToolTipBase),
    ]:
        assert contrast(palette.color(text), palette.color(ground)) >= 4.5, (text, ground)
    assert contrast(palette.color(Role.PlaceholderText), palette.color(Role.Base)) >= 4.5
    # A checkbox's frame and the tiles' borders stand out from the list.
    assert contrast(palette.color(Role.Mid), palette.color(Role.Base)) >= 3


def test_the_timeline_lines_stand_out_on_a_dark_ground(themed: QApplication) -> None:
    switch(themed, Theme.DARK)
    view = TimelineView()
    view.resize(500, 200)
    canvas = view.canvas
    canvas.set_timeline(saturated(3, 1.0))
    image = view.picture().toImage()
    ground = canvas.palette().color(Role.Base)
    assert ground.lightness() < 60
    flight, limit = chart_colours(canvas.palette())
    drawn = {
        image.pixel(x, y)
        for x in range(canvas.LABEL, canvas.width())
        for y in range(view.header.CHART)
    }
    assert flight.rgb() in drawn
    assert limit.rgb() in drawn
    assert contrast(flight, ground) >= 4.5
    assert contrast(limit, ground) >= 4.5
    # The light theme's grey would all but vanish there.
    assert contrast(FLIGHT_COLOUR, ground) < 3
    view.deleteLater()


def test_the_timeline_lines_keep_their_colours_on_a_light_ground(themed: QApplication) -> None:
    switch(themed, Theme.LIGHT)
    canvas = TimelineCanvas()
    assert chart_colours(canvas.palette()) == (FLIGHT_COLOUR, LIMIT_COLOUR)
    ground = canvas.palette().color(Role.Base)
    assert contrast(FLIGHT_COLOUR, ground) >= 4.5
    assert contrast(LIMIT_COLOUR, ground) >= 4.5
    canvas.deleteLater()


def test_error_text_and_the_map_follow_the_theme(
    themed: QApplication, make_window: WindowFactory, tmp_path: Path
) -> None:
    label = ErrorLabel()
    label.setText("<b>not markup</b>")
    assert label.textFormat().name == "PlainText"
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    for choice in (Theme.DARK, Theme.LIGHT):
        switch(themed, choice)
        for error in (label, window.panel.server_error):
            ground = error.palette().color(Role.Window)
            assert contrast(error.palette().color(Role.WindowText), ground) >= 4.5, choice
        sea = MapColours.of(window.browser.map.palette()).sea
        assert theme.is_dark(sea) == (choice is Theme.DARK)
    label.deleteLater()


def test_system_follows_the_system_scheme_as_it_changes(
    themed: QApplication,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    switch(themed, Theme.SYSTEM)
    assert window_colour(themed).lightness() > 200
    # The offscreen platform has no scheme to change: the system turns dark
    # as far as flaggui can tell, and Qt says it changed.
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    themed.processEvents()
    assert window_colour(themed).lightness() < 60
    assert window.palette().color(Role.Window) == window_colour(themed)
    # A theme chosen in the menu stays, whatever the system does.
    switch(themed, Theme.LIGHT)
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    themed.processEvents()
    assert window_colour(themed).lightness() > 200
    monkeypatch.undo()


def test_unchecked_boxes_keep_a_visible_frame_on_dark(
    themed: QApplication, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(server=LOCAL, folder=tmp_path / "f", countries=[])
    switch(themed, Theme.DARK)
    view = window.panel.country_view
    image = view.viewport().grab().toImage()
    frame = view.palette().color(Role.Mid)
    assert contrast(frame, view.palette().color(Role.Base)) >= 3
    first = view.visualRect(view.model().index(0, 0))
    framed = [
        (x, y)
        for x in range(first.left(), first.left() + 30)
        for y in range(first.top(), first.bottom())
        if image.pixel(x, y) == frame.rgb()
    ]
    assert len(framed) >= 20  # the four sides of an unchecked box
