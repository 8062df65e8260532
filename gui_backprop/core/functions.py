"""The fixed table of operations a program may use, and their derivative labels.

Each operation maps to exactly one torch function, so that each one is a single
node in PyTorch's autograd graph. The derivative rules here are *labels* shown to a
learner (``d(w*x)/dw = x``); every number on screen comes from autograd, and the tests
check that these labels agree with it.
"""

from __future__ import annotations

from gui_backprop.core.formatting import exact_operand, format_operand

# torch itself loads on the first call: the parser and the lesson list need only names
from gui_backprop.core.lazy_torch import torch
from gui_backprop.core.operation import DIM, TENSOR, Operation, make_operation
from gui_backprop.core.tensor_functions import MATMUL, TENSOR_FUNCTIONS

_op = make_operation


BINARY_OPERATIONS: dict[str, Operation] = {
    "add": _op("add", torch.add, "addition", "1", "1", symbol="+"),
    "sub": _op("sub", torch.sub, "subtraction", "1", "-1", symbol="-"),
    "mul": _op("mul", torch.mul, "multiplication", "{b}", "{a}", symbol="*"),
    "div": _op("div", torch.div, "division", "1 / {b}", "-{a} / {b} ** 2", symbol="/"),
    "pow": _op("pow", torch.pow, "power", "{b} * {a} ** ({b} - 1)", "{a} ** {b} * log({a})",
               symbol="**"),
}

NEGATION = _op("neg", torch.neg, "negation", "-1", symbol="-")

FUNCTIONS: dict[str, Operation] = {
    "exp": _op("exp", torch.exp, "exponential", "exp({a})"),
    "log": _op("log", torch.log, "natural logarithm", "1 / {a}"),
    "sqrt": _op("sqrt", torch.sqrt, "square root", "1 / (2 * sqrt({a}))"),
    "abs": _op("abs", torch.abs, "absolute value", "{a} / abs({a})",
               shown=("sign({a})",)),
    "sin": _op("sin", torch.sin, "sine", "cos({a})"),
    "cos": _op("cos", torch.cos, "cosine", "-sin({a})"),
    "tanh": _op("tanh", torch.tanh, "hyperbolic tangent", "1 - tanh({a}) ** 2"),
    "sigmoid": _op("sigmoid", torch.sigmoid, "sigmoid", "sigmoid({a}) * (1 - sigmoid({a}))"),
    "relu": _op("relu", torch.relu, "rectified linear unit", "relu({a}) / {a}",
                shown=("1 where {a} > 0, else 0",)),
    "mean": _op("mean", torch.mean, "mean of the elements", "1 / {n}",
                arguments=(TENSOR, DIM), required=1),
    "sum": _op("sum", torch.sum, "sum of the elements", "1", arguments=(TENSOR, DIM),
               required=1),
    **TENSOR_FUNCTIONS,
}
"""Every function a program may call, by the name the program writes."""

BINARY_OPERATIONS["matmul"] = MATMUL

OPERATIONS: dict[str, Operation] = {
    **BINARY_OPERATIONS, "neg": NEGATION, **{op.name: op for op in FUNCTIONS.values()}}
"""Every operation by the name torch reports for it."""

BINARY_BY_AST = {"Add": "add", "Sub": "sub", "Mult": "mul", "Div": "div", "Pow": "pow",
                 "MatMult": "matmul"}

__all__ = ["BINARY_BY_AST", "BINARY_OPERATIONS", "FUNCTIONS", "NEGATION", "OPERATIONS",
           "Operation", "derivative_expression", "derivative_shown"]


def derivative_expression(op: Operation, position: int, operands: list[str], n: int,
                          exponent: float | None = None) -> str:
    """The derivative of ``op`` with respect to operand ``position``, in program syntax.

    ``exponent`` is the constant exponent of a power, which gives a simpler label
    (``2 * a`` rather than ``2 * a ** (2 - 1)``).
    """
    if op.name == "pow" and position == 0 and exponent is not None:
        return _power_rule(operands[0], exponent, exact=True)
    return _fill(op.derivatives[position], operands, n)


def derivative_shown(op: Operation, position: int, operands: list[str], n: int,
                     exponent: float | None = None) -> str:
    """The derivative as shown to a learner (may differ from the checkable form)."""
    shown = op.shown[position] if position < len(op.shown) else None
    if shown is not None:
        return _fill(shown, operands, n)
    if op.name == "pow" and position == 0 and exponent is not None:
        return _power_rule(operands[0], exponent, exact=False)
    return _fill(op.derivatives[position], operands, n)


def _power_rule(base: str, exponent: float, exact: bool) -> str:
    written = exact_operand if exact else format_operand
    lowered = exponent - 1
    if lowered == 0:
        return "1"
    factor = written(exponent)
    if lowered == 1:
        return f"{factor} * {base}"
    return f"{factor} * {base} ** {written(lowered)}"


def _fill(template: str, operands: list[str], n: int) -> str:
    a = operands[0]
    b = operands[1] if len(operands) > 1 else ""
    return template.format(a=a, b=b, n=n)
