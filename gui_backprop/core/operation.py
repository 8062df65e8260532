"""One operation of the program language: its torch function, arguments and labels.

A leaf module shared by the scalar table (:mod:`functions`) and the tensor table
(:mod:`tensor_functions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: this module never loads torch
    import torch

TENSOR = "tensor"
"""An argument that is any expression (a tensor)."""
DIM = "dim"
"""An argument that is a whole-number literal: the dimension to reduce over."""
LABELS = "labels"
"""Class labels: a whole number, a list of them, or the name of a value holding them."""
COUNT = "count"
"""A positive whole-number literal (label formulas only: the number of classes)."""


@dataclass(frozen=True)
class Operation:
    """An operation: its torch function, its symbol and its derivative labels.

    ``name`` is the name torch reports for the call. ``derivatives[k]`` is the
    derivative with respect to operand ``k`` written in program syntax over the
    placeholders ``{a}``, ``{b}`` (operands), ``{out}`` (the result) and ``{n}`` (the
    number of elements of ``{a}``, or of the reduced dimension); ``shown[k]``, where
    set, is a friendlier text for the learner. ``arguments`` gives each argument's kind
    (:data:`TENSOR`, :data:`DIM`, :data:`LABELS`); the first ``required`` must be given.
    A ``vector_jacobian`` operation is not element-wise: its edges carry the
    vector-Jacobian product and a rule with shapes (see :mod:`tensor_functions`).
    """

    name: str
    torch_function: Callable[..., torch.Tensor]
    describe: str
    derivatives: tuple[str, ...]
    shown: tuple[str | None, ...] = ()
    symbol: str | None = None
    arguments: tuple[str, ...] = (TENSOR,)
    required: int = 1
    vector_jacobian: bool = False


def make_operation(name, fn, describe, *derivatives, shown=(), symbol=None,
                   arguments=(TENSOR,), required=None, vector_jacobian=False) -> Operation:
    """An :class:`Operation` (``required`` defaults to every argument)."""
    return Operation(name, fn, describe, tuple(derivatives), tuple(shown), symbol,
                     tuple(arguments), len(arguments) if required is None else required,
                     vector_jacobian)
