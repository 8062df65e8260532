"""Fonts, sizes and colours shared by every item of the graph canvas."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from gui_backprop.ui.looks.theme import Theme

PADDING = 10.0
LINE_GAP = 3.0
RADIUS = 9.0
HALO = 6.0
MIN_NODE_WIDTH = 84.0
MAX_TEXT_WIDTH = 260.0
NODE_WRAP_CHARS = 18
LABEL_WRAP_CHARS = 15
LABEL_ELIDE_CHARS = 22
WIDTH_CACHE_SIZE = 50_000

# Text widths per font object and text: a big graph measures the same texts thousands of
# times (wrap widths, repeated numbers), and each measurement shapes the text anew. Keyed
# by the font object (held, so its id stays its own): the canvas fonts are made once per
# font change by CanvasStyle.set_font and never changed in place.
_widths: dict[int, tuple[QFont, dict[str, float]]] = {}


def text_width(font: QFont, text: str) -> float:
    """The advance width of ``text`` in ``font``, remembered."""
    entry = _widths.get(id(font))
    if entry is None:
        if len(_widths) >= 64:
            _widths.clear()
        entry = _widths[id(font)] = (font, {})
    known = entry[1]
    width = known.get(text)
    if width is None:
        if len(known) >= WIDTH_CACHE_SIZE:
            known.clear()
        width = known[text] = QFontMetricsF(font).horizontalAdvance(text)
    return width


def _remembered(font: QFont) -> dict:
    """What has been measured for ``font`` (keyed as :func:`text_width`'s widths)."""
    entry = _measured.get(id(font))
    if entry is None:
        if len(_measured) >= 64:
            _measured.clear()
        entry = _measured[id(font)] = (font, {})
    known = entry[1]
    if len(known) >= WIDTH_CACHE_SIZE:
        known.clear()
    return known


# Elided texts, wrapped lines and line heights, by font object as the widths: building a
# big graph asks for the same ones thousands of times (issue 13: a third of the scene
# build of a 3,000-node graph was spent in elidedText, wrapping and font metrics).
_measured: dict[int, tuple[QFont, dict]] = {}


def _scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    scaled = QFont(font)
    size = font.pointSizeF() if font.pointSizeF() > 0 else font.pixelSize() * 0.75
    scaled.setPointSizeF(max(6.0, size * factor))
    scaled.setBold(bold)
    return scaled


@dataclass
class CanvasStyle:
    """The theme and the fonts derived from the application font.

    ``title`` names a node, ``body`` shows values, ``small`` is for subtitles, badges
    and edge labels. All scale with the base font, so the window's font-size setting
    scales the whole canvas.
    """

    theme: Theme
    base: QFont
    title: QFont = field(init=False)
    body: QFont = field(init=False)
    body_bold: QFont = field(init=False)
    small: QFont = field(init=False)
    small_bold: QFont = field(init=False)
    small_height: float = field(init=False)  # line height of ``small`` (level of detail)

    def __post_init__(self) -> None:
        self.set_font(self.base)

    def set_font(self, font: QFont) -> None:
        """Derive every canvas font from ``font``."""
        self.base = QFont(font)
        self.title = _scaled(font, 1.12, bold=True)
        self.body = _scaled(font, 1.0)
        self.body_bold = _scaled(font, 1.0, bold=True)
        self.small = _scaled(font, 0.86)
        self.small_bold = _scaled(font, 0.86, bold=True)
        self.small_height = QFontMetricsF(self.small).height()

    @staticmethod
    def width(font: QFont, text: str) -> float:
        """The advance width of ``text`` in ``font``."""
        return text_width(font, text)

    @staticmethod
    def height(font: QFont) -> float:
        """The line height of ``font``."""
        known = _remembered(font)
        height = known.get(None)
        if height is None:
            height = known[None] = QFontMetricsF(font).height()
        return height

    @staticmethod
    def elided(font: QFont, text: str, width: float = MAX_TEXT_WIDTH) -> str:
        """``text`` shortened with an ellipsis to fit ``width``."""
        known = _remembered(font)
        key = ("elided", text, width)
        elided = known.get(key)
        if elided is None:
            elided = known[key] = QFontMetricsF(font).elidedText(
                text, Qt.TextElideMode.ElideMiddle, width)
        return elided

    @staticmethod
    def wrap_width(font: QFont, chars: int) -> float:
        """The width of about ``chars`` characters of ``font`` (digit-wide)."""
        return text_width(font, "0" * chars)

    @staticmethod
    def wrap(font: QFont, text: str, width: float) -> list[str]:
        """``text`` broken after commas into balanced lines no wider than ``width``.

        Vectors such as ``= [9.61, 24.01, 51.84, 77.44, 123.21]`` wrap between their
        elements, about as many on each line, and a rule such as ``= sigmoid(z) * (1 -
        sigmoid(z))`` before each factor; a single piece wider than ``width`` stays whole
        (it is elided when painted).
        """
        if not text or text_width(font, text) <= width:
            return [text]
        known = _remembered(font)
        key = ("wrapped", text, width)
        lines = known.get(key)
        if lines is None:
            lines = known[key] = _wrapped(font, text, width)
        return list(lines)


def _wrapped(font: QFont, text: str, width: float) -> list[str]:
    """``text`` wrapped as :meth:`CanvasStyle.wrap` says (not remembered)."""
    if ", " not in text and " * " in text:  # a product, such as a rule: before a factor
        first, *factors = text.split(" * ")
        lines = [first]
        for factor in factors:
            joined = f"{lines[-1]} * {factor}"
            if text_width(font, joined) <= width:
                lines[-1] = joined
            else:
                lines.append(f"  * {factor}")
        return lines
    pieces = text.split(", ")
    greedy = _chunks_greedy(pieces, width, font)
    per_line = -(-len(pieces) // len(greedy))
    balanced = [pieces[i:i + per_line] for i in range(0, len(pieces), per_line)]
    lines = _join_lines(balanced)
    if len(balanced) == len(greedy) and all(
            text_width(font, line) <= width for line in lines):
        return lines
    return _join_lines(greedy)


def _chunks_greedy(pieces: list[str], width: float, font: QFont) -> list[list[str]]:
    chunks = [[pieces[0]]]
    for piece in pieces[1:]:
        candidate = ", ".join(chunks[-1] + [piece]) + ","
        if text_width(font, candidate) <= width:
            chunks[-1].append(piece)
        else:
            chunks.append([piece])
    return chunks


def _join_lines(chunks: list[list[str]]) -> list[str]:
    lines = [", ".join(chunk) + ("," if i < len(chunks) - 1 else "")
             for i, chunk in enumerate(chunks)]
    return [lines[0]] + ["  " + line for line in lines[1:]]
