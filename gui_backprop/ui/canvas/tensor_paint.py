"""Paint a node's value and gradient grids side by side, and find the cell under the mouse.

The records come from :mod:`gui_backprop.ui.canvas.tensor_cells`; this module only
measures and draws them. Cells scale with the canvas's small font (so the window's
font-size setting scales them too); a colour grid never grows past
:data:`COLOUR_EXTENT_CELLS` cells of that size in either direction, its cells shrink
instead, so a 30×30 matrix takes the room of a 10×10 one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from gui_backprop.ui.canvas.style import CanvasStyle
from gui_backprop.ui.canvas.tensor_cells import (
    NUMBER_TINT,
    TensorDisplay,
    TensorGrid,
    diverging_colour,
)

GRID_GAP = 14.0
"""Between the value's grid and the gradient's."""
CELL_PAD = 4.0
CAPTION_GAP = 2.0
COLOUR_CELL_FACTOR = 0.8
"""A colour cell's side as a fraction of the small font's line height."""
COLOUR_EXTENT_CELLS = 10
MIN_CELL = 1.0


@dataclass(frozen=True)
class PlacedGrid:
    """A grid and where its cells are, relative to the top-left of the grid block."""

    grid: TensorGrid
    origin: QPointF
    cell: QSizeF
    width: float

    def cells_rect(self) -> QRectF:
        """The rectangle covered by the cells."""
        return QRectF(self.origin, QSizeF(self.cell.width() * self.grid.columns,
                                          self.cell.height() * self.grid.rows))

    def cell_rect(self, row: int, column: int) -> QRectF:
        """One cell's rectangle."""
        w, h = self.cell.width(), self.cell.height()
        return QRectF(self.origin.x() + column * w, self.origin.y() + row * h, w, h)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        """(row, column) of the cell under ``point``, or ``None``."""
        if not self.cells_rect().contains(point):
            return None
        column = int((point.x() - self.origin.x()) // self.cell.width())
        row = int((point.y() - self.origin.y()) // self.cell.height())
        cell = (min(row, self.grid.rows - 1), min(column, self.grid.columns - 1))
        return cell if self.grid.index(*cell) is not None else None


def cell_size(style: CanvasStyle, grids: list[TensorGrid]) -> QSizeF:
    """The size of one cell, shared by the value's and the gradient's grid."""
    grid = grids[0]
    if grid.display is TensorDisplay.NUMBERS:
        widest = max((style.width(style.small, g.widest_cell()) for g in grids), default=0.0)
        return QSizeF(widest + 2 * CELL_PAD, style.height(style.small) + 2)
    base = round(style.height(style.small) * COLOUR_CELL_FACTOR)
    extent = base * COLOUR_EXTENT_CELLS
    if grid.rows == 1:
        return QSizeF(min(base, extent / grid.columns), base)
    side = max(MIN_CELL, min(base, extent / max(grid.rows, grid.columns)))
    return QSizeF(side, side)


def _caption_font(style: CanvasStyle, index: int):
    return style.small_bold if index else style.small


def place_grids(style: CanvasStyle, grids: list[TensorGrid]) -> list[PlacedGrid]:
    """Lay the grids out left to right, caption above and scale below each."""
    if not grids:
        return []
    cell = cell_size(style, grids)
    placed, x = [], 0.0
    caption_h = style.height(style.small) + CAPTION_GAP
    for index, grid in enumerate(grids):
        cells_w = cell.width() * grid.columns
        width = max(cells_w, style.width(_caption_font(style, index), grid.caption),
                    style.width(style.small, _widest_scale(grid)))
        placed.append(PlacedGrid(grid, QPointF(x, caption_h), cell, width))
        x += width + GRID_GAP
    return placed


def _widest_scale(grid: TensorGrid) -> str:
    if grid.display is not TensorDisplay.COLOURS:
        return ""
    return "max |v| -0.000e-00"  # room for any scale text, so the size never jumps


def block_size(style: CanvasStyle, grids: list[TensorGrid]) -> QSizeF:
    """The room the grids take: their widths and gaps, caption, cells and scale line."""
    placed = place_grids(style, grids)
    if not placed:
        return QSizeF(0, 0)
    width = sum(p.width for p in placed) + GRID_GAP * (len(placed) - 1)
    height = max(p.cells_rect().bottom() for p in placed)
    if any(p.grid.display is TensorDisplay.COLOURS for p in placed):
        height += CAPTION_GAP + style.height(style.small)
    return QSizeF(width, height)


def paint_grids(painter: QPainter, style: CanvasStyle, grids: list[TensorGrid],
                top_left: QPointF, sign_colours: list[QColor]) -> None:
    """Draw every grid of the block with its top-left corner at ``top_left``."""
    theme = style.theme
    for index, placed in enumerate(place_grids(style, grids)):
        grid = placed.grid
        painter.save()
        painter.translate(top_left)
        font = _caption_font(style, index)
        painter.setFont(font)
        painter.setPen(theme.color("pending") if grid.pending else sign_colours[index])
        painter.drawText(QRectF(placed.origin.x(), 0, placed.width, style.height(font)),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         grid.caption)
        if grid.display is TensorDisplay.NUMBERS:
            _paint_numbers(painter, style, placed)
        else:
            _paint_colours(painter, style, placed)
        painter.restore()


def _outline(painter: QPainter, style: CanvasStyle, placed: PlacedGrid) -> None:
    theme = style.theme
    pen = QPen(theme.color("pending" if placed.grid.pending else "node_border"), 1.0)
    if placed.grid.pending:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(placed.cells_rect())


def _grid_lines(painter: QPainter, style: CanvasStyle, placed: PlacedGrid) -> None:
    rule = QColor(style.theme.node_border)
    rule.setAlpha(70)
    painter.setPen(QPen(rule, 1.0))
    rect, grid = placed.cells_rect(), placed.grid
    for column in range(1, grid.columns):
        x = rect.left() + column * placed.cell.width()
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
    for row in range(1, grid.rows):
        y = rect.top() + row * placed.cell.height()
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


def _paint_numbers(painter: QPainter, style: CanvasStyle, placed: PlacedGrid) -> None:
    grid, theme = placed.grid, style.theme
    dark, scale = theme.is_dark, grid.max_abs()
    painter.setFont(style.small)
    for row in range(grid.rows):
        for column in range(grid.columns):
            rect = placed.cell_rect(row, column)
            number = grid.number(row, column)
            if number is not None:
                colour = diverging_colour(number, scale, dark, NUMBER_TINT)
                painter.fillRect(rect, QColor(colour))
            painter.setPen(theme.color("pending" if grid.pending else "text"))
            painter.drawText(rect.adjusted(CELL_PAD, 0, -CELL_PAD, 0),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             grid.cell_text(row, column))
    _grid_lines(painter, style, placed)
    _outline(painter, style, placed)


def _paint_colours(painter: QPainter, style: CanvasStyle, placed: PlacedGrid) -> None:
    grid, theme = placed.grid, style.theme
    rect = placed.cells_rect()
    if grid.cells is None:
        if rect.height() < style.height(style.small_bold):
            _outline(painter, style, placed)  # a strip too thin for the "?": dashes say it
            return
        painter.setFont(style.small_bold)
        painter.setPen(theme.color("pending"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
    else:
        dark, scale = theme.is_dark, grid.max_abs()
        for row in range(grid.rows):
            for column in range(grid.columns):
                number = grid.number(row, column)
                if number is not None:
                    colour = diverging_colour(number, scale, dark)
                    painter.fillRect(placed.cell_rect(row, column), QColor(colour))
        if placed.cell.width() >= 6 and placed.cell.height() >= 6:
            _grid_lines(painter, style, placed)
        painter.setFont(style.small)
        painter.setPen(theme.color("muted_text"))
        height = style.height(style.small)
        painter.drawText(QRectF(rect.left(), rect.bottom() + CAPTION_GAP, placed.width, height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         grid.scale_text())
    _outline(painter, style, placed)
