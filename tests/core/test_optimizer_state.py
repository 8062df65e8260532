"""The optimizer's state as the Train tab shows it: copied from ``optimizer.state``,
equal to what plain PyTorch holds after the same updates, and the formula labels
agreeing with those numbers."""

import math
import re

import pytest
import torch

from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.optimizer_state import update_formulas, updates_per_epoch
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from gui_backprop.core.training_optimizers import UpdateRule

LESSONS = load_lessons()
X = [1.0, 2.0, 3.0, 4.0, 5.0]
Y = [3.1, 4.9, 7.2, 8.8, 11.1]
RATE = 0.05


def plain_pytorch(make_optimizer, updates):
    """Linear regression's loop by hand; the optimizer after ``updates`` updates."""
    xs, ys = (torch.tensor(v, dtype=torch.float64) for v in (X, Y))
    w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([w, b])
    for _ in range(updates):
        optimizer.zero_grad()
        torch.mean((ys - (w * xs + b)) ** 2).backward()
        optimizer.step()
    return optimizer, {"w": w, "b": b}


def states(rule, updates):
    """The trainer's state before and after its last of ``updates`` updates."""
    problem = TrainingProblem.from_lesson(find_lesson("linear-regression", LESSONS))
    trainer = Trainer(problem, TrainingSettings(epochs=10, learning_rate=RATE,
                                                update_rule=rule))
    list(trainer.run(until=updates - 1))
    before = trainer.optimizer_state()
    list(trainer.run(until=updates))
    return before, trainer.optimizer_state()


def test_adam_after_one_update_is_torch_optim_adams_own_state():
    before, after = states(UpdateRule.ADAM, 1)
    optimizer, params = plain_pytorch(lambda p: torch.optim.Adam(p, lr=RATE), 1)
    for name, tensor in params.items():
        held = optimizer.state[tensor]
        shown = after.parameter(name)
        assert set(shown.state) == {"step", "exp_avg", "exp_avg_sq"}
        assert shown.state["step"] == held["step"].item() == 1.0
        assert shown.state["exp_avg"] == held["exp_avg"].item()
        assert shown.state["exp_avg_sq"] == held["exp_avg_sq"].item()
        assert shown.value == tensor.item()
        assert before.parameter(name).state == {}  # Adam makes its state on the first step
        assert before.parameter(name).grad is not None


def test_adams_formulas_agree_with_its_numbers_over_two_updates():
    before, after = states(UpdateRule.ADAM, 2)
    lines = update_formulas(before)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    assert lines[1] == "m = 0.9·m + 0.1·g" and lines[2] == "v = 0.999·v + 0.001·g²"
    assert "0.05·m′/(√v′ + 1e-8)" in lines[4]
    for old in before.parameters:
        new, g = after.parameter(old.name), old.grad
        t = new.state["step"]
        assert t == old.state["step"] + 1
        m = beta1 * old.state["exp_avg"] + (1 - beta1) * g
        v = beta2 * old.state["exp_avg_sq"] + (1 - beta2) * g * g
        assert new.state["exp_avg"] == pytest.approx(m, rel=1e-12)
        assert new.state["exp_avg_sq"] == pytest.approx(v, rel=1e-12)
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        assert new.value == pytest.approx(old.value - RATE * m_hat / (math.sqrt(v_hat) + eps),
                                          rel=1e-12)


def test_momentum_buffer_is_sgds_own_and_follows_its_formula():
    before, after = states(UpdateRule.MOMENTUM, 2)
    optimizer, params = plain_pytorch(
        lambda p: torch.optim.SGD(p, lr=RATE, momentum=0.9), 2)
    lines = update_formulas(before)
    assert lines == ("b = 0.9·b + g (the first step: b = g)", "w ← w − 0.05·b")
    for name, tensor in params.items():
        old, new = before.parameter(name), after.parameter(name)
        assert new.state["momentum_buffer"] == optimizer.state[tensor]["momentum_buffer"].item()
        buffer = 0.9 * old.state["momentum_buffer"] + old.grad
        assert new.state["momentum_buffer"] == pytest.approx(buffer, rel=1e-12)
        assert new.value == pytest.approx(old.value - RATE * buffer, rel=1e-12)


def test_the_manual_update_has_no_state_and_says_so():
    before, after = states(UpdateRule.MANUAL, 1)
    assert all(p.state == {} for p in (*before.parameters, *after.parameters))
    assert update_formulas(before)[0].startswith("No optimizer state")
    rate = float(re.search(r"w − ([\d.]+)·g", update_formulas(before)[1]).group(1))
    for old in before.parameters:
        assert after.parameter(old.name).value == pytest.approx(old.value - rate * old.grad)


def test_the_state_is_a_copy_that_later_updates_leave_alone():
    problem = TrainingProblem.from_lesson(find_lesson("linear-regression", LESSONS))
    trainer = Trainer(problem, TrainingSettings(epochs=10, update_rule=UpdateRule.ADAM))
    list(trainer.run(until=1))
    first = trainer.optimizer_state()
    list(trainer.run(until=3))
    assert first.parameter("w").state["step"] == 1.0
    assert trainer.optimizer_state().parameter("w").state["step"] == 3.0


@pytest.mark.parametrize(("points", "batch", "updates"),
                         [(None, None, 1), (5, None, 1), (5, 5, 1), (5, 2, 3), (7, 3, 3)])
def test_updates_per_epoch(points, batch, updates):
    assert updates_per_epoch(points, batch) == updates
