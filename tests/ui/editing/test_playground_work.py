"""The playground as a learner uses it: Run starts a new graph at step 0, work survives
going to another lesson and back, lists default to data, and a stale error leaves the
status bar once something went through."""

from PySide6.QtCore import Qt

from tests.ui.session_helpers import run_program, type_value
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def click_lesson(qtbot, window, lesson_id):
    """Click a lesson's row in the lesson list, as a learner does."""
    lessons = window.lesson_list
    row = next(i for i, lesson in enumerate(window.model.lessons) if lesson.id == lesson_id)
    rect = lessons.visualItemRect(lessons.item(row))
    qtbot.mouseClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.lesson.id == lesson_id


def test_run_starts_a_new_graph_at_step_0(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    window.model.jump(window.model.step_count)  # at the end of the lesson's program
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, "a = 2.0\nc = a * 3.0\nloss = c ** 2")
    assert window.model.position == 0
    assert window.controls.position_label.text().startswith("Step 0 of")
    assert window.controls.next_button.isEnabled()


def test_the_playground_program_survives_another_lesson(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    program = "a = 2.0\nb = 0.5\nloss = (a * b - 1.0) ** 2"
    run_program(qtbot, window, program)
    type_value(qtbot, window, "b", "0.75")
    window.model.jump(3)
    click_lesson(qtbot, window, "one-training-step")
    type_value(qtbot, window, "w", "3")
    window.model.jump(5)
    click_lesson(qtbot, window, "playground")
    edited = program.replace("b = 0.5", "b = 0.75")  # the Values edit is in the program
    assert window.playground_panel.editor.toPlainText() == edited
    assert window.values_panel.field("b").text() == "0.75"
    assert window.model.position == 3
    assert window.model.program.source == edited and window.model.values["b"] == 0.75
    click_lesson(qtbot, window, "one-training-step")
    assert window.values_panel.field("w").text() == "3.0"
    assert window.model.position == 5


def test_a_program_not_run_yet_survives_another_lesson(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "z = loss * 2")
    typed = editor.toPlainText()
    click_lesson(qtbot, window, "chain-rule")
    click_lesson(qtbot, window, "playground")
    assert editor.toPlainText() == typed


def test_a_list_is_data_and_a_number_a_parameter_by_default(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, "x = [1.0, 2.0, 3.0]\nw = 0.5\nloss = mean((w * x) ** 2)")
    boxes = window.playground_panel.checkboxes
    assert not boxes["x"].isChecked() and boxes["w"].isChecked()
    assert window.model.parameters == ("w",)
    # The learner can still tick the list.
    boxes["x"].setFocus()
    qtbot.keyClick(boxes["x"], Qt.Key.Key_Space)
    with qtbot.waitSignal(window.model.traced):
        qtbot.mouseClick(window.playground_panel.run_button, Qt.MouseButton.LeftButton)
    assert window.model.parameters == ("x", "w")


def test_a_good_run_clears_the_last_error_from_the_status_bar(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.failed):
        run_program(qtbot, window, "x = 1.0\ny = x +* 2.0")
    assert window.statusBar().currentMessage() != ""
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, "a = 2.0\ny = a * 2.0")
    assert window.statusBar().currentMessage() == ""


def test_a_values_edit_is_written_into_the_playgrounds_program(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, "x = [1.0, 2.0]\nw = 0.5\nloss = mean(w * x)")
    window.model.jump(2)
    line = window.playground_panel.editor.current_line()
    assert line is not None
    type_value(qtbot, window, "w", "3")
    editor = window.playground_panel.editor
    assert editor.toPlainText() == "x = [1.0, 2.0]\nw = 3.0\nloss = mean(w * x)"
    assert editor.current_line() == line  # the text is the program that ran: still marked
    type_value(qtbot, window, "x", "[4, 5]")
    assert editor.toPlainText().splitlines()[0] == "x = [4.0, 5.0]"
    assert window.model.walkthrough.trace.values["w"] == 3.0
