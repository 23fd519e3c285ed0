"""The packaged app's entry point: the same ``flaggui`` command."""

import sys

from flaggui.cli import main

sys.exit(main())
