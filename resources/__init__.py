"""flaggui's resources: icons, desktop files, translations (found with
importlib.resources as ``flaggui.resources``)."""
