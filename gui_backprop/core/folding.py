"""Folding a big graph's statements: each statement's operations drawn as one box.

A program of 550 statements makes about 3,000 graph nodes; read (and drawn) as 550
boxes, one per statement, it is a graph a learner can find their way in, and it lays
out and paints in a fraction of the time. This module decides what is shown -- pure
data, no Qt -- and the canvas draws it (``ui/canvas/scene.py``).

A :class:`Unit` is one thing drawn: a folded statement (its nodes as one box, named by
the statement's result node, whose id it takes) or a node drawn alone (the nodes of an
expanded statement, and every statement of one node: a leaf). :class:`FoldedEdge` joins
two units; the edges of the iteration between the same two units, when one of them is
a box, are one arrow (``originals``); an edge between two nodes drawn alone stays
itself. Edges inside a box are not drawn. Statements only use earlier statements'
results, so the folded graph has no cycle and lays out with the same layered layout
(:func:`~gui_backprop.core.layout.compute_layout` reads ``nodes``, ``edges`` and
``output`` of whatever it is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from gui_backprop.core.graph import Iteration, NodeKind
from gui_backprop.core.layout import GraphLayout, StopCheck, compute_layout

FOLD_NODES = 300
"""Above this many graph nodes an iteration opens folded (the lessons have < 100)."""


@dataclass(frozen=True)
class Unit:
    """One thing drawn: a folded statement or a node alone.

    ``id`` is a node id: the node itself, or a folded statement's result node (the
    value and gradient the box shows). ``members`` are the node ids it stands for.
    """

    id: int
    members: tuple[int, ...]
    statement: int | None

    @property
    def folded(self) -> bool:
        """True for a box standing for more than one node."""
        return len(self.members) > 1


@dataclass(frozen=True)
class FoldedEdge:
    """An arrow between two units; ``originals``: the iteration's edges it stands for.

    ``id`` is the edge's index in :attr:`FoldedGraph.edges`; ``position`` orders the
    arrows into one unit (an edge between two nodes drawn alone keeps its operand
    position). ``labelled`` is true when it is exactly one edge of the iteration
    between two nodes drawn alone: it shows that edge's local gradient.
    """

    id: int
    source: int
    target: int
    position: int
    tracked: bool
    originals: tuple[int, ...]
    labelled: bool


@dataclass(frozen=True)
class FoldedGraph:
    """The units and arrows of an iteration with its statements folded but ``expanded``
    (statement indices)."""

    nodes: tuple[Unit, ...]
    edges: tuple[FoldedEdge, ...]
    output: int
    unit_of: dict[int, int]
    expanded: frozenset[int] = field(default=frozenset())

    def unit(self, unit_id: int) -> Unit:
        """The unit with id ``unit_id``."""
        return self._units[unit_id]

    @cached_property
    def _units(self) -> dict[int, Unit]:
        return {unit.id: unit for unit in self.nodes}

    def inputs_of(self, unit_id: int) -> tuple[FoldedEdge, ...]:
        """Arrows into ``unit_id``, by position."""
        return self._edges_by_unit[0].get(unit_id, ())

    def uses_of(self, unit_id: int) -> tuple[FoldedEdge, ...]:
        """Arrows out of ``unit_id``."""
        return self._edges_by_unit[1].get(unit_id, ())

    @cached_property
    def _edges_by_unit(self) -> tuple[dict[int, tuple], dict[int, tuple]]:
        inputs: dict[int, list[FoldedEdge]] = {}
        uses: dict[int, list[FoldedEdge]] = {}
        for edge in self.edges:
            inputs.setdefault(edge.target, []).append(edge)
            uses.setdefault(edge.source, []).append(edge)
        return ({k: tuple(v) for k, v in inputs.items()}, {k: tuple(v) for k, v in uses.items()})


def should_fold(iteration: Iteration) -> bool:
    """True for a graph of more than :data:`FOLD_NODES` nodes: it opens folded."""
    return len(iteration.nodes) > FOLD_NODES


def statement_groups(iteration: Iteration) -> dict[int | None, tuple[int, ...]]:
    """Statement index -> the ids of its nodes (leaves, constants and operations), in
    id order; nodes without a statement are under ``None``."""
    groups: dict[int | None, list[int]] = {}
    for node in iteration.nodes:
        groups.setdefault(node.statement, []).append(node.id)
    return {statement: tuple(ids) for statement, ids in groups.items()}


def result_node(iteration: Iteration, members: tuple[int, ...]) -> int:
    """The node a statement assigns (the one named; else its last operation)."""
    named = [m for m in members if iteration.nodes[m].name is not None
             and iteration.nodes[m].kind is NodeKind.OPERATION]
    if named:
        return named[-1]
    operations = [m for m in members if iteration.nodes[m].kind is NodeKind.OPERATION]
    return (operations or list(members))[-1]


def fold_statements(iteration: Iteration,
                    expanded: frozenset[int] = frozenset()) -> FoldedGraph:
    """``iteration`` with each statement of more than one node folded into one unit,
    except the statements in ``expanded``."""
    units: list[Unit] = []
    unit_of: dict[int, int] = {}
    for statement, members in statement_groups(iteration).items():
        if statement is None or statement in expanded or len(members) == 1:
            for node_id in members:
                units.append(Unit(node_id, (node_id,), statement))
                unit_of[node_id] = node_id
        else:
            box = result_node(iteration, members)
            units.append(Unit(box, members, statement))
            unit_of.update((m, box) for m in members)
    units.sort(key=lambda unit: unit.id)
    folded = {unit.id for unit in units if unit.folded}
    merged: dict[tuple[int, int], list[int]] = {}  # arrows touching a box
    alone: list[tuple[int, ...]] = []  # (edge id,) between two nodes drawn alone
    for edge in iteration.edges:
        source, target = unit_of[edge.source], unit_of[edge.target]
        if source == target:
            continue  # inside a box
        if source in folded or target in folded:
            merged.setdefault((source, target), []).append(edge.id)
        else:
            alone.append((edge.id,))
    groups = sorted([*alone, *(tuple(ids) for ids in merged.values())])
    ranked: dict[int, list[tuple[tuple[int, int], tuple[int, ...]]]] = {}
    for originals in groups:
        first = iteration.edges[originals[0]]
        key = (first.target, first.position)  # into a box: in the order of its nodes
        ranked.setdefault(unit_of[first.target], []).append((key, originals))
    position: dict[tuple[int, ...], int] = {}
    for entries in ranked.values():
        entries.sort()
        for rank, (_key, originals) in enumerate(entries):
            position[originals] = rank
    edges = []
    for index, originals in enumerate(groups):
        first = iteration.edges[originals[0]]
        source, target = unit_of[first.source], unit_of[first.target]
        labelled = source not in folded and target not in folded
        edges.append(FoldedEdge(
            id=index, source=source, target=target,
            position=first.position if labelled else position[originals],
            tracked=any(iteration.edges[e].tracked for e in originals),
            originals=originals, labelled=labelled))
    return FoldedGraph(tuple(units), tuple(edges), unit_of[iteration.output], unit_of,
                       frozenset(expanded))


def fits(folded: FoldedGraph, layout: GraphLayout | None) -> bool:
    """True when ``layout`` is a layout of ``folded`` (same units, same arrows)."""
    return (layout is not None and len(layout.bends) == len(folded.edges)
            and layout.positions.keys() == folded._units.keys())


def opening_layout(iteration: Iteration, should_stop: StopCheck = None) -> GraphLayout:
    """The layout a graph opens with: of its folded statements when it is big
    (:func:`should_fold`), else of its nodes."""
    if should_fold(iteration):
        return compute_layout(fold_statements(iteration), should_stop)
    return compute_layout(iteration, should_stop)
