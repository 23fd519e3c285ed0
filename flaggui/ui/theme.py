"""Light and dark: the window follows the system's colour scheme unless the
user picks one in View ▸ Theme.

Qt 6.8 and later can ask the platform for a scheme
(``QStyleHints.setColorScheme``); where the platform cannot give it (X11
without a desktop theme plugin, the offscreen platform, older Qt), flaggui
sets a palette of its own, drawn with Fusion, which follows any palette.
Qt 6.5 and later say what the system's scheme is
(``QStyleHints.colorScheme``); before that the system palette is taken as
it comes. Colours that are painted rather than styled (the timeline's
lines, error texts, the map) are chosen for the palette they are painted
on, with :func:`is_dark`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QActionGroup, QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

if TYPE_CHECKING:
    from flaggui.ui.settings import Settings


class Theme(enum.Enum):
    """The choice in View ▸ Theme."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# A dark palette in the spirit of the platforms' own (Windows 11, GNOME,
# macOS): text at least 4.5:1 against its ground, frames visible on it.
_DARK = {
    _Role.Window: "#2b2d30",
    _Role.WindowText: "#e8eaed",
    _Role.Base: "#1e1f22",
    _Role.AlternateBase: "#26282b",
    _Role.ToolTipBase: "#3c3f43",
    _Role.ToolTipText: "#e8eaed",
    _Role.PlaceholderText: "#9aa0a6",
    _Role.Text: "#e8eaed",
    _Role.Button: "#35383c",
    _Role.ButtonText: "#e8eaed",
    _Role.BrightText: "#ffffff",
    _Role.Light: "#4b4f55",
    _Role.Midlight: "#3e4146",
    _Role.Mid: "#6b7078",
    _Role.Dark: "#18191b",
    _Role.Shadow: "#000000",
    _Role.Highlight: "#2f6fc9",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#8ab4f8",
    _Role.LinkVisited: "#c58af9",
}
_DARK_DISABLED = {
    _Role.WindowText: "#7c8088",
    _Role.Text: "#7c8088",
    _Role.ButtonText: "#7c8088",
    _Role.Highlight: "#44474c",
    _Role.HighlightedText: "#9aa0a6",
}

# Error text, at least 4.5:1 against the window: Google's red 700 on light
# grounds, red 300 on dark ones.
ERROR_COLOURS = (QColor("#c5221f"), QColor("#f28b82"))


def is_dark(colour: QColor) -> bool:
    """Whether *colour*, a ground to paint on, is dark."""
    return colour.lightness() < 128


def palette_is_dark(palette: QPalette) -> bool:
    return is_dark(palette.color(_Role.Window))


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    accent = getattr(_Role, "Accent", None)  # Qt 6.6 and later
    if accent is not None:
        palette.setColor(accent, QColor(_DARK[_Role.Highlight]))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(_Group.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    """Fusion's light palette, for Light on a system that is dark."""
    fusion = QStyleFactory.create("Fusion")
    palette = fusion.standardPalette()
    fusion.deleteLater()
    return palette


def system_is_dark() -> bool:
    """Whether the system asks for dark colours (Qt 6.5 and later know)."""
    scheme = getattr(QGuiApplication.styleHints(), "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


_chosen = Theme.SYSTEM
_watching = False  # the system's scheme, for SYSTEM


def current() -> Theme:
    return _chosen


def apply(theme: Theme) -> None:
    """Colour the application as *theme* says, now and, for SYSTEM, as the
    system's scheme changes."""
    global _chosen, _watching
    _chosen = theme
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = app.styleHints()
    if not _watching and hasattr(hints, "colorSchemeChanged"):  # Qt 6.5 and later
        _watching = True
        hints.colorSchemeChanged.connect(_system_scheme_changed)
    if hasattr(hints, "setColorScheme"):  # Qt 6.8 and later
        if theme is Theme.SYSTEM:
            hints.unsetColorScheme()
        else:
            dark = theme is Theme.DARK
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    app.setPalette(QPalette())  # the platform's own palette, for this scheme
    dark = theme is Theme.DARK or (theme is Theme.SYSTEM and system_is_dark())
    if palette_is_dark(app.palette()) != dark:
        # The platform cannot: flaggui's palette, with a style that draws it
        # (Windows' "windowsvista" draws its own light controls).
        if dark and app.style().name().lower() == "windowsvista":
            app.setStyle("Fusion")
        if dark:
            _outline_check_boxes(app)
        app.setPalette(dark_palette() if dark else light_palette())


class _CheckBoxOutlines(QProxyStyle):
    """Fusion frames a check box a shade darker than the window, which on a
    dark palette vanishes into the list behind it: there the frame is drawn
    again in the palette's Mid colour."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element is QStyle.PrimitiveElement.PE_IndicatorCheckBox and is_dark(
            option.palette.color(_Role.Base)
        ):
            painter.save()
            painter.setPen(option.palette.color(_Role.Mid))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


def _outline_check_boxes(app: QApplication) -> None:
    """Wrap the style (a fresh one of its kind) in :class:`_CheckBoxOutlines`,
    once; a style sheet's style is left as it is."""
    name = app.style().name()
    if isinstance(app.style(), _CheckBoxOutlines) or not name:
        return
    base = QStyleFactory.create(name)
    if base is not None:
        app.setStyle(_CheckBoxOutlines(base))


def _system_scheme_changed(_scheme: object = None) -> None:
    if _chosen is Theme.SYSTEM:
        apply(Theme.SYSTEM)


class ThemeMenu(QMenu):
    """View ▸ Theme: System, Light, Dark; the choice is remembered in
    *settings* and applied at once."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("T&heme"), parent)
        self.settings = settings
        self.group = QActionGroup(self)
        titles = {
            Theme.SYSTEM: self.tr("&System"),
            Theme.LIGHT: self.tr("&Light"),
            Theme.DARK: self.tr("&Dark"),
        }
        chosen = settings.theme
        for theme, title in titles.items():
            item = self.addAction(title)
            item.setCheckable(True)
            item.setChecked(theme is chosen)
            item.setData(theme.value)
            self.group.addAction(item)
        self.group.triggered.connect(lambda item: self.choose(Theme(item.data())))

    def choose(self, theme: Theme) -> None:
        self.settings.theme = theme
        for item in self.group.actions():
            item.setChecked(item.data() == theme.value)
        apply(theme)


class ErrorLabel(QLabel):
    """A line of error text, red enough to read on a light or a dark
    window, shown as plain text (what the user typed is never markup)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._recolour()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        # Setting the colour is itself a palette change: only when it differs.
        colour = ERROR_COLOURS[palette_is_dark(self.palette())]
        if self.palette().color(_Role.WindowText) != colour:
            palette = self.palette()
            palette.setColor(_Role.WindowText, colour)
            self.setPalette(palette)
