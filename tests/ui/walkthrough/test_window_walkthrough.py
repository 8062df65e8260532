"""Every lesson, step by step, with the buttons and with the keys: the window shows the
core's trace, and Back restores every earlier state exactly."""

import pytest
from PySide6.QtCore import Qt

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.walkthrough import Stage
from tests.ui.window_helpers import (
    IGNORE_OFFSCREEN_NOISE,
    LESSON_IDS,
    assert_shows_state,
    open_window,
    shown,
)

pytestmark = IGNORE_OFFSCREEN_NOISE


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_next_button_through_every_step_shows_the_trace(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    walkthrough = find_lesson(lesson_id).walkthrough()
    assert window.model.step_count == len(walkthrough) > 0
    assert_shows_state(window, walkthrough, 0)
    for position in range(1, len(walkthrough) + 1):
        with qtbot.waitSignal(window.model.moved):
            qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
        assert_shows_state(window, walkthrough, position)
    assert not window.controls.next_button.isEnabled()


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_back_from_the_end_restores_every_earlier_state(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    next_button, back_button = window.controls.next_button, window.controls.back_button
    snapshots = [shown(window)]
    for _ in range(window.model.step_count):
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        snapshots.append(shown(window))
    assert len({s["position"] for s in snapshots}) == len(snapshots)
    for position in reversed(range(len(snapshots) - 1)):
        qtbot.mouseClick(back_button, Qt.MouseButton.LeftButton)
        assert shown(window) == snapshots[position], position
    assert not back_button.isEnabled()


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_keys_walk_like_the_buttons(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    walkthrough = find_lesson(lesson_id).walkthrough()
    target = window.graph_view
    target.setFocus()
    forward_keys = (Qt.Key.Key_Space, Qt.Key.Key_Right)
    for position in range(1, len(walkthrough) + 1):
        qtbot.keyClick(target, forward_keys[position % 2])
        assert_shows_state(window, walkthrough, position)
    back_keys = (Qt.Key.Key_Backspace, Qt.Key.Key_Left)
    for position in reversed(range(len(walkthrough))):
        qtbot.keyClick(target, back_keys[position % 2])
        assert_shows_state(window, walkthrough, position)


def test_a_shortcut_does_what_its_button_does(qtbot, tmp_path):
    by_key = open_window(qtbot, tmp_path / "a", "value-used-twice")
    by_button = open_window(qtbot, tmp_path / "b", "value-used-twice")
    presses = [(Qt.Key.Key_Space, by_button.controls.next_button)] * 5 + [
        (Qt.Key.Key_Backspace, by_button.controls.back_button),
        (Qt.Key.Key_Right, by_button.controls.next_button),
        (Qt.Key.Key_Left, by_button.controls.back_button),
        (Qt.Key.Key_Home, by_button.controls.reset_button)]
    for key, button in presses:
        by_key.activateWindow()
        qtbot.waitUntil(by_key.isActiveWindow)
        qtbot.keyClick(by_key.graph_view, key)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert shown(by_key) == shown(by_button), key


def test_home_resets_and_stage_shortcuts_jump(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    walkthrough = window.model.walkthrough
    qtbot.keyClick(window.graph_view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.model.position == walkthrough.first_of(Stage.BACKWARD)
    assert window.controls.stage_buttons[Stage.BACKWARD].isChecked()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_Home)
    assert window.model.position == 0
    assert not any(b.isChecked() for b in window.controls.stage_buttons.values())


@pytest.mark.parametrize("stage", list(Stage))
def test_stage_buttons_jump_to_the_first_step_of_their_stage(qtbot, tmp_path, stage):
    window = open_window(qtbot, tmp_path, "one-training-step")
    qtbot.mouseClick(window.controls.stage_buttons[stage], Qt.MouseButton.LeftButton)
    step = window.model.step
    assert step.stage is stage and step.iteration == 0
    assert window.model.position == window.model.walkthrough.first_of(stage)
    assert [s for s, b in window.controls.stage_buttons.items() if b.isChecked()] == [stage]


def test_a_lesson_without_zero_grad_has_that_jump_disabled(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "forgetting-zero-grad")
    assert not window.controls.stage_buttons[Stage.ZERO_GRAD].isEnabled()
    assert window.controls.stage_buttons[Stage.UPDATE].isEnabled()


def test_clicking_a_step_in_the_list_jumps_there(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    steps = window.step_list
    row = steps.row_of(5)
    rect = steps.visualItemRect(steps.item(row))
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.position == 5
    assert window.explanation.title_text() == window.model.walkthrough.steps[4].title


def test_clicking_a_stage_heading_in_the_list_does_not_move(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    window.model.jump(2)
    steps = window.step_list
    heading_row = steps.row_of(1) - 1
    rect = steps.visualItemRect(steps.item(heading_row))
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.position == 2


def test_clicking_a_node_jumps_to_its_step(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    model = window.model
    model.jump_to_stage(Stage.BACKWARD)
    w = model.iteration.node_named("w")
    view = window.graph_view
    item = view.node_item(w.id)
    point = view.mapFromScene(item.mapToScene(item.boundingRect().center()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert model.step.node == w.id and model.step.stage is Stage.BACKWARD
    assert view.node_item(w.id).is_current()


def test_play_steps_to_the_end_and_stops(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    controls = window.controls
    controls.speed_box.setCurrentIndex(controls.speed_box.count() - 1)
    window.player.set_interval(5)
    qtbot.mouseClick(controls.play_button, Qt.MouseButton.LeftButton)
    assert controls.play_button.text() == "Pause"
    with qtbot.waitSignal(window.player.playing_changed, timeout=10_000) as stopped:
        pass
    assert stopped.args == [False]
    assert window.model.position == window.model.step_count
    assert controls.play_button.text() == "Play"


def test_p_pauses_and_resumes(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.player.set_interval(60_000)
    qtbot.keyClick(window.graph_view, Qt.Key.Key_P)
    assert window.player.is_playing()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_P)
    assert not window.player.is_playing()
    assert window.model.position == 0


def test_opening_another_lesson_from_the_list(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    lessons = window.lesson_list
    window.model.jump(3)
    row = LESSON_IDS.index("value-used-twice")
    rect = lessons.visualItemRect(lessons.item(row))
    with qtbot.waitSignal(window.model.lesson_opened):
        qtbot.mouseClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.lesson.id == "value-used-twice"
    assert window.model.position == 0
    assert window.explanation.title_text() == "A value used twice"
    assert "A value used twice" in window.windowTitle()
    assert_shows_state(window, find_lesson("value-used-twice").walkthrough(), 0)
