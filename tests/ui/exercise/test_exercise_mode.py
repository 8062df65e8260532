"""Predict the gradient, through the real widgets: Next asks first, Enter checks, the
number stays hidden until the learner has answered, and the score counts."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui_backprop.core.exercise import question_for
from gui_backprop.core.formatting import format_value
from gui_backprop.core.walkthrough import Stage
from tests.shared_helpers import typed_answer, wrong_answer
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window, shown

pytestmark = IGNORE_OFFSCREEN_NOISE

LESSON = "one-training-step"


def _window(qtbot, tmp_path, lesson=LESSON):
    window = open_window(qtbot, tmp_path, lesson)
    qtbot.mouseClick(window.exercise_panel.switch, Qt.MouseButton.LeftButton)
    assert window.exercise.enabled
    return window


def _shows_step(window, position: int) -> bool:
    """Whether the canvas shows the number that step ``position`` reveals."""
    walkthrough = window.model.walkthrough
    step = walkthrough.steps[position]
    it = walkthrough.trace.iterations[step.iteration]
    view = window.graph_view
    if step.stage is Stage.LOCAL:
        return view.edge_item(step.edge).label_text().endswith(
            "= " + format_value(it.edges[step.edge].local_grad))
    item = view.node_item(step.node)
    text = item.value_text() if step.stage is Stage.FORWARD else item.grad_text()
    return "?" not in text


def _press_next(qtbot, window):
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)


def _answer(qtbot, window, text: str):
    field = window.exercise_panel.answer
    assert field.hasFocus()  # the question put the cursor there
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)




def test_the_mode_is_off_by_default_and_next_steps_at_once(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, LESSON)
    assert not window.exercise.enabled
    assert not window.exercise_panel.switch.isChecked()
    assert not window.menus.actions["exercise"].isChecked()
    _press_next(qtbot, window)
    assert window.model.position == 1
    assert not window.exercise_panel.question_shown()
    assert not window.exercise_panel.score_label.isVisibleTo(window)


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("stage", [Stage.FORWARD, Stage.LOCAL, Stage.BACKWARD],
                         ids=lambda stage: stage.value)
def test_each_stage_asks_hides_the_number_then_judges_and_reveals(qtbot, tmp_path, stage,
                                                                  right):
    window = _window(qtbot, tmp_path)
    walkthrough = window.model.walkthrough
    start = walkthrough.first_of(stage) - 1  # the next step is the stage's first
    window.model.jump(start)
    before = shown(window)
    _press_next(qtbot, window)
    panel = window.exercise_panel
    question = question_for(walkthrough, walkthrough.steps[start])
    assert panel.question_shown()
    assert panel.prompt.text() == question.prompt
    assert shown(window) == before  # nothing moved: the canvas cannot give it away
    assert not _shows_step(window, start)
    assert format_value(question.expected) not in panel.prompt.text() + panel.message_text()

    answer = question.expected if right else wrong_answer(question.expected)
    _answer(qtbot, window, typed_answer(answer))
    message = panel.message_text()
    assert message.startswith("✓ Right" if right else "✗ Not quite")
    assert walkthrough.steps[start].formula in message  # the working: upstream x local
    assert panel.score_label.text() == ("Score: 1 / 1" if right else "Score: 0 / 1")
    assert window.model.position == start and not _shows_step(window, start)

    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)  # Enter again shows it on the graph
    assert window.model.position == start + 1
    assert _shows_step(window, start)
    assert not panel.question_shown()
    assert window.graph_view.hasFocus()  # so Space steps on, not toggles the switch


def test_the_whole_stage_by_keyboard_keeps_the_score(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    walkthrough = window.model.walkthrough
    window.graph_view.setFocus()
    backward = [s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.iteration == 0]
    window.model.jump(backward[0].index)
    for number, step in enumerate(backward, start=1):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)
        assert window.model.position == step.index
        expected = question_for(walkthrough, step).expected
        _answer(qtbot, window, typed_answer(expected if number != 2 else wrong_answer(expected)))
        qtbot.keyClick(window.exercise_panel.answer, Qt.Key.Key_Return)
        assert window.model.position == step.index + 1
    right = len(backward) - 1
    assert window.exercise_panel.score_label.text() == f"Score: {right} / {len(backward)}"


def test_invalid_text_gives_a_message_and_does_not_count(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    panel = window.exercise_panel
    _answer(qtbot, window, "minus two")
    assert "type a number" in panel.message_text()
    assert panel.score_label.text() == "Score: 0 / 0"
    assert panel.question_shown() and window.model.position == 0
    assert panel.answer.selectedText() == "minus two"  # ready to be typed over
    _answer(qtbot, window, typed_answer(window.exercise.question.expected))
    assert panel.score_label.text() == "Score: 1 / 1"


def test_typing_in_the_answer_does_not_step_the_walkthrough(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    field = window.exercise_panel.answer
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home,
                Qt.Key.Key_Backspace, Qt.Key.Key_P, Qt.Key.Key_F):
        qtbot.keyClick(field, key)
    assert window.model.position == 0
    assert window.exercise_panel.question_shown()
    assert not window.player.is_playing()
    assert field.text() == "pf "  # the keys edited the field (P, F typed letters)
    field.clear()
    qtbot.keyClicks(field, "1 p")
    assert field.text() == "1 p"


def test_hint_and_show_me(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    panel = window.exercise_panel
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    assert panel.message_text() == f"Hint: {window.exercise.question.hint}"
    assert not panel.hint_button.isEnabled()
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert window.model.position == 1 and _shows_step(window, 0)
    assert panel.score_label.text() == "Score: 0 / 0"  # shown, not answered


def test_a_second_next_reveals_and_back_withdraws_the_question(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    _press_next(qtbot, window)
    assert window.model.position == 1
    _press_next(qtbot, window)
    assert window.exercise_panel.question_shown() and window.model.position == 1
    qtbot.mouseClick(window.controls.back_button, Qt.MouseButton.LeftButton)
    assert window.model.position == 0
    assert not window.exercise_panel.question_shown()
    _press_next(qtbot, window)  # an answered (here: shown) step is not asked again
    assert window.model.position == 1


def test_update_and_zero_grad_steps_are_not_asked(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    walkthrough = window.model.walkthrough
    for stage in (Stage.UPDATE, Stage.ZERO_GRAD):
        window.model.jump(walkthrough.first_of(stage) - 1)
        _press_next(qtbot, window)
        assert window.model.position == walkthrough.first_of(stage)
        assert not window.exercise_panel.question_shown()


def test_play_stops_at_each_question(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    window.player.set_interval(10)
    qtbot.mouseClick(window.controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.player.is_playing())
    assert window.exercise_panel.question_shown() and window.model.position == 0


def test_the_menu_action_and_the_switch_agree(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, LESSON)
    action = window.menus.actions["exercise"]
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.exercise.enabled and action.isChecked()
    assert window.exercise_panel.switch.isChecked()
    _press_next(qtbot, window)
    assert window.exercise_panel.question_shown()
    window.exercise_panel.switch.click()
    assert not window.exercise.enabled and not action.isChecked()
    assert not window.exercise_panel.question_shown()
    _press_next(qtbot, window)
    assert window.model.position == 1


def test_the_score_is_kept_per_lesson(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    _answer(qtbot, window, typed_answer(window.exercise.question.expected))
    assert window.exercise_panel.score_label.text() == "Score: 1 / 1"
    window.model.open_lesson("chain-rule")
    assert window.exercise_panel.score_label.text() == "Score: 0 / 0"
    assert not window.exercise_panel.question_shown()
    window.model.open_lesson(LESSON)
    assert window.exercise_panel.score_label.text() == "Score: 1 / 1"


def _at_a_vector_question(qtbot, tmp_path):
    """Linear regression with the exercise on, asking its first vector question."""
    window = _window(qtbot, tmp_path, "linear-regression")
    walkthrough = window.model.walkthrough
    step = next(s for s in walkthrough.steps if s.stage is Stage.FORWARD
                and isinstance(question_for(walkthrough, s).expected, tuple))
    window.model.jump(step.index)
    _press_next(qtbot, window)
    return window


def test_a_vector_answer_is_a_list(qtbot, tmp_path):
    window = _at_a_vector_question(qtbot, tmp_path)
    expected = window.exercise.question.expected
    _answer(qtbot, window, typed_answer(expected))
    assert window.exercise_panel.message_text().startswith("✓ Right")


def test_the_question_is_named_for_screen_readers_and_reached_by_tab(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    panel = window.exercise_panel
    controls = [panel.switch, panel.answer, panel.check_button, panel.hint_button,
                panel.show_button]
    for widget in controls:
        assert widget.isVisibleTo(window)
        assert widget.objectName() and widget.accessibleName(), widget
    reached = set()
    for _ in range(60):
        reached.add(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert all(widget in reached for widget in controls)
    assert window.model.position == 0 and panel.question_shown()


def test_switching_off_and_on_or_editing_a_value_asks_again(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    _press_next(qtbot, window)  # shown
    window.model.back()
    panel = window.exercise_panel
    panel.switch.click()
    panel.switch.click()
    _press_next(qtbot, window)
    assert panel.question_shown() and window.model.position == 0
    _press_next(qtbot, window)
    window.model.back()
    field = window.values_panel.field("w")
    field.setText("3.0")
    field.editingFinished.emit()  # new numbers: a new question
    _press_next(qtbot, window)
    assert panel.question_shown() and window.exercise.question.expected == 3.0


def test_step_list_tooltips_do_not_give_away_future_answers(qtbot):
    from gui_backprop.core.lessons import load_lessons
    from gui_backprop.ui.walkthrough.step_list import FORMULA_ROLE, PENDING_TIP, POSITION_ROLE
    from gui_backprop.ui.window.main_window import MainWindow

    window = MainWindow(load_lessons())
    qtbot.addWidget(window)
    window.model.open_lesson(window.model.lessons[2])
    window.model.jump(3)
    steps = window.step_list
    for row in range(steps.count()):
        item = steps.item(row)
        position = item.data(POSITION_ROLE)
        if position is None:
            continue
        if position <= 3:
            assert item.toolTip() == item.data(FORMULA_ROLE)
        else:
            assert item.toolTip() == PENDING_TIP


def test_a_vector_of_the_wrong_length_is_a_format_error_not_a_wrong_answer(qtbot, tmp_path):
    window = _at_a_vector_question(qtbot, tmp_path)
    panel = window.exercise_panel
    expected = window.exercise.question.expected
    _answer(qtbot, window, "[1.0, 2.0]")
    assert f"vector of {len(expected)} values, not 2" in panel.message_text()
    assert format_value(expected) not in panel.message_text()  # the answer is not given away
    assert panel.score_label.text() == "Score: 0 / 0" and panel.question_shown()
    panel.answer.selectAll()
    _answer(qtbot, window, "3.0")
    assert f"vector of {len(expected)} values" in panel.message_text()
    assert panel.score_label.text() == "Score: 0 / 0"
    panel.answer.selectAll()
    _answer(qtbot, window, typed_answer(expected))
    assert panel.score_label.text() == "Score: 1 / 1"


def test_the_forward_hint_names_the_values_to_combine(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)  # y_pred = w * x, with w = 1.0 and x = 1.0
    qtbot.mouseClick(window.exercise_panel.hint_button, Qt.MouseButton.LeftButton)
    hint = window.exercise_panel.message_text()
    assert "w = 1.0" in hint and "x = 1.0" in hint, hint


def test_the_buttons_stay_put_when_the_hint_appears(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    _press_next(qtbot, window)
    panel = window.exercise_panel
    qtbot.waitUntil(lambda: panel.hint_button.isVisible())
    before = panel.hint_button.mapTo(window, panel.hint_button.rect().topLeft())
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message_text().startswith("Hint"))
    QApplication.processEvents()  # the layout settles
    after = panel.show_button.mapTo(window, panel.show_button.rect().topLeft())
    assert after.y() == before.y()
