"""Typeset a step's LaTeX formula with matplotlib's mathtext into a QImage.

Mathtext gives an alpha mask; it is coloured here with the text colour so the formula
follows the light or dark palette. Results are cached: stepping back and forth
re-renders nothing.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

log = logging.getLogger(__name__)

_PARSER = MathTextParser("agg")
_PADDING = 2
BREAKS = ("\\cdot", " + ", " - ")
"""Where a side of an equation may break (a unary minus is written ``{-}``, unspaced)."""


class FormulaError(ValueError):
    """Mathtext could not typeset a formula."""


@lru_cache(maxsize=256)
def _mask(latex: str, pixel_size: float) -> np.ndarray:
    try:
        result = _PARSER.parse(f"${latex}$", dpi=72, prop=FontProperties(size=pixel_size))
    except Exception as exc:  # mathtext raises ValueError, ParseException, KeyError, ...
        raise FormulaError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) \
            from None
    mask = np.asarray(result.image, dtype=np.uint8)
    return np.pad(mask, _PADDING)


def render_formula(latex: str, pixel_size: float, color: QColor,
                   device_pixel_ratio: float = 1.0) -> QImage:
    """The formula typeset at ``pixel_size`` logical pixels, in ``color``.

    The image has ``device_pixel_ratio`` set, so it is sharp on high-DPI screens.
    Raises :class:`FormulaError` when mathtext cannot parse ``latex``.
    """
    ratio = max(1.0, float(device_pixel_ratio))
    mask = _mask(latex, round(pixel_size * ratio, 1))
    height, width = mask.shape
    rgba = np.empty((height, width, 4), dtype=np.uint8)
    alpha = mask.astype(np.uint16)
    for channel, component in enumerate((color.red(), color.green(), color.blue())):
        rgba[..., channel] = (alpha * component // 255).astype(np.uint8)
    rgba[..., 3] = mask
    image = QImage(rgba.data, width, height, width * 4,
                   QImage.Format.Format_RGBA8888_Premultiplied).copy()
    image.setDevicePixelRatio(ratio)
    return image


def split_equation(latex: str) -> list[str]:
    """The sides of ``a = b = c`` (split only at ``=`` outside braces)."""
    return [text for _operator, text in _top_level_pieces(latex, ("=",))]


def _command_at(latex: str, index: int, command: str) -> bool:
    r"""True when ``command`` (``\left``) starts at ``index`` as a whole command, not as
    the start of a longer one (``\leftarrow``, ``\rightarrow``)."""
    end = index + len(command)
    return latex.startswith(command, index) and not latex[end:end + 1].isalpha()


def _top_level_pieces(latex: str, operators: tuple[str, ...]) -> list[tuple[str, str]]:
    r"""``latex`` cut before each of ``operators`` outside braces and ``\left…\right``
    pairs: ``(operator, text)`` pieces, the first with the operator ``""``."""
    pieces, depth, start, operator, index = [], 0, 0, "", 0
    while index < len(latex):
        if latex.startswith("{", index) or _command_at(latex, index, "\\left"):
            depth += 1
        elif latex.startswith("}", index) or _command_at(latex, index, "\\right"):
            depth -= 1
        elif depth == 0:
            found = next((op for op in operators if latex.startswith(op, index)), None)
            if found is not None:
                pieces.append((operator, latex[start:index].strip()))
                operator, start = found, index + len(found)
                index = start
                continue
        index += 2 if latex[index] == "\\" else 1  # an escaped brace (\{) opens nothing
    pieces.append((operator, latex[start:].strip()))
    return [(op, text) for op, text in pieces if text]


def _lines(latex: str, fits) -> list[str]:
    r"""Greedy line breaking, as on a blackboard: ``lhs = p1 = p2`` while it fits, then
    a new line before the next ``=``; a side too long for a line breaks before a
    ``\cdot``, ``+`` or ``-`` too. The first side always stays beside the left-hand side."""
    sides = _top_level_pieces(latex, ("=",))
    lines = [sides[0][1]]
    for index, (_equals, side) in enumerate(sides[1:]):
        for step, (operator, text) in enumerate(_top_level_pieces(side, BREAKS)):
            operator = operator.strip() or "="
            candidate = f"{lines[-1]} {operator} {text}"
            if fits(candidate) or (index == 0 and step == 0):
                lines[-1] = candidate
            else:
                # "{}" makes mathtext space a leading \cdot as the binary operator it is
                lines.append(f"{operator} {text}" if operator == "="
                             else f"{{}}{operator} {text}")
    return lines


def render_fitted(latex: str, pixel_size: float, color: QColor, device_pixel_ratio: float,
                  max_width: float, smallest_scale: float = 0.8) -> QImage:
    """The formula in at most ``max_width`` logical pixels where possible.

    A formula too wide for one line is broken before an ``=`` sign (or an operator)
    into aligned lines, as on a blackboard; if a line is still too wide the size
    shrinks down to ``smallest_scale``. The result may still be wider than ``max_width``.
    """
    ratio = max(1.0, float(device_pixel_ratio))
    measured: dict[str, float] = {}

    def width(text: str, scale: float) -> float:
        # Typesetting is what costs; a width scales with the size, so each text is
        # measured once, at full size, and only the chosen lines are typeset again.
        if text not in measured:
            measured[text] = render_formula(text, pixel_size, color, ratio).width() / ratio
        return measured[text] * scale

    scale = 1.0
    while True:
        size = pixel_size * scale
        if width(latex, scale) <= max_width:
            return render_formula(latex, size, color, ratio)
        if len(_top_level_pieces(latex, ("=", *BREAKS))) > 2:
            lines = _lines(latex, lambda text, scale=scale: width(text, scale) <= max_width)
            indent = width(split_equation(lines[0])[0], scale) + size * 0.25
            widest = max(width(lines[0], scale),
                         *(indent + width(line, scale) for line in lines[1:]))
            if widest <= max_width or scale <= smallest_scale:
                return _stack([render_formula(line, size, color, ratio) for line in lines],
                              indent, size * 0.35, ratio)
        elif scale <= smallest_scale:
            return render_formula(latex, size, color, ratio)
        scale = max(smallest_scale, scale - 0.1)


def _stack(images: list[QImage], indent: float, gap: float, ratio: float) -> QImage:
    offsets = [0.0] + [indent * ratio] * (len(images) - 1)
    width = int(max(offset + image.width() for offset, image in zip(offsets, images,
                                                                     strict=True)))
    height = int(sum(image.height() for image in images) + gap * ratio * (len(images) - 1))
    result = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    result.fill(0)
    painter = QPainter(result)
    y = 0.0
    for offset, image in zip(offsets, images, strict=True):
        copy = QImage(image)
        copy.setDevicePixelRatio(1.0)
        painter.drawImage(QPointF(offset, y), copy)
        y += image.height() + gap * ratio
    painter.end()
    result.setDevicePixelRatio(ratio)
    return result
