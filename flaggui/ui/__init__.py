"""flaggui's Qt user interface; only this package imports Qt."""

import os

# Before Qt paints anything (it reads the variable once): Qt's raster engine
# hands every fill or image drawn over more than ~96 lines to a pool of its
# own threads and waits for them. A tile, the picker and a scroll bar are
# all that tall, so every repaint of the window went through the hand-off,
# and with a processor busy (a thumbnail worker, the network) the window's
# thread sat waiting for a pool thread to be scheduled: 3-17 ms a repaint
# during a batch. Drawn on the window's own thread they cost less than the
# hand-off. Set in the environment, it reaches processes flaggui starts too.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
