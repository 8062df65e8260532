"""Editing values, the learning rate and the playground program; the gradient check."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from gui_backprop.core import tracer
from gui_backprop.core.formatting import format_value
from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.editing.values_panel import ValuesPanel
from tests.ui.window_helpers import (
    IGNORE_OFFSCREEN_NOISE,
    LESSON_IDS,
    assert_shows_state,
    open_window,
    shown,
    type_into,
)

pytestmark = IGNORE_OFFSCREEN_NOISE



def test_a_value_edit_retraces_and_keeps_the_position(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(10)
    field = window.values_panel.field("w")
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, field, "3")
    assert window.model.position == 10
    expected = find_lesson("one-training-step").walkthrough(values={"w": 3.0})
    assert_shows_state(window, expected, 10)
    w = expected.trace.first.node_named("w")
    assert window.graph_view.node_item(w.id).grad_text() == "w.grad +2.0"
    assert window.explanation.formula_text().endswith("× 1.0 = 2.0")
    assert field.text() == "3.0"
    assert window.values_panel.error_text("w") == ""


def test_a_vector_value_can_be_edited(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field("x"), "[1, 2, 3, 4, 6]")
    x = window.model.iteration.node_named("x")
    assert x.value == (1.0, 2.0, 3.0, 4.0, 6.0)
    assert window.graph_view.node_item(x.id).value_text() == "= " + format_value(x.value)


def test_the_learning_rate_changes_the_update(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump_to_stage(Stage.UPDATE)
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field(ValuesPanel.LEARNING_RATE), "0.5")
    assert window.model.step.stage is Stage.UPDATE
    assert window.explanation.formula_text().endswith("= 2.0")  # 1 - 0.5 * (-2)
    w = window.model.iteration.node_named("w")
    assert window.graph_view.node_item(w.id).value_text() == "= 1.0 → 2.0"


@pytest.mark.parametrize(("key", "text", "message"), [
    ("w", "abc", "not a number"),
    ("w", "nan", "finite"),
    ("w", "inf", "finite"),
    ("x", "1e999", "finite"),
    ("w", "", "enter a number"),
    (ValuesPanel.LEARNING_RATE, "0", "learning rate"),
    (ValuesPanel.LEARNING_RATE, "-0.1", "learning rate"),
    (ValuesPanel.LEARNING_RATE, "101", "learning rate"),
    (ValuesPanel.LEARNING_RATE, "[1, 2]", "learning rate"),
    ("w", "__import__('os')", "not a number"),
])
def test_a_bad_value_is_refused_beside_its_field_and_nothing_changes(qtbot, tmp_path, key,
                                                                     text, message):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(8)
    before = shown(window)
    field = window.values_panel.field(key)
    with qtbot.waitSignal(window.model.failed) as failed:
        type_into(qtbot, field, text)
    assert message in failed.args[0].lower()
    error = window.values_panel.error_text(key)
    assert message in error.lower() and "Still using" in error
    assert window.values_panel.fields[key].error.isVisible()
    # The learner's text stays, marked, to be corrected; everything else is as it was.
    assert field.text() == text and field.property("invalid") is True
    now = shown(window)
    assert now["values"].pop(key) == text
    before["values"].pop(key)
    assert now == before
    assert window.model.values == {"x": 1.0, "y": 2.0, "w": 1.0}
    assert window.model.learning_rate == 0.01
    # The next good edit clears the message.
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, field, "0.2" if key == ValuesPanel.LEARNING_RATE else "1.5")
    assert window.values_panel.error_text(key) == ""
    assert field.property("invalid") is False
    assert window.statusBar().currentMessage() == ""  # the refusal is no longer true


def test_a_vector_where_the_output_needs_a_number_is_refused(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    with qtbot.waitSignal(window.model.failed):
        type_into(qtbot, window.values_panel.field("x"), "[1, 2]")
    assert window.values_panel.error_text("x").startswith(
        "x is a single number here: a list makes the output a list too, and backward() "
        "needs one number")  # not the program's advice to take a mean
    assert window.model.values["x"] == 1.0


@pytest.fixture
def traces(monkeypatch):
    """Counts the programs traced through autograd (one Trace each)."""
    made = []
    real = tracer.Trace

    def counting(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(tracer, "Trace", counting)
    return made


@pytest.mark.parametrize("key, text", [("w", "0.5"), (ValuesPanel.LEARNING_RATE, "0.02")])
def test_an_edit_is_traced_once_for_every_panel(qtbot, tmp_path, traces, key, text):
    window = open_window(qtbot, tmp_path, "linear-regression")
    traces.clear()
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field(key), text)
    assert len(traces) == 1  # the walkthrough, the Train tab and the files all share it
    assert window.train_panel.problem.values["w"] == window.model.values["w"]
    assert window.train_panel.problem.learning_rate == window.model.learning_rate


def test_unchanged_text_does_not_retrace(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    walkthrough = window.model.walkthrough
    type_into(qtbot, window.values_panel.field("x"), "1.5")
    assert window.model.walkthrough is walkthrough


# -- the playground ---------------------------------------------------------------------


def type_lines(qtbot, editor, text):
    """Type like a learner: QTest cannot type a newline character, so press Return."""
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def run_program(qtbot, window, text):
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_lines(qtbot, editor, text)
    qtbot.mouseClick(window.playground_panel.run_button, Qt.MouseButton.LeftButton)


def test_the_playground_editor_takes_the_code_panels_place(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    panel = window.playground_panel
    assert panel.isVisible() and not window.code_panel.isVisible()
    assert panel.editor.toPlainText() == find_lesson("playground").program.source
    assert sorted(panel.checkboxes) == ["b", "t", "w", "x"]
    assert panel.chosen_parameters() == ["w", "b"]
    window.model.jump(2)  # forward: y = x * w + b
    assert panel.editor.current_line() == 5
    window.model.open_lesson("chain-rule")
    assert window.code_panel.isVisible() and not panel.isVisible()


def test_editing_the_program_clears_the_highlight_until_it_runs(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    window.model.jump(2)
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "z = loss * 2")
    assert editor.current_line() is None
    window.model.jump(1)
    assert editor.current_line() is None
    with qtbot.waitSignal(window.model.traced):
        qtbot.mouseClick(window.playground_panel.run_button, Qt.MouseButton.LeftButton)
    assert window.model.position == 0 and editor.current_line() is None  # a new graph
    window.model.jump(1)
    assert editor.current_line() == 5
    assert editor.textCursor().blockNumber() == 6  # the learner's cursor stayed put


def test_a_good_program_becomes_the_graph(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, "a = 2.0\nb = 3.0\nc = a * b\nloss = sin(c)")
    panel = window.playground_panel
    assert panel.error_text() == ""
    assert sorted(panel.checkboxes) == ["a", "b"]
    titles = sorted(item.title_text() for item in window.graph_view.node_items().values())
    assert titles == ["a", "b", "c", "loss"]
    assert window.model.program.source == "a = 2.0\nb = 3.0\nc = a * b\nloss = sin(c)"
    walkthrough = window.model.walkthrough
    assert walkthrough.trace.parameters == ("a", "b")
    for position in range(len(walkthrough) + 1):
        window.model.jump(position)
        assert_shows_state(window, walkthrough, position)
    c = walkthrough.trace.first.node_named("c")
    window.model.jump(1)
    assert window.shown_code_line() == 3
    assert window.graph_view.node_item(c.id).value_text() == "= 6.0"


def untick(qtbot, box):
    """With the keyboard: Space on a focused checkbox toggles it (no stepping shortcut)."""
    assert box.isChecked()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked()


def test_unticked_values_are_not_parameters(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    panel = window.playground_panel
    untick(qtbot, panel.checkboxes["b"])
    with qtbot.waitSignal(window.model.traced):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert window.model.walkthrough.trace.parameters == ("w",)


@pytest.mark.parametrize(("program", "line", "column", "words"), [
    ("x = 1.0\ny = x +* 2", 2, None, "syntax"),
    ("x = 1.0\ny = q * x", 2, 5, "used before"),
    ("x = 1.0\nimport os", 2, 1, "only assignments"),
    ("x = 1.0\ny = foo(x)", 2, 5, "unknown function"),
])
def test_a_bad_program_is_marked_inline_and_the_graph_stays(qtbot, tmp_path, program, line,
                                                             column, words):
    window = open_window(qtbot, tmp_path, "playground")
    window.model.jump(2)
    before = shown(window)
    with qtbot.waitSignal(window.model.failed):
        run_program(qtbot, window, program)
    panel = window.playground_panel
    message = panel.error_text()
    assert message.startswith(f"Line {line}") and words in message.lower()
    error_line, error_column = panel.editor.error_position()
    assert error_line == line
    if column is not None:
        assert error_column == column
    underline = [s for s in panel.editor.extraSelections()
                 if s.format.underlineStyle() == s.format.UnderlineStyle.WaveUnderline]
    assert len(underline) == 1
    assert underline[0].cursor.block().blockNumber() == line - 1
    assert underline[0].cursor.hasSelection()
    after = shown(window)
    assert after.pop("code_line") is None  # the editor no longer holds the program that ran
    before.pop("code_line")
    assert after == before


def test_no_parameter_chosen_is_refused(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    panel = window.playground_panel
    for name in panel.chosen_parameters():
        untick(qtbot, panel.checkboxes[name])
    with qtbot.waitSignal(window.model.failed):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert "at least one parameter" in panel.error_text()


def test_ctrl_enter_runs_the_program(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_lines(qtbot, editor, "\nz = loss * 2")
    with qtbot.waitSignal(window.model.traced):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.model.program.output == "z"


# -- the gradient check ---------------------------------------------------------------------


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_gradient_check_agrees_for_every_lesson(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    panel = window.gradient_check_panel
    window.side_tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    parameters = window.model.walkthrough.trace.parameters
    assert panel.table.rowCount() == len(parameters)
    for row, name in enumerate(parameters):
        assert panel.table.item(row, 0).text() == name
        assert panel.table.item(row, 1).text() == "✓ yes"
    assert panel.summary.text().startswith("Autograd and the finite differences agree")


def test_the_gradient_check_of_a_stale_grad_explains_it(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "forgetting-zero-grad")
    window.model.jump(window.model.step_count)
    qtbot.keyClick(window.graph_view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    panel = window.gradient_check_panel
    assert window.side_tabs.currentWidget() is panel
    assert panel.table.item(0, 2).text() == "-1.96"
    assert "(iteration 2)" in panel.summary.text()
    assert "w.grad holds -3.96" in panel.summary.text()


def test_an_unbounded_slope_is_not_called_a_kink(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, "x = 0.0\nloss = sqrt(x)")  # x was data: not ticked
    box = window.playground_panel.checkboxes["x"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().bottomLeft() / 2
                     + box.rect().topLeft() / 2 + QPoint(6, 0))
    assert box.isChecked()
    qtbot.mouseClick(window.playground_panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.graph_view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    panel = window.gradient_check_panel
    assert panel.table.item(0, 2).text() == "inf"
    assert "the slope is unbounded there (such as sqrt or log at 0)" in panel.summary.text()
    assert "kink" not in panel.summary.text()


def test_the_gradient_check_is_cleared_by_an_edit(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    panel = window.gradient_check_panel
    panel.run_check()
    assert panel.table.rowCount() == 1
    window.model.set_value("x", "2")
    assert panel.table.rowCount() == 0
    assert "Press Check gradients" in panel.summary.text()


def test_start_over_brings_back_the_lessons_own_values_once_agreed(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field("w"), "3")
    dialogs.answer = QMessageBox.StandardButton.Cancel
    window.menus.actions["start_over"].trigger()
    assert window.model.values["w"] == 3.0 and len(dialogs.questions) == 1
    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.model.traced):
        window.menus.actions["start_over"].trigger()
    assert window.model.values["w"] == 1.0 and window.model.position == 0
    assert window.values_panel.field("w").text() == "1.0"
    assert "torch.tensor(1.0, requires_grad=True)" in window.code_panel.view.toPlainText()


def test_a_matrix_program_runs_and_its_matrix_is_edited_in_the_values_tab(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, "W = [[0.5, -1.0], [2.0, 0.25]]\nx = [1.0, 2.0]\n"
                                   "loss = cross_entropy(W @ x, 1)")
    field = window.values_panel.field("W")
    assert field.text() == "[[0.5, -1.0], [2.0, 0.25]]"
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, field, "[[1, 0], [0, 1]]")
    W = window.model.iteration.node_named("W")
    assert W.value == ((1.0, 0.0), (0.0, 1.0))
    assert field.text() == "[[1.0, 0.0], [0.0, 1.0]]"
    with qtbot.waitSignal(window.model.failed) as failed:
        type_into(qtbot, field, "[[1, 0], [0]]")
    assert "row 2 has 1 number but row 1 has 2" in failed.args[0]
    assert "row 2 has 1 number" in window.values_panel.fields["W"].error.text()
    assert window.model.iteration.node_named("W").value == ((1.0, 0.0), (0.0, 1.0))


MATRIX_PROGRAM = "W = [[0.5, -1.0], [2.0, 0.25]]\nx = [1.0, 2.0]\nloss = cross_entropy(W @ x, 1)"


def test_every_step_of_a_matrix_program_is_explained_and_typeset(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, MATRIX_PROGRAM)
    walkthrough = window.model.walkthrough
    for step in walkthrough.steps:
        qtbot.keyClick(window, Qt.Key.Key_Right)
        assert window.model.position == step.index + 1
        assert window.explanation.title_text() == step.title
        assert window.explanation.formula_text() == step.formula
        assert window.explanation.formula_is_typeset(), step.latex
