"""The window's style sheet (``resources/styles/window.qss``) in light or dark colours."""

from __future__ import annotations

from functools import lru_cache
from string import Template

from PySide6.QtGui import QPalette

from gui_backprop.core.resources import resources_dir
from gui_backprop.ui.looks.theme import is_dark

STYLE_FILE = "styles/window.qss"

LIGHT_COLOURS = {"muted": "#555d6b", "error": "#b3261e", "accent": "#6a2c91",
                 "panel": "#fbfbfd", "border": "#d5d9e0"}
DARK_COLOURS = {"muted": "#a9b0bc", "error": "#ff8a80", "accent": "#d6a6f5",
                "panel": "#1f232b", "border": "#3d4350"}


@lru_cache(maxsize=1)
def _template() -> Template:
    path = resources_dir() / STYLE_FILE
    try:
        return Template(path.read_text(encoding="utf-8"))
    except OSError:
        return Template("")


def colours_for(palette: QPalette) -> dict[str, str]:
    """The window's named colours (muted, error, accent, ...) that suit ``palette``."""
    return DARK_COLOURS if is_dark(palette) else LIGHT_COLOURS


def window_style_sheet(palette: QPalette, text_size: float) -> str:
    """The style sheet with the colours that suit ``palette`` and text of ``text_size`` pt.

    The size is part of the sheet because a widget under a style sheet no longer takes
    its font from ``setFont`` on its window.
    """
    return _template().safe_substitute(colours_for(palette), text_size=f"{text_size:g}")
