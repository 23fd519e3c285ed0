"""flaggui: download country flags concurrently and browse them."""

__version__ = "0.1.0"
APP_NAME = "flaggui"
APP_ID = "io.github.flaggui.FlagGui"
