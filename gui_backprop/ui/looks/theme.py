"""Colours of the graph canvas (and of any widget that wants to match it).

Colour-blind safe: the hues come from the Okabe-Ito palette. A positive gradient is
blue and a negative one orange, never red against green, and the sign is always
written out as well (``+6.0`` / ``-2.0``). There is a light and a dark variant; which
one applies follows the application palette, so the system's dark mode is honoured.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Theme:
    """The colours of one palette variant, as hex strings (``QColor(theme.x)``)."""

    name: str
    background: str
    grid: str
    text: str
    muted_text: str
    pending: str
    node_fill: str
    node_border: str
    leaf_fill: str
    parameter_border: str
    parameter_badge_text: str
    constant_fill: str
    constant_border: str
    pending_fill: str
    edge: str
    edge_untracked: str
    label_fill: str
    label_border: str
    current: str
    current_fill: str
    flow: str
    positive: str
    negative: str
    op_badge_fill: str
    op_badge_text: str

    @property
    def is_dark(self) -> bool:
        """True for the dark variant."""
        return is_dark_colour(QColor(self.background))

    def color(self, role: str) -> QColor:
        """A colour by field name, e.g. ``theme.color("current")``."""
        return QColor(getattr(self, role))

    def sign_color(self, sign: int) -> QColor:
        """Blue for a positive value, orange for a negative one, text colour otherwise."""
        if sign > 0:
            return QColor(self.positive)
        if sign < 0:
            return QColor(self.negative)
        return QColor(self.text)


LIGHT = Theme(
    name="light",
    background="#fbfbfd",
    grid="#eceef3",
    text="#1d2330",
    muted_text="#5b6475",
    pending="#9aa1ad",
    node_fill="#ffffff",
    node_border="#8a93a3",
    leaf_fill="#f3f6fb",
    parameter_border="#007a5a",
    parameter_badge_text="#ffffff",
    constant_fill="#eef0f4",
    constant_border="#b5bac4",
    pending_fill="#f6f7f9",
    edge="#6c7585",
    edge_untracked="#c2c7d0",
    label_fill="#ffffff",
    label_border="#d5d9e0",
    current="#8a3ab9",
    current_fill="#f6eefb",
    flow="#8a3ab9",
    positive="#0063a6",
    negative="#c25400",
    op_badge_fill="#e4e8f0",
    op_badge_text="#1d2330",
)

DARK = Theme(
    name="dark",
    background="#1c1f26",
    grid="#262a33",
    text="#e8eaf0",
    muted_text="#a4abb8",
    pending="#6d7482",
    node_fill="#272b35",
    node_border="#7c8598",
    leaf_fill="#222831",
    parameter_border="#3fc49a",
    parameter_badge_text="#0d1a14",
    constant_fill="#2a2e37",
    constant_border="#555c6a",
    pending_fill="#22252d",
    edge="#9099aa",
    edge_untracked="#4c525e",
    label_fill="#272b35",
    label_border="#3d4350",
    current="#d48cf5",
    current_fill="#352a40",
    flow="#d48cf5",
    positive="#56b4e9",
    negative="#f0a020",
    op_badge_fill="#394050",
    op_badge_text="#e8eaf0",
)


def is_dark_colour(colour: QColor) -> bool:
    """True for a dark background colour: the one test of light or dark in the app."""
    return colour.lightness() < 128


def is_dark(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> bool:
    """True when ``palette``'s ``role`` (the window's background by default) is dark."""
    return is_dark_colour(palette.color(role))


def theme_for_palette(palette: QPalette) -> Theme:
    """The dark theme when the palette's window colour is dark, else the light one."""
    return DARK if is_dark(palette) else LIGHT


def current_theme() -> Theme:
    """The theme matching the running application's palette (light without an app)."""
    app = QGuiApplication.instance()
    if app is None:
        return LIGHT
    return theme_for_palette(QGuiApplication.palette())
