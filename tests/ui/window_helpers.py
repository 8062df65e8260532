"""Helpers for the window tests: open a window with throw-away settings, read what it shows,
and what the core says it should show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from gui_backprop.core.formatting import format_value
from gui_backprop.core.graph import NodeKind
from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.step_text import edge_label, edge_rule
from gui_backprop.core.walkthrough import WalkState, Walkthrough
from gui_backprop.ui.canvas.content import shorten_label
from gui_backprop.ui.canvas.tensor_cells import TensorDisplay, display_of, shape_text
from gui_backprop.ui.window.main_window import MainWindow

# The offscreen platform says so whenever a real top-level window sets its minimum size.
IGNORE_OFFSCREEN_NOISE = pytest.mark.qt_log_ignore("This plugin does not support "
                                                   "propagateSizeHints")

LESSONS = load_lessons()
LESSON_IDS = [lesson.id for lesson in LESSONS]


def open_window(qtbot, tmp_path, lesson: str | None = None, show: bool = True) -> MainWindow:
    """A main window with settings in ``tmp_path`` (never the user's), registered with qtbot."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LESSONS, settings)
    qtbot.addWidget(window)
    if lesson is not None:
        window.model.open_lesson(lesson)
    if show:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def run_app_looking(qtbot, args, look) -> int:
    """``run_app(args)``, calling ``look(window)`` once the full window is on screen (the
    start window paints first, the full one when torch is loaded); ``look`` closes it
    and quits. Returns run_app's exit status."""
    from gui_backprop.ui import app as app_module

    def when_shown():
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(20, when_shown)
        else:
            look(window)

    QTimer.singleShot(0, when_shown)
    status = app_module.run_app(args)
    # The offscreen platform activates no window shown first after the event loop quit
    # with two windows swapped: a throw-away one takes that turn, not the next test's.
    settle = QWidget()
    settle.show()
    qtbot.waitExposed(settle)
    settle.close()
    return status


def shown(window: MainWindow) -> dict:
    """Everything the canvas and the panels show, as plain data (for before/after compares)."""
    view = window.graph_view
    nodes = {node_id: (item.value_text(), item.grad_text(), item.is_current(), item.is_pending())
             for node_id, item in view.node_items().items()}
    edges = {edge_id: (item.label_text(), item.is_current())
             for edge_id, item in view.edge_items().items()}
    return {
        "position": window.model.position,
        "nodes": nodes,
        "edges": edges,
        "explanation": window.explanation.explanation(),
        "code_line": window.shown_code_line(),
        "step_row": window.step_list.current_position(),
        "position_label": window.controls.position_label.text(),
        "back_enabled": window.controls.back_button.isEnabled(),
        "next_enabled": window.controls.next_button.isEnabled(),
        "values": {key: field.edit.text() for key, field in window.values_panel.fields.items()},
    }


def expected_code_line(window: MainWindow, state: WalkState) -> int | None:
    """The line of the listing (or, in the playground, of the program) a step runs."""
    step = state.step
    if step is None:
        return None
    model = window.model
    if not model.is_playground:
        return step.code_line
    it = model.walkthrough.trace.iterations[step.iteration]
    node = it.nodes[step.node if step.node is not None else it.edges[step.edge].target]
    statement = model.program.statements[node.statement].text
    lines = [line.strip() for line in model.program.source.splitlines()]
    return lines.index(statement) + 1  # the playground's editor shows the source as typed


def grad_shown(prefix: str, value) -> str:
    """How a node writes a gradient: ``grad +1.0``, ``w.grad -2.0``, ``grad ?``."""
    if value is None:
        return f"{prefix} ?"
    sign = "+" if not isinstance(value, tuple) and value > 0 else ""
    return f"{prefix} {sign}{format_value(value)}"


def _edge_label_fits(label: str, it, edge) -> bool:
    """An edge label is core's, or for a matrix or long vector the rule and the shape
    (the numbers are in its tooltip); a long one is cut with an ellipsis."""
    if display_of(edge.local_grad) is TensorDisplay.TEXT:
        return label == shorten_label(edge_label(it, edge))
    shape = shape_text(edge.local_grad)
    shape = shape if "×" in shape else f"{shape} values"
    return label == shorten_label(f"{edge_rule(it, edge)} = {shape} (hover)")


def assert_shows_state(window: MainWindow, walkthrough: Walkthrough, position: int) -> None:
    """What the window shows equals the core's state after ``position`` steps."""
    state = walkthrough.state_at(position)
    it = walkthrough.trace.iterations[state.iteration]
    view = window.graph_view
    for node in it.nodes:
        item = view.node_item(node.id)
        value, grad = item.value_text(), item.grad_text()
        where = (position, node.label)
        assert item.is_current() == (state.step is not None and state.step.node == node.id), where
        if node.kind is NodeKind.CONSTANT:
            continue
        if node.id not in state.values:
            assert value == "?", (where, value)
        elif node.kind is NodeKind.LEAF and state.parameters.get(node.name, node.value) \
                != node.value:
            updated = format_value(state.parameters[node.name])
            assert value == f"= {format_value(node.value)} → {updated}", (where, value)
        else:
            assert value == f"= {format_value(node.value)}", (where, value)
        if node.kind is NodeKind.LEAF and node.name in state.grad_attrs:
            assert grad == grad_shown(f"{node.name}.grad", state.grad_attrs[node.name]), \
                (where, grad)
        elif node.kind is NodeKind.OPERATION and node.grad is not None:
            revealed = node.grad if node.id in state.grads else None
            assert grad == grad_shown("grad", revealed), (where, grad)
    for edge in it.edges:
        label = view.edge_item(edge.id).label_text()
        if edge.tracked and edge.id in state.local_grads:
            assert _edge_label_fits(label, it, edge), (position, label)
        else:
            assert label == "", (position, label)
        current = (state.step is not None and state.step.edge == edge.id)
        assert view.edge_item(edge.id).is_current() == current, (position, edge.id)
    explanation = window.explanation
    if state.step is None:
        assert explanation.title_text() == window.model.lesson.title
        assert explanation.formula_text() == ""
    else:
        assert explanation.title_text() == state.step.title
        assert explanation.formula_text() == state.step.formula
        assert explanation.formula_is_typeset(), state.step.latex
    assert window.shown_code_line() == expected_code_line(window, state)
    assert window.step_list.current_position() == position
    assert window.controls.position_label.text() == f"Step {position} of {len(walkthrough)}"


def type_into(qtbot, line_edit, text: str) -> None:
    """Replace a field's text as a learner does (select all, Delete, type, Enter)."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def pick_rule(qtbot, panel, rule) -> None:
    """Choose the Train tab's update rule as a learner does: the box's first item, then
    Down."""
    box = panel.form.rule
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.findData(rule)):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == rule
