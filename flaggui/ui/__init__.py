"""flaggui's Qt user interface; only this package imports Qt."""
