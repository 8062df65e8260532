"""Check autograd's gradients against central finite differences.

For each parameter the program's output is recomputed, in float64 and without
autograd, with that parameter nudged a little up and a little down:

    estimate = (f(p + h) - f(p - h)) / (2 h)

and the estimate is set beside the gradient autograd produced in the trace. They
agree when ``|autograd - estimate| <= atol + rtol * max(|autograd|, |estimate|)``
for every element. Where a function has a kink (``abs``, ``relu`` at 0) they may
rightly disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from gui_backprop.core.forward import make_leaf, plain, run_forward
from gui_backprop.core.graph import Trace
from gui_backprop.core.program import Program
from gui_backprop.core.values import Value, elements, reshape_elements, value_shape

RELATIVE_STEP = 1e-6
RELATIVE_TOLERANCE = 1e-5
ABSOLUTE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter: autograd's gradient, the finite-difference estimate, the verdict.

    ``stored_grad`` is the parameter's ``.grad`` after this backward pass; it differs
    from ``autograd`` only when an earlier pass's gradient was not zeroed.
    """

    name: str
    autograd: Value
    estimate: Value
    difference: float
    agrees: bool
    stored_grad: Value | None = None


@dataclass(frozen=True)
class GradientCheck:
    """The check of every parameter of one iteration of a trace."""

    iteration: int
    parameters: tuple[ParameterCheck, ...]
    relative_step: float
    rtol: float
    atol: float

    @property
    def all_agree(self) -> bool:
        """True when every parameter's gradient matches its estimate."""
        return all(check.agrees for check in self.parameters)


def _shaped(numbers: list[float], like: Value) -> Value:
    return reshape_elements(numbers, value_shape(like))


def evaluate_output(program: Program, values: Mapping[str, Value], output: str) -> float:
    """The program's ``output`` for ``values``, computed in float64 without autograd."""
    leaves = {name: make_leaf(value, False) for name, value in values.items()}
    result = plain(run_forward(program, leaves).named[output])
    if isinstance(result, tuple):
        raise ValueError(f"the output '{output}' is not a single number")
    return result


def finite_difference(program: Program, values: Mapping[str, Value], output: str,
                      name: str, relative_step: float = RELATIVE_STEP) -> Value:
    """Central finite-difference estimate of d(output)/d(name), element by element."""
    base = values[name]
    estimates = []
    for index, element in enumerate(elements(base)):
        h = relative_step * max(1.0, abs(element))
        nudged = []
        for sign in (1.0, -1.0):
            numbers = list(elements(base))
            numbers[index] = element + sign * h
            moved = dict(values, **{name: _shaped(numbers, base)})
            nudged.append(evaluate_output(program, moved, output))
        estimates.append((nudged[0] - nudged[1]) / (2 * h))
    return _shaped(estimates, base)


def _difference(autograd: Value, estimate: Value) -> float:
    return max(abs(a - e) for a, e in zip(elements(autograd), elements(estimate), strict=True))


def _agree(autograd: Value, estimate: Value, rtol: float, atol: float) -> bool:
    for a, e in zip(elements(autograd), elements(estimate), strict=True):
        if not (math.isfinite(a) and math.isfinite(e)):
            return False
        if abs(a - e) > atol + rtol * max(abs(a), abs(e)):
            return False
    return True


def check_gradients(trace: Trace, iteration: int = 0, relative_step: float = RELATIVE_STEP,
                    rtol: float = RELATIVE_TOLERANCE,
                    atol: float = ABSOLUTE_TOLERANCE) -> GradientCheck:
    """Compare each parameter's autograd gradient in ``iteration`` with an estimate.

    The values are the leaves as they were in that iteration (after earlier updates);
    the autograd gradient is this pass's gradient, not the possibly accumulated
    ``.grad``, because that is what the derivative of the output is.
    """
    it = trace.iterations[iteration]
    values = {node.name: node.value for node in it.nodes if node.name in trace.values}
    checks = []
    for name in trace.parameters:
        node = it.node_named(name)
        if node.grad is None:
            continue
        estimate = finite_difference(trace.program, values, trace.output_name, name,
                                     relative_step)
        checks.append(ParameterCheck(
            name=name, autograd=node.grad, estimate=estimate,
            difference=_difference(node.grad, estimate),
            agrees=_agree(node.grad, estimate, rtol, atol), stored_grad=node.grad_attr))
    return GradientCheck(iteration, tuple(checks), relative_step, rtol, atol)
