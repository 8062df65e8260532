"""The graph canvas of the Backprop Lab window: pan, zoom, click a node.

``GraphView`` shows one iteration's computational graph and reveals values, local
gradients and gradients as a walkthrough state says. It never computes a number: it
renders the core's snapshots. Keys the window uses for stepping (Space, arrows,
Backspace, Home, End) are left to the window.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from gui_backprop.core.graph import Iteration, NodeKind
from gui_backprop.core.layout import GraphLayout
from gui_backprop.core.walkthrough import WalkState
from gui_backprop.ui.canvas.detail import BIG_GRAPH_NODES, text_readable
from gui_backprop.ui.canvas.edge_item import EdgeItem, EdgeLabelItem
from gui_backprop.ui.canvas.folding_control import StatementFolding
from gui_backprop.ui.canvas.minimap import Minimap
from gui_backprop.ui.canvas.node_item import NodeItem
from gui_backprop.ui.canvas.scene import GraphScene
from gui_backprop.ui.looks.theme import Theme, current_theme

__all__ = ["EdgeItem", "GraphView", "NodeItem", "ViewMode"]

ZOOM_STEP = 1.25
MIN_SCALE = 0.2
MAX_SCALE = 5.0
READABLE_SCALE = 0.8
BSP_TREE_DEPTH = 8  # Qt's automatic depth (log2 of the items) costs 7 s at 10,000 nodes
MAX_FIT_SCALE = 1.3
WINDOW_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right,
                         Qt.Key.Key_Backspace, Qt.Key.Key_Home, Qt.Key.Key_End})


class ViewMode(StrEnum):
    """How the view picks its zoom when the graph or the window size changes.

    AUTO (the default for a new graph): fit the graph, but never below a readable
    scale; a wider graph scrolls to follow the current step. A big graph (more than
    ``BIG_GRAPH_NODES`` nodes) is fitted whole: zoomed out, it is drawn in plain boxes.
    FIT_ALL (after :meth:`GraphView.fit_to_window`): always show everything. MANUAL
    (after zooming): keep the learner's zoom.
    """

    AUTO = "auto"
    FIT_ALL = "fit_all"
    MANUAL = "manual"


class GraphView(QGraphicsView):
    """The computational graph of the current lesson, revealed step by step."""

    node_activated = Signal(int)
    """A node was clicked; carries the node's id."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphView")
        self.setAccessibleName("Computational graph")
        self._scene = GraphScene(self)
        # The long straight edges of a big graph cross much of the scene, and Qt puts an
        # item in every leaf of the index it overlaps: building the index of a
        # 10,000-node graph took 7.4 s CPU at the automatic depth, 1.0 s at 8, with
        # zoomed-in paints as fast (no index: 0.31 s a paint instead of 0.04 s).
        self._scene.setBspTreeDepth(BSP_TREE_DEPTH)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # every item sets its own pen, brush and hints; its bounding rect has room for them
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState
                                  | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.minimap = Minimap(self)
        self.folding = StatementFolding(self)  # a big graph's statements: click to expand
        self.folding.changed.connect(self._folding_shown)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 160)
        self._press_pos: QPoint | None = None
        self._mode = ViewMode.AUTO
        self._font_key = QFont(self.font()).toString()
        self._labels_readable = True
        self._apply_theme(current_theme())

    # -- content --
    def show_iteration(self, iteration: Iteration, state: WalkState | None = None,
                       layout: GraphLayout | None = None) -> None:
        """Show a graph; rebuilds items only when the structure (node ids/ops/edges) changed,
        else updates texts. ``layout``: its layout if computed already (off the GUI thread)."""
        rebuilt = self._scene.set_iteration(iteration, state, layout)
        if rebuilt:
            self.folding.cancel()
            self._mode = ViewMode.AUTO
            self.minimap.setVisible(self.is_big())
        self._refit()
        self._zoom_changed(rebuilt)
        self._follow_current()
        self.minimap.refresh()  # the layout may change with the texts' widths
        self.setAccessibleDescription(self._scene.describe())

    def show_state(self, state: WalkState) -> None:
        """Reveal what the state says: values of ``state.values``, gradients of
        ``state.grads``, local gradients of ``state.local_grads``; highlight the current
        step's node or edge; everything not yet revealed is shown as a grey ``?``.

        The state must belong to the iteration shown: when ``state.iteration`` changes,
        call :meth:`show_iteration` with that iteration instead."""
        self._scene.set_state(state)
        self._follow_current()
        self.minimap.follow_state()
        self.setAccessibleDescription(self._scene.describe())

    @property
    def iteration(self) -> Iteration | None:
        """The iteration the canvas shows (``None`` before any)."""
        return self._scene.iteration

    def node_item(self, node_id: int) -> NodeItem:
        """The item drawing node ``node_id``."""
        return self._scene.nodes[node_id]

    def edge_item(self, edge_id: int) -> EdgeItem:
        """The item drawing edge ``edge_id``."""
        return self._scene.edges[edge_id]

    def node_items(self) -> dict[int, NodeItem]:
        """Every node item by node id."""
        return dict(self._scene.nodes)

    def edge_items(self) -> dict[int, EdgeItem]:
        """Every edge item by edge id."""
        return dict(self._scene.edges)

    def is_big(self) -> bool:
        """True for a graph of more than ``BIG_GRAPH_NODES`` nodes: it opens fitted whole
        and has an overview."""
        return len(self._scene.nodes) > BIG_GRAPH_NODES

    def shows_text(self) -> bool:
        """True when the zoom is large enough for the items to draw their text."""
        return text_readable(self._scene.canvas_style, self.zoom())

    def _zoom_changed(self, rebuilt: bool = False) -> None:
        """Show the edge labels only where they can be read; move the overview's
        rectangle."""
        readable = self.shows_text()
        if rebuilt or readable != self._labels_readable:
            self._labels_readable = readable
            for edge in self._scene.edges.values():
                edge.set_label_readable(readable)
        self.minimap.update()

    # -- zoom and pan --
    def zoom(self) -> float:
        """The current scale factor (1.0 = natural size)."""
        return self.transform().m11()

    def view_mode(self) -> ViewMode:
        """How the view chooses its zoom (see :class:`ViewMode`)."""
        return self._mode

    def zoom_in(self) -> None:
        """Enlarge by one step, around the centre of the view."""
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        """Shrink by one step, around the centre of the view."""
        self._zoom_by(1 / ZOOM_STEP)

    def reset_zoom(self) -> None:
        """Back to natural size (1:1), centred on the graph."""
        self._mode = ViewMode.MANUAL
        self.resetTransform()
        self.centerOn(self._scene.sceneRect().center())
        self._zoom_changed()

    def fit_to_window(self) -> None:
        """Show the whole graph with a margin (never magnified beyond a comfortable size)."""
        self._mode = ViewMode.FIT_ALL
        self._fit(self._smallest_scale())

    def visible_scene_rect(self) -> QRectF:
        """The part of the scene the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def _refit(self) -> None:
        if self._mode is ViewMode.AUTO:
            self._fit(self._smallest_scale() if self.is_big() else READABLE_SCALE)
        elif self._mode is ViewMode.FIT_ALL:
            self._fit(self._smallest_scale())

    def _fitting_scale(self) -> float | None:
        """The scale showing the whole scene, ``None`` while there is nothing to fit."""
        rect = self._scene.sceneRect()
        viewport = self.viewport().rect()
        if rect.isEmpty() or viewport.width() <= 0 or viewport.height() <= 0:
            return None
        return min(viewport.width() / rect.width(), viewport.height() / rect.height())

    def _smallest_scale(self) -> float:
        """How far one may zoom out: ``MIN_SCALE``, or further for a big graph, so that
        it fits whole."""
        fitting = self._fitting_scale()
        if fitting is None or not self.is_big():
            return MIN_SCALE
        return min(MIN_SCALE, fitting)

    def _fit(self, smallest: float) -> None:
        scale = self._fitting_scale()
        if scale is None:
            return
        rect = self._scene.sceneRect()
        scale = max(smallest, min(scale, MAX_FIT_SCALE))
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        self._zoom_changed()

    def _follow_current(self) -> None:
        """Scroll the current step into view when the graph does not fit."""
        focus = self._scene.focus_rect()
        if focus is None:
            if self._mode is ViewMode.AUTO:
                self._show_start()
            return
        margin_x = max(24, self.viewport().width() // 6)
        self.ensureVisible(focus, margin_x, 24)

    def _show_start(self) -> None:
        """Before the first step, a graph too big to read whole shows where the walk
        starts: its first operation with the values it takes (the parameters and data),
        centred; the steps then scroll the view along."""
        rect = self._scene.sceneRect()
        visible = self.visible_scene_rect()
        iteration = self._scene.iteration
        if iteration is None or (visible.width() >= rect.width() - 1  # 1: rounding
                                 and visible.height() >= rect.height() - 1):
            return
        first = next((node for node in iteration.nodes
                      if node.kind is NodeKind.OPERATION), None)
        if first is None:
            return
        start = area = self.node_item(first.id).sceneBoundingRect()
        inputs = sorted((self.node_item(edge.source).sceneBoundingRect()
                         for edge in iteration.inputs_of(first.id)), key=lambda r: -r.right())
        for rect in inputs:  # the nearest first, each whole or not at all
            wider = area.united(rect)
            if wider.width() + 24 <= visible.width() and wider.height() + 24 <= visible.height():
                area = wider
        if area == start and inputs:  # none fits whole: the operation at the right, and
            # as much of its inputs as fits at its left
            self.centerOn(start.right() + 12 - visible.width() / 2, start.center().y())
        else:
            self.centerOn(area.center())

    def _zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Scale by ``factor`` keeping the scene point under ``anchor`` (a viewport
        position; the centre when ``None``) where it is."""
        target = max(self._smallest_scale(), min(MAX_SCALE, self.zoom() * factor))
        factor = target / self.zoom()
        if abs(factor - 1) < 1e-9:
            return
        self._mode = ViewMode.MANUAL
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        fixed = self.mapToScene(anchor.toPoint())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        moved = self.mapFromScene(fixed) - anchor.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self._zoom_changed()

    # -- fonts and colours --
    def apply_font(self, font: QFont) -> None:
        """Scale the canvas's texts to ``font`` (the window's font-size setting)."""
        self._font_key = QFont(font).toString()
        self._scene.set_font(font)
        self._refit()
        self._zoom_changed(rebuilt=True)
        self.minimap.refresh()

    def apply_theme(self, theme: Theme) -> None:
        """Use ``theme``'s colours (follows the application palette by default)."""
        self._apply_theme(theme)

    def theme(self) -> Theme:
        """The colours in use."""
        return self._scene.canvas_style.theme

    def _apply_theme(self, theme: Theme) -> None:
        self.setBackgroundBrush(theme.color("background"))
        self._scene.set_theme(theme)
        self.minimap.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow the application's font and palette (dark mode)."""
        kind = event.type()
        if kind in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            font = self.font()
            if font.toString() != self._font_key:
                self.apply_font(font)
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            theme = current_theme()
            if theme != self.theme():
                self._apply_theme(theme)
        super().changeEvent(event)

    # -- input --
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Keep the whole graph in view while the learner has not zoomed by hand."""
        super().resizeEvent(event)
        if self._mode is not ViewMode.MANUAL:
            self._refit()
            self._follow_current()
        self.minimap.place()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt override)
        """Scroll, and move the overview's rectangle along."""
        super().scrollContentsBy(dx, dy)
        self.minimap.update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        """Zoom around the mouse pointer."""
        delta = event.angleDelta().y()
        if delta == 0:
            event.ignore()
            return
        self._zoom_by(ZOOM_STEP ** (delta / 120), event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Leave the stepping keys to the window; Enter expands or folds the current
        step's statement; the rest scroll the view as usual."""
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in WINDOW_KEYS and plain:
            event.ignore()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain \
                and self.folding.toggle_current():  # the current step's statement
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Remember where a possible click started (dragging pans the view)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A press and release at the same spot on a node activates that node."""
        super().mouseReleaseEvent(event)
        event.accept()
        start, self._press_pos = self._press_pos, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if (pos - start).manhattanLength() > QApplication.startDragDistance():
            return
        node_id = self.node_at(pos)
        if node_id is None:
            self.folding.fold_at(self.mapToScene(pos))  # a frame's tab folds its statement
        elif not self.folding.expand(node_id):  # a folded statement's box expands
            self.node_activated.emit(node_id)

    def _folding_shown(self) -> None:
        """A statement was expanded or folded: new items, a new layout."""
        self._zoom_changed(rebuilt=True)
        self.minimap.refresh()
        self.setAccessibleDescription(self._scene.describe())

    def node_at(self, pos: QPoint) -> int | None:
        """The id of the node under viewport position ``pos``, if any."""
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item.node_id
            if isinstance(item, EdgeLabelItem) and item.isVisible():
                return None
        return None
