"""Independent torch references for the autograd table: values, gradients, Jacobians.

Nothing here uses the tracer: the computation comes from a case's hand-written
``build`` function, the gradients from ``torch.autograd.grad`` and the local
derivatives from ``torch.autograd.functional.jacobian`` of one operation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from tests.core.autograd_cases import Case

DTYPE = torch.float64

OPERATIONS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "neg": lambda a: -a,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "mean": lambda a, dim=None: torch.mean(a) if dim is None else torch.mean(a, dim),
    "sum": lambda a, dim=None: torch.sum(a) if dim is None else torch.sum(a, dim),
    "matmul": lambda a, b: a @ b,
    "transpose": lambda a: a.T,
    "softmax": lambda a: F.softmax(a, dim=-1),
    "log_softmax": lambda a: F.log_softmax(a, dim=-1),
    "cross_entropy": lambda a, labels: F.cross_entropy(a, labels.long()),
    "binary_cross_entropy": F.binary_cross_entropy,
}
REDUCTIONS = {"sum", "mean"}
"""Each operation a program may use, written out independently of the core's table."""


class OperationRecorder(TorchFunctionMode):
    """Keeps the result of every torch call that takes a tensor and makes one."""

    def __init__(self):
        super().__init__()
        self.outputs: list[torch.Tensor] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if isinstance(result, torch.Tensor) and any(isinstance(a, torch.Tensor) for a in args):
            self.outputs.append(result)
        return result


@dataclass
class Reference:
    """One forward and backward pass of a case, done directly in torch."""

    leaves: dict[str, torch.Tensor]
    named: dict[str, torch.Tensor]
    operations: list[torch.Tensor]
    grads: dict[int, torch.Tensor | None]

    def grad_of(self, tensor: torch.Tensor) -> torch.Tensor | None:
        """d(output)/d(tensor), ``None`` where autograd does not reach it."""
        return self.grads[id(tensor)]


def run_reference(case: Case, values: dict, parameters, output: str) -> Reference:
    """Build ``case`` on fresh float64 leaves and differentiate ``output`` by hand."""
    leaves = {name: torch.tensor(value, dtype=DTYPE, requires_grad=name in parameters)
              for name, value in values.items()}
    with OperationRecorder() as recorder:
        named = case.build(**leaves)
    tensors = [*leaves.values(), *recorder.outputs]
    differentiable = [t for t in tensors if t.requires_grad]
    grads = dict.fromkeys(map(id, tensors))
    found = torch.autograd.grad(named[output], differentiable, allow_unused=True)
    grads.update({id(t): g for t, g in zip(differentiable, found, strict=True)})
    return Reference(leaves, named, recorder.outputs, grads)


def as_tensor(value) -> torch.Tensor:
    """A trace value (float or tuple of floats) as a float64 tensor."""
    return torch.tensor(value, dtype=DTYPE)


def assert_same(actual, expected: torch.Tensor | None, what: str, rel: float = 1e-12) -> None:
    """A trace value equals a reference tensor (both ``None``, or equal in shape and value:
    a vector is a tuple, a matrix a tuple of row tuples)."""
    if expected is None:
        assert actual is None, f"{what}: expected no gradient, got {actual}"
        return
    assert actual is not None, f"{what}: expected {expected.tolist()}, got None"
    expected_plain = expected.detach().tolist()
    if isinstance(expected_plain, list):
        assert isinstance(actual, tuple), f"{what}: expected a vector, got {actual}"
        if expected.dim() == 2:
            assert all(isinstance(row, tuple) for row in actual), f"{what}: expected rows"
            assert [len(row) for row in actual] == [len(r) for r in expected_plain], what
            actual = [x for row in actual for x in row]
            expected_plain = [x for row in expected_plain for x in row]
        else:
            assert not any(isinstance(x, tuple) for x in actual), f"{what}: expected a vector"
        assert list(actual) == pytest.approx(expected_plain, rel=rel, abs=1e-14, nan_ok=True), what
    else:
        assert isinstance(actual, float), f"{what}: expected a number, got {actual}"
        assert actual == pytest.approx(expected_plain, rel=rel, abs=1e-14, nan_ok=True), what


def apply(op: str, operands: list[torch.Tensor], dim: int | None = None) -> torch.Tensor:
    """One operation on ``operands`` (``dim``: a reduction over one dimension)."""
    if dim is not None:
        return OPERATIONS[op](*operands, dim=dim)
    return OPERATIONS[op](*operands)


def local_jacobian(op: str, operands: list[torch.Tensor], position: int,
                   dim: int | None = None) -> torch.Tensor:
    """The Jacobian of one operation's output with respect to operand ``position``."""

    def of_one_operand(operand):
        inputs = list(operands)
        inputs[position] = operand
        return apply(op, inputs, dim)

    return torch.autograd.functional.jacobian(of_one_operand, operands[position])


def jacobian_as_local_gradient(jacobian: torch.Tensor, output_shape, operand_shape,
                               reduction: bool = False):
    """The Jacobian as a trace reports an element-wise operation's or a reduction's local
    gradient: the diagonal; for a reduction, what each element adds (the sum over the
    outputs); for a broadcast operand, one derivative per output element."""
    out_n, in_n = _numel(output_shape), _numel(operand_shape)
    matrix = jacobian.reshape(out_n, in_n)
    if reduction or out_n == 1:
        return matrix.sum(0).reshape(operand_shape)
    if tuple(output_shape) == tuple(operand_shape):
        off_diagonal = matrix - torch.diag(torch.diagonal(matrix))
        assert torch.count_nonzero(off_diagonal) == 0, "expected an element-wise operation"
        return torch.diagonal(matrix).clone().reshape(operand_shape)
    assert torch.all(torch.count_nonzero(matrix, dim=1) <= 1), "expected a broadcast operand"
    return matrix.sum(1).reshape(output_shape)  # each output element uses one operand element


def vector_jacobian_product(upstream: torch.Tensor, jacobian: torch.Tensor,
                            operand_shape) -> torch.Tensor:
    """What the upstream gradient becomes after passing back through one operation."""
    out_n = upstream.numel()
    product = upstream.reshape(1, out_n) @ jacobian.reshape(out_n, -1)
    return product.reshape(operand_shape)


def _numel(shape) -> int:
    count = 1
    for size in shape:
        count *= size
    return count
