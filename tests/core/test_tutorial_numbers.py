"""The tutorial's example must come out exactly as the tutorial prints it."""

import pytest
import torch

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Walkthrough
from tests.shared_helpers import TUTORIAL


def test_one_training_step_matches_the_tutorial():
    trace = trace_program(TUTORIAL, parameters=["w"], learning_rate=0.01)
    first = trace.first
    assert first.loss == 1.0
    w = first.node_named("w")
    assert w.grad == -2.0 and w.grad_attr == -2.0
    (update,) = first.updates
    assert update.before == 1.0
    assert update.after == pytest.approx(1.02, abs=1e-15)
    assert update.grad_after_zero == 0.0


def test_second_iteration_starts_from_the_updated_weight():
    lesson = find_lesson("one-training-step")
    second = lesson.trace().iterations[1]
    assert second.node_named("w").value == pytest.approx(1.02)
    assert second.loss == pytest.approx(0.98**2)
    assert second.node_named("w").grad == pytest.approx(-1.96)


def test_forgetting_zero_grad_accumulates():
    lesson = find_lesson("forgetting-zero-grad")
    second = lesson.trace().iterations[1]
    w = second.node_named("w")
    assert second.grad_before["w"] == -2.0
    assert w.grad == pytest.approx(-1.96)
    assert w.grad_attr == pytest.approx(-3.96)


def test_the_tutorials_own_code_gives_the_same_numbers():
    # The tutorial's script, written out (in PyTorch's default float32, as it runs there).
    x = torch.tensor(1.0)
    y = torch.tensor(2.0)
    w = torch.tensor(1.0, requires_grad=True)
    y_predicted = w * x
    loss = (y_predicted - y) ** 2
    loss.backward()
    first = trace_program(TUTORIAL, parameters=["w"], learning_rate=0.01).first
    assert first.loss == loss.item() == 1.0
    assert first.node_named("w").grad == w.grad.item() == -2.0
    with torch.no_grad():
        w -= 0.01 * w.grad
    (update,) = first.updates
    assert update.after == pytest.approx(w.item(), rel=1e-7)
    w.grad.zero_()
    assert update.grad_after_zero == w.grad.item() == 0.0


def test_the_walkthrough_prints_the_tutorials_numbers():
    formulas = [step.formula for step in Walkthrough(trace_program(
        TUTORIAL, parameters=["w"], learning_rate=0.01)).steps]
    assert formulas == [
        "y_pred = w × x = 1.0 × 1.0 = 1.0",
        "y_pred - y = 1.0 - 2.0 = -1.0",
        "loss = (y_pred - y)² = (-1.0)² = 1.0",
        "∂y_pred/∂w = x = 1.0",
        "∂(y_pred - y)/∂y_pred = 1 = 1.0",
        "∂loss/∂(y_pred - y) = 2 * (y_pred - y) = -2.0",
        "∂loss/∂loss = 1.0",
        "∂loss/∂(y_pred - y) = ∂loss/∂loss × ∂loss/∂(y_pred - y) = 1.0 × (-2.0) = -2.0",
        "∂loss/∂y_pred = ∂loss/∂(y_pred - y) × ∂(y_pred - y)/∂y_pred = (-2.0) × 1.0 = -2.0",
        "∂loss/∂w = ∂loss/∂y_pred × ∂y_pred/∂w = (-2.0) × 1.0 = -2.0",
        "w ← w - lr × w.grad = 1.0 - 0.01 × (-2.0) = 1.02",
        "w.grad ← 0.0",
    ]


def test_the_lessons_code_panel_shows_the_tutorials_steps():
    lesson = find_lesson("one-training-step")
    walkthrough = lesson.walkthrough()
    lines = walkthrough.listing.text.splitlines()
    shown = {step.stage.value: lines[step.code_line - 1].split("  #")[0].strip()
             for step in walkthrough.steps if step.iteration == 0}
    assert shown["backward"] == "loss.backward()"
    assert shown["update"] == "w -= 0.01 * w.grad"
    assert shown["zero_grad"] == "w.grad.zero_()"
    state = walkthrough.state_at(len([s for s in walkthrough.steps if s.iteration == 0]))
    assert state.parameters == {"w": pytest.approx(1.02, abs=1e-15)}
    assert state.grad_attrs == {"w": 0.0}


def test_without_zero_grad_the_second_update_uses_the_summed_gradient():
    lesson = find_lesson("forgetting-zero-grad")
    first, second = lesson.trace().iterations
    assert first.updates[0].grad_after_zero is None
    assert second.updates[0].grad == pytest.approx(-3.96)
    assert second.updates[0].after == pytest.approx(1.02 + 0.01 * 3.96)
    walkthrough = lesson.walkthrough()
    (step,) = [s for s in walkthrough.steps if s.iteration == 1 and s.stage.value == "backward"
               and s.node == second.node_named("w").id]
    assert "w.grad still held -2.0 from the previous pass" in step.text
    assert "w.grad is now -3.96" in step.text
    assert all(s.stage.value != "zero_grad" for s in walkthrough.steps)


def test_forgetting_zero_grad_shows_the_sum_and_the_w_that_would_have_been_right():
    walkthrough = find_lesson("forgetting-zero-grad").walkthrough()
    second = walkthrough.trace.iterations[1]
    w = second.node_named("w")
    (backward,) = [s for s in walkthrough.steps if s.iteration == 1 and s.node == w.id
                   and s.stage.value == "backward"]
    assert backward.formula.endswith("w.grad = -2.0 + (-1.96) = -3.96")  # what the node shows
    (update,) = [s for s in walkthrough.steps if s.iteration == 1 and s.stage.value == "update"]
    assert "1.02 - 0.01 × (-1.96) = 1.0396, the w that would have been right" in update.text
    assert second.updates[0].after_if_zeroed == pytest.approx(1.0396, abs=1e-15)
    assert walkthrough.trace.first.updates[0].after_if_zeroed is None
