"""The frozen app's entry point: the same ``main`` as the ``gui-backprop`` command."""

import os
import sys
from pathlib import Path


def keep_matplotlib_cache() -> None:
    """Give matplotlib a lasting cache folder of the app's own.

    PyInstaller's matplotlib run-time hook would point MPLCONFIGDIR at a new temporary
    folder at every start (right for a one-file app, whose paths change at each run):
    matplotlib would rebuild its font list every time, about a second of start-up, and
    the folder outlived any run that did not exit cleanly. The spec leaves that hook out
    (bundle_filter.RUNTIME_HOOKS_LEFT_OUT); a one-folder app's paths are stable, so its
    cache can last. It is kept apart from the user's own matplotlib (whose font list
    would name other files).
    """
    try:
        if sys.platform == "win32":
            base = Path(os.environ["LOCALAPPDATA"])
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        folder = base / "gui-backprop" / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
    except (KeyError, RuntimeError, OSError):
        return  # no usable home: matplotlib then picks (and cleans up) a folder itself
    os.environ["MPLCONFIGDIR"] = str(folder)


if __name__ == "__main__":
    keep_matplotlib_cache()
    from gui_backprop.cli import main

    sys.exit(main())
