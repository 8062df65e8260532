"""The optimizer's state after one press of the step button, as the Train tab shows it:
the numbers equal what plain PyTorch's optimizer holds after the same update."""

import pytest
import torch
from PySide6.QtCore import Qt

from gui_backprop.core.formatting import format_value
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.ui.training import worker
from gui_backprop.ui.training.optimizer_state_view import DIGITS
from gui_backprop.ui.training.panel import TrainPanel
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, pick_rule

pytestmark = IGNORE_OFFSCREEN_NOISE


LESSONS = load_lessons()
X = [1.0, 2.0, 3.0, 4.0, 5.0]
Y = [3.1, 4.9, 7.2, 8.8, 11.1]


@pytest.fixture
def panel(qtbot):
    widget = TrainPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_lesson(find_lesson("linear-regression", LESSONS))
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()
    assert not worker._LIVE_THREADS


def step_once(qtbot, panel):
    with qtbot.waitSignal(panel.controller.optimizer_step_received):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.resume_button.isEnabled())


def pytorch_after_one_update(make_optimizer):
    """Linear regression's first update by plain PyTorch: the optimizer and parameters."""
    xs, ys = (torch.tensor(v, dtype=torch.float64) for v in (X, Y))
    params = {n: torch.tensor(0.0, dtype=torch.float64, requires_grad=True) for n in "wb"}
    optimizer = make_optimizer(list(params.values()))
    torch.mean((ys - (params["w"] * xs + params["b"])) ** 2).backward()
    grads = {n: p.grad.item() for n, p in params.items()}
    optimizer.step()
    return optimizer, params, grads


def shown(view, name, key, column):
    return view.text_at(name, key, column)


def test_adam_one_step_shows_torch_optim_adams_state(qtbot, panel):
    pick_rule(qtbot, panel, "adam")
    view = panel.optimizer_view
    assert not view.isVisible()
    step_once(qtbot, panel)
    assert view.isVisible()
    optimizer, params, grads = pytorch_after_one_update(
        lambda p: torch.optim.Adam(p, lr=0.05))
    for name, tensor in params.items():
        held = optimizer.state[tensor]
        assert shown(view, name, "value", "before") == format_value(0.0, DIGITS)
        assert shown(view, name, "grad", "before") == format_value(grads[name], DIGITS)
        assert shown(view, name, "value", "after") == format_value(tensor.item(), DIGITS)
        assert shown(view, name, "step", "before") == "—"
        assert shown(view, name, "step", "after") == "1"
        for key in ("exp_avg", "exp_avg_sq"):
            assert shown(view, name, key, "before") == "—"
            assert shown(view, name, key, "after") == format_value(held[key].item(), DIGITS)
            assert float(shown(view, name, key, "after")) == pytest.approx(
                held[key].item(), rel=1e-6)
    assert "torch.optim.Adam" in view.heading.text()
    formulas = view.formulas.text()
    assert "m = 0.9·m + 0.1·g" in formulas and "v = 0.999·v + 0.001·g²" in formulas
    assert "w ← w − 0.05·m′/(√v′ + 1e-8)" in formulas


def test_momentum_two_steps_show_the_buffer_before_and_after(qtbot, panel):
    pick_rule(qtbot, panel, "momentum")
    step_once(qtbot, panel)
    view = panel.optimizer_view
    optimizer, params, grads = pytorch_after_one_update(
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
    for name, tensor in params.items():
        buffer = optimizer.state[tensor]["momentum_buffer"].item()
        assert buffer == grads[name]  # the first step: b = g
        assert shown(view, name, "momentum_buffer", "after") == format_value(buffer, DIGITS)
    first = {n: shown(view, n, "momentum_buffer", "after") for n in "wb"}
    step_once(qtbot, panel)
    assert view.shown_step.step == 2
    for name in "wb":
        assert shown(view, name, "momentum_buffer", "before") == first[name]
        old = view.shown_step.before.parameter(name)
        new = view.shown_step.after.parameter(name)
        expected = 0.9 * old.state["momentum_buffer"] + old.grad
        assert new.state["momentum_buffer"] == pytest.approx(expected, rel=1e-12)
    assert "b = 0.9·b + g" in view.formulas.text()


def test_the_manual_rule_says_it_has_no_state(qtbot, panel):
    step_once(qtbot, panel)
    view = panel.optimizer_view
    assert view.isVisible()
    assert "No optimizer state: the update is w − lr·grad" in view.formulas.text()
    assert set(key for _, key in view.rows) == {"value", "grad"}
    assert "keeps no state" in view.heading.text()


def test_the_view_goes_away_when_training_goes_on_or_starts_again(qtbot, panel):
    pick_rule(qtbot, panel, "adam")
    step_once(qtbot, panel)
    qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.optimizer_view.isVisible())
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not panel.optimizer_view.isVisible()
