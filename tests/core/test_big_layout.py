"""Big graphs: the parser's limits, a layout with no overlaps, and cancelling a layout."""

from bisect import bisect_left

import pytest

from benchmarks.big_programs import big_program
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.graph import Edge, Iteration, Node, NodeKind
from gui_backprop.core.layout import (
    BEND_BUDGET_MIN,
    BEND_BUDGET_PER_NODE,
    BEND_GAP,
    LayoutCancelled,
    compute_layout,
)
from gui_backprop.core.program import MAX_GRAPH_NODES, MAX_STATEMENTS, parse_program
from gui_backprop.core.tracer import trace_program


def synthetic_iteration(size: int, leaves: int = 50) -> Iteration:
    """A graph of ``size`` nodes shaped like a long program: each operation uses a
    recent result and one from anywhere before (no trace needed: quick to build)."""
    nodes = [Node(i, NodeKind.LEAF, f"p{i}", f"p{i}", None, f"p{i}", 1.0, True, True, i + 1)
             for i in range(leaves)]
    edges: list[Edge] = []
    for i in range(leaves, size):
        nodes.append(Node(i, NodeKind.OPERATION, f"h{i}", f"h{i}", "mul", "a * b", 1.0, True,
                          False, i + 1))
        for position, source in enumerate((i - 1 - i % 3, (i * 7919) % i)):
            edges.append(Edge(len(edges), source, i, position, True))
    return Iteration(0, tuple(nodes), tuple(edges), size - 1, tuple(range(size)), {}, (), True)


def _assert_no_overlaps(iteration, layout):
    by_layer: dict[float, list[float]] = {}
    for x, y in layout.positions.values():
        by_layer.setdefault(x, []).append(y)
    for rows in by_layer.values():
        rows.sort()
        assert all(b - a >= 1 - 1e-9 for a, b in zip(rows, rows[1:], strict=False))
    for edge in iteration.edges:
        xs = [x for x, _ in layout.route(iteration, edge.id)]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)
        for x, y in layout.bends[edge.id]:
            rows = by_layer.get(x, [])
            near = rows[max(0, bisect_left(rows, y) - 1):bisect_left(rows, y) + 1]
            assert all(abs(row - y) >= BEND_GAP - 1e-9 for row in near), (edge, x, y)


def test_a_thousand_statements_parse():
    assert len(parse_program(big_program(1_000)).statements) == 1_000
    assert MAX_STATEMENTS >= 1_000 and MAX_GRAPH_NODES >= 10_000


def test_a_graph_past_the_node_limit_is_refused_with_one_clear_message():
    statement = "x * 2 + x * 3 - x * 4 + x"  # nine nodes: three numbers, six operations
    lines = ["x = 1.0"] + [f"y{i} = {statement}" for i in range(MAX_GRAPH_NODES // 8)]
    with pytest.raises(ProgramError, match="more than 10,000 nodes") as caught:
        trace_program("\n".join(lines))
    assert caught.value.line is not None and caught.value.line < len(lines)


def test_a_large_program_is_laid_out_without_overlaps_and_with_few_bends():
    iteration = trace_program(big_program(200)).first
    layout = compute_layout(iteration)
    _assert_no_overlaps(iteration, layout)
    bends = sum(len(points) for points in layout.bends.values())
    assert bends <= BEND_BUDGET_MIN + BEND_BUDGET_PER_NODE * len(iteration.nodes)
    straight = [e for e in iteration.edges if not layout.bends[e.id]
                and layout.positions[e.target][0] - layout.positions[e.source][0] > 1]
    assert straight  # the long edges past the budget are drawn straight


def test_a_synthetic_graph_of_three_thousand_nodes_has_no_overlaps():
    iteration = synthetic_iteration(3_000)
    _assert_no_overlaps(iteration, compute_layout(iteration))


def test_a_ten_thousand_node_layout_can_be_cancelled():
    asked = []

    def should_stop():
        asked.append(True)
        return len(asked) >= 3

    with pytest.raises(LayoutCancelled):
        compute_layout(synthetic_iteration(10_000), should_stop=should_stop)
    assert len(asked) == 3  # asked between sweeps, and stopped at the first yes


def test_a_layout_that_is_never_stopped_asks_and_finishes():
    asked = []
    layout = compute_layout(synthetic_iteration(500), should_stop=lambda: asked.append(1))
    assert len(layout.positions) == 500 and len(asked) > 3
