"""The tutorial's example must come out exactly as the tutorial prints it."""

import pytest

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.tracer import trace_program

TUTORIAL = """
x = 1.0
y = 2.0
w = 1.0
y_pred = w * x
loss = (y_pred - y) ** 2
"""


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
