"""Edges of the graph canvas: a curved arrow per input, and its local-gradient label."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui_backprop.ui.canvas.content import EdgeContent, Flow, label_lines, split_derivative
from gui_backprop.ui.canvas.detail import Detail, text_readable
from gui_backprop.ui.canvas.style import (
    LABEL_ELIDE_CHARS,
    LABEL_WRAP_CHARS,
    LINE_GAP,
    CanvasStyle,
)

ARROW_LENGTH = 10.0
ARROW_HALF_WIDTH = 5.0
LABEL_PADDING = 6.0
FRACTION_RULE = 5.0


class EdgeItem(QGraphicsItem):
    """An arrow from an input to the operation that uses it (left to right)."""

    def __init__(self, edge_id: int, content: EdgeContent, style: CanvasStyle):
        super().__init__()
        self.edge_id = edge_id
        self._content = content
        self._style = style
        self._points: list[QPointF] = [QPointF(0, 0), QPointF(1, 0)]
        self._path = QPainterPath()
        self.detail = Detail.NONE
        """What the last paint drew: the curve with arrowheads, or a plain line."""
        self.setZValue(1 if content.tracked else 0)
        self.setToolTip(content.tooltip)
        self._label: EdgeLabelItem | None = None
        self._label_readable = True

    @property
    def label(self) -> EdgeLabelItem:
        """The local-gradient label, made on first use (an arrow into a folded statement's
        box has none, and a big graph has thousands of them)."""
        if self._label is None:
            self._label = EdgeLabelItem(self)
            self._label.set_readable(self._label_readable)
        return self._label

    def has_label(self) -> bool:
        """True for a tracked edge's label (an arrow into a folded box has none)."""
        return self._content.tracked and self._content.labelled

    def set_label_readable(self, readable: bool) -> None:
        """Show the label only where it can be read (see :meth:`EdgeLabelItem.set_readable`)."""
        self._label_readable = readable
        if self._label is not None:
            self._label.set_readable(readable)

    @property
    def content(self) -> EdgeContent:
        """The record this item paints."""
        return self._content

    def label_text(self) -> str:
        """``""`` while pending (or untracked), else e.g. ``∂y_pred/∂w = x = 1.0``."""
        return self._content.label

    def is_current(self) -> bool:
        """True at the local-gradient step of this edge."""
        return self._content.current

    def is_pending(self) -> bool:
        """True while this tracked edge's local gradient has not been revealed."""
        return self._content.pending

    def flow(self) -> Flow:
        """Whether a value (forward) or a gradient (backward) travels along it now."""
        return self._content.flow

    def set_content(self, content: EdgeContent) -> None:
        """Show ``content`` (the label follows)."""
        self._content = content
        self.setToolTip(content.tooltip)
        if self._label is not None:
            self._label.set_content(content)
        self.setZValue(1.5 if content.current or content.flow else (1 if content.tracked else 0))
        self.update()

    def set_style(self, style: CanvasStyle) -> None:
        """Use new fonts or colours."""
        self._style = style
        if self._label is not None:
            self._label.set_style(style)
        self.update()

    def set_route(self, points: list[QPointF]) -> None:
        """Pass through ``points``: the source's anchor, bend points, the target's anchor."""
        self.prepareGeometryChange()
        self._points = list(points)
        path = QPainterPath(points[0])
        for index, (p, q) in enumerate(zip(points, points[1:], strict=False)):
            if index == len(points) - 2:
                q = QPointF(q.x() - ARROW_LENGTH, q.y())
            dx = (q.x() - p.x()) / 2
            path.cubicTo(QPointF(p.x() + dx, p.y()), QPointF(q.x() - dx, q.y()), q)
        self._path = path

    def route(self) -> list[QPointF]:
        """The points the edge passes through."""
        return list(self._points)

    def point_at_x(self, x: float) -> QPointF:
        """The point of the line at horizontal position ``x`` (the line runs left to right).

        Solved on the segment holding ``x`` from the curve's own formula (each segment is
        the cubic of :meth:`set_route`: ``x`` grows as ``3t - 3t^2 + 2t^3`` of its width,
        ``y`` moves as ``3t^2 - 2t^3``), not by sampling the whole path: a long edge of a
        big graph has many segments, and the scene asks once per label.
        """
        points = [(p.x(), p.y()) for p in self._points]
        if len(points) >= 2:
            qx, qy = points[-1]
            points[-1] = (qx - ARROW_LENGTH, qy)
        if len(points) < 2:
            return QPointF(*points[0])
        last = len(points) - 2
        segment = next((i for i in range(last) if x <= points[i + 1][0]), last)
        (px, py), (qx, qy) = points[segment], points[segment + 1]
        if qx <= px:
            return QPointF(px, py)
        share = min(max((x - px) / (qx - px), 0.0), 1.0)
        low, high = 0.0, 1.0
        for _ in range(40):
            t = (low + high) / 2
            if (3 * t - 3 * t * t + 2 * t ** 3) / 2 < share:
                low = t
            else:
                high = t
        t = (low + high) / 2
        return QPointF(px + (qx - px) * (3 * t - 3 * t * t + 2 * t ** 3) / 2,
                       py + (qy - py) * (3 * t * t - 2 * t ** 3))

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        """The line and its arrowheads."""
        margin = ARROW_LENGTH + 4
        return self._path.boundingRect().adjusted(-margin, -margin, margin + ARROW_LENGTH,
                                                  margin)

    def shape(self) -> QPainterPath:
        """A band along the line, wide enough to hover for the tooltip."""
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self._path)

    def _pen(self) -> QPen:
        theme, c = self._style.theme, self._content
        if c.current or c.flow:
            return QPen(theme.color("current" if c.current else "flow"), 3.0)
        if not c.tracked:
            pen = QPen(theme.color("edge_untracked"), 1.4)
            pen.setStyle(Qt.PenStyle.DashLine)
            return pen
        return QPen(theme.color("edge"), 1.6)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the curve and its arrowhead (and a backward arrow while a gradient flows);
        zoomed out so far that text is unreadable, a plain one-pixel line."""
        pen = self._pen()
        if not text_readable(self._style, option.levelOfDetailFromTransform(
                painter.worldTransform())):
            self.detail = Detail.BOX
            pen.setWidthF(2.0 if self._content.current or self._content.flow else 0.0)
            painter.setPen(pen)
            painter.drawPolyline(QPolygonF(self._points))
            return
        self.detail = Detail.TEXT
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        tip = self._points[-1]
        backward = self._content.flow is Flow.BACKWARD
        tip_color = self._style.theme.color("edge") if backward else pen.color()
        self._arrow(painter, tip, tip_color, pointing_right=True)
        if backward:
            start = self._points[0]
            back_tip = QPointF(start.x() - 2, start.y())
            self._arrow(painter, back_tip, pen.color(), pointing_right=False, scale=1.3)

    @staticmethod
    def _arrow(painter: QPainter, tip: QPointF, color: QColor, pointing_right: bool,
               scale: float = 1.0) -> None:
        length, half = ARROW_LENGTH * scale, ARROW_HALF_WIDTH * scale
        base_x = tip.x() - length if pointing_right else tip.x() + length
        polygon = QPolygonF([tip, QPointF(base_x, tip.y() - half),
                             QPointF(base_x, tip.y() + half)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(polygon)


@dataclass(frozen=True)
class _LabelLine:
    """A line of an edge label: text, or a fraction (numerator over denominator)."""

    text: str
    font: QFont
    denominator: str | None = None

    def size(self, style: CanvasStyle) -> QSizeF:
        if self.denominator is None:
            return QSizeF(style.width(self.font, self.text), style.height(self.font))
        width = max(style.width(self.font, self.text), style.width(self.font, self.denominator))
        return QSizeF(width + 6, 2 * style.height(self.font) + FRACTION_RULE)


class EdgeLabelItem(QGraphicsItem):
    """The local gradient of an edge in a small box (or a ``∂ ?`` placeholder).

    ``∂y_pred/∂w = x = 1.0`` is typeset as a fraction over the formula and the
    number, so that the box stays narrow and the layers can sit close together.
    """

    def __init__(self, edge: EdgeItem):
        super().__init__()
        self.edge = edge
        self._content = edge.content
        self._style = edge._style
        self._size = QSizeF(0, 0)
        self.detail = Detail.NONE
        """What the last paint drew: the label, or nothing (unreadable)."""
        self.setZValue(3)
        self.setToolTip(self._content.tooltip)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._readable = True
        self.setVisible(self.has_label())
        self.update_size()

    def set_content(self, content: EdgeContent) -> None:
        """Show the edge's new state."""
        widest_changed = content.widest_label != self._content.widest_label
        self._content = content
        self.setToolTip(content.tooltip)
        self.setVisible(self.has_label() and self._readable)
        if widest_changed:
            self.update_size()
        self.update()

    def set_style(self, style: CanvasStyle) -> None:
        """Use new fonts or colours."""
        self._style = style
        self.update_size()
        self.update()

    def set_readable(self, readable: bool) -> None:
        """Hide the label while the view is zoomed out too far to read it: a hidden
        item is not even asked to paint (half the paint of a fitted 10,000-node graph)."""
        self._readable = readable
        self.setVisible(self.has_label() and readable)

    def has_label(self) -> bool:
        """True for a tracked edge's label (an arrow into a folded box has none)."""
        return self._content.tracked and self._content.labelled

    def size(self) -> QSizeF:
        """The box's size when the label is revealed."""
        return QSizeF(self._size)

    def update_size(self) -> None:
        """Size the box for the full label, so it does not move when revealed."""
        style = self._style
        lines = self._lines(self._content.widest_label)
        if not lines:
            size = QSizeF(0, 0)
        else:
            sizes = [line.size(style) for line in lines]
            width = max(s.width() for s in sizes)
            height = sum(s.height() for s in sizes) + LINE_GAP * (len(lines) - 1)
            size = QSizeF(width + 2 * LABEL_PADDING, height + 2 * LABEL_PADDING - 2)
        if size != self._size:
            self.prepareGeometryChange()
            self._size = size

    def _lines(self, text: str) -> list[_LabelLine]:
        """The derivative as a fraction, then ``= formula`` and ``= number`` (bold),
        long vectors wrapped."""
        style = self._style
        parts = label_lines(text)
        lines: list[_LabelLine] = []
        for index, part in enumerate(parts):
            font = style.small_bold if index == len(parts) - 1 and index else style.small
            fraction = split_derivative(part) if index == 0 else None
            if fraction is not None:
                numerator, denominator = (style.elided(font, t, self._elide_width())
                                          for t in fraction)
                lines.append(_LabelLine(numerator, font, denominator))
                continue
            for line in style.wrap(font, part, self._wrap_width()):
                lines.append(_LabelLine(style.elided(font, line, self._elide_width()), font))
        return lines

    def _wrap_width(self) -> float:
        return self._style.wrap_width(self._style.small, LABEL_WRAP_CHARS)

    def _elide_width(self) -> float:
        return self._style.wrap_width(self._style.small, LABEL_ELIDE_CHARS)

    def _box(self) -> QRectF:
        w, h = self._size.width(), self._size.height()
        return QRectF(-w / 2, -h / 2, w, h)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        """The label's box."""
        return self._box().adjusted(-3, -3, 3, 3)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the revealed label, or a small placeholder while pending."""
        if not self.has_label():
            return
        if not text_readable(self._style, option.levelOfDetailFromTransform(
                painter.worldTransform())):
            self.detail = Detail.BOX  # hidden: the edge's line says enough
            return
        self.detail = Detail.TEXT
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._content.pending:
            self._paint_placeholder(painter)
            return
        theme, style, c = self._style.theme, self._style, self._content
        box = self._box()
        current, flowing = c.current, c.flow is not Flow.NONE
        if current:
            pen = QPen(theme.color("current"), 2.2)
        elif flowing:
            pen = QPen(theme.color("flow"), 1.6)
        else:
            pen = QPen(theme.color("label_border"), 1.0)
        painter.setPen(pen)
        painter.setBrush(theme.color("current_fill" if current else "label_fill"))
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 6, 6)
        y = box.top() + LABEL_PADDING - 1
        centre = Qt.AlignmentFlag.AlignCenter
        for line in self._lines(c.label):
            painter.setFont(line.font)
            painter.setPen(theme.color("text"))
            height = style.height(line.font)
            painter.drawText(QRectF(box.left(), y, box.width(), height), centre, line.text)
            if line.denominator is not None:
                width = line.size(style).width()
                rule_y = y + height + FRACTION_RULE / 2
                painter.drawLine(QPointF(-width / 2, rule_y), QPointF(width / 2, rule_y))
                y += height + FRACTION_RULE
                painter.drawText(QRectF(box.left(), y, box.width(), height), centre,
                                 line.denominator)
            y += height + LINE_GAP

    def _paint_placeholder(self, painter: QPainter) -> None:
        theme, style = self._style.theme, self._style
        text = "∂ ?"
        width = style.width(style.small_bold, text) + 2 * LABEL_PADDING
        height = style.height(style.small_bold) + 4
        rect = QRectF(-width / 2, -height / 2, width, height)
        pen = QPen(theme.color("pending"), 1.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(theme.color("background"))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(style.small_bold)
        painter.setPen(theme.color("pending"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
