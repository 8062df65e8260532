"""Random programs from the whole grammar: traced gradients equal torch's, or a clean error.

Hypothesis draws an expression tree and turns it into two things at once: program text
and a function that performs the same operations directly on torch tensors.
"""

from __future__ import annotations

import json
import math

import pytest
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.export import trace_to_dict
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Walkthrough

LEAVES = {"a": 0.75, "b": -1.25, "v": [0.5, -2.0, 3.0], "u": [1.0, 2.0]}
BINARY = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
          "/": lambda x, y: x / y, "**": lambda x, y: x**y}
FUNCTIONS = {name: getattr(torch, name) for name in
             ("exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "mean", "sum")}


def _constant(value: float):
    return lambda env: torch.tensor(value, dtype=torch.float64)


@st.composite
def expressions(draw, names: tuple[str, ...], depth: int = 4):
    """(program text, torch function of an environment) for a random expression."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        pick = draw(st.integers(0, 19))
        if pick >= 4:  # mostly names; rarely "u", whose length differs from v's
            name = "u" if pick == 4 else draw(st.sampled_from([n for n in names if n != "u"]))
            return name, lambda env: env[name]
        value = draw(st.sampled_from([0.0, 1.0, 2.0, -1.5, 0.5, 3.0, 1e-3]))
        return f"({value!r})", _constant(value)
    kind = draw(st.sampled_from(["binary", "binary", "negation", "function"]))
    left_text, left = draw(expressions(names, depth - 1))
    if kind == "negation":
        return f"-({left_text})", lambda env: -left(env)
    if kind == "function":
        name = draw(st.sampled_from(sorted(FUNCTIONS)))
        return f"{name}({left_text})", lambda env: FUNCTIONS[name](left(env))
    symbol = draw(st.sampled_from(sorted(BINARY)))
    right_text, right = draw(expressions(names, depth - 1))
    return (f"({left_text}) {symbol} ({right_text})",
            lambda env: BINARY[symbol](left(env), right(env)))


@st.composite
def programs(draw):
    """A program of one to three computed statements over the leaves, and its twin."""
    names = tuple(LEAVES)
    lines = [f"{name} = {value!r}" for name, value in LEAVES.items()]
    steps = []
    for index in range(draw(st.integers(0, 2))):
        text, function = draw(expressions(names).filter(lambda e: not e[0].isidentifier()))
        target = f"t{index}"
        lines.append(f"{target} = {text}")
        steps.append((target, function))
        names += (target,)
    text, function = draw(expressions(names))
    reduce = draw(st.sampled_from(["sum", "mean"]))
    lines.append(f"loss = {reduce}({text})")
    steps.append(("loss", lambda env: FUNCTIONS[reduce](function(env))))
    return "\n".join(lines), steps


def _run_twin(steps, parameters):
    env = {name: torch.tensor(value, dtype=torch.float64, requires_grad=name in parameters)
           for name, value in LEAVES.items()}
    leaves = dict(env)
    for target, function in steps:
        env[target] = function(env)
    return env["loss"], leaves


def _same(actual, expected: torch.Tensor) -> bool:
    expected_list = expected.detach().reshape(-1).tolist()
    actual_list = list(actual) if isinstance(actual, tuple) else [actual]
    return actual_list == pytest.approx(expected_list, rel=1e-12, abs=1e-300, nan_ok=True)


@settings(deadline=2000, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.sets(st.sampled_from(sorted(LEAVES)), min_size=1) | st.just(set(LEAVES)))
def test_random_programs_trace_like_torch_or_fail_cleanly(program, parameters):
    source, steps = program
    try:
        twin_loss, twin_leaves = _run_twin(steps, parameters)
    except RuntimeError:  # torch refuses too: vectors of different lengths
        event("different lengths")
        with pytest.raises(ProgramError, match="different lengths"):
            trace_program(source, parameters=parameters)
        return
    try:
        trace = trace_program(source, parameters=parameters)
    except ProgramError as exc:
        event(exc.message[:30])
        assert "does not depend on any parameter" in exc.message
        assert not twin_loss.requires_grad
        return
    it = trace.first
    assert _same(it.loss, twin_loss)
    grads = torch.autograd.grad(twin_loss, [twin_leaves[n] for n in trace.parameters],
                                allow_unused=True)
    event("traced")
    for name, grad in zip(trace.parameters, grads, strict=True):
        node = it.node_named(name)
        if grad is None:
            assert node.grad is None
        else:
            assert _same(node.grad, grad), name
    _check_paths_add_up(it)
    walkthrough = Walkthrough(trace)
    json.dumps(trace_to_dict(walkthrough), allow_nan=False)
    assert all(step.formula and step.title for step in walkthrough.steps)


def _check_paths_add_up(it) -> None:
    for node in it.nodes:
        if node.grad is None or node.id == it.output:
            continue
        parts = [e.contribution for e in it.uses_of(node.id) if e.contribution is not None]
        total = torch.zeros(len(node.grad) if isinstance(node.grad, tuple) else ())
        for part in parts:
            total = total + torch.tensor(part, dtype=torch.float64)
        flat = total.reshape(-1).tolist()
        expected = list(node.grad) if isinstance(node.grad, tuple) else [node.grad]
        # Added in another order than autograd's, paths of ±3e17 that cancel leave an
        # error of their own size times float64's precision: the tolerance scales with
        # the largest part, not with the sum.
        largest = max((abs(v) for part in parts
                       for v in (part if isinstance(part, tuple) else (part,))
                       if math.isfinite(v)), default=0.0)
        for got, want in zip(flat, expected, strict=True):
            if math.isfinite(want) and math.isfinite(got):
                assert got == pytest.approx(want, rel=1e-9, abs=1e-12 + 1e-14 * largest), \
                    node.label
