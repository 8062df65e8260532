"""nan and infinity never pass silently: the node and the step say what is undefined."""

from __future__ import annotations

import math

import pytest

from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Stage, Walkthrough


@pytest.mark.parametrize("program, words", [
    ("x = -1.0\ny = sqrt(x)", "sqrt(-1.0) is undefined: a negative number has no real square"),
    ("x = 0.0\ny = log(x)", "log(0.0) = -inf"),
    ("x = -2.0\ny = log(x)", "log(-2.0) is undefined"),
    ("x = 1000.0\ny = exp(x) * 10", "overflow: the result is too large for a float64"),
    ("x = 2.0\ny = x / (x - 2)", "2.0 / 0 has no value: dividing by zero gives inf"),
    ("x = -8.0\ny = x ** 0.5", "-8.0 ** 0.5 is undefined: a negative number to a fractional"),
    ("x = [1.0, -4.0]\ny = sum(sqrt(x))", "sqrt(-4.0) is undefined"),
])
def test_an_undefined_value_is_named_on_its_node_and_in_its_forward_step(program, words):
    walkthrough = Walkthrough(trace_program(program))
    it = walkthrough.trace.first
    noted = [n for n in it.nodes if n.note]
    assert noted and words in noted[0].note
    (step,) = [s for s in walkthrough.steps if s.stage is Stage.FORWARD
               and s.node == noted[0].id]
    assert f"Not a finite number: {noted[0].note}" in step.text


def test_a_value_computed_from_an_undefined_one_says_where_it_came_from():
    it = trace_program("x = -1.0\ny = sqrt(x)\nz = y * 2").first
    assert it.node_named("z").note == "y is nan, so this is nan too"


def test_an_infinite_slope_is_named_at_the_gradient_and_the_update_says_so():
    walkthrough = Walkthrough(trace_program("x = 0.0\ny = sqrt(x)", learning_rate=0.1))
    x = walkthrough.trace.first.node_named("x")
    assert x.note is None and math.isinf(x.grad)
    assert "the local gradient ∂y/∂x is inf here" in x.grad_note
    (backward,) = [s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.node == x.id]
    assert x.grad_note in backward.text
    (update,) = [s for s in walkthrough.steps if s.stage is Stage.UPDATE]
    assert "Careful: x is now -inf, because its gradient inf is not finite" in update.text


def test_finite_programs_have_no_notes():
    it = trace_program("x = 2.0\ny = sqrt(x) * log(x) / x").first
    assert all(n.note is None and n.grad_note is None for n in it.nodes)
