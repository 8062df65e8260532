"""How the canvas shows a tensor's numbers: shape, grid of numbers or of colours (no Qt).

A value is a float, a vector (a tuple of floats) or a matrix (a tuple of equal-length
row tuples). Scalars and short vectors stay text, as they always were. A small matrix
(at most :data:`MAX_NUMBER_ROWS` × :data:`MAX_NUMBER_COLUMNS`) is a grid of numbers:
at the canvas's body font, four columns of three-digit numbers beside the gradient's
four columns is about as wide as a node can be before the layers drift apart (measured
on the 1024×700 window). Anything larger, and vectors longer than the text shows in
full (:data:`~gui_backprop.core.formatting.SHOWN_ELEMENTS`), is a grid of coloured
cells: the text of a long vector elides its middle elements, the strip shows every
one and hovering gives each number.

The colours are a diverging map symmetric around 0 with one scale per grid (its
largest magnitude, printed under it): 0 is the card's neutral, positive runs to the
theme's blue and negative to its orange, the same hues that colour a gradient's sign
everywhere else (Okabe-Ito, safe for colour-blind eyes, like ColorBrewer's PuOr).
In the dark theme the neutral is dark and the ends bright, so the cells read against
the dark card.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gui_backprop.core.formatting import SHOWN_ELEMENTS, format_number, format_value
from gui_backprop.core.values import elements, is_matrix, value_shape

MAX_NUMBER_ROWS = 4
MAX_NUMBER_COLUMNS = 4
CELL_DIGITS = 3
"""Significant digits in a grid cell; the hover text has every digit."""
TOOLTIP_ROWS = 10
"""Rows and columns a tooltip lists in full before eliding."""
TOOLTIP_DIGITS = 4
STRIP_CELLS = 40
"""A longer vector's colour strip wraps into rows of at most this many cells, so that
its cells stay wide enough to point at within the width of a 10×10 grid."""

Grid = tuple[tuple[float, ...], ...]

LIGHT_ENDS = ("#ffffff", "#0063a6", "#c25400")  # neutral, positive, negative
DARK_ENDS = ("#272b35", "#56b4e9", "#f0a020")
NUMBER_TINT = 0.45
"""How far a number cell's background goes towards the full colour: light enough that
the number written on it keeps its contrast in both themes."""


class TensorDisplay(StrEnum):
    """How a value is drawn on a node."""

    TEXT = "text"
    NUMBERS = "numbers"
    COLOURS = "colours"


def shape_text(value: object) -> str:
    """``2×3`` for a matrix, ``3`` for a vector, ``""`` for a scalar or nothing."""
    return "×".join(str(n) for n in value_shape(value)) if value is not None else ""


def as_grid(value: object) -> Grid:
    """The value as rows (a vector is one row, a scalar one cell)."""
    if is_matrix(value):
        return value
    if isinstance(value, tuple):
        return (value,)
    return ((value,),)


def flat(value: object) -> tuple[float, ...]:
    """Every number of a value, row by row (none for ``None``)."""
    return () if value is None else elements(value)


def is_all_finite(value: object) -> bool:
    """True when every number is finite (``None`` counts as finite)."""
    return all(math.isfinite(v) for v in flat(value))


def display_of(value: object) -> TensorDisplay:
    """Text for scalars and short vectors, numbers for small matrices, colours beyond."""
    shape = value_shape(value)
    if len(shape) == 2:
        rows, columns = shape
        if rows <= MAX_NUMBER_ROWS and columns <= MAX_NUMBER_COLUMNS:
            return TensorDisplay.NUMBERS
        return TensorDisplay.COLOURS
    if len(shape) == 1 and shape[0] > SHOWN_ELEMENTS:
        return TensorDisplay.COLOURS
    return TensorDisplay.TEXT


def _row_text(row: Sequence[float], limit: int, digits: int = 6) -> str:
    if len(row) <= limit:
        return "[" + ", ".join(format_number(v, digits) for v in row) + "]"
    return "[" + ", ".join(format_number(v, digits) for v in row[:limit - 1]) + ", …]"


def grid_lines(value: object, limit: int = TOOLTIP_ROWS) -> list[str]:
    """A matrix one row per line, for a tooltip (large ones elided); else one line.

    Four significant digits keep a 10×10 tooltip on the screen; a node's cell gives
    every digit on hover."""
    if not is_matrix(value):
        return [format_value(value)]
    lines = ["  " + _row_text(row, limit, TOOLTIP_DIGITS) for row in value[:limit]]
    if len(value) > limit:
        lines.append(f"  … ({len(value) - limit} more rows)")
    return lines


def cell_name(name: str, shape: tuple[int, ...], row: int, column: int) -> str:
    """``W[1, 2]`` for a matrix cell, ``x[4]`` for a vector element."""
    return f"{name}[{row}, {column}]" if len(shape) == 2 else f"{name}[{column}]"


@dataclass(frozen=True)
class TensorGrid:
    """A value or gradient drawn as a grid on a node.

    ``caption`` is written above it (``value``, ``grad``, ``W.grad``), ``name`` names its
    cells on hover (``W``, ``W.grad``). ``cells`` is ``None`` while the numbers are not
    revealed yet: the grid keeps its place and size, blank. ``before`` holds the value
    before a parameter update when the cells show the updated one.
    """

    caption: str
    name: str
    shape: tuple[int, ...]
    display: TensorDisplay
    cells: Grid | None
    before: Grid | None = None
    per_row: int = 0
    """For a long vector: the elements per drawn row (0: one row)."""
    widest: str = ""
    """The longest number a cell can show at any step of the trace (see
    :func:`widest_number`), so that the cells, and the node, keep one width."""

    @property
    def rows(self) -> int:
        """Number of drawn rows (1 for a vector unless it wraps)."""
        if len(self.shape) == 2:
            return self.shape[0]
        return -(-self.shape[0] // self.per_row) if self.per_row else 1

    @property
    def columns(self) -> int:
        """Number of drawn columns (the length of a vector unless it wraps)."""
        return self.shape[1] if len(self.shape) == 2 else (self.per_row or self.shape[0])

    def index(self, row: int, column: int) -> tuple[int, int] | None:
        """Where a drawn cell's number is in the value's rows (``None``: past a wrapped
        vector's end)."""
        if len(self.shape) == 2 or not self.per_row:
            return (row, column)
        position = row * self.per_row + column
        return (0, position) if position < self.shape[0] else None

    def number(self, row: int, column: int, cells: Grid | None = None) -> float | None:
        """The number in a drawn cell (``None`` while pending or past the end)."""
        cells = self.cells if cells is None else cells
        at = self.index(row, column)
        return None if cells is None or at is None else cells[at[0]][at[1]]

    @property
    def pending(self) -> bool:
        """True while the numbers are not revealed."""
        return self.cells is None

    def max_abs(self) -> float:
        """The scale of the colours: the largest finite magnitude (0 for none)."""
        finite = [abs(v) for v in flat(self.cells) if math.isfinite(v)]
        return max(finite, default=0.0)

    def scale_text(self) -> str:
        """``max |v| 3.2`` under a colour grid (``""`` while pending)."""
        if self.cells is None:
            return ""
        return f"max |v| {format_number(self.max_abs(), CELL_DIGITS)}"

    def cell_text(self, row: int, column: int) -> str:
        """The number written in a cell of a number grid (``?`` while pending)."""
        number = self.number(row, column)
        return "?" if number is None else format_number(number, CELL_DIGITS)

    def hover_text(self, row: int, column: int) -> str:
        """What hovering a cell says: ``W[1, 0] = 0.25`` with every digit."""
        at = self.index(row, column)
        if at is None:
            return ""
        head = cell_name(self.name, self.shape, *at)
        number = self.number(row, column)
        if number is None:
            return f"{head}: not computed yet"
        if self.before is not None:
            return (f"{head} = {format_number(self.number(row, column, self.before))} → "
                    f"{format_number(number)} after the update")
        return f"{head} = {format_number(number)}"

    def widest_cell(self) -> str:
        """The longest text any cell of a number grid can show (for sizing)."""
        texts = ["?", self.widest] + [format_number(v, CELL_DIGITS) for v in flat(self.cells)]
        texts += [format_number(v, CELL_DIGITS) for v in flat(self.before)]
        return max(texts, key=len)


def widest_number(values: Sequence[object | None]) -> str:
    """The longest cell text of any of ``values`` (``None`` ones skipped)."""
    texts = [format_number(v, CELL_DIGITS) for value in values if value is not None
             for v in flat(value)]
    return max(texts, key=len, default="")


def make_grid(caption: str, name: str, value: object, shown: object | None,
              before: object | None = None, widest: str = "") -> TensorGrid:
    """A grid of ``value``'s shape showing ``shown`` (``None``: pending); ``widest``:
    the longest number it can show at any step (see :attr:`TensorGrid.widest`)."""
    shape = value_shape(value)
    per_row = 0
    if len(shape) == 1 and shape[0] > STRIP_CELLS:
        per_row = -(-shape[0] // -(-shape[0] // STRIP_CELLS))  # balanced rows
    return TensorGrid(caption=caption, name=name, shape=shape, display=display_of(value),
                      cells=None if shown is None else as_grid(shown),
                      before=None if before is None else as_grid(before), per_row=per_row,
                      widest=widest)


def _mix(a: str, b: str, t: float) -> str:
    pa = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    pb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(pa, pb, strict=True))


def diverging_colour(value: float, max_abs: float, dark: bool, strength: float = 1.0) -> str:
    """The cell colour of ``value`` on a scale of ``±max_abs`` as ``#rrggbb``.

    0 (and nan) is the neutral; ``+max_abs`` the full blue, ``-max_abs`` the full
    orange; ``+inf``/``-inf`` the full colour of their sign. ``strength`` below 1 stops
    short of the full colour (a number grid's tint).
    """
    neutral, positive, negative = DARK_ENDS if dark else LIGHT_ENDS
    if math.isnan(value) or value == 0 or max_abs == 0 and math.isfinite(value):
        return neutral
    t = 1.0 if math.isinf(value) else min(1.0, abs(value) / max_abs)
    return _mix(neutral, positive if value > 0 else negative, t * strength)
