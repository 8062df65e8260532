"""The Train panel in session files and exports: settings and loss history survive a save
and an open, the plots and the loss history export, a training run is work to save."""

import csv

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from tests.ui.session_helpers import press
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

EPOCHS = 150


def _trained(qtbot, tmp_path, lesson="linear-regression"):
    """A window whose Train tab ran EPOCHS epochs with its own settings."""
    window = open_window(qtbot, tmp_path, lesson)
    panel = window.train_panel
    window.centre_tabs.setCurrentWidget(panel)
    form = panel.form
    form.epochs.setValue(EPOCHS)
    form.learning_rate.selectAll()
    qtbot.keyClicks(form.learning_rate, "0.02")
    form.data_group.setChecked(True)  # synthetic points, kept in the session
    form.seed.setValue(7)
    qtbot.mouseClick(panel.controls.log_scale, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert len(panel.loss_plot.losses()) == EPOCHS + 1
    return window


def _form(window) -> dict:
    form = window.train_panel.form
    return {"epochs": form.epochs.value(), "lr": form.learning_rate.text(),
            "rule": form.rule.currentData(), "points": form.points.value(),
            "noise": form.noise.value(), "seed": form.seed.value(),
            "synthetic": form.data_group.isChecked(),
            "log": window.train_panel.controls.log_scale.isChecked()}


def test_training_settings_and_loss_history_survive_save_and_open(qtbot, tmp_path, dialogs):
    window = _trained(qtbot, tmp_path / "a")
    assert window.isWindowModified()  # a training run is work
    dialogs.save_to = tmp_path / "trained.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    assert not window.isWindowModified()
    losses = np.array(window.train_panel.loss_plot.losses())

    other = open_window(qtbot, tmp_path / "b", "chain-rule")
    dialogs.open_from = tmp_path / "trained.bplab"
    press(qtbot, other, Qt.Key.Key_O)
    assert dialogs.warnings == []
    assert _form(other) == _form(window)
    assert _form(other)["lr"] == "0.02" and _form(other)["seed"] == 7
    np.testing.assert_array_equal(other.train_panel.loss_plot.losses(), losses)
    # the fitted line is the one of the trained values the walkthrough shows again
    w, b = window.model.values["w"], window.model.values["b"]
    assert (other.model.values["w"], other.model.values["b"]) == (w, b)
    reopened_x, reopened_y = other.train_panel.data_plot.curve_data()
    assert len(reopened_y) > 0
    np.testing.assert_allclose(reopened_y, w * reopened_x + b, rtol=1e-12)
    # and the points are the ones the run trained on (the same seed: the same points)
    for shown, trained in zip(other.train_panel.data_plot.points_data(),
                              window.train_panel.data_plot.points_data(), strict=True):
        np.testing.assert_array_equal(shown, trained)
    assert other.train_panel.loss_plot.log_scale == window.train_panel.loss_plot.log_scale
    assert f"{EPOCHS} steps" in other.train_panel.message.text()
    assert not other.isWindowModified()
    # the heading still says the values are a run's, and the way back is there
    assert other.graph_panel.title.text() == window.graph_panel.title.text() == \
        f"Computational graph · trained to epoch {EPOCHS} of {EPOCHS}"
    assert other.train_panel.back_button.isEnabled()
    qtbot.mouseClick(other.train_panel.back_button, Qt.MouseButton.LeftButton)
    assert other.model.values["w"] == 0.0 and other.model.values["b"] == 0.0


def test_changing_a_training_setting_of_a_saved_session_is_a_change(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "linear-regression")
    dialogs.save_to = tmp_path / "s.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    window.train_panel.form.epochs.setValue(20)
    assert window.isWindowModified()
    window.train_panel.form.epochs.setValue(1000)
    assert not window.isWindowModified()


def test_a_training_run_is_offered_for_saving_and_its_values_stay_with_its_lesson(
        qtbot, tmp_path, dialogs):
    window = _trained(qtbot, tmp_path)
    trained = dict(window.model.values)  # the walkthrough shows the run's result
    window.session_files.ask_before_closing = True
    dialogs.answer = QMessageBox.StandardButton.Cancel
    window.close()
    assert len(dialogs.questions) == 1 and window.isVisible()
    window.model.open_lesson("chain-rule")
    assert window.isWindowModified()  # the other lesson keeps its trained values: work
    window.model.open_lesson("linear-regression")
    assert window.model.values == trained


def test_the_loss_history_csv_holds_every_loss_exactly(qtbot, tmp_path, dialogs):
    window = _trained(qtbot, tmp_path)
    dialogs.save_to = tmp_path / "loss.csv"
    window.menus.actions["export_loss_csv"].trigger()
    assert dialogs.warnings == []
    with (tmp_path / "loss.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["step", "loss"]
    steps = [int(step) for step, _ in rows[1:]]
    losses = np.array([float(loss) for _, loss in rows[1:]])
    assert steps == list(range(EPOCHS + 1))
    np.testing.assert_array_equal(losses, window.train_panel.loss_plot.losses())


def test_the_plots_export_as_one_crisp_png(qtbot, tmp_path, dialogs):
    window = _trained(qtbot, tmp_path)
    window.centre_tabs.setCurrentIndex(0)  # the export brings the Train tab back
    dialogs.save_to = tmp_path / "plots.png"
    window.menus.actions["export_plots_png"].trigger()
    assert dialogs.warnings == []
    assert window.centre_tabs.currentWidget() is window.train_panel
    image = QImage(str(tmp_path / "plots.png"))
    plots = window.train_state.plots()
    assert len(plots) == 3  # loss, data and fit, landscape
    assert image.width() == 2 * max(plot.width() for plot in plots)
    colours = {image.pixel(x, y) for y in range(0, image.height(), 4)
               for x in range(0, image.width(), 4)}
    assert len(colours) > 100


def test_plots_without_training_say_so(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "linear-regression")
    window.menus.actions["export_plots_png"].trigger()
    [(title, message)] = dialogs.warnings
    assert title == "Nothing to export" and "train first" in message
    assert dialogs.file_dialogs == []


def test_a_reopened_session_draws_the_landscape_and_its_path_again(qtbot, tmp_path, dialogs):
    window = _trained(qtbot, tmp_path / "a")
    before = window.train_panel.landscape_plot
    qtbot.waitUntil(lambda: before.landscape is not None, timeout=30_000)
    path = [np.array(a, copy=True) for a in before.path_data()]
    assert len(path[0]) >= 2
    dialogs.save_to = tmp_path / "trained.bplab"
    press(qtbot, window, Qt.Key.Key_S)

    other = open_window(qtbot, tmp_path / "b", "chain-rule")
    other.centre_tabs.setCurrentWidget(other.train_panel)
    dialogs.open_from = tmp_path / "trained.bplab"
    with qtbot.waitSignal(other.train_state.landscape_redraw.ready, timeout=30_000):
        press(qtbot, other, Qt.Key.Key_O)
    assert dialogs.warnings == []
    after = other.train_panel.landscape_plot
    for shown, drawn in zip(after.path_data(), path, strict=True):
        np.testing.assert_array_equal(shown, drawn)
    # the path ends at the values the walkthrough shows, on the same landscape
    assert after.current_point() == (other.model.values["w"], other.model.values["b"])
    assert after.landscape.bounds == before.landscape.bounds
    np.testing.assert_array_equal(after.landscape.log_loss, before.landscape.log_loss)
    assert not other.isWindowModified()
