"""The Train panel, driven like a learner drives it: settings, buttons, plots."""

import dataclasses
import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.training import TrainingProblem, TrainingStatus
from gui_backprop.ui.training import worker
from gui_backprop.ui.training.controller import TrainingState
from gui_backprop.ui.training.panel import TrainPanel

LESSONS = load_lessons()
LONG = 1_000_000


@pytest.fixture
def panel(qtbot):
    widget = TrainPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_lesson(find_lesson("linear-regression", LESSONS))
    yield widget
    widget.shutdown()
    assert_no_training_thread()


def assert_no_training_thread():
    assert not worker._LIVE_THREADS


def set_text(qtbot, line_edit, text):
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)


def train(qtbot, panel, epochs, timeout=60_000):
    panel.form.epochs.setValue(epochs)
    with qtbot.waitSignal(panel.parameters_trained, timeout=timeout) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def start_long_run(qtbot, panel):
    panel.form.epochs.setValue(LONG)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.loss_plot.count > 20, timeout=20_000)


def test_a_finished_run_ends_every_plot_at_the_final_snapshot(qtbot, panel):
    texts = []
    panel.status_text_changed.connect(texts.append)
    trained = train(qtbot, panel, 400)
    final = panel.latest_snapshot
    assert final.status is TrainingStatus.FINISHED and final.step == 400
    assert trained == dict(final.parameters)
    steps, losses = panel.loss_plot.shown_data()
    assert steps[-1] == 400 and len(steps) == 401
    assert losses[-1] == np.log10(final.loss)  # the log scale is on by default
    curve_x, curve_y = panel.data_plot.curve_data()
    assert np.allclose(curve_y, trained["w"] * curve_x + trained["b"])
    assert panel.landscape_plot.current_point() == (trained["w"], trained["b"])
    assert texts[-1].startswith("Finished: epoch 400 of 400 · loss")
    assert panel.progress_label.text() == texts[-1]
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()


def test_the_same_seed_trains_to_the_same_result_and_another_seed_does_not(qtbot, panel):
    panel.form.data_group.setChecked(True)
    panel.form.seed.setValue(7)
    first = train(qtbot, panel, 200)
    second = train(qtbot, panel, 200)
    panel.form.seed.setValue(8)
    third = train(qtbot, panel, 200)
    assert first == second != third


def test_stop_mid_run_stops_and_the_loss_plot_ends_where_it_stopped(qtbot, panel):
    start_long_run(qtbot, panel)
    with qtbot.waitSignal(panel.parameters_trained) as blocker:
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    final = panel.latest_snapshot
    assert final.status is TrainingStatus.STOPPED and 0 < final.step < LONG
    assert blocker.args[0] == dict(final.parameters)
    assert panel.loss_plot.shown_data()[0][-1] == final.step
    assert panel.progress_label.text().startswith(f"Stopped at epoch {final.step:,} of")
    assert panel.controller.state is TrainingState.IDLE
    assert_no_training_thread()


def test_pause_freezes_the_step_count_until_resume(qtbot, panel):
    start_long_run(qtbot, panel)
    with qtbot.waitSignal(panel.controller.paused) as blocker:
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    step = blocker.args[0]
    count = panel.loss_plot.count
    assert panel.latest_snapshot.step == step and panel.latest_snapshot.status is \
        TrainingStatus.PAUSED
    assert panel.progress_label.text().startswith(f"Paused at epoch {step:,}")
    qtbot.wait(300)  # the event loop keeps turning; nothing may arrive
    assert panel.latest_snapshot.step == step and panel.loss_plot.count == count
    assert panel.resume_button.isEnabled() and not panel.pause_button.isEnabled()
    qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.latest_snapshot.step > step + 10)


def test_step_one_epoch_advances_exactly_one_step_each_click(qtbot, panel):
    with qtbot.waitSignal(panel.controller.paused):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.latest_snapshot.step == 1
    first_loss = panel.loss_plot.shown_data()[1][1]
    with qtbot.waitSignal(panel.controller.paused) as blocker:
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [2] and panel.latest_snapshot.step == 2
    steps, losses = panel.loss_plot.shown_data()
    assert list(steps) == [0, 1, 2] and losses[1] == first_loss and losses[2] < losses[1]


def test_a_too_large_learning_rate_stops_with_a_message_and_keeps_the_last_state(qtbot, panel):
    set_text(qtbot, panel.form.learning_rate, "3")
    train(qtbot, panel, 100_000)
    final = panel.latest_snapshot
    assert final.status is TrainingStatus.DIVERGED
    assert "too large" in panel.message.text() and "smaller" in panel.message.text()
    assert all(math.isfinite(v) for v in final.parameters.values())
    assert np.all(np.isfinite(panel.loss_plot.shown_data()[1]))
    assert panel.landscape_plot.current_point() == (final.parameters["w"],
                                                    final.parameters["b"])


def test_a_learning_rate_that_is_not_a_number_is_refused(qtbot, panel):
    set_text(qtbot, panel.form.learning_rate, "fast")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "Cannot start: the learning rate 'fast' is not a number."
    assert panel.controller.state is TrainingState.IDLE and panel.latest_snapshot is None


def test_log_scale_shows_the_log_of_the_loss_and_can_be_turned_off(qtbot, panel):
    train(qtbot, panel, 50)
    assert panel.log_scale.isChecked() and panel.loss_plot.log_scale
    logarithms = panel.loss_plot.shown_data()[1].copy()
    on_the_box = QPoint(8, panel.log_scale.height() // 2)
    qtbot.mouseClick(panel.log_scale, Qt.MouseButton.LeftButton, pos=on_the_box)
    assert not panel.loss_plot.log_scale
    losses = panel.loss_plot.shown_data()[1]
    assert np.allclose(np.log10(losses), logarithms) and losses[-1] == panel.latest_snapshot.loss


def test_starting_and_stopping_a_hundred_times_leaves_no_thread(qtbot, panel):
    panel.form.epochs.setValue(LONG)
    for index in range(100):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        if index % 10 == 0:
            qtbot.wait(5)
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        assert panel.controller.state is TrainingState.IDLE
    assert_no_training_thread()
    train(qtbot, panel, 30)  # still works afterwards


def test_starting_again_while_training_restarts_from_step_zero(qtbot, panel):
    start_long_run(qtbot, panel)
    received = []
    panel.controller.snapshot_received.connect(received.append)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(received) >= 3)
    assert received[0].step == 0 and received[0].first_loss_step == 0
    assert [s.step for s in received] == sorted(s.step for s in received)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_closing_the_window_mid_training_stops_the_thread(qtbot):
    panel = TrainPanel()
    qtbot.addWidget(panel)
    panel.set_lesson(find_lesson("linear-regression", LESSONS))
    panel.show()
    start_long_run(qtbot, panel)
    panel.close()
    assert panel.controller.state is TrainingState.IDLE
    assert_no_training_thread()


def test_switching_lesson_stops_training_and_shows_what_fits(qtbot, panel):
    start_long_run(qtbot, panel)
    panel.set_lesson(find_lesson("one-training-step", LESSONS))
    assert panel.controller.state is TrainingState.IDLE
    assert_no_training_thread()
    assert panel.loss_plot.count == 0
    assert not panel.data_plot.isHidden() and panel.landscape_plot.isHidden()
    assert not panel.form.points.isEnabled()
    assert panel.form.learning_rate.text() == "0.01"
    trained = train(qtbot, panel, 2000)
    assert trained["w"] == pytest.approx(2.0, abs=1e-6)
    panel.set_lesson(find_lesson("chain-rule", LESSONS))
    assert panel.data_plot.isHidden() and panel.landscape_plot.isHidden()


def test_new_values_for_the_same_lesson_apply_to_the_next_run(qtbot, panel):
    lesson = find_lesson("linear-regression", LESSONS)
    train(qtbot, panel, 20)
    count = panel.loss_plot.count
    panel.set_lesson(lesson, {"w": 2.0, "b": 1.5})
    assert panel.loss_plot.count == count  # the last run stays on screen
    panel.form.epochs.setValue(5)
    with qtbot.waitSignal(panel.controller.paused):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.loss_plot.shown_data()[1][0] < 5.0  # starts near the fit, not at w = b = 0


def test_a_lesson_without_parameters_cannot_be_trained(qtbot, panel):
    lesson = dataclasses.replace(find_lesson("chain-rule", LESSONS), id="frozen", parameters=())
    panel.set_lesson(lesson)
    assert panel.message.text().startswith("Nothing to train: choose at least one parameter")
    assert not panel.start_button.isEnabled() and not panel.step_button.isEnabled()
    panel.set_lesson(None)
    assert panel.message.text() == "Open a lesson to train its program."


def test_a_run_trains_on_the_lessons_points_unless_synthetic_ones_are_chosen(qtbot, panel):
    assert not panel.form.data_group.isChecked()  # the lesson's own data by default
    with qtbot.waitSignal(panel.settled):
        trained = train(qtbot, panel, 100)
    values = panel.latest_values()
    assert values["x"] == (1.0, 2.0, 3.0, 4.0, 5.0) and values["w"] == trained["w"]
    assert np.allclose(values["x"], panel.data_plot._points.getData()[0])
    panel.form.data_group.setChecked(True)
    panel.form.points.setValue(30)
    train(qtbot, panel, 100)
    values = panel.latest_values()
    assert len(values["x"]) == 30 and len(values["y"]) == 30
    assert np.allclose(values["x"], panel.data_plot._points.getData()[0])


def test_a_new_program_resets_the_panel_but_new_values_do_not(qtbot, panel):
    from gui_backprop.core.program import parse_program

    lesson = find_lesson("linear-regression", LESSONS)
    train(qtbot, panel, 20)
    panel.set_source(lesson.id, TrainingProblem.create(lesson.program, lesson.parameters,
                                                       {"w": 1.0}, None, 0.02))
    assert panel.loss_plot.count == 21 and panel.form.learning_rate.text() == "0.02"
    other = parse_program("x = [1.0, 2.0]\ny = [2.0, 4.0]\nw = 0.5\n"
                          "loss = mean((w * x - y) ** 2)")
    panel.set_source(lesson.id, TrainingProblem.create(other, ["w"], None, None, 0.02))
    assert panel.loss_plot.count == 0 and panel.landscape_plot.isHidden()
    assert panel.data_plot.isHidden()  # no named prediction such as y_hat = w * x
    named = parse_program("x = [1.0, 2.0]\ny = [2.0, 4.0]\nw = 0.5\ny_hat = w * x\n"
                          "loss = mean((y_hat - y) ** 2)")
    panel.set_source(lesson.id, TrainingProblem.create(named, ["w"], None, None, 0.02))
    assert not panel.data_plot.isHidden() and not panel.form.data_group.isHidden()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_narrow_panel_stacks_the_data_plot_and_the_landscape(qtbot, panel):
    panel.resize(700, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel._lower.orientation() is Qt.Orientation.Vertical
    panel.resize(1400, 700)
    qtbot.waitUntil(lambda: panel._lower.orientation() is Qt.Orientation.Horizontal)
