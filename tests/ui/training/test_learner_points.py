"""The learner's own points in the Train tab: clicks add, Delete removes, Ctrl+Z undoes;
File › Import data… (CSV); what is trained on is what the plot shows, bit for bit the
command line's result with the same settings."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from gui_backprop.cli import main
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from gui_backprop.core.training_data import LearnerPoints
from tests.shared_helpers import run_exported_script
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

LESSON_X = [1.0, 2.0, 3.0, 4.0, 5.0]
CSV = "x,y\n0.5,1.5\n1,3\n2,5.2\n3,6.9\n4,9.1\n5,11\n"


def click_at(qtbot, plot, x: float, y: float) -> None:
    """A left click where the data point (x, y) is drawn."""
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot.mapFromScene(scene))


def plotted_x(panel) -> list[float]:
    return sorted(panel.data_plot.points_data()[0].tolist())


def test_clicks_add_delete_removes_and_ctrl_z_undoes(qtbot, window):
    panel = window.train_panel
    plot = panel.data_plot
    assert plot.editable and plotted_x(panel) == LESSON_X
    click_at(qtbot, plot, 2.5, 6.0)
    assert plotted_x(panel) == pytest.approx([1.0, 2.0, 2.5, 3.0, 4.0, 5.0], abs=0.05)
    assert panel.learner_data.points.targets[-1] == pytest.approx(6.0, abs=0.1)
    assert panel.form.own_note.text() == "Training on your points: 6 points."
    assert panel.form.forget_button.isVisibleTo(panel)
    click_at(qtbot, plot, 4.1, 8.7)  # next to the lesson's (4, 8.8)
    assert len(plotted_x(panel)) == 7
    qtbot.keyClick(plot, Qt.Key.Key_Delete)  # the point nearest the pointer: the new one
    assert len(plotted_x(panel)) == 6
    qtbot.keyClick(plot, Qt.Key.Key_Delete)  # now the lesson's (4, 8.8) is the nearest
    assert 4.0 not in plotted_x(panel) and len(plotted_x(panel)) == 5
    for count in (6, 7, 6, 5):  # undo, undo, undo, undo: back to the lesson's points
        qtbot.keyClick(plot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert len(plotted_x(panel)) == count
    assert panel.learner_data.points is None and plotted_x(panel) == LESSON_X
    assert not panel.form.own_note.isVisibleTo(panel)
    qtbot.keyClick(plot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert len(plotted_x(panel)) == 6
    assert window.model.position == 0  # Backspace/Delete did not step the walkthrough


def test_the_window_trains_on_imported_points_as_the_cli_does(qtbot, window, tmp_path,
                                                                dialogs, capsys):
    data = tmp_path / "mine.csv"
    data.write_text(CSV)
    window.centre_tabs.setCurrentIndex(0)
    dialogs.open_from = data
    window.menus.actions["import_data"].trigger()
    panel = window.train_panel
    assert dialogs.warnings == [] and window.centre_tabs.currentWidget() is panel
    assert plotted_x(panel) == [0.5, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert "Imported 6 points from mine.csv as x and y" in window.statusBar().currentMessage()
    form = panel.form
    form.rule.setCurrentIndex(form.rule.findData("adam"))
    form.batch_size.setValue(4)
    form.seed.setValue(3)
    form.epochs.setValue(300)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    trained = blocker.args[0]
    assert main(["train", "--lesson", "linear-regression", "--data", str(data), "--epochs",
                 "300", "--optimizer", "adam", "--batch-size", "4", "--seed", "3",
                 "--lr", "0.05", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parameters"] == trained  # bit for bit


def test_a_bad_file_is_one_message_and_changes_nothing(qtbot, window, tmp_path, dialogs):
    panel = window.train_panel
    click_at(qtbot, panel.data_plot, 2.5, 6.0)
    before = panel.learner_data.points
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,four\n")
    dialogs.open_from = bad
    window.menus.actions["import_data"].trigger()
    assert dialogs.warnings == [("Cannot import the data",
                                 "bad.csv, line 3, column 2: 'four' is not a number")]
    assert panel.learner_data.points is before and len(plotted_x(panel)) == 6
    wide = tmp_path / "wide.csv"
    wide.write_text("1,2,3\n4,5,6\n")
    dialogs.open_from = wide
    window.menus.actions["import_data"].trigger()
    assert "one input column (x)" in dialogs.warnings[-1][1]
    assert panel.learner_data.points is before


def test_import_is_refused_where_there_is_no_data(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "chain-rule")
    data = tmp_path / "mine.csv"
    data.write_text(CSV)
    dialogs.open_from = data
    window.menus.actions["import_data"].trigger()
    assert "no data to replace" in dialogs.warnings[0][1]
    assert dialogs.file_dialogs == []  # refused before asking for a file
    assert not window.train_panel.data_plot.editable
    window.close()


def test_the_points_survive_a_saved_session(qtbot, window, tmp_path, dialogs):
    panel = window.train_panel
    click_at(qtbot, panel.data_plot, 2.5, 6.0)
    points = panel.learner_data.points
    assert window.isWindowModified()
    dialogs.save_to = tmp_path / "work.bplab"
    window.menus.actions["save"].trigger()
    assert not window.isWindowModified()
    saved = json.loads((tmp_path / "work.bplab").read_text())
    assert saved["learner_points"]["inputs"] == [*LESSON_X, points.inputs[-1]]
    qtbot.keyClick(panel.data_plot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.learner_data.points is None and window.isWindowModified()
    assert window.session_files.load(tmp_path / "work.bplab")
    assert panel.learner_data.points == points and len(plotted_x(panel)) == 6
    assert panel.form.own_note.text() == "Training on your points: 6 points."
    assert not window.isWindowModified()


def test_the_exported_script_trains_on_the_clicked_points(qtbot, window, tmp_path, dialogs):
    panel = window.train_panel
    click_at(qtbot, panel.data_plot, 2.5, 6.0)
    panel.form.rule.setCurrentIndex(panel.form.rule.findData("momentum"))
    panel.form.batch_size.setValue(2)
    panel.form.epochs.setValue(50)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    dialogs.save_to = tmp_path / "run.py"
    window.menus.actions["export_script"].trigger()
    printed = run_exported_script(tmp_path / "run.py")
    assert printed[(50, "w")] == blocker.args[0]["w"]
    assert printed[(50, "b")] == blocker.args[0]["b"]
    points = panel.learner_data.points
    start = TrainingProblem.from_lesson(window.model.lesson)  # the panel's has adopted the run
    expected = list(Trainer(start, TrainingSettings(
        50, 0.05, "momentum", LearnerPoints(points.inputs, points.targets),
        batch_size=2)).run())[-1]
    assert dict(expected.parameters) == blocker.args[0]
    assert np.isfinite(expected.loss)
