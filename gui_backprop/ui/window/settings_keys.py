"""Where the window remembers things between runs (QSettings).

``GUI_BACKPROP_SETTINGS`` names an INI file to use instead of the user's settings, so
tests (and a classroom machine that wants a fresh start) never touch the real ones.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

ORGANIZATION = "Backprop Lab"
APPLICATION = "Backprop Lab"
ENVIRONMENT_VARIABLE = "GUI_BACKPROP_SETTINGS"

GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
LAST_LESSON = "lesson/last"
TEXT_SIZE = "view/text_size"
LESSONS_COLUMN = "view/lessons_column"


def open_settings(path: str | os.PathLike | None = None) -> QSettings:
    """The settings store: ``path`` or ``$GUI_BACKPROP_SETTINGS`` if given, else the user's."""
    path = path or os.environ.get(ENVIRONMENT_VARIABLE)
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)
