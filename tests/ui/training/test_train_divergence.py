"""Divergence as the learner meets it in the window: the last finite step kept and named,
unbounded growth called diverging, and the Hessian's stability limit as the advice."""

import math
import re

from PySide6.QtCore import Qt

from gui_backprop.core.training import TrainingStatus
from gui_backprop.ui.editing.values_panel import value_text
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE

pytestmark = IGNORE_OFFSCREEN_NOISE

# J = mean((y - w x - b)^2) on x = 1..5: Hessian (2/5) [[55, 15], [15, 5]], λmax = 23.66
LIMIT = "lr < 2/λmax = 2/23.66 = 0.08452"


def train_with(qtbot, window, rate, epochs=300):
    panel = window.train_panel
    panel.form.epochs.setValue(epochs)
    field = panel.form.learning_rate
    field.selectAll()
    qtbot.keyClicks(field, rate)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    return panel.latest_snapshot


def test_a_too_large_rate_names_the_stability_limit_and_the_suggestion_trains(qtbot, window):
    panel = window.train_panel
    final = train_with(qtbot, window, "10")
    message = panel.message.text()
    assert final.status is TrainingStatus.DIVERGED
    assert LIMIT in message and "Try a smaller one, such as 0.05." in message
    assert "Hessian" in message
    # the landscape shows why: the direction of steepest curvature, with the limit
    assert panel.landscape_plot._steepest.isVisible()
    assert panel.landscape_plot.steepest_text == \
        "steepest: λmax = 23.66\nstable while lr < 0.08452"
    # the kept step is the one the message, the status bar and the walkthrough show
    kept = int(re.search(r"Kept step (\d+)", message).group(1))
    assert kept == final.step
    assert window.statusBar().currentMessage().startswith(f"Diverged; kept epoch {kept} ")
    assert all(math.isfinite(v) for v in final.parameters.values())
    # w is about -1e24 here: too large for the walkthrough, which says so and stays put
    assert "The walkthrough keeps showing the values before this run" in panel.message.text()
    assert window.values_panel.field("w").text() == "0.0"
    assert window.graph_panel.title.text() == "Computational graph"
    # the suggestion works (the run starts again from the starting values)
    final = train_with(qtbot, window, "0.05")
    assert final.status is TrainingStatus.FINISHED and final.loss < 0.1
    assert panel.message.text() == ""


def test_a_loss_growing_without_bound_is_called_diverging_while_finite(qtbot, window):
    final = train_with(qtbot, window, "0.1")  # used to say "Finished … loss 2.05e197"
    assert final.status is TrainingStatus.DIVERGED and math.isfinite(final.loss)
    message = window.train_panel.message.text()
    assert "grew without bound" in message and LIMIT in message
    assert not window.statusBar().currentMessage().startswith("Finished")
    # the walkthrough shows the kept step (w about 2774): the same values everywhere
    assert window.values_panel.field("w").text() == value_text(final.parameters["w"])
    assert window.graph_panel.title.text() == \
        f"Computational graph · diverged: the values kept at epoch {final.step} of 300"


def test_one_learning_rate_for_the_values_tab_and_the_train_tab(qtbot, window):
    panel, model = window.train_panel, window.model
    field = panel.form.learning_rate
    field.selectAll()
    qtbot.keyClicks(field, "0.02")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert model.learning_rate == 0.02
    assert window.values_panel.field("learning_rate").text() == "0.02"
    values_field = window.values_panel.field("learning_rate")
    values_field.selectAll()
    qtbot.keyClicks(values_field, "0.03")
    qtbot.keyClick(values_field, Qt.Key.Key_Return)
    assert field.text() == "0.03"
    # a rate typed in the Train tab and not yet entered is the one Start trains with
    field.selectAll()
    qtbot.keyClicks(field, "0.04")
    panel.form.epochs.setValue(5)
    with qtbot.waitSignal(panel.parameters_trained, timeout=60_000):
        panel.start_button.click()
    assert model.learning_rate == 0.04
    assert window.values_panel.field("learning_rate").text() == "0.04"
    assert model.walkthrough.trace.learning_rate == 0.04


def test_an_output_without_a_minimum_is_stopped_and_the_landscape_says_why(qtbot, window):
    window.model.open_lesson("value-used-twice")  # e = (a + b)(b + 1): a saddle
    final = train_with(qtbot, window, "0.1", epochs=1000)
    panel = window.train_panel
    assert final.status is TrainingStatus.DIVERGED and final.step < 1000
    assert "fell without bound" in panel.message.text()
    assert panel.landscape_plot.steepest_text.startswith("curves down: λmin = ")
    assert "stable while" not in panel.landscape_plot.steepest_text
    assert not panel.landscape_plot._steepest.isVisible()


def test_the_canvas_names_a_settled_run_as_the_walkthrough_does(qtbot, window):
    from gui_backprop.ui.training.lesson_link import result_note
    from gui_backprop.ui.training.live_graph import caption
    final = train_with(qtbot, window, "10")
    assert final.status is TrainingStatus.DIVERGED
    assert caption(final) == f"Computational graph · {result_note(final)}"
    assert "diverged" in caption(final)  # it used to say "trained to"
