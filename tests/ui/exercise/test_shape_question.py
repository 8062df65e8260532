"""Predict the gradient on a tensor: at the backward step that reaches W the learner is
asked W.grad's shape first (typed, checked against autograd's), then its numbers."""

from PySide6.QtCore import Qt

from gui_backprop.core.walkthrough import Stage
from tests.shared_helpers import typed_answer
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def _asked_at_w(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "layer-as-matrix")
    qtbot.mouseClick(window.exercise_panel.switch, Qt.MouseButton.LeftButton)
    walkthrough = window.model.walkthrough
    step = next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD
                and s.node is not None
                and walkthrough.trace.first.nodes[s.node].name == "W")
    window.model.jump(step.index)
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
    assert window.model.position == step.index  # asked, not taken
    return window, step


def _type(qtbot, window, text):
    field = window.exercise_panel.answer
    assert field.hasFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_wrong_shape_is_told_plainly_then_the_numbers_are_asked(qtbot, tmp_path):
    window, step = _asked_at_w(qtbot, tmp_path)
    panel = window.exercise_panel
    assert panel.prompt.text() == "What shape is W.grad? (such as 4×5, or 7 for a vector of 7)"
    assert panel.answer.placeholderText() == "A shape, such as 4×5"
    _type(qtbot, window, "two by three")  # not a shape: a message, no point lost
    assert "rows×columns such as 4×5" in panel.message_text()
    assert panel.score_label.text() == "Score: 0 / 0"
    assert panel.prompt.text().startswith("What shape is W.grad?")
    _type(qtbot, window, "3x2")
    assert panel.message_text() == ("✗ Not quite: it is 2×3, not 3×2. A gradient always "
                                    "has the shape of its value: W is 2×3.")
    assert panel.score_label.text() == "Score: 0 / 1"
    question = window.exercise.question
    assert panel.prompt.text() == question.prompt and panel.answer.text() == ""
    assert panel.answer.placeholderText() == "Your answer, such as -2.0"
    _type(qtbot, window, typed_answer(question.expected))
    assert panel.message_text().splitlines()[1].startswith("✓ Right")
    assert panel.score_label.text() == "Score: 1 / 2"
    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)
    assert window.model.position == step.index + 1


def test_the_right_shape_by_keyboard_and_a_hint_for_each_part(qtbot, tmp_path):
    window, _step = _asked_at_w(qtbot, tmp_path)
    panel = window.exercise_panel
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    assert "the shape of the value it belongs to" in panel.message_text()
    panel.answer.setFocus()
    _type(qtbot, window, "2×3")
    assert panel.message_text() == "✓ Right: 2×3, the shape of W."
    assert panel.hint_button.isEnabled()  # the numbers have a hint of their own
    assert panel.score_label.text() == "Score: 1 / 1"
