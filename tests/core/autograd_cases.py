"""A table of programs, each with the same computation written directly in torch.

Every ``build`` function takes the program's leaves as float64 tensors (keyword
arguments named as in the program) and returns the program's computed variables.
It performs the torch operations in the order the program does, one torch call per
operation, so that the tests can pair the trace's operation nodes with the tensors
recorded here. Constants that the program combines with each other (``2 + 3``) are
written as ``const(...)`` so that torch, not Python, does that arithmetic too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import cos, exp, log, mean, relu, sigmoid, sin, sqrt, tanh


@dataclass(frozen=True)
class Case:
    """A program, its parameters (``None``: every leaf) and its torch twin."""

    name: str
    source: str
    build: Callable[..., dict[str, torch.Tensor]]
    parameters: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return self.name


CASES: list[Case] = []


def case(source: str, parameters: tuple[str, ...] | None = None):
    """Register ``build`` as the torch twin of ``source``."""

    def register(build):
        CASES.append(Case(build.__name__, textwrap.dedent(source).strip() + "\n", build,
                          parameters))
        return build

    return register


def const(value: float) -> torch.Tensor:
    """A constant tensor, as the tracer makes one for a number in a program."""
    return torch.tensor(value, dtype=torch.float64)


@case("x = 2.0\nw = 3.0\ny = w * x")
def product(x, w):
    return {"y": w * x}


@case("x = 1.0\ny = 2.0\nw = 1.0\ny_pred = w * x\nloss = (y_pred - y) ** 2", ("w",))
def tutorial(x, y, w):
    y_pred = w * x
    return {"y_pred": y_pred, "loss": (y_pred - y) ** 2}


@case("a = 1.5\nb = -0.5\ny = a + b - 2.0")
def add_and_subtract(a, b):
    return {"y": a + b - 2.0}


@case("a = 3.0\nb = 2.0\ny = a / b")
def division(a, b):
    return {"y": a / b}


@case("a = 1.7\nb = 2.5\ny = a ** b")
def power_of_two_variables(a, b):
    return {"y": a**b}


@case("x = 0.7\np = 2 - x\nq = 2 / x\nr = 2 ** x\ny = p * q + r")
def constants_on_the_left(x):
    p, q, r = 2 - x, 2 / x, 2**x
    return {"p": p, "q": q, "r": r, "y": p * q + r}


@case("x = 1.3\ny = -x * -(x + 1)")
def unary_minus(x):
    return {"y": -x * -(x + 1)}


@case("x = 3.0\ny = x * x")
def same_tensor_twice_in_one_operation(x):
    return {"y": x * x}


@case("w = 0.7\ny = w * w + w")
def one_value_used_three_times(w):
    return {"y": w * w + w}


@case("a = 2.0\nb = 1.0\nc = a + b\nd = b + 1\ne = c * d")
def value_used_twice(a, b):
    c, d = a + b, b + 1
    return {"c": c, "d": d, "e": c * d}


@case("x = 0.8\ny = log(exp(x) + 1)")
def softplus(x):
    return {"y": log(exp(x) + 1)}


@case("x = 2.0\ny = sqrt(x * 3)")
def square_root(x):
    return {"y": sqrt(x * 3)}


@case("x = -1.5\ny = abs(x) * 2")
def absolute_value(x):
    return {"y": abs(x) * 2}


@case("x = 0.4\ny = sin(x) * cos(x)")
def sine_times_cosine(x):
    return {"y": sin(x) * cos(x)}


@case("x = 0.3\nw = -1.2\ny = tanh(w * x)")
def hyperbolic_tangent(x, w):
    return {"y": tanh(w * x)}


@case("x = 0.5\nw = 2.0\nb = -0.3\ny = sigmoid(w * x + b)")
def sigmoid_neuron(x, w, b):
    return {"y": sigmoid(w * x + b)}


@case("x = [-1.0, 0.0, 2.0]\ny = sum(relu(x) * x)")
def relu_on_a_vector_with_a_zero(x):
    return {"y": torch.sum(relu(x) * x)}


@case("x = [1.0, 2.0, 4.0]\ny = mean(x * x)")
def mean_of_squares(x):
    return {"y": mean(x * x)}


@case("x = [1.0, 2.0, 3.0]\nw = 0.5\ny = sum(w * x)")
def scalar_times_vector(x, w):
    return {"y": torch.sum(w * x)}


@case("""
    x = [0.5, 1.0, 2.0]
    w = 1.5
    a = w + x
    s = x - w
    m = w * x
    d = x / w
    p = x ** w
    q = w ** x
    loss = sum(a * s) + mean(m / d) + sum(p - q)
    """)
def scalar_broadcast_in_every_binary_operation(x, w):
    a, s, m, d, p, q = w + x, x - w, w * x, x / w, x**w, w**x
    loss = torch.sum(a * s) + mean(m / d) + torch.sum(p - q)
    return {"a": a, "s": s, "m": m, "d": d, "p": p, "q": q, "loss": loss}


@case("""
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    y = [3.1, 4.9, 7.2, 8.8, 11.1]
    w = 0.0
    b = 0.0
    y_hat = w * x + b
    J = mean((y - y_hat) ** 2)
    """, ("w", "b"))
def linear_regression(x, y, w, b):
    y_hat = w * x + b
    return {"y_hat": y_hat, "J": mean((y - y_hat) ** 2)}


@case("x = [0.2, 0.5, 0.9]\ny = sum(exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tanh(x) "
      "+ sigmoid(x) + abs(x) + relu(x))")
def every_function_on_a_vector(x):
    total = exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tanh(x) + sigmoid(x) + abs(x) + relu(x)
    return {"y": torch.sum(total)}


@case("""
    x = 0.5
    a = sin(x)
    b = exp(a)
    c = tanh(b)
    d = c * c
    e = sqrt(d + 1)
    f = log(e)
    y = -f
    """)
def deep_chain(x):
    a = sin(x)
    b = exp(a)
    c = tanh(b)
    d = c * c
    e = sqrt(d + 1)
    f = log(e)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "y": -f}


@case("x = 0.6\ny = exp(-(sin(cos(tanh(x * 2)) - 1) ** 2))")
def deeply_nested_expression(x):
    return {"y": exp(-(sin(cos(tanh(x * 2)) - 1) ** 2))}


@case("""
    x = [1.0, -2.0, 0.5]
    t = [0.0, 1.0, 1.0]
    w = 0.8
    b = 0.1
    p = sigmoid(w * x + b)
    loss = -mean(t * log(p) + (1 - t) * log(1 - p))
    """, ("w",))
def cross_entropy_with_data_leaves(x, t, w, b):
    p = sigmoid(w * x + b)
    return {"p": p, "loss": -mean(t * log(p) + (1 - t) * log(1 - p))}


@case("w = 1.5\ny = w * (2 + 3)")
def operation_on_constants_only(w):
    return {"y": w * (const(2.0) + 3)}


@case("x = 1.0\nw = 2.0\nu = exp(w)\ny = w * x")
def unused_variable(x, w):
    return {"u": exp(w), "y": w * x}


@case("x = 1.5\ny = x ** -1 + 3 * x ** 0.5 - x ** 2")
def constant_exponents(x):
    return {"y": x**-1 + 3 * x**0.5 - x**2}


@case("a = [1.5, 2.0]\nb = [0.5, 3.0]\ny = sum(a ** b)")
def vector_to_a_vector_power(a, b):
    return {"y": torch.sum(a**b)}


@case("x = [2.0]\nw = [1.0, 2.0, 3.0]\ny = sum(x * w)")
def one_element_list_broadcast(x, w):
    return {"y": torch.sum(x * w)}


@case("x = [0.5, 2.0, 4.0]\ny = sum(1 / x) - mean(x) / 3")
def constant_over_a_vector(x):
    return {"y": torch.sum(1 / x) - mean(x) / 3}


@case("w = 2.0\ny = mean(w * 3) + sum(-w)")
def reductions_of_scalars(w):
    return {"y": mean(w * 3) + torch.sum(-w)}


@case("x = 2.0\nw = -0.5\nb = 0.25\ny = (w * x + b) / (x - w) ** 3", ("b", "x"))
def quotient_with_some_parameters(x, w, b):
    return {"y": (w * x + b) / (x - w) ** 3}


@case("x = 1.3\ny = x ** 0.1234567 * 7.6543215 - 0.0000123456789 / x")
def constants_with_many_digits(x):
    return {"y": x**0.1234567 * 7.6543215 - 0.0000123456789 / x}


from tests.core import autograd_tensor_cases  # noqa: E402, F401  (registers the tensor cases)
