"""The node item of the graph canvas: a card with name, operation, value and gradient.

Edges and their labels are in :mod:`gui_backprop.ui.canvas.edge_item`. An item only paints
the :class:`~gui_backprop.ui.canvas.content.NodeContent` it is given; its size is set
from the widest text it can show in the iteration, so it does not jump while stepping.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui_backprop.ui.canvas.content import NodeContent, NodeRole
from gui_backprop.ui.canvas.detail import Detail, text_readable
from gui_backprop.ui.canvas.edge_item import EdgeItem, EdgeLabelItem
from gui_backprop.ui.canvas.style import (
    HALO,
    LINE_GAP,
    MIN_NODE_WIDTH,
    NODE_WRAP_CHARS,
    PADDING,
    RADIUS,
)
from gui_backprop.ui.canvas.style import CanvasStyle as CanvasStyle
from gui_backprop.ui.canvas.tensor_cells import TensorGrid
from gui_backprop.ui.canvas.tensor_paint import block_size, paint_grids, place_grids

__all__ = ["CanvasStyle", "EdgeItem", "EdgeLabelItem", "NodeItem"]

BADGE_GAP = 7.0
STACK_OFFSET = 4.0  # a folded statement's box: a second card peeking out behind it
BADGE_PAD = 6.0
SHAPE_GAP = 6.0


@dataclass(frozen=True)
class _Row:
    text: str
    font: QFont
    color: QColor


class NodeItem(QGraphicsItem):
    """One node of the graph. ``node_id`` is the node's id in the iteration."""

    def __init__(self, node_id: int, content: NodeContent, style: CanvasStyle):
        super().__init__()
        self.node_id = node_id
        self._content = content
        self._style = style
        self._size = QSizeF(MIN_NODE_WIDTH, 40.0)
        self.detail = Detail.NONE
        """What the last paint drew: the card with its text, or a plain box."""
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        self.setToolTip(content.tooltip)
        self.update_size()

    # -- what it shows (the API the window and the tests read) --
    @property
    def content(self) -> NodeContent:
        """The record this item paints."""
        return self._content

    def title_text(self) -> str:
        """The node's name, or its expression when it has no name (``y_pred``, ``z - t``)."""
        return self._content.title

    def subtitle_text(self) -> str:
        """The expression under a named operation's title (``w * x``), else ``""``."""
        return self._content.subtitle

    def op_text(self) -> str:
        """The operation's badge: ``×``, ``+``, ``sin``; ``""`` for leaves and constants."""
        return self._content.op_symbol

    def value_text(self) -> str:
        """``?`` while pending, else ``= 1.0`` (``""`` for a constant: its title is its value)."""
        return self._content.value_text

    def grad_text(self) -> str:
        """``grad ?`` while pending, else ``grad -2.0`` (``w.grad ...`` on a parameter)."""
        return self._content.grad_text

    def shape_text(self) -> str:
        """The shape written after the title: ``2×3``, ``3`` for a vector, ``""`` else."""
        return self._content.shape

    def grids(self) -> list[TensorGrid]:
        """The value's and the gradient's grids (empty when the value is text)."""
        return [g for g in (self._content.value_grid, self._content.grad_grid) if g]

    def cell_tooltip_at(self, point: QPointF) -> str | None:
        """What hovering ``point`` (item coordinates) over a grid cell says, else None."""
        origin = self._grid_origin()
        for placed in place_grids(self._style, self.grids()):
            cell = placed.cell_at(point - origin)
            if cell is not None:
                return placed.grid.hover_text(*cell)
        return None

    def cell_centre(self, grid_index: int, row: int, column: int) -> QPointF:
        """The centre of a grid cell in item coordinates (for tests and hovering)."""
        placed = place_grids(self._style, self.grids())[grid_index]
        return placed.cell_rect(row, column).center() + self._grid_origin()

    def hoverMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Over a grid cell the tooltip is that cell's number, elsewhere the node's."""
        text = self.cell_tooltip_at(event.pos()) if self._content.value_grid else None
        tip = text or self._content.tooltip
        if tip != self.toolTip():
            self.setToolTip(tip)
        super().hoverMoveEvent(event)

    def note_text(self) -> str:
        """Why the value or gradient shown is nan or infinite (``""`` when they are finite)."""
        return self._content.note

    def is_current(self) -> bool:
        """True when the current step concerns this node."""
        return self._content.current

    def is_pending(self) -> bool:
        """True while the node's value has not been computed yet."""
        return self._content.value_pending

    # -- updates --
    def set_content(self, content: NodeContent) -> None:
        """Show ``content``; the size follows only if the widest texts changed."""
        old = self._content
        self._content = content
        if content.tooltip != old.tooltip:
            self.setToolTip(content.tooltip)
        if (old.widest_value, old.widest_grad, old.widest_note, old.title, old.subtitle,
                old.role, old.shape, old.widest_inside, self._grid_sizes(old)) != (
                content.widest_value, content.widest_grad, content.widest_note,
                content.title, content.subtitle, content.role, content.shape,
                content.widest_inside, self._grid_sizes(content)):
            self.update_size()
        self.update()

    def _grid_sizes(self, content: NodeContent) -> QSizeF:
        grids = [g for g in (content.value_grid, content.grad_grid) if g]
        return block_size(self._style, grids)

    def set_style(self, style: CanvasStyle) -> None:
        """Use new fonts or colours."""
        self._style = style
        self.update_size()
        self.update()

    def size(self) -> QSizeF:
        """The card's size (without the highlight halo)."""
        return QSizeF(self._size)

    def update_size(self) -> None:
        """Recompute the card's size from the widest texts it can show."""
        width, height = self._measure()
        if QSizeF(width, height) != self._size:
            self.prepareGeometryChange()
            self._size = QSizeF(width, height)

    def card_rect(self) -> QRectF:
        """The card, centred on the item's position."""
        w, h = self._size.width(), self._size.height()
        return QRectF(-w / 2, -h / 2, w, h)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        """The card plus room for the highlight halo (and a folded box's second card)."""
        grow = HALO + 2 + (STACK_OFFSET if self._content.folded else 0)
        return self.card_rect().adjusted(-HALO - 2, -HALO - 2, grow, grow)

    def shape(self) -> QPainterPath:
        """The rounded card (for clicks and tooltips)."""
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), RADIUS, RADIUS)
        return path

    # -- geometry of the rows --
    def _badge_text(self) -> str:
        role = self._content.role
        if role is NodeRole.PARAMETER:
            return "requires_grad"
        if role is NodeRole.DATA:
            return "data"
        return self._content.op_symbol

    def _badge_size(self) -> QSizeF:
        text = self._badge_text()
        if not text:
            return QSizeF(0, 0)
        style = self._style
        font = style.small_bold
        height = style.height(font) + 2
        return QSizeF(max(height, style.width(font, text) + 2 * BADGE_PAD), height)

    def _rows(self, widest: bool) -> tuple[list[_Row], list[_Row]]:
        """(header rows under the title, body rows: value and gradient)."""
        c, style, theme = self._content, self._style, self._style.theme
        header = []
        if c.subtitle:
            header.append(_Row(style.elided(style.small, c.subtitle), style.small,
                               theme.color("muted_text")))
        if c.widest_inside:  # a folded box: rows for the step inside it, blank between
            room = self._wrapped(style.small_bold, c.widest_inside)
            lines = room if widest else self._wrapped(style.small_bold, c.inside) if c.inside \
                else []
            lines += [""] * (len(room) - len(lines))  # the same height at every step
            header += [_Row(line, style.small_bold, theme.color("current")) for line in lines]
        body = []
        gridded = c.value_grid is not None
        value = "" if gridded else (c.widest_value if widest else c.value_text)
        if value:
            color = theme.color("pending" if c.value_pending else "text")
            body += [_Row(line, style.body, color) for line in self._wrapped(style.body, value)]
        grad = "" if gridded else (c.widest_grad if widest else c.grad_text)
        if grad:
            color = (theme.color("pending") if c.grad_pending
                     else theme.sign_color(c.grad_sign))
            body += [_Row(line, style.body_bold, color)
                     for line in self._wrapped(style.body_bold, grad)]
        note = c.widest_note if widest else c.note
        if note:
            body += [_Row(line, style.small, theme.color("text"))
                     for line in self._wrapped(style.small, note)]
        return header, body

    def _wrapped(self, font: QFont, text: str) -> list[str]:
        style = self._style
        return style.wrap(font, text, style.wrap_width(font, NODE_WRAP_CHARS))

    def _rows_height(self, rows: list[_Row]) -> float:
        return sum(self._style.height(r.font) + LINE_GAP for r in rows)

    def _title_width(self) -> float:
        style = self._style
        text = style.elided(style.title, self._content.title)
        badge = self._badge_size().width()
        shape = self._content.shape
        shape_w = style.width(style.small, shape) + SHAPE_GAP if shape else 0
        return style.width(style.title, text) + shape_w + (badge + BADGE_GAP if badge else 0)

    def _measure(self) -> tuple[float, float]:
        style = self._style
        if self._content.role is NodeRole.CONSTANT:
            width = style.width(style.body_bold, self._content.title) + 2 * PADDING
            height = style.height(style.body_bold) + PADDING
            return max(width, height * 1.4), height
        header, body = self._rows(widest=True)
        grids = block_size(style, self.grids())
        width = max([self._title_width(), grids.width()]
                    + [style.width(r.font, r.text) for r in header + body])
        height = self._title_height() + self._rows_height(header) + self._rows_height(body)
        if grids.height():
            height += grids.height() + LINE_GAP
        if body or grids.height():
            height += 2 * LINE_GAP
        return max(MIN_NODE_WIDTH, width + 2 * PADDING), height + 2 * PADDING - 2

    def _title_height(self) -> float:
        return max(self._style.height(self._style.title), self._badge_size().height())

    # -- painting --
    def _card_colors(self) -> tuple[QColor, QColor, float, Qt.PenStyle]:
        c, theme = self._content, self._style.theme
        if c.role is NodeRole.CONSTANT:
            return (theme.color("constant_fill"), theme.color("constant_border"), 1.0,
                    Qt.PenStyle.SolidLine)
        fill = theme.color("leaf_fill" if c.role is not NodeRole.OPERATION else "node_fill")
        border, width, pen_style = theme.color("node_border"), 1.3, Qt.PenStyle.SolidLine
        if c.role is NodeRole.PARAMETER:
            border, width = theme.color("parameter_border"), 2.2
        if c.value_pending:
            fill, border = theme.color("pending_fill"), theme.color("pending")
            pen_style = Qt.PenStyle.DashLine
        if c.current:
            fill, border, width = theme.color("current_fill"), theme.color("current"), 2.8
            pen_style = Qt.PenStyle.SolidLine
        return fill, border, width, pen_style

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the card, its title row and its value and gradient rows; zoomed out so
        far that the text could not be read, a plain box in the card's colours."""
        rect = self.card_rect()
        fill, border, width, pen_style = self._card_colors()
        if not text_readable(self._style, option.levelOfDetailFromTransform(
                painter.worldTransform())):
            self.detail = Detail.BOX
            pen = QPen(border, 2.0 if self._content.current else 0.0)  # 0: one pixel
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRect(rect)
            return
        self.detail = Detail.TEXT
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._content.folded:  # a stack of cards: more is inside
            painter.setPen(QPen(border, 1.0))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.translated(STACK_OFFSET, STACK_OFFSET), RADIUS, RADIUS)
        if self._content.current:
            halo = QColor(self._style.theme.current)
            halo.setAlpha(70)
            painter.setPen(QPen(halo, HALO))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grow = HALO / 2 + width / 2
            painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow),
                                    RADIUS + grow, RADIUS + grow)
        pen = QPen(border, width)
        pen.setStyle(pen_style)
        painter.setPen(pen)
        painter.setBrush(fill)
        inset = width / 2
        painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), RADIUS, RADIUS)
        if self._content.role is NodeRole.CONSTANT:
            self._paint_constant(painter, rect)
        else:
            self._paint_rows(painter, rect)

    def _paint_constant(self, painter: QPainter, rect: QRectF) -> None:
        painter.setFont(self._style.body_bold)
        painter.setPen(self._style.theme.color("muted_text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._content.title)

    def _paint_rows(self, painter: QPainter, rect: QRectF) -> None:
        style, theme, c = self._style, self._style.theme, self._content
        left, top = rect.left() + PADDING, rect.top() + PADDING - 1
        title_h = self._title_height()
        x = left
        badge = self._badge_size()
        if badge.width() and c.role is NodeRole.OPERATION:
            self._paint_badge(painter, QRectF(QPointF(x, top + (title_h - badge.height()) / 2),
                                              badge))
            x += badge.width() + BADGE_GAP
        painter.setFont(style.title)
        painter.setPen(theme.color("muted_text" if c.value_pending else "text"))
        title = style.elided(style.title, c.title)
        painter.drawText(QRectF(x, top, rect.right() - x, title_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        if c.shape:
            painter.setFont(style.small)
            painter.setPen(theme.color("muted_text"))
            shape_x = x + style.width(style.title, title) + SHAPE_GAP
            painter.drawText(QRectF(shape_x, top, rect.right() - shape_x, title_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             c.shape)
        if badge.width() and c.role is not NodeRole.OPERATION:
            badge_left = rect.right() - PADDING - badge.width()
            self._paint_badge(painter, QRectF(QPointF(badge_left,
                                                      top + (title_h - badge.height()) / 2),
                                              badge))
        y = top + title_h + LINE_GAP
        header, body = self._rows(widest=False)
        for row in header:
            y = self._paint_row(painter, row, left, y, rect.width() - 2 * PADDING)
        grids = self.grids()
        if not body and not grids:
            return
        y += LINE_GAP
        rule = QColor(theme.node_border)
        rule.setAlpha(90)
        painter.setPen(QPen(rule, 1))
        painter.drawLine(QPointF(left, y), QPointF(rect.right() - PADDING, y))
        y += LINE_GAP
        if grids:
            grad_colour = (theme.color("pending") if c.grad_pending
                           else theme.sign_color(c.grad_sign))
            paint_grids(painter, style, grids, QPointF(left, y),
                        [theme.color("muted_text"), grad_colour])
            y += block_size(style, grids).height() + LINE_GAP
        # rows shorter than the widest texts (such as a "?" placeholder) sit in the middle
        widest_body = self._rows(widest=True)[1]
        y += max(0.0, self._rows_height(widest_body) - self._rows_height(body)) / 2
        for row in body:
            y = self._paint_row(painter, row, left, y, rect.width() - 2 * PADDING)

    def _grid_origin(self) -> QPointF:
        """Where the grid block starts, in item coordinates (as :meth:`_paint_rows`)."""
        rect = self.card_rect()
        header = self._rows(widest=False)[0]
        y = (rect.top() + PADDING - 1 + self._title_height() + LINE_GAP
             + self._rows_height(header) + 2 * LINE_GAP)
        return QPointF(rect.left() + PADDING, y)

    def _paint_row(self, painter: QPainter, row: _Row, left: float, y: float,
                   width: float) -> float:
        painter.setFont(row.font)
        painter.setPen(row.color)
        height = self._style.height(row.font)
        painter.drawText(QRectF(left, y, width, height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row.text)
        return y + height + LINE_GAP

    def _paint_badge(self, painter: QPainter, rect: QRectF) -> None:
        theme, c = self._style.theme, self._content
        if c.role is NodeRole.PARAMETER:
            fill, text = theme.color("parameter_border"), theme.color("parameter_badge_text")
        elif c.role is NodeRole.DATA:
            fill, text = theme.color("constant_fill"), theme.color("muted_text")
        else:
            fill, text = theme.color("op_badge_fill"), theme.color("op_badge_text")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setFont(self._style.small_bold)
        painter.setPen(text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._badge_text())
