"""The frozen app's entry point: the same ``main`` as the ``gui-backprop`` command."""

import os
import sys
from pathlib import Path


def keep_matplotlib_cache() -> None:
    """Give matplotlib a lasting cache folder instead of PyInstaller's per-run one.

    PyInstaller's matplotlib run-time hook points MPLCONFIGDIR at a new temporary folder
    at every start (right for a one-file app, whose paths change at each run), so
    matplotlib would rebuild its font list every time: about a second of start-up. A
    one-folder app's paths are stable, so its cache can last; it is kept apart from the
    user's own matplotlib (whose font list would name other files).
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
        return  # no usable home: keep the temporary folder
    os.environ["MPLCONFIGDIR"] = str(folder)


if __name__ == "__main__":
    keep_matplotlib_cache()
    from gui_backprop.cli import main

    sys.exit(main())
