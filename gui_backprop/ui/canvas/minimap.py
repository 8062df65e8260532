"""The overview of a big graph: the whole graph small, in a corner of the canvas, with
the part the view shows as a rectangle; a click or a drag on it moves the view there.

It draws the nodes as boxes and the edges as lines from the scene's items' positions
(never asking the items to paint), into a pixmap made again only when the graph, its
layout or the colours change; a step moves a mark on the current step, moving the view
repaints just the pixmap and the rectangle.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsView, QWidget

MAX_SIZE = QSize(220, 150)
MARGIN = 10  # from the viewport's corner
BORDER = 1


class Minimap(QWidget):
    """The overview of ``view``'s graph, shown over the bottom-right corner of its viewport."""

    def __init__(self, view: QGraphicsView):
        # a GraphView (not imported: it imports this module); it gives the scene, the
        # visible part (visible_scene_rect) and the colours (theme)
        super().__init__(view)
        self.setObjectName("graphMinimap")
        self.setAccessibleName("Graph overview")
        self.setToolTip("Overview of the whole graph: click or drag to move the view")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._view = view
        self._pixmap = QPixmap()
        self._scene_rect = QRectF()
        self._focus: QRectF | None = None  # the current step, on the overview
        self.hide()

    # -- geometry --
    def place(self) -> None:
        """Size to the graph's proportions and sit in the viewport's bottom-right corner."""
        scene = self._view.scene().sceneRect()
        if scene.isEmpty():
            return
        scale = min(MAX_SIZE.width() / scene.width(), MAX_SIZE.height() / scene.height())
        size = QSize(max(40, round(scene.width() * scale)) + 2 * BORDER,
                     max(30, round(scene.height() * scale)) + 2 * BORDER)
        viewport = self._view.viewport().geometry()
        self.setGeometry(viewport.right() - size.width() - MARGIN,
                         viewport.bottom() - size.height() - MARGIN,
                         size.width(), size.height())
        self.raise_()

    def _inner(self) -> QRectF:
        return QRectF(self.rect()).adjusted(BORDER, BORDER, -BORDER, -BORDER)

    def _to_map(self) -> tuple[float, QPointF]:
        """(scale, offset): a scene point p is at ``offset + p * scale`` on the map."""
        scene, inner = self._scene_rect, self._inner()
        scale = min(inner.width() / scene.width(), inner.height() / scene.height())
        offset = QPointF(inner.center().x() - scene.center().x() * scale,
                         inner.center().y() - scene.center().y() * scale)
        return scale, offset

    def map_from_scene(self, rect: QRectF) -> QRectF:
        """Where scene rectangle ``rect`` is on the overview (widget coordinates)."""
        scale, offset = self._to_map()
        return QRectF(offset + rect.topLeft() * scale, rect.size() * scale)

    def scene_point_at(self, pos: QPointF) -> QPointF:
        """The scene point under overview position ``pos``."""
        scale, offset = self._to_map()
        return (pos - offset) / scale

    def viewport_rect(self) -> QRectF:
        """The rectangle showing the view's visible part (widget coordinates)."""
        return self.map_from_scene(self._view.visible_scene_rect()).intersected(self._inner())

    # -- drawing --
    def refresh(self) -> None:
        """Draw the graph again (its structure, layout or colours changed)."""
        scene = self._view.scene()
        self._scene_rect = QRectF(scene.sceneRect())
        if self._scene_rect.isEmpty() or not self.isVisible():
            self._pixmap = QPixmap()
            return
        self.place()
        theme = self._view.theme()
        pixmap = QPixmap(self.size())
        pixmap.fill(theme.color("background"))
        painter = QPainter(pixmap)
        painter.setPen(QPen(theme.color("edge_untracked"), 0))
        scale, offset = self._to_map()
        for edge in scene.edges.values():
            route = edge.route()
            painter.drawLine(offset + route[0] * scale, offset + route[-1] * scale)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("node_border"))
        for node in scene.nodes.values():
            box = self.map_from_scene(node.sceneBoundingRect())
            painter.drawRect(box.adjusted(0, 0, max(0.0, 1.5 - box.width()),
                                          max(0.0, 1.5 - box.height())))
        painter.end()
        self._pixmap = pixmap
        self.follow_state()

    def follow_state(self) -> None:
        """Mark where the current step is (the graph's drawing stays)."""
        focus = self._view.scene().focus_rect() if self.isVisible() else None
        self._focus = None if focus is None else self.map_from_scene(focus)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """The graph, a frame, and the viewport's rectangle."""
        painter = QPainter(self)
        theme = self._view.theme()
        if not self._pixmap.isNull():
            painter.drawPixmap(0, 0, self._pixmap)
        frame = QColor(theme.color("label_border"))
        painter.setPen(QPen(frame, BORDER))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        if self._scene_rect.isEmpty():
            return
        if self._focus is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.color("current"))
            centre = self._focus.center()
            painter.drawRect(QRectF(centre.x() - 2, centre.y() - 2, 4, 4))
        shade = QColor(theme.color("current"))
        shade.setAlpha(40)
        painter.setBrush(shade)
        painter.setPen(QPen(theme.color("current"), 1.5))
        painter.drawRect(self.viewport_rect())

    # -- input --
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Centre the view on the point clicked."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._move_view(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Dragging keeps the view centred under the pointer."""
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._move_view(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Keep the release from reaching the canvas (it would count as a click there)."""
        event.accept()

    def _move_view(self, pos: QPointF) -> None:
        if not self._scene_rect.isEmpty():
            self._view.centerOn(self.scene_point_at(pos))
