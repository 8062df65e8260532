"""The screen agrees with itself: every lesson, every step, the canvas, the explanation, the
code listing and its highlighted line, the Values panel and the gradient check show the
same numbers, also after a Values edit, after reopening a saved session and in the
playground."""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui_backprop.core.formatting import format_number, format_value
from gui_backprop.core.graph import NodeKind
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.canvas.tensor_cells import TOOLTIP_DIGITS
from gui_backprop.ui.window.main_window import MainWindow
from tests.ui.session_helpers import Dialogs, press, run_program, type_value
from tests.ui.window_helpers import (
    IGNORE_OFFSCREEN_NOISE,
    LESSON_IDS,
    assert_shows_state,
    open_window,
)

pytestmark = IGNORE_OFFSCREEN_NOISE

LEAF_LINE = re.compile(r"^(\w+) = torch\.tensor\((.*?)(, requires_grad=True)?\)", re.M)
UPDATE_LINE = re.compile(r"^\s*(\w+) -= (\S+) \* \1\.grad", re.M)
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-?\d+)?")


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def on_screen_numbers(window: MainWindow) -> set[str]:
    """Every number the canvas and the Values panel show (signs aside)."""
    view = window.graph_view
    texts = [f"{item.title_text()} {item.subtitle_text()} {item.value_text()} "
             f"{item.grad_text()}" for item in view.node_items().values()]
    texts += [item.label_text() for item in view.edge_items().values()]
    texts += [field.edit.text() for field in window.values_panel.fields.values()]
    return _numbers(" ".join(texts))


def _result(formula: str) -> str:
    """The number a formula ends with: its result."""
    return re.split(r" = | ← ", formula)[-1]


def _flat(value) -> list[float]:
    """A number, list or matrix as its elements (approx compares flat lists)."""
    return [float(v) for v in np.ravel(value)]


def _tuples(value):
    """A typed list (or matrix) as the nested tuples the core's values are."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def assert_code_agrees_with_values(window: MainWindow) -> None:
    """The listing creates each leaf with the Values panel's value and updates with its
    learning rate."""
    listing = window.code_panel.view.toPlainText()
    assert listing == window.model.code_text
    fields = window.values_panel.fields
    leaves = {name: ast.literal_eval(text) for name, text, _ in LEAF_LINE.findall(listing)}
    shown_values = {key: ast.literal_eval(field.edit.text()) for key, field in fields.items()
                    if key != window.values_panel.LEARNING_RATE}
    assert set(shown_values) <= set(leaves), (shown_values, listing)
    for name, value in shown_values.items():
        assert _flat(leaves[name]) == pytest.approx(_flat(value), rel=1e-11), name
    rate = float(fields[window.values_panel.LEARNING_RATE].edit.text())
    updates = UPDATE_LINE.findall(listing)
    assert updates, listing
    assert all(float(lr) == pytest.approx(rate, rel=1e-11) for _, lr in updates), listing


def assert_step_agrees(window: MainWindow) -> None:
    """At the current position: the canvas shows what the explanation says, the code
    note names the highlighted line, the update uses the Values panel's numbers."""
    model = window.model
    assert_shows_state(window, model.walkthrough, model.position)
    step = model.step
    shown = window.explanation.explanation()
    if step is None:
        assert shown.code_note == ""
        return
    view = window.graph_view
    history = " ".join(format_value(v) for v in model.iteration.grad_before.values()
                       if v is not None)  # what .grad held before this pass: said in words
    missing = _numbers(step.formula) - on_screen_numbers(window) - _numbers(history)
    # a matrix or long vector on an edge is labelled by its shape, its numbers on hover
    # to TOOLTIP_DIGITS significant digits
    hovered = _numbers(" ".join(item.toolTip() for item in view.edge_items().values()
                                if item.label_text().endswith("(hover)")))
    missing = {n for n in missing if format_number(float(n), TOOLTIP_DIGITS) not in hovered}
    assert not missing, (step.title, step.formula, missing)
    result = _result(step.formula)
    if step.stage is Stage.LOCAL:
        edge = view.edge_item(step.edge)
        if edge.label_text().endswith("(hover)"):
            assert {format_number(float(n), TOOLTIP_DIGITS) for n in _numbers(result)} \
                <= _numbers(edge.toolTip()), step.title
        else:
            assert edge.label_text().endswith("= " + result), step.title
    else:
        item = view.node_item(step.node)
        assert result in item.value_text() + " " + item.grad_text(), (step.title, result)
    line = window.shown_code_line()
    assert shown.code_note == model.code_note() and f"line {line}," in shown.code_note
    if model.is_playground:
        code = window.playground_panel.editor.toPlainText().splitlines()[line - 1].strip()
    else:
        code = window.code_panel.highlighted_text().split("  #")[0].strip()
    assert code and f", {code}." in shown.code_note, (code, shown.code_note)
    if step.stage is Stage.UPDATE:
        rate = window.values_panel.fields[window.values_panel.LEARNING_RATE].edit.text()
        assert f" - {format_number(float(rate))} × " in step.formula, step.formula
        if not model.is_playground:
            assert f"{step.parameter} -= " in code
        if step.iteration == 0:
            before = window.values_panel.fields[step.parameter].edit.text()
            assert step.formula.split(" = ")[1].startswith(
                format_value(_tuples(ast.literal_eval(before)))), (step.formula, before)


def assert_gradient_check_agrees(window: MainWindow) -> None:
    """The gradient check's autograd column is the gradient the canvas showed; where
    ``.grad`` holds more (not zeroed), the check says so with the canvas's number."""
    panel = window.gradient_check_panel
    window.show_gradient_check()
    it = window.model.iteration
    table = panel.table
    assert table.rowCount() == len(window.model.walkthrough.trace.parameters)
    column = {table.horizontalHeaderItem(c).text(): c for c in range(table.columnCount())}
    for row in range(table.rowCount()):
        name = table.item(row, column["Name"]).text()
        node = it.node_named(name)
        assert table.item(row, column["Autograd"]).text() == format_value(node.grad, 10)
        if node.grad_attr != node.grad:
            assert f"{name}.grad holds {format_value(node.grad_attr)}" in panel.summary.text()
        assert table.item(row, column["Agree?"]).text() == "✓ yes"


def walk_and_check(qtbot, window: MainWindow) -> None:
    """Next through every step from the start, checking each; the gradient check at the
    end of each iteration's backward pass."""
    window.model.reset()
    assert_code_agrees_with_values(window)
    assert_step_agrees(window)
    steps = window.model.walkthrough.steps
    for index, step in enumerate(steps):
        qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
        assert window.model.position == index + 1
        assert_step_agrees(window)
        following = steps[index + 1] if index + 1 < len(steps) else None
        if step.stage is Stage.BACKWARD and (following is None
                                             or following.stage is not Stage.BACKWARD):
            assert_gradient_check_agrees(window)
    window.side_tabs.setCurrentWidget(window.values_panel)


def _a_parameter_and_new_value(window: MainWindow) -> tuple[str, str]:
    trace = window.model.walkthrough.trace
    name = trace.parameters[0]
    value = trace.values[name]
    return name, _shifted(value)


def _shifted(value) -> str:
    """The value typed with every element moved (by 0.5 in a list, 0.75 alone)."""
    if isinstance(value, tuple) and isinstance(value[0], tuple):  # a matrix: its rows
        return "[" + ", ".join(_shifted(row) for row in value) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_number(v + 0.5) for v in value) + "]"
    return format_number(value + 0.75)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_step_agrees_as_opened_and_after_a_values_edit(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    walk_and_check(qtbot, window)
    name, text = _a_parameter_and_new_value(window)
    with qtbot.waitSignal(window.model.traced):
        type_value(qtbot, window, name, text)
    with qtbot.waitSignal(window.model.traced):
        type_value(qtbot, window, "learning_rate", "0.03")
    assert window.values_panel.field(name).text() != ""
    walk_and_check(qtbot, window)


@pytest.mark.parametrize("lesson_id", ["one-training-step", "forgetting-zero-grad"])
def test_every_step_agrees_after_reopening_a_saved_session(qtbot, tmp_path, monkeypatch,
                                                           lesson_id):
    dialogs = Dialogs(monkeypatch)
    window = open_window(qtbot, tmp_path / "a", lesson_id)
    type_value(qtbot, window, "w", "3")
    type_value(qtbot, window, "learning_rate", "0.5")
    window.model.jump(5)
    dialogs.save_to = tmp_path / "work.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    other = open_window(qtbot, tmp_path / "b", "chain-rule")
    dialogs.open_from = tmp_path / "work.bplab"
    press(qtbot, other, Qt.Key.Key_O)
    assert dialogs.warnings == [] and other.model.position == 5
    assert "w = torch.tensor(3.0, requires_grad=True)" in other.code_panel.view.toPlainText()
    assert_step_agrees(other)
    walk_and_check(qtbot, other)


def test_every_step_agrees_in_the_playground(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, "x = [1.0, 2.0, 3.0]\nw = 0.5\nb = 0.25\n"
                               "y = w * x + b\nloss = mean((y - 2) ** 2) + b ** 2")
    assert window.playground_panel.error_text() == ""
    walk_and_check(qtbot, window)


def test_the_canvas_and_the_explanation_name_a_value_that_is_not_a_number(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, "x = -1.0\nw = 2.0\ny = sqrt(x) * w")
    walkthrough = window.model.walkthrough
    node = walkthrough.trace.first.nodes[
        next(n.id for n in walkthrough.trace.first.nodes if n.op == "sqrt")]
    (forward,) = [s for s in walkthrough.steps if s.stage is Stage.FORWARD and s.node == node.id]
    window.model.jump(forward.index)
    item = window.graph_view.node_item(node.id)
    assert item.note_text() == ""  # not computed yet
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
    assert item.value_text() == "= nan"
    assert item.note_text() == "⚠ sqrt(-1.0) is undefined"
    assert "sqrt(-1.0) is undefined: a negative number has no real square root" in \
        window.explanation.explanation().sentence
    window.model.jump_to_stage(Stage.UPDATE)
    update = window.model.step
    assert f"Careful: {update.parameter} is now nan" in window.explanation.explanation().sentence
    leaf = window.graph_view.node_item(window.model.iteration.node_named(update.parameter).id)
    assert leaf.value_text().endswith("→ nan") and "updated to nan" in leaf.note_text()
    assert window.model.iteration.node_named("x").kind is NodeKind.LEAF


def test_the_code_panel_follows_the_values_and_the_learning_rate(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    type_value(qtbot, window, "w", "3")
    type_value(qtbot, window, "learning_rate", "0.5")
    window.model.jump_to_stage(Stage.UPDATE)
    assert window.explanation.formula_text().endswith("= 3.0 - 0.5 × 2.0 = 2.0")
    assert window.code_panel.highlighted_text() == "        w -= 0.5 * w.grad"
    listing = window.code_panel.view.toPlainText()
    assert "w = torch.tensor(3.0, requires_grad=True)" in listing and "0.01" not in listing
