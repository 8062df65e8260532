"""A big program's statements fold into one box each (issue 13, goal 4): the graph opens
folded, a click on a box expands it in place (laid out off the GUI thread, the box's
spot kept on the screen), the frame's tab folds it back, and a walkthrough step inside
a folded statement lights its box."""

import pytest
from PySide6.QtCore import Qt

from benchmarks.big_programs import big_program
from gui_backprop.core.folding import FOLD_NODES, fold_statements, statement_groups
from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Stage, Walkthrough
from gui_backprop.ui.canvas.view import GraphView
from tests.ui.test_background_trace import TRACE_TIMEOUT, paste_and_run
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

STATEMENTS = 200


@pytest.fixture(scope="module")
def walkthrough():
    return Walkthrough(trace_program(big_program(STATEMENTS)))


@pytest.fixture
def view(qtbot):
    graph = GraphView()
    qtbot.addWidget(graph)
    graph.resize(1000, 700)
    graph.show()
    qtbot.waitExposed(graph)
    yield graph
    graph.folding.wait()


def boxes(view):
    return {i: item for i, item in view.node_items().items() if item.content.folded}


def overlapping(view):
    """Pairs of node cards that overlap (sorted by left edge, so about linear)."""
    cards = [(item.mapRectToScene(item.card_rect()), i)
             for i, item in view.node_items().items()]
    cards.sort(key=lambda pair: pair[0].left())
    pairs = []
    for k, (rect, i) in enumerate(cards):
        for other, j in cards[k + 1:]:
            if other.left() >= rect.right():
                break
            if rect.intersects(other):
                pairs.append((i, j))
    return pairs


def click_scene_point(qtbot, view, point):
    view.centerOn(point)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(point))


def test_a_big_graph_opens_with_one_box_per_statement(view, walkthrough):
    iteration = walkthrough.trace.first
    assert len(iteration.nodes) > FOLD_NODES
    view.show_iteration(iteration)
    folded = fold_statements(iteration)
    assert sorted(view.node_items()) == sorted(u.id for u in folded.nodes)
    assert len(view.node_items()) == STATEMENTS
    assert len(view.edge_items()) == len(folded.edges)
    box = view.node_item(iteration.node_named("h100").id)
    assert box.content.folded and box.title_text() == "h100"
    assert box.op_text() == "5 ops"
    assert box.subtitle_text() == iteration.node_named("h100").expression
    assert not any(edge.has_label() for edge in view.edge_items().values())
    # one item per box and arrow: no label items, nothing for the nodes inside the boxes
    assert len(view.scene().items()) == STATEMENTS + len(folded.edges)
    assert overlapping(view) == []


def test_clicking_a_box_expands_it_in_place_and_its_tab_folds_it(qtbot, view, walkthrough):
    iteration = walkthrough.trace.first
    view.show_iteration(iteration)
    view.reset_zoom()
    box_id = iteration.node_named("h100").id
    box = view.node_item(box_id)
    view.centerOn(box.pos())
    spot = view.mapFromScene(box.pos())
    with qtbot.waitSignal(view.folding.changed, timeout=10_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    statement = iteration.nodes[box_id].statement
    members = statement_groups(iteration)[statement]
    items = view.node_items()
    assert set(members) <= set(items)
    assert not items[box_id].content.folded and items[box_id].title_text() == "h100"
    assert len(items) == STATEMENTS - 1 + len(members)
    assert (view.mapFromScene(items[box_id].pos()) - spot).manhattanLength() <= 2
    assert overlapping(view) == []
    # the edges into the statement's own operations have their labels again
    labelled = [e for e in view.edge_items().values() if e.has_label()]
    assert labelled and all(e.label.scene() is view.scene() for e in labelled)
    frame = view.scene().frames[statement]
    assert frame.title_text().startswith("▾ h100 = ")
    assert len(frame.outlines()) == len(members)
    with qtbot.waitSignal(view.folding.changed, timeout=10_000):
        click_scene_point(qtbot, view, frame.tab_rect().center())
    assert len(view.node_items()) == STATEMENTS
    assert view.node_item(box_id).content.folded
    assert view.scene().frames == {}
    assert overlapping(view) == []


def test_a_step_inside_a_folded_statement_lights_its_box(view, walkthrough):
    iteration = walkthrough.trace.first
    box_id = iteration.node_named("h100").id
    members = statement_groups(iteration)[iteration.nodes[box_id].statement]
    inner = next(m for m in members if m != box_id and iteration.nodes[m].op == "mul")
    step = next(s for s in walkthrough.steps if s.stage is Stage.FORWARD and s.node == inner)
    state = walkthrough.state_at(step.index + 1)
    view.show_iteration(iteration, state)
    box = view.node_item(box_id)
    assert box.is_current() and [i for i, n in view.node_items().items()
                                 if n.is_current()] == [box_id]
    label = iteration.nodes[inner].label
    assert box.content.inside.startswith(f"▸ {label} = ")
    assert view.scene().focus_rect() == box.sceneBoundingRect()
    assert view.visible_scene_rect().intersects(box.sceneBoundingRect())
    # a backward step on the result itself: the box shows the result's gradient
    step = next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.node == box_id)
    view.show_state(walkthrough.state_at(step.index + 1))
    assert box.is_current() and box.content.inside == ""
    assert box.grad_text().startswith("grad ") and "?" not in box.grad_text()


def test_a_lesson_is_never_folded(view):
    iteration = find_lesson("chain-rule").trace().first
    view.show_iteration(iteration)
    assert view.scene().folded is None
    assert sorted(view.node_items()) == [n.id for n in iteration.nodes]


def test_enter_expands_the_current_steps_statement_and_folds_it_again(qtbot, view,
                                                                       walkthrough):
    iteration = walkthrough.trace.first
    box_id = iteration.node_named("h50").id
    step = next(s for s in walkthrough.steps if s.stage is Stage.LOCAL
                and iteration.edges[s.edge].target != box_id
                and iteration.nodes[iteration.edges[s.edge].target].statement
                == iteration.nodes[box_id].statement)
    view.show_iteration(iteration, walkthrough.state_at(step.index + 1))
    assert view.node_item(box_id).is_current()
    view.setFocus()
    with qtbot.waitSignal(view.folding.changed, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    # expanded: the step's own edge is drawn, with its label, as the current one
    target = iteration.edges[step.edge].target
    assert view.node_item(target).title_text() == iteration.nodes[target].label
    current = [e for e in view.edge_items().values() if e.is_current()]
    assert len(current) == 1 and current[0].has_label() and current[0].label_text()
    assert not any(n.is_current() for n in view.node_items().values())
    # Enter on a step on one of its nodes folds it again
    step = next(s for s in walkthrough.steps if s.stage is Stage.FORWARD and s.node == target)
    view.show_state(walkthrough.state_at(step.index + 1))
    with qtbot.waitSignal(view.folding.changed, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.node_item(box_id).content.folded and view.node_item(box_id).is_current()


@IGNORE_OFFSCREEN_NOISE
def test_the_window_lights_the_box_the_walkthrough_is_in(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced, timeout=TRACE_TIMEOUT):
        paste_and_run(qtbot, window, big_program(STATEMENTS))
    model, view = window.model, window.graph_view
    iteration = model.iteration
    box_id = iteration.node_named("h120").id
    inner = next(m for m in statement_groups(iteration)[iteration.nodes[box_id].statement]
                 if m != box_id and iteration.nodes[m].op == "add")
    step = next(s for s in model.walkthrough.steps
                if s.stage is Stage.BACKWARD and s.node == inner)
    model.jump(step.index + 1)
    box = view.node_item(box_id)
    assert box.is_current() and box.content.inside.startswith("▸ grad of ")
    assert iteration.nodes[inner].label[:10] in box.content.inside
    assert window.explanation.title_text() == step.title  # the explanation speaks of it
    assert view.visible_scene_rect().intersects(box.sceneBoundingRect())
