"""Training inside the main window: the Train tab follows the lesson, reports to the status
bar, hands its values to the walkthrough, and stops with the lesson or the window."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui_backprop.core.formatting import format_value
from gui_backprop.core.training import TrainingStatus
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.editing.values_panel import value_text
from gui_backprop.ui.training import worker
from gui_backprop.ui.training.controller import TrainingState
from tests.ui.window_helpers import (
    IGNORE_OFFSCREEN_NOISE,
    assert_shows_state,
    grad_shown,
    open_window,
)

pytestmark = IGNORE_OFFSCREEN_NOISE


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_training_in_the_window_reports_progress_in_the_status_bar(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(300)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        click(qtbot, panel.start_button)
    assert window.statusBar().currentMessage().startswith("Finished: epoch 300 of 300 · loss")


def assert_whole_window_shows(window, values, heading, every_label=True):
    """Canvas, steps, Values and the gradient check all show ``values`` (one state);
    ``every_label``: check each node and edge text too (long vectors' labels are cut)."""
    model = window.model
    assert window.graph_panel.title.text() == heading
    for name, value in values.items():
        assert model.values[name] == value
        assert window.values_panel.field(name).text() == value_text(value)
    if every_label:
        assert_shows_state(window, model.walkthrough, model.position)
    assert window.step_list.current_position() == model.position
    window.show_gradient_check()
    table = window.gradient_check_panel.table
    first = model.walkthrough.trace.iterations[model.state.iteration]
    grads = {u.name: u.grad for u in first.updates}
    column = {table.horizontalHeaderItem(c).text(): c for c in range(table.columnCount())}
    for row in range(table.rowCount()):
        name = table.item(row, column["Name"]).text()
        assert table.item(row, column["Autograd"]).text() == format_value(grads[name], 10)


def test_a_finished_run_is_what_the_whole_walkthrough_shows_until_back(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(300)
    assert not panel.back_button.isEnabled()
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        click(qtbot, panel.start_button)
    trained = blocker.args[0]
    window.centre_tabs.tabBar().setCurrentIndex(0)  # the learner looks at the graph
    final = panel.latest_snapshot
    heading = "Computational graph · trained to epoch 300 of 300"
    assert_whole_window_shows(window, trained, heading)
    assert window.model.position == 0 and window.step_list.currentItem().text().startswith(
        "Start")
    # stepping keeps the trained values: the forward pass computes the final loss
    for _ in range(window.model.walkthrough.first_of(Stage.UPDATE, 0)):
        click(qtbot, window.controls.next_button)
    assert_whole_window_shows(window, trained, heading, every_label=False)
    view, nodes = window.graph_view, window.graph_view.iteration
    assert view.node_item(nodes.node_named("J").id).value_text() == \
        f"= {format_value(final.loss)}"
    for name in ("w", "b"):  # the gradients autograd gives at the trained parameters
        assert view.node_item(nodes.node_named(name).id).grad_text() == \
            grad_shown(f"{name}.grad", final.gradients[name])
    # one way back: the lesson's starting values, everywhere
    window.centre_tabs.setCurrentWidget(panel)
    assert panel.back_button.isEnabled()
    click(qtbot, panel.back_button)
    window.centre_tabs.tabBar().setCurrentIndex(0)
    assert_whole_window_shows(window, {"w": 0.0, "b": 0.0}, "Computational graph")
    assert not panel.back_button.isEnabled()


def test_a_paused_run_is_shown_and_start_trains_from_the_starting_values(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(50)
    for _ in range(3):
        with qtbot.waitSignal(panel.controller.paused, timeout=20_000):
            click(qtbot, panel.step_button)
    window.centre_tabs.tabBar().setCurrentIndex(0)
    paused = dict(panel.latest_snapshot.parameters)
    assert_whole_window_shows(window, paused,
                              "Computational graph · trained values, paused at epoch 3 of 50")
    window.centre_tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        click(qtbot, panel.start_button)  # a new run: from w = b = 0, not from epoch 3
    start = window.model.starting_values or window.model.values
    assert start["w"] == start["b"] == 0.0
    assert panel.loss_plot.shown_data()[1][0] == pytest.approx(np.log10(57.222), abs=1e-4)


def test_a_run_is_still_there_after_a_visit_to_another_lesson(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(50)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        click(qtbot, panel.start_button)
    trained, message = blocker.args[0], panel.message.text()
    curve, path = panel.data_plot.curve_data(), panel.landscape_plot.path_data()
    window.model.open_lesson("chain-rule")
    assert panel.loss_plot.count == 0  # the chain rule has its own (empty) Train tab
    window.model.open_lesson("linear-regression")
    # the plots, the message and the way back agree with the walkthrough's trained values
    assert panel.loss_plot.count == 51 and panel.message.text() == message
    assert np.array_equal(panel.data_plot.curve_data()[1], curve[1])
    assert np.array_equal(panel.landscape_plot.path_data()[0], path[0])
    assert panel.landscape_plot.landscape is not None
    assert window.model.values["w"] == trained["w"]
    assert window.graph_panel.title.text() == \
        "Computational graph · trained to epoch 50 of 50"
    assert panel.back_button.isEnabled() and panel.last_run() is not None
    click(qtbot, panel.back_button)
    assert window.model.values["w"] == 0.0


def test_opening_another_lesson_stops_training(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(1_000_000)
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.loss_plot.count > 10, timeout=20_000)
    window.model.open_lesson("chain-rule")
    assert panel.controller.state is TrainingState.IDLE and not worker._LIVE_THREADS
    assert panel.loss_plot.count == 0 and panel.data_plot.isHidden()


def test_an_edited_value_applies_to_the_next_run_without_stopping_this_one(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(1_000_000)
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.loss_plot.count > 10, timeout=20_000)
    assert window.model.set_value("w", "3.0") is None
    assert panel.controller.state is TrainingState.RUNNING
    assert panel.problem.values["w"] == 3.0


def test_closing_the_window_mid_training_stops_the_worker(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path, "linear-regression")
    panel = win.train_panel
    panel.form.epochs.setValue(1_000_000)
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.latest_snapshot is not None
                    and panel.latest_snapshot.status is TrainingStatus.RUNNING, timeout=20_000)
    win.close()
    assert panel.controller.state is TrainingState.IDLE
    assert not worker._LIVE_THREADS


def test_the_playground_trains_the_learners_program(qtbot, window):
    window.model.open_lesson("playground")
    assert window.model.set_program("x = 2.0\nt = 3.0\nw = 0.5\ny = x * w\n"
                                      "loss = (y - t) ** 2", ["w"]) is None
    panel = window.train_panel
    assert panel.problem.parameters == ("w",) and panel.landscape_plot.isHidden()
    panel.form.epochs.setValue(2000)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        click(qtbot, panel.start_button)
    assert blocker.args[0]["w"] == pytest.approx(1.5, abs=1e-6)


def watch_a_long_run_on_the_canvas(qtbot, window):
    """Start a long run, switch to the Walkthrough tab, wait for the canvas to follow it;
    returns the canvas heading."""
    panel = window.train_panel
    panel.form.epochs.setValue(1_000_000)
    click(qtbot, panel.start_button)
    window.centre_tabs.tabBar().setCurrentIndex(0)
    title = window.graph_panel.title
    qtbot.waitUntil(lambda: title.text().startswith("Computational graph · training, epoch"),
                    timeout=20_000)
    return title


def test_the_canvas_follows_a_run_while_it_is_on_screen(qtbot, window):
    title = watch_a_long_run_on_the_canvas(qtbot, window)
    first = title.text()
    qtbot.waitUntil(lambda: title.text() != first, timeout=20_000)  # it moves on
    click(qtbot, window.controls.next_button)  # the learner steps: the walkthrough again
    assert title.text() == "Computational graph" and not window.live_graph.following
    window.train_panel.stop()


def test_opening_another_lesson_mid_run_leaves_the_canvas_to_that_lesson(qtbot, window):
    title = watch_a_long_run_on_the_canvas(qtbot, window)
    window.lesson_list.setCurrentRow(0)  # the chain rule, clicked in the list
    assert window.model.lesson.id == "chain-rule"
    assert title.text() == "Computational graph" and not window.live_graph.following
    assert_shows_state(window, window.model.walkthrough, window.model.position)


def test_the_progress_line_and_the_status_bar_move_with_the_plots(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(1_000_000)
    behind = []

    def after_each_redraw():  # after each frame the panel draws
        snapshot = panel.latest_snapshot
        if snapshot is not None and snapshot.status is TrainingStatus.RUNNING:
            epoch = f"epoch {snapshot.step:,} of"
            behind.append(epoch not in panel.progress_label.text()
                          or epoch not in window.statusBar().currentMessage())

    panel.frames.drawn.connect(after_each_redraw)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(behind) >= 15, timeout=30_000)
    panel.stop()
    assert not any(behind), f"{sum(behind)} of {len(behind)} redraws showed an older epoch"
