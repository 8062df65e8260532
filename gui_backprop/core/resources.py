"""Find the ``resources/`` folder: inside the package (source or wheel) or a frozen app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENVIRONMENT_VARIABLE = "GUI_BACKPROP_RESOURCES"


def resources_dir() -> Path:
    """The folder holding lessons, icons and style sheets.

    Looked up in order: ``$GUI_BACKPROP_RESOURCES``; a frozen app's bundle
    (PyInstaller's ``sys._MEIPASS``); ``gui_backprop/resources`` (a source checkout or
    an installed wheel).
    """
    candidates = []
    if os.environ.get(ENVIRONMENT_VARIABLE):
        candidates.append(Path(os.environ[ENVIRONMENT_VARIABLE]))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package = Path(__file__).resolve().parent.parent
    candidates.append(package / "resources")
    for candidate in candidates:
        if (candidate / "lessons").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"Backprop Lab's resources folder was not found (looked in {searched})")
