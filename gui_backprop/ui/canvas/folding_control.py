"""Expanding and folding a big graph's statements on the canvas (issue 13, goal 4).

A click on a folded statement's box expands it into its operations; a click on the
tab of an expanded statement's frame folds it back; Enter on the canvas does either
for the statement of the current step. The new folded graph is laid out
on a thread of a pool of its own (a few hundred units: 0.1--0.2 s, which would
stutter on the GUI thread), the newest request only; when it arrives the scene keeps
the items that stay, and the view is scrolled so that the box clicked (its result
node after expanding) stays where it was on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QGraphicsView

from gui_backprop.core.folding import FoldedGraph, fold_statements, result_node
from gui_backprop.core.layout import LayoutCancelled, compute_layout
from gui_backprop.ui.canvas.statement_frame import StatementFrame


class _LayoutJob(QRunnable):
    def __init__(self, owner: StatementFolding, generation: int, folded: FoldedGraph):
        super().__init__()
        self.owner, self.generation, self.folded = owner, generation, folded

    def run(self) -> None:
        owner, generation = self.owner, self.generation
        try:
            layout = compute_layout(self.folded, lambda: owner.generation != generation)
        except LayoutCancelled:
            return
        owner.laid_out.emit(generation, self.folded, layout)


class StatementFolding(QObject):
    """Expands and folds the statements of ``view``'s graph (a ``GraphView``).

    ``changed`` is emitted after a new folding is shown. ``busy`` is true while one is
    being laid out.
    """

    changed = Signal()
    laid_out = Signal(int, object, object)  # from the pool's thread: queued here

    def __init__(self, view: QGraphicsView):
        super().__init__(view)
        self._view = view
        self.generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        # (structure, anchor node, its viewport point, the statements expanded)
        self._pending: tuple | None = None
        self.laid_out.connect(self._show)

    @property
    def busy(self) -> bool:
        """True while a new folding is being laid out."""
        return self._pending is not None

    def expand(self, node_id: int) -> bool:
        """Expand the folded statement whose box is ``node_id``; False when it is none."""
        folded = self._view.scene().folded
        if folded is None or node_id not in folded.unit_of or folded.unit_of[node_id] != node_id:
            return False
        unit = folded.unit(node_id)
        if not unit.folded:
            return False
        self._start(self._expanded() | {unit.statement}, node_id)
        return True

    def fold(self, statement: int) -> bool:
        """Fold expanded ``statement`` into its box again; False when it is not expanded."""
        scene = self._view.scene()
        folded = scene.folded
        if folded is None or statement not in folded.expanded:
            return False
        members = tuple(u.id for u in folded.nodes if u.statement == statement)
        self._start(self._expanded() - {statement}, result_node(scene.iteration, members))
        return True

    def _expanded(self) -> frozenset[int]:
        """The statements expanded, counting a request still being laid out (two quick
        clicks expand both)."""
        if self._pending is not None:
            return self._pending[3]
        return self._view.scene().folded.expanded

    def toggle_current(self) -> bool:
        """Expand the box the current step is in, or fold the expanded statement of the
        current step's node (Enter on the canvas); False when there is neither."""
        scene = self._view.scene()
        current = [i for i, item in scene.nodes.items() if item.is_current()]
        if not current or scene.folded is None:
            return False
        unit = scene.folded.unit(current[0])
        return self.expand(unit.id) if unit.folded else (
            unit.statement is not None and self.fold(unit.statement))

    def fold_at(self, point: QPointF) -> bool:
        """Fold the statement whose frame's tab is at scene point ``point``, if any."""
        for item in self._view.scene().items(point):
            if isinstance(item, StatementFrame) and item.tab_contains(point):
                return self.fold(item.statement)
        return False

    def cancel(self) -> None:
        """Forget a folding being laid out (the graph changed)."""
        self.generation += 1
        self._pending = None

    def wait(self) -> None:
        """Block until the pool is idle (closing, tests)."""
        self.pool.waitForDone()

    def _start(self, expanded: frozenset[int], anchor: int) -> None:
        scene, view = self._view.scene(), self._view
        self.generation += 1
        item = scene.nodes[anchor]
        expanded = frozenset(expanded)
        self._pending = (scene.structure, anchor, view.mapFromScene(item.pos()), expanded)
        folded = fold_statements(scene.iteration, expanded)
        self.pool.start(_LayoutJob(self, self.generation, folded))

    @Slot(int, object, object)
    def _show(self, generation: int, folded: FoldedGraph, layout) -> None:
        pending, scene, view = self._pending, self._view.scene(), self._view
        if generation != self.generation or pending is None:
            return  # a newer request replaced it
        self._pending = None
        structure, anchor, point, _expanded = pending
        if structure != scene.structure:
            return  # another graph is shown now
        scene.set_folding(folded, layout)
        moved = view.mapFromScene(scene.nodes[anchor].pos()) - point
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + moved.x())
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + moved.y())
        self.changed.emit()
