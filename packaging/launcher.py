"""The frozen app's entry point: the same ``main`` as the ``gui-backprop`` command."""

import sys

from gui_backprop.cli import main

if __name__ == "__main__":
    sys.exit(main())
