"""flaggui's core: no Qt here. Countries, the download engine, saving, events."""
