"""The loss plot with mini-batches: each batch's loss, faint, beside the epochs' loss
(issue 15: "the loss plot shows per-batch and per-epoch loss")."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def test_mini_batches_plot_each_batchs_loss_as_the_trainer_computed_it(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    panel = window.train_panel
    window.centre_tabs.setCurrentWidget(panel)
    start = TrainingProblem.from_lesson(window.model.lesson)
    panel.form.batch_size.setValue(2)
    panel.form.epochs.setValue(30)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    x, shown = panel.loss_plot.batch_data()
    snapshots = list(Trainer(start, TrainingSettings(30, 0.05, batch_size=2)).run())
    expected = np.concatenate([s.batch_losses for s in snapshots])
    per_epoch = snapshots[-1].batches_per_epoch
    assert per_epoch == 3  # the lesson's 5 points in batches of 2
    assert np.array_equal(shown, expected) and len(shown) == 30 * per_epoch
    assert x[per_epoch] == 1.0  # the first batch of epoch 2 starts at x = 1
    assert "each mini-batch" in panel.loss_plot.title()
    plotted_x, _ = panel.loss_plot._batch_curve.getOriginalDataset()
    assert len(plotted_x) == len(shown)
    # a full-batch run has no batch curve
    panel.form.batch_size.setValue(panel.form.batch_size.minimum())
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert len(panel.loss_plot.batch_data()[1]) == 0
    assert "each mini-batch" not in panel.loss_plot.title()
