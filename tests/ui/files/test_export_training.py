"""After training, the exported PyTorch script is the run that was trained: its loop, its
epochs, its data and learning rate; it prints the losses the loss history CSV holds."""

import csv
import math

import pytest
from PySide6.QtCore import Qt

from tests.shared_helpers import run_exported_script
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def export(window, dialogs, action, path):
    dialogs.save_to = path
    window.menus.actions[action].trigger()
    assert dialogs.warnings == []
    assert str(path) in window.statusBar().currentMessage()


@pytest.mark.parametrize("how", ["lesson points", "synthetic points", "sgd"])
def test_the_exported_script_reproduces_the_training_run(qtbot, tmp_path, dialogs, how):
    window = open_window(qtbot, tmp_path, "linear-regression")
    panel = window.train_panel
    window.centre_tabs.setCurrentWidget(panel)
    if how == "synthetic points":
        panel.form.data_group.setChecked(True)
        panel.form.points.setValue(20)
    if how == "sgd":
        panel.form.rule.setCurrentIndex(1)
    panel.form.epochs.setValue(120)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    trained = blocker.args[0]
    export(window, dialogs, "export_loss_csv", tmp_path / "loss.csv")
    export(window, dialogs, "export_script", tmp_path / "run.py")
    with open(tmp_path / "loss.csv", newline="") as handle:
        losses = [float(row["loss"]) for row in csv.DictReader(handle)]
    printed = run_exported_script(tmp_path / "run.py")
    assert len(losses) == 121
    for step in (0, 12, 60, 120):  # every 12 steps, and the end
        assert math.isclose(printed[(step, "J")], losses[step], rel_tol=1e-12), step
    for name in ("w", "b"):
        assert math.isclose(printed[(120, name)], trained[name], rel_tol=1e-12)
    source = (tmp_path / "run.py").read_text()
    points = 20 if how == "synthetic points" else 5
    assert source.count(",", source.index("x = torch.tensor("),
                        source.index("\n", source.index("x = torch.tensor("))) == points - 1
    assert ("optimizer.step()" in source) == (how == "sgd")
