"""The graph canvas shows exactly what each walkthrough state reveals, and responds to
clicks, the wheel, zoom commands, the application font and palette."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QKeySequence, QPalette, QShortcut, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from gui_backprop.core.formatting import format_value
from gui_backprop.core.formulas import derivative
from gui_backprop.core.graph import NodeKind
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.step_text import edge_label
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.canvas.content import shorten_label
from gui_backprop.ui.canvas.tensor_cells import TensorDisplay, as_grid, display_of, shape_text
from gui_backprop.ui.canvas.view import READABLE_SCALE, ZOOM_STEP, GraphView, ViewMode

LESSONS = load_lessons()


@pytest.fixture
def view(qtbot):
    graph = GraphView()
    qtbot.addWidget(graph)
    graph.resize(900, 600)
    return graph


def _signed(value):
    text = format_value(value)
    return "+" + text if not isinstance(value, tuple) and value > 0 else text


def _expected_value(node, state):
    if node.kind is NodeKind.CONSTANT:
        return ""
    if node.id not in state.values:
        return "?"
    text = "= " + format_value(node.value)
    after = state.parameters.get(node.name) if node.kind is NodeKind.LEAF else None
    if after is not None and after != node.value:
        text += " → " + format_value(after)
    return text


def _expected_grad(node, state):
    if node.kind is NodeKind.LEAF:
        if not node.requires_grad:
            return ""
        shown = state.grad_attrs[node.name]
        if node.id in state.grads and state.step.stage is Stage.BACKWARD:
            assert shown == node.grad_attr
        return f"{node.name}.grad " + ("?" if shown is None else _signed(shown))
    if node.grad is None:
        return ""
    return "grad " + (_signed(node.grad) if node.id in state.grads else "?")


def _expected_label(iteration, edge):
    """Core's label; a matrix or long vector by its shape (its numbers are in the
    tooltip)."""
    if not edge.tracked or display_of(edge.local_grad) is TensorDisplay.TEXT:
        return shorten_label(edge_label(iteration, edge))  # a long one cut with an ellipsis
    target, source = iteration.nodes[edge.target], iteration.nodes[edge.source]
    # an edge into @ carries the output's gradient (δ xᵀ): its head says so, ∂loss/∂W
    of = iteration.nodes[iteration.output].label if edge.vector_jacobian \
        else target.name or target.expression
    head = derivative(of, source.label).text
    shape = shape_text(edge.local_grad)
    shape = shape if "×" in shape else f"{shape} values"
    return shorten_label(f"{head} = {edge.derivative_shown} = {shape} (hover)")


def _assert_grids(item, node, state):
    """A matrix or long vector is drawn as grids holding exactly autograd's numbers."""
    if node.kind is NodeKind.CONSTANT or display_of(node.value) is TensorDisplay.TEXT:
        assert item.grids() == []
        return
    value_grid = item.grids()[0]
    matrix = isinstance(node.value[0], tuple)
    shape = (len(node.value), len(node.value[0])) if matrix else (len(node.value),)
    assert [g.shape for g in item.grids()] == [shape] * len(item.grids())
    if node.id in state.values:
        after = state.parameters.get(node.name) if node.kind is NodeKind.LEAF else None
        assert value_grid.cells == as_grid(node.value if after is None else after)
    else:
        assert value_grid.pending
    if node.kind is NodeKind.LEAF:
        grad = state.grad_attrs.get(node.name) if node.requires_grad else None
    else:
        grad = node.grad if node.id in state.grads else None
    if len(item.grids()) == 2:
        assert item.grids()[1].cells == (None if grad is None else as_grid(grad))


def _assert_shows(view, walkthrough, state):
    iteration = walkthrough.trace.iterations[state.iteration]
    step = state.step
    for node in iteration.nodes:
        item = view.node_item(node.id)
        assert item.title_text() == node.label
        assert item.shape_text() == shape_text(node.value)
        _assert_grids(item, node, state)
        assert item.value_text() == _expected_value(node, state), (state.position, node)
        assert item.grad_text() == _expected_grad(node, state), (state.position, node)
        assert item.is_pending() == (node.kind is not NodeKind.CONSTANT
                                     and node.id not in state.values)
        assert item.is_current() == (step is not None and step.node == node.id)
        assert item.toolTip()
    for edge in iteration.edges:
        item = view.edge_item(edge.id)
        revealed = edge.id in state.local_grads
        assert item.label_text() == (_expected_label(iteration, edge) if revealed else "")
        assert item.is_pending() == (edge.tracked and not revealed)
        assert item.is_current() == (step is not None and step.stage is Stage.LOCAL
                                     and step.edge == edge.id)
        assert item.toolTip()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_step_of_every_lesson_reveals_exactly_the_core_data(view, lesson):
    walkthrough = lesson.walkthrough()
    shown_iteration = None
    for position in range(len(walkthrough) + 1):
        state = walkthrough.state_at(position)
        if state.iteration != shown_iteration:
            view.show_iteration(walkthrough.trace.iterations[state.iteration], state)
            shown_iteration = state.iteration
        else:
            view.show_state(state)
        _assert_shows(view, walkthrough, state)
        current = [i for i in view.node_items().values() if i.is_current()]
        current += [i for i in view.edge_items().values() if i.is_current()]
        assert len(current) == (0 if position == 0 else 1)


def test_tutorial_numbers_appear_on_the_nodes(view):
    walkthrough = find_lesson("one-training-step").walkthrough()
    state = walkthrough.state_at(walkthrough.first_of(Stage.ZERO_GRAD))
    view.show_iteration(walkthrough.trace.first, state)
    w = walkthrough.trace.first.node_named("w").id
    loss = walkthrough.trace.first.node_named("loss").id
    assert view.node_item(w).value_text() == "= 1.0 → 1.02"
    assert view.node_item(w).grad_text() == "w.grad 0.0"
    assert view.node_item(w).is_current()
    assert view.node_item(loss).value_text() == "= 1.0"
    assert view.node_item(loss).grad_text() == "grad +1.0"
    y_pred = walkthrough.trace.first.node_named("y_pred").id
    edge = next(e for e in walkthrough.trace.first.edges if e.target == y_pred and e.tracked)
    assert view.edge_item(edge.id).label_text() == "∂y_pred/∂w = x = 1.0"


def test_backward_step_highlights_the_edges_the_gradient_flows_along(view):
    walkthrough = find_lesson("value-used-twice").walkthrough()
    iteration = walkthrough.trace.first
    b = iteration.node_named("b").id
    position = next(s.index + 1 for s in walkthrough.steps
                    if s.stage is Stage.BACKWARD and s.node == b)
    view.show_iteration(iteration, walkthrough.state_at(position))
    flowing = {i for i, item in view.edge_items().items() if item.flow() == "backward"}
    assert flowing == {e.id for e in iteration.uses_of(b)}
    assert len(flowing) == 2
    assert "summed" not in view.node_item(b).grad_text()
    assert view.node_item(b).grad_text() == "b.grad +5.0"


def test_items_are_kept_when_only_values_change_and_rebuilt_for_a_new_structure(view):
    lesson = find_lesson("one-training-step")
    trace = lesson.trace()
    walkthrough = lesson.walkthrough()
    first, second = trace.iterations
    view.show_iteration(first, walkthrough.state_at(3))
    items = view.node_items()
    w = first.node_named("w").id
    view.show_iteration(second, walkthrough.state_at(len(walkthrough)))
    assert view.node_items() == items
    assert all(view.node_item(i) is item for i, item in items.items())
    assert view.node_item(w).value_text().startswith("= 1.02")
    edited = lesson.walkthrough(values={"x": 3.0})
    view.show_iteration(edited.trace.first, edited.state_at(len(edited)))
    assert view.node_item(w) is items[w]
    assert view.node_item(first.node_named("x").id).value_text() == "= 3.0"
    other = find_lesson("linear-regression").walkthrough()
    view.show_iteration(other.trace.first, other.state_at(0))
    assert view.node_item(w) is not items[w]
    assert len(view.node_items()) == len(other.trace.first.nodes)


def _rects(view):
    nodes = [item.sceneBoundingRect().adjusted(6, 6, -6, -6)
             for item in view.node_items().values()]
    labels = [item.label.sceneBoundingRect() for item in view.edge_items().values()
              if item.content.tracked]
    return nodes, labels


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_nodes_and_labels_never_overlap(view, lesson):
    walkthrough = lesson.walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(len(walkthrough)))
    nodes, labels = _rects(view)
    boxes = nodes + labels
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), (a, b)


def test_every_edge_points_left_to_right(view):
    walkthrough = find_lesson("linear-regression").walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(0))
    for item in view.edge_items().values():
        xs = [p.x() for p in item.route()]
        assert xs == sorted(xs)


def _shown(qtbot, view, lesson_id="one-training-step", position=0):
    walkthrough = find_lesson(lesson_id).walkthrough()
    view.show()
    qtbot.waitExposed(view)
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(position))
    return walkthrough.trace.first


def _viewport_pos(view, item) -> QPoint:
    return view.mapFromScene(item.sceneBoundingRect().center())


def test_clicking_a_node_emits_its_id(qtbot, view):
    iteration = _shown(qtbot, view)
    for name in ("w", "loss"):
        node_id = iteration.node_named(name).id
        with qtbot.waitSignal(view.node_activated, timeout=1000) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                             pos=_viewport_pos(view, view.node_item(node_id)))
        assert blocker.args == [node_id]


def test_clicking_empty_space_or_dragging_activates_nothing(qtbot, view):
    iteration = _shown(qtbot, view)
    with qtbot.assertNotEmitted(view.node_activated):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
        start = _viewport_pos(view, view.node_item(iteration.node_named("w").id))
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(40, 30))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                           pos=start + QPoint(40, 30))


def test_zoom_commands_change_the_scale(qtbot, view):
    _shown(qtbot, view)
    start = view.zoom()
    view.zoom_in()
    assert view.zoom() == pytest.approx(start * ZOOM_STEP)
    assert view.view_mode() is ViewMode.MANUAL
    view.zoom_out()
    view.zoom_out()
    assert view.zoom() == pytest.approx(start / ZOOM_STEP)
    view.reset_zoom()
    assert view.zoom() == pytest.approx(1.0)


def test_wheel_zooms_around_the_mouse(qtbot, view):
    _shown(qtbot, view, "linear-regression")
    view.reset_zoom()
    view.zoom_in()  # larger than the window both ways, so nothing is clamped
    start = view.zoom()
    pos = QPointF(200, 150)
    under_mouse = view.mapToScene(pos.toPoint())
    event = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() == pytest.approx(start * ZOOM_STEP)
    after = view.mapToScene(pos.toPoint())
    assert abs(after.x() - under_mouse.x()) < 3 and abs(after.y() - under_mouse.y()) < 3


def test_fit_to_window_shows_every_item_even_of_a_wide_graph(qtbot, view):
    _shown(qtbot, view, "linear-regression")
    assert view.zoom() == pytest.approx(READABLE_SCALE)  # readable first, scrolls to follow
    for _ in range(4):
        view.zoom_in()
    view.fit_to_window()
    visible = view.visible_scene_rect()
    assert visible.contains(view.scene().itemsBoundingRect())
    assert view.zoom() < READABLE_SCALE


def test_a_wide_graph_scrolls_to_follow_the_current_step(qtbot, view):
    walkthrough = find_lesson("linear-regression").walkthrough()
    _shown(qtbot, view, "linear-regression")
    iteration = walkthrough.trace.first
    for node_id in (iteration.output, iteration.node_named("w").id):
        position = next(s.index + 1 for s in walkthrough.steps
                        if s.stage is Stage.BACKWARD and s.node == node_id)
        view.show_state(walkthrough.state_at(position))
        card = view.node_item(node_id).sceneBoundingRect()
        assert view.visible_scene_rect().contains(card)


def test_small_graph_is_fitted_but_not_blown_up(qtbot, view):
    _shown(qtbot, view, "chain-rule")
    assert view.visible_scene_rect().contains(view.scene().itemsBoundingRect())
    assert 1.0 <= view.zoom() <= 1.5


class _KeyRecorder(QWidget):
    def __init__(self):
        super().__init__()
        self.keys = []

    def keyPressEvent(self, event):  # noqa: N802
        self.keys.append(event.key())


def test_stepping_keys_reach_the_window(qtbot):
    window = _KeyRecorder()
    qtbot.addWidget(window)
    graph = GraphView(window)
    graph.setGeometry(0, 0, 500, 400)
    walkthrough = find_lesson("linear-regression").walkthrough()
    graph.show_iteration(walkthrough.trace.first, walkthrough.state_at(0))
    activated = []
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(lambda: activated.append("space"))
    window.resize(500, 400)
    window.show()
    qtbot.waitExposed(window)
    graph.setFocus()
    qtbot.waitUntil(graph.hasFocus)
    qtbot.keyClick(graph, Qt.Key.Key_Space)
    assert activated == ["space"]
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Backspace):
        qtbot.keyClick(graph, key)
    assert window.keys == [Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Backspace]


def test_view_is_named_for_screen_readers(view):
    assert view.objectName() == "graphView"
    assert view.accessibleName() == "Computational graph"
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    walkthrough = find_lesson("one-training-step").walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(1))
    assert "Current: y_pred, = 1.0, grad ?" in view.accessibleDescription()


@pytest.fixture
def restore_app_font_and_palette(qapp):
    font, palette = QApplication.font(), QApplication.palette()
    yield
    QApplication.setFont(font)
    QApplication.setPalette(palette)


def test_canvas_follows_the_application_font(qtbot, view, restore_app_font_and_palette):
    walkthrough = find_lesson("one-training-step").walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(0))
    item = view.node_item(walkthrough.trace.first.node_named("y_pred").id)
    before = item.size()
    bigger = QFont(QApplication.font())
    bigger.setPointSizeF(bigger.pointSizeF() * 1.6)
    QApplication.setFont(bigger)
    qtbot.waitUntil(lambda: item.size().width() > before.width() * 1.3)
    view.apply_font(QFont(bigger.family(), 6))
    assert item.size().width() < before.width()


def test_canvas_follows_a_dark_palette(qtbot, view, restore_app_font_and_palette):
    assert not view.theme().is_dark
    dark = QPalette(QApplication.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    QApplication.setPalette(dark)
    qtbot.waitUntil(lambda: view.theme().is_dark)
    assert view.backgroundBrush().color().lightness() < 128


def test_gradient_signs_use_distinct_colours_and_glyphs(view):
    theme = view.theme()
    assert theme.sign_color(1) != theme.sign_color(-1)
    walkthrough = find_lesson("computational-graph").walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(len(walkthrough)))
    texts = [item.grad_text() for item in view.node_items().values() if item.grad_text()]
    assert any("+" in t for t in texts)
    assert all(("+" in t) != ("-" in t.split(" ", 1)[1]) for t in texts if "0.0" not in t)


def test_a_long_rule_on_an_edge_wraps_before_a_factor_instead_of_losing_its_middle(qtbot):
    from gui_backprop.ui.canvas.style import CanvasStyle
    font = QFont()
    width = CanvasStyle.wrap_width(font, 14)
    lines = CanvasStyle.wrap(font, "= sigmoid(z) * (1 - sigmoid(z))", width)
    assert lines == ["= sigmoid(z)", "  * (1 - sigmoid(z))"]  # whole, on two lines
    assert "…" not in "".join(lines)


def test_a_long_edge_label_is_cut_in_its_rule_never_in_its_numbers():
    text = "∂loss/∂z = " + "a very long rule " * 8 + "= [0.121952, 0.546549]"
    cut = shorten_label(text)
    assert len(cut) <= 90 < len(text)
    assert cut.startswith("∂loss/∂z = a very long rule")
    assert cut.endswith("… = [0.121952, 0.546549]")
    assert shorten_label("∂y/∂w = x = 1.0") == "∂y/∂w = x = 1.0"
