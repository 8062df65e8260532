"""Folding a graph's statements into boxes (issue 13): every node in exactly one unit,
the arrows between units are exactly the edges between their nodes, and the folded
graph lays out with the same layered layout."""

from collections import Counter

import pytest

from benchmarks.big_programs import big_program
from gui_backprop.core.folding import (
    FOLD_NODES,
    fits,
    fold_statements,
    opening_layout,
    result_node,
    should_fold,
    statement_groups,
)
from gui_backprop.core.layout import compute_layout
from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.tracer import trace_program

PROGRAM = """x = [0.5, -1.0]
w = 0.3
b = -0.2
h = tanh(w * x + b)
z = h * h + x
loss = mean((z - 1.0) ** 2)
"""


@pytest.fixture(scope="module")
def iteration():
    return trace_program(PROGRAM).first


@pytest.fixture(scope="module")
def big_iteration():
    return trace_program(big_program(200)).first


def check_folding(iteration, folded):
    """Each node in one unit; each edge between units inside exactly one arrow."""
    members = Counter(m for unit in folded.nodes for m in unit.members)
    assert members == Counter(n.id for n in iteration.nodes)
    for unit in folded.nodes:
        assert all(folded.unit_of[m] == unit.id for m in unit.members)
        assert unit.id in unit.members
        statements = {iteration.nodes[m].statement for m in unit.members}
        assert statements == {unit.statement}
    carried = Counter(e for arrow in folded.edges for e in arrow.originals)
    between = [e.id for e in iteration.edges
               if folded.unit_of[e.source] != folded.unit_of[e.target]]
    assert carried == Counter(between)
    for arrow in folded.edges:
        ends = {(folded.unit_of[iteration.edges[e].source],
                 folded.unit_of[iteration.edges[e].target]) for e in arrow.originals}
        assert ends == {(arrow.source, arrow.target)}
        assert arrow.tracked == any(iteration.edges[e].tracked for e in arrow.originals)
    assert [arrow.id for arrow in folded.edges] == list(range(len(folded.edges)))


def test_each_statement_folds_into_one_box_named_by_its_result(iteration):
    folded = fold_statements(iteration)
    check_folding(iteration, folded)
    names = {iteration.nodes[u.id].label: u for u in folded.nodes}
    assert set(names) == {"x", "w", "b", "h", "z", "loss"}
    h = names["h"]
    assert h.folded and [iteration.nodes[m].label for m in h.members] == [
        "w * x", "w * x + b", "h"]
    assert not names["w"].folded  # a leaf's statement is one node: drawn as itself
    assert folded.output == iteration.output
    # h * h + x: both uses of h are one arrow into z's box, x another
    into_z = folded.inputs_of(names["z"].id)
    assert sorted(iteration.nodes[a.source].label for a in into_z) == ["h", "x"]
    assert len(next(a for a in into_z if a.source == h.id).originals) == 2
    assert not any(a.labelled for a in folded.edges)  # every arrow touches a box


def test_expanding_a_statement_draws_its_nodes_and_keeps_the_rest_folded(iteration):
    statement = iteration.node_named("h").statement
    folded = fold_statements(iteration, frozenset({statement}))
    check_folding(iteration, folded)
    alone = [u for u in folded.nodes if u.statement == statement]
    assert sorted(u.id for u in alone) == list(statement_groups(iteration)[statement])
    # w -> (w * x) is between two nodes drawn alone: it keeps its label and operand slot
    edge = next(e for e in iteration.edges if iteration.nodes[e.source].label == "w")
    arrow = next(a for a in folded.edges if a.originals == (edge.id,))
    assert arrow.labelled and arrow.position == edge.position


def test_everything_expanded_is_the_iteration_itself(iteration):
    folded = fold_statements(iteration, frozenset(statement_groups(iteration)))
    assert [u.id for u in folded.nodes] == [n.id for n in iteration.nodes]
    assert [(a.source, a.target, a.position, a.originals) for a in folded.edges] == [
        (e.source, e.target, e.position, (e.id,)) for e in iteration.edges]


def test_a_big_program_folds_to_one_box_per_statement_and_lays_out(big_iteration):
    folded = fold_statements(big_iteration)
    check_folding(big_iteration, folded)
    statements = len(trace_program(big_program(200)).program.statements)
    assert len(folded.nodes) == statements
    assert len(big_iteration.nodes) > 5 * len(folded.nodes)
    layout = compute_layout(folded)
    assert fits(folded, layout)
    assert not fits(folded, compute_layout(big_iteration))
    for ids in layout.layers:  # rows at least 1 apart: no two units on one spot
        rows = sorted(layout.positions[i][1] for i in ids)
        assert all(b - a >= 1 - 1e-9 for a, b in zip(rows, rows[1:], strict=False))
    for arrow in folded.edges:  # every arrow points right
        assert layout.positions[arrow.source][0] < layout.positions[arrow.target][0]


def test_a_big_graph_opens_with_the_folded_layout_a_lesson_with_its_own(big_iteration):
    assert should_fold(big_iteration) and len(big_iteration.nodes) > FOLD_NODES
    assert fits(fold_statements(big_iteration), opening_layout(big_iteration))
    for lesson in load_lessons():
        it = lesson.trace().first
        assert not should_fold(it), lesson.id
    small = trace_program(PROGRAM).first
    assert opening_layout(small) == compute_layout(small)


def test_the_result_node_is_the_one_the_statement_names(iteration):
    for statement, members in statement_groups(iteration).items():
        node = iteration.nodes[result_node(iteration, members)]
        assert node.name == trace_program(PROGRAM).program.statements[statement].target
