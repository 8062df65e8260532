"""The finite-difference gradient check: agrees with autograd, and notices when it should not."""

import dataclasses

import pytest

from gui_backprop.core.gradient_check import (
    check_gradients,
    evaluate_output,
    finite_difference,
)
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.tracer import trace_program


@pytest.mark.parametrize("lesson", load_lessons(), ids=lambda lesson: lesson.id)
def test_every_iteration_of_every_lesson_agrees(lesson):
    trace = lesson.trace()
    for index in range(len(trace.iterations)):
        result = check_gradients(trace, index)
        assert result.parameters, "a lesson has at least one parameter"
        assert result.all_agree, result
        assert {c.name for c in result.parameters} == set(trace.parameters)


def test_estimate_of_the_tutorial_is_minus_two():
    trace = find_lesson("one-training-step").trace()
    (w,) = check_gradients(trace).parameters
    assert w.name == "w" and w.autograd == -2.0
    assert w.estimate == pytest.approx(-2.0, abs=1e-8)
    assert w.difference < 1e-8


def test_second_iteration_uses_the_updated_weight():
    trace = find_lesson("one-training-step").trace()
    (w,) = check_gradients(trace, iteration=1).parameters
    assert w.estimate == pytest.approx(-1.96, abs=1e-8)


def test_without_zero_grad_the_stored_grad_differs_but_the_derivative_agrees():
    trace = find_lesson("forgetting-zero-grad").trace()
    (w,) = check_gradients(trace, iteration=1).parameters
    assert w.agrees
    assert w.stored_grad == pytest.approx(-3.96)
    assert w.estimate == pytest.approx(-1.96, abs=1e-7)


def test_vector_parameters_are_estimated_element_by_element():
    trace = trace_program("x = [1.0, 2.0, 3.0]; loss = sum(x ** 2)", parameters=["x"])
    (x,) = check_gradients(trace).parameters
    assert x.estimate == pytest.approx((2.0, 4.0, 6.0), abs=1e-7)
    assert x.agrees


def test_a_wrong_gradient_is_reported_as_disagreeing():
    trace = trace_program("w = 3.0; loss = w ** 2", parameters=["w"])
    it = trace.iterations[0]
    wrong = dataclasses.replace(it.node_named("w"), grad=5.0)
    nodes = tuple(wrong if n.name == "w" else n for n in it.nodes)
    broken = dataclasses.replace(trace, iterations=(dataclasses.replace(it, nodes=nodes),))
    (w,) = check_gradients(broken).parameters
    assert not w.agrees
    assert w.difference == pytest.approx(1.0, abs=1e-6)
    assert not check_gradients(broken).all_agree


def test_a_kink_can_rightly_disagree():
    trace = trace_program("w = 0.0; loss = relu(w)", parameters=["w"])
    (w,) = check_gradients(trace).parameters
    assert w.estimate == pytest.approx(0.5)
    assert not w.agrees


def test_evaluate_output_does_not_track_gradients():
    trace = trace_program("x = 2.0; w = 0.5; loss = (w * x) ** 2", parameters=["w"])
    assert evaluate_output(trace.program, {"x": 2.0, "w": 0.5}, "loss") == 1.0
    estimate = finite_difference(trace.program, {"x": 2.0, "w": 0.5}, "loss", "x")
    assert estimate == pytest.approx(2 * 1.0 * 0.5, abs=1e-8)
