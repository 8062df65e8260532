"""The marks of an expanded statement of a folded graph, with a tab that folds it.

When the learner expands a statement's box, its operations are drawn as nodes again;
a tinted outline around each of them, behind the cards, says which nodes were the box,
and a tab above the statement's result node (``▾ h5 = tanh(…)``, where the box was)
folds them back into one box when clicked. The nodes of a statement are often far
apart (each sits near its own inputs), so there is no single frame around them all:
it would cover half the graph.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui_backprop.ui.canvas.detail import text_readable
from gui_backprop.ui.canvas.style import CanvasStyle

FRAME_MARGIN = 8.0
TAB_PADDING = 6.0
FOLD_MARK = "▾ "


class StatementFrame(QGraphicsItem):
    """Outlines around an expanded statement's nodes and a tab titled ``title`` above
    its result; ``statement`` is the index of the statement it marks."""

    def __init__(self, statement: int, title: str, style: CanvasStyle):
        super().__init__()
        self.statement = statement
        self._title = title
        self._style = style
        self._rect = QRectF()  # the result node's outline: the tab sits on it
        self._outlines: list[QRectF] = []
        self._bounds = QRectF()
        self.setZValue(-1)  # behind edges and nodes
        self.setToolTip(f"{title}: click the tab to fold this statement into one box")

    def title_text(self) -> str:
        """What the tab says (``▾ h5 = tanh(…)``)."""
        return FOLD_MARK + self._style.elided(self._style.small_bold, self._title)

    def set_style(self, style: CanvasStyle) -> None:
        """Use new fonts or colours."""
        self.prepareGeometryChange()
        self._style = style

    def frame(self, cards: list[QRectF], result: QRectF) -> None:
        """Outline ``cards`` (the statement's nodes, scene coordinates); the tab goes
        above ``result`` (its result node's card)."""
        self.prepareGeometryChange()
        grow = (-FRAME_MARGIN, -FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        self._outlines = [card.adjusted(*grow) for card in cards]
        self._rect = result.adjusted(*grow)
        self._bounds = QRectF(self._rect)
        for outline in self._outlines:
            self._bounds = self._bounds.united(outline)
        self._bounds = self._bounds.united(self.tab_rect())

    def outlines(self) -> list[QRectF]:
        """The outlines around the statement's nodes (item = scene coordinates: the item
        stays at the origin)."""
        return list(self._outlines)

    def tab_rect(self) -> QRectF:
        """The clickable tab above the result node's outline, at its left."""
        style = self._style
        height = style.height(style.small_bold) + TAB_PADDING
        width = style.width(style.small_bold, self.title_text()) + 2 * TAB_PADDING
        return QRectF(self._rect.left(), self._rect.top() - height, width, height)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        """The outlines and the tab."""
        return self._bounds.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Faint outlines with a dashed border; the tab with its title when readable."""
        theme, style = self._style.theme, self._style
        border = QColor(theme.color("current"))
        fill = QColor(border)
        fill.setAlpha(18)
        pen = QPen(border, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(fill)
        for outline in self._outlines:
            painter.drawRoundedRect(outline, 12, 12)
        tab = self.tab_rect()
        painter.setPen(QPen(border, 1.2))
        painter.setBrush(theme.color("label_fill"))
        painter.drawRoundedRect(tab, 6, 6)
        if text_readable(style, option.levelOfDetailFromTransform(painter.worldTransform())):
            painter.setFont(style.small_bold)
            painter.setPen(theme.color("text"))
            painter.drawText(tab.adjusted(TAB_PADDING, 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.title_text())

    def tab_contains(self, point: QPointF) -> bool:
        """True when scene point ``point`` is on the tab."""
        return self.tab_rect().contains(point)
