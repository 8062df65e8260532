"""Forgetting zero_grad in the window: the Train tab runs the lesson's own loop (the
gradients accumulate), says so, and its loss plot shows what that does."""

import numpy as np
from PySide6.QtCore import Qt

from gui_backprop.ui.training import worker
from gui_backprop.ui.training.panel import ACCUMULATING, NO_ZERO_GRAD
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def train_in_window(qtbot, tmp_path, lesson, epochs):
    window = open_window(qtbot, tmp_path, lesson)
    window.centre_tabs.setCurrentWidget(window.train_panel)
    panel = window.train_panel
    panel.form.epochs.setValue(epochs)
    message_before = panel.message.text()
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    shown = panel.loss_plot.losses().copy()  # what the plot holds, step by step
    message_after = panel.message.text()
    status = window.statusBar().currentMessage()
    assert status == panel.progress_label.text()
    assert (ACCUMULATING in status) == (lesson == "forgetting-zero-grad")
    window.close()
    assert not worker._LIVE_THREADS
    return message_before, message_after, shown


def test_the_train_tab_lets_the_gradients_accumulate_and_says_so(qtbot, tmp_path):
    before, after, losses = train_in_window(qtbot, tmp_path, "forgetting-zero-grad", 1000)
    assert before == after == NO_ZERO_GRAD
    assert "leaves out zero_grad" in before and "sum of all the gradients" in before
    late = losses[500:]
    assert late.max() > 0.9 and late.min() < 1e-3  # the loss swings, never settles
    assert np.isclose(losses[1], 0.9604) and np.isclose(losses[2], (1.0596 - 2) ** 2)


def test_a_lesson_that_zeroes_its_gradients_says_nothing_of_it(qtbot, tmp_path):
    before, after, losses = train_in_window(qtbot, tmp_path, "one-training-step", 300)
    assert NO_ZERO_GRAD not in before and NO_ZERO_GRAD not in after
    assert losses[-1] < losses[0]
