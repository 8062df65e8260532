"""``python -m gui_backprop``: same as the ``gui-backprop`` command."""

import sys

from gui_backprop.cli import main

sys.exit(main())
