"""The scene behind the graph canvas: one item per node and edge, placed by the layout.

Items are created when the graph's structure changes and only updated otherwise (in
the manner of orange-canvas-core's scene, which keeps a dict from model node to
item). Geometry comes from :func:`gui_backprop.core.layout.compute_layout`, scaled by
the items' real sizes so that edge labels get the room they need between layers.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QGraphicsScene

from gui_backprop.core.folding import (
    FoldedEdge,
    FoldedGraph,
    Unit,
    fits,
    fold_statements,
    result_node,
    should_fold,
)
from gui_backprop.core.graph import Iteration
from gui_backprop.core.layout import GraphLayout, compute_layout, spread
from gui_backprop.core.walkthrough import WalkState
from gui_backprop.ui.canvas.content import EdgeContent, NodeContent, edge_content, node_content
from gui_backprop.ui.canvas.edge_item import EdgeItem
from gui_backprop.ui.canvas.folded_content import arrow_content, box_content, widest_inside
from gui_backprop.ui.canvas.node_item import NodeItem
from gui_backprop.ui.canvas.statement_frame import StatementFrame
from gui_backprop.ui.canvas.style import CanvasStyle
from gui_backprop.ui.looks.theme import Theme, current_theme

ROW_GAP = 40.0
MIN_LAYER_GAP = 64.0
LABEL_MARGIN = 12.0
LABEL_SEPARATION = 8.0
SCENE_MARGIN = 24.0
BEND_COLUMN_WIDTH = 24.0


@contextmanager
def _no_collection():
    """Python's cyclic garbage collector paused: building thousands of items would set
    off full collections of a heap that holds torch (a fifth of a big graph's build);
    the items are freed by reference counting anyway."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _node_key(unit) -> tuple[int, ...]:
    """The node ids an item draws (a unit's members, or a node of the iteration)."""
    return unit.members if isinstance(unit, Unit) else (unit.id,)


def _edge_key(edge) -> tuple:
    """The edge ids of the iteration an arrow draws, and whether it has a label."""
    if isinstance(edge, FoldedEdge):
        return edge.originals, edge.labelled
    return (edge.id,), True


def structure_of(iteration: Iteration) -> tuple:
    """What decides the items and the layout: node ids and operations, and the edges."""
    return (tuple((n.id, n.kind, n.op) for n in iteration.nodes),
            tuple((e.id, e.source, e.target, e.position) for e in iteration.edges),
            iteration.output)


class GraphScene(QGraphicsScene):
    """Nodes and edges of one iteration, showing what a walkthrough state reveals.

    A big iteration (:func:`~gui_backprop.core.folding.should_fold`) is shown with its
    statements folded (``folded``): then ``nodes`` holds a box per folded statement (by
    its result node's id) and the nodes of expanded statements, and ``edges`` the
    arrows of the folded graph (by their index there). ``shown`` is what the items
    draw: the iteration, or its folded graph.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.canvas_style = CanvasStyle(current_theme(), QApplication.font())
        self.iteration: Iteration | None = None
        self.state: WalkState | None = None
        self.graph_layout: GraphLayout | None = None
        self.folded: FoldedGraph | None = None
        self.nodes: dict[int, NodeItem] = {}
        self.edges: dict[int, EdgeItem] = {}
        self._node_keys: dict[int, tuple[int, ...]] = {}  # item -> the node ids it draws
        self._edge_keys: dict[int, tuple] = {}  # item -> the edge ids it draws
        self._widest_inside: dict[int, str] = {}  # box -> folded_content.widest_inside
        self.frames: dict[int, StatementFrame] = {}  # expanded statement -> its frame
        self._framed: dict[int, list[int]] = {}  # expanded statement -> its nodes
        self._structure: tuple | None = None

    @property
    def structure(self) -> tuple | None:
        """What decides the items of the iteration shown (see :func:`structure_of`)."""
        return self._structure

    @property
    def shown(self) -> Iteration | FoldedGraph | None:
        """What the items draw: the folded graph of a big iteration, else the iteration."""
        return self.folded if self.folded is not None else self.iteration

    def set_iteration(self, iteration: Iteration, state: WalkState | None,
                      layout: GraphLayout | None = None) -> bool:
        """Show ``iteration`` at ``state``; True when the items were rebuilt. ``layout``:
        the layout it opens with when computed already (off the GUI thread)."""
        structure = structure_of(iteration)
        rebuild = structure != self._structure
        if iteration is not self.iteration:
            self._widest_inside = {}  # new values: new widest texts
        self.iteration, self.state = iteration, state
        with _no_collection():
            if rebuild:
                self._build(iteration, structure, layout)
            else:
                self._refresh_contents()
            self.relayout()
        return rebuild

    def set_folding(self, folded: FoldedGraph, layout: GraphLayout) -> None:
        """Show the iteration folded as ``folded`` (laid out as ``layout``): the items of
        units and arrows that stay are kept, the others made or removed."""
        self.folded, self.graph_layout = folded, layout
        with _no_collection():
            self._sync_items()
            self.relayout()

    def set_state(self, state: WalkState) -> None:
        """Reveal what ``state`` says on the current items; laid out again if an item's
        size changed (they are sized for the whole trace, so that should not happen, but
        a column or gap sized for the old size would let a label cover a node)."""
        self.state = state
        sizes = self._item_sizes()
        self._refresh_contents()
        if self._item_sizes() != sizes:
            self.relayout()

    def _item_sizes(self) -> list[tuple[float, float]]:
        """Each node's and each edge label's size (what the columns and gaps follow)."""
        sizes = [(n.size().width(), n.size().height()) for n in self.nodes.values()]
        sizes += [(e.label.size().width(), e.label.size().height())
                  for e in self.edges.values() if e.has_label()]
        return sizes

    def set_font(self, font: QFont) -> None:
        """Derive the canvas fonts from ``font`` and lay the graph out again."""
        self.canvas_style.set_font(font)
        self._restyle()

    def set_theme(self, theme: Theme) -> None:
        """Use ``theme``'s colours."""
        self.canvas_style.theme = theme
        self._restyle()

    def _restyle(self) -> None:
        for item in self.nodes.values():
            item.set_style(self.canvas_style)
        for edge in self.edges.values():
            edge.set_style(self.canvas_style)
        for frame in self.frames.values():
            frame.set_style(self.canvas_style)
        self.relayout()

    def _build(self, iteration: Iteration, structure: tuple,
               layout: GraphLayout | None = None) -> None:
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self._node_keys.clear()
        self._edge_keys.clear()
        self.frames.clear()
        self._structure = structure
        self.folded = fold_statements(iteration) if should_fold(iteration) else None
        if self.folded is not None and not fits(self.folded, layout):
            layout = None  # not the folded graph's (a caller's full layout)
        self.graph_layout = layout or compute_layout(self.shown)
        self._sync_items()

    def _sync_items(self) -> None:
        """Items for what is shown: kept where they draw the same nodes, else new."""
        shown = self.shown
        old_nodes = self.nodes
        old_edges = {self._edge_keys[edge_id]: item for edge_id, item in self.edges.items()}
        self.nodes, self.edges, self._edge_keys = {}, {}, {}
        for unit in shown.nodes:
            key = _node_key(unit)
            item = old_nodes.pop(unit.id, None)
            if item is None or self._node_keys.get(unit.id) != key:
                if item is not None:
                    self.removeItem(item)
                item = NodeItem(unit.id, self._node_content(unit), self.canvas_style)
                self.addItem(item)
                self._node_keys[unit.id] = key
            self.nodes[unit.id] = item
        for item in old_nodes.values():
            self.removeItem(item)
            del self._node_keys[item.node_id]
        for edge in shown.edges:
            item = old_edges.pop(_edge_key(edge), None)
            if item is None:
                item = EdgeItem(edge.id, self._edge_content(edge), self.canvas_style)
                self.addItem(item)
                if item.has_label():  # an arrow into a box has none
                    self.addItem(item.label)
            item.edge_id = edge.id
            self.edges[edge.id] = item
            self._edge_keys[edge.id] = _edge_key(edge)
        for item in old_edges.values():
            self.removeItem(item)
            if item.has_label():
                self.removeItem(item.label)
        self._sync_frames()

    def _sync_frames(self) -> None:
        """Outlines and a fold tab for each expanded statement of more than one node."""
        self._framed = {}
        if self.folded is not None:
            for unit in self.folded.nodes:
                if unit.statement in self.folded.expanded:
                    self._framed.setdefault(unit.statement, []).append(unit.id)
        self._framed = {s: ids for s, ids in self._framed.items() if len(ids) > 1}
        for statement in [s for s in self.frames if s not in self._framed]:
            self.removeItem(self.frames.pop(statement))
        for statement, ids in self._framed.items():
            if statement not in self.frames:
                result = self.iteration.nodes[result_node(self.iteration, tuple(ids))]
                title = (f"{result.name} = {result.expression}" if result.name
                         else result.expression)
                self.frames[statement] = StatementFrame(statement, title, self.canvas_style)
                self.addItem(self.frames[statement])

    def _node_content(self, unit) -> NodeContent:
        it = self.iteration
        if isinstance(unit, Unit) and unit.folded:
            widest = self._widest_inside.get(unit.id)
            if widest is None:
                widest = self._widest_inside[unit.id] = widest_inside(it, unit)
            return box_content(it, unit, self.state, widest)
        return node_content(it, it.nodes[unit.id], self.state)

    def _edge_content(self, edge) -> EdgeContent:
        if isinstance(edge, FoldedEdge):
            return arrow_content(self.iteration, edge, self.state)
        return edge_content(self.iteration, edge, self.state)

    def _refresh_contents(self) -> None:
        shown = self.shown
        if shown is None:
            return
        for unit in shown.nodes:
            self.nodes[unit.id].set_content(self._node_content(unit))
        for edge in shown.edges:
            self.edges[edge.id].set_content(self._edge_content(edge))

    # -- geometry --
    def relayout(self) -> None:
        """Place nodes, route edges and set labels apart, from the items' current sizes."""
        it, layout = self.shown, self.graph_layout
        if it is None or layout is None:
            return
        columns = self._column_widths(layout)
        row_unit = max((n.size().height() for n in self.nodes.values()), default=40) + ROW_GAP
        gaps = self._gap_widths(it, layout, len(columns))
        lefts = [0.0]
        for index in range(len(columns) - 1):
            lefts.append(lefts[-1] + columns[index] + gaps[index])
        for node_id, (layer, row) in layout.positions.items():
            layer = int(layer)
            self.nodes[node_id].setPos(lefts[layer] + columns[layer] / 2, row * row_unit)
        slots = self._anchor_slots(it)
        for edge in it.edges:
            bends = []
            for layer, row in layout.bends[edge.id]:
                layer = int(layer)
                bends += [QPointF(lefts[layer], row * row_unit),
                          QPointF(lefts[layer] + columns[layer], row * row_unit)]
            self.edges[edge.id].set_route([self._anchor(edge.id, slots, source=True), *bends,
                                           self._anchor(edge.id, slots, source=False)])
        self._place_labels(it, layout, lefts, gaps)
        for statement, ids in self._framed.items():
            cards = {i: self.nodes[i].mapRectToScene(self.nodes[i].card_rect()) for i in ids}
            result = result_node(self.iteration, tuple(ids))
            self.frames[statement].frame(list(cards.values()), cards[result])
        rect = self.itemsBoundingRect()
        self.setSceneRect(rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN,
                                        SCENE_MARGIN))

    def content_rect(self) -> QRectF:
        """The rectangle holding every node, edge and label."""
        return self.itemsBoundingRect()

    def describe(self) -> str:
        """A sentence for screen readers: the graph's size and what the current step shows."""
        text = f"{len(self.nodes)} nodes and {len(self.edges)} edges."
        if self.folded is not None:
            boxes = sum(1 for unit in self.folded.nodes if unit.folded)
            text = (f"{len(self.iteration.nodes)} nodes, {boxes} statements folded into "
                    f"boxes: {len(self.nodes)} boxes and nodes, {len(self.edges)} arrows.")
        for node in self.nodes.values():
            if node.is_current():
                parts = [node.title_text(), node.value_text(), node.grad_text()]
                text += " Current: " + ", ".join(p for p in parts if p) + "."
        for edge in self.edges.values():
            if edge.is_current():
                text += f" Current: {edge.label_text()}."
        return text

    def focus_rect(self) -> QRectF | None:
        """Where the current step is: its node (with the labels of flowing edges) or
        its edge's label; ``None`` before the first step."""
        rect = None
        for node in self.nodes.values():
            if node.is_current():
                rect = node.sceneBoundingRect()
        for edge in self.edges.values():
            if (edge.is_current() or edge.flow()) and edge.has_label():
                label = edge.label.sceneBoundingRect()
                rect = label if rect is None else rect.united(label)
        return rect

    def _column_widths(self, layout: GraphLayout) -> list[float]:
        count = 1 + int(max((x for x, _ in layout.positions.values()), default=0))
        widths = [BEND_COLUMN_WIDTH] * count
        for node_id, (layer, _row) in layout.positions.items():
            widths[int(layer)] = max(widths[int(layer)], self.nodes[node_id].size().width())
        return widths

    def _gap_widths(self, it, layout: GraphLayout, count: int) -> list[float]:
        gaps = [MIN_LAYER_GAP] * max(0, count - 1)
        for edge in it.edges:
            item = self.edges[edge.id]
            if not item.has_label():
                continue
            label = item.label
            gap = int(layout.positions[edge.target][0]) - 1
            gaps[gap] = max(gaps[gap], label.size().width() + 2 * LABEL_MARGIN)
        return gaps

    def _anchor_slots(self, it) -> dict[tuple[int, bool], tuple[int, int]]:
        """(edge id, at its source) -> (its place, how many) among the edges at that side
        of the node: outputs in the order of the rows they go to, inputs by operand."""
        slots = {}
        for node_id in self.nodes:
            uses = sorted(it.uses_of(node_id), key=lambda e: (self._first_step_row(e.id), e.id))
            slots.update(((e.id, True), (i, len(uses))) for i, e in enumerate(uses))
            inputs = sorted(it.inputs_of(node_id), key=lambda e: e.position)
            slots.update(((e.id, False), (i, len(inputs))) for i, e in enumerate(inputs))
        return slots

    def _anchor(self, edge_id: int, slots: dict, source: bool) -> QPointF:
        """Where an edge leaves its source (right side) or enters its target (left side).

        Several edges at one side are spread vertically, in the order of the nodes at
        their other ends, so they do not start or end on top of each other.
        """
        edge = self.shown.edges[edge_id]
        item = self.nodes[edge.source if source else edge.target]
        index, count = slots[edge_id, source]
        height = item.size().height()
        spacing = min(14.0, height * 0.6 / max(1, count))
        offset = (index - (count - 1) / 2) * spacing
        half = item.size().width() / 2
        x = item.pos().x() + (half if source else -half)
        return QPointF(x, item.pos().y() + offset)

    def _first_step_row(self, edge_id: int) -> float:
        bends = self.graph_layout.bends[edge_id]
        if bends:
            return bends[0][1]
        return self.graph_layout.positions[self.shown.edges[edge_id].target][1]

    def _place_labels(self, it, layout: GraphLayout, lefts: list[float],
                      gaps: list[float]) -> None:
        by_gap: dict[int, list[tuple[float, EdgeItem]]] = {}
        for edge in it.edges:
            item = self.edges[edge.id]
            if not item.has_label():
                continue
            layer = int(layout.positions[edge.target][0])
            x = lefts[layer] - gaps[layer - 1] / 2
            y = item.point_at_x(x).y()
            item.label.setPos(x, y)
            by_gap.setdefault(layer, []).append((y, item))
        for labels in by_gap.values():
            labels.sort(key=lambda pair: (pair[0], pair[1].edge_id))
            heights = [item.label.size().height() for _, item in labels]
            separations = [(a + b) / 2 + LABEL_SEPARATION
                           for a, b in zip(heights, heights[1:], strict=False)]
            placed = spread([y for y, _ in labels], separations)
            for y, (_, item) in zip(placed, labels, strict=True):
                item.label.setPos(item.label.pos().x(), y)

    def render(self, painter, *args) -> None:
        """Render with every label shown (a picture is read at its own scale, whatever
        the view's zoom hides)."""
        hidden = [e.label for e in self.edges.values()
                  if e.has_label() and not e.label.isVisible()]
        for label in hidden:
            label.set_readable(True)
        try:
            super().render(painter, *args)
        finally:
            for label in hidden:
                label.set_readable(False)
