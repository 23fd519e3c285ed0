import sys

from flaggui.cli import main

sys.exit(main())
