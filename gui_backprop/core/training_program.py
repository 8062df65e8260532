"""A program compiled into plain torch calls, for the training loop.

:func:`~gui_backprop.core.forward.run_forward` records every call under a
``TorchFunctionMode`` so that the walkthrough can show the graph; a training loop
runs the same computation thousands of times a second and needs none of that. This
module turns the same AST into closures that make the same torch calls (the same
operation table, the same dtype), so a training step costs what a hand-written PyTorch
loop costs. A number beside a tensor is passed as a Python number, as in the
tutorial's ``(y_pred - y) ** 2``: torch's scalar overloads compute the same values
without making the constant a tensor. Gradients still come from autograd only.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping

import torch

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import DTYPE
from gui_backprop.core.functions import BINARY_BY_AST, BINARY_OPERATIONS, FUNCTIONS, NEGATION
from gui_backprop.core.lazy_torch import real
from gui_backprop.core.operation import DIM, LABELS
from gui_backprop.core.program import Program
from gui_backprop.core.values import literal_value, parse_number

Scope = dict[str, torch.Tensor]
Evaluator = Callable[[Scope], torch.Tensor]


def _compile(node: ast.expr) -> Evaluator:
    """A closure computing ``node`` from a scope of tensors, one torch call per operator."""
    number = parse_number(node)
    if number is not None:
        constant = torch.tensor(number, dtype=DTYPE)
        return lambda scope: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda scope: scope[name]
    if isinstance(node, ast.BinOp):
        name = BINARY_BY_AST[type(node.op).__name__]
        function = real(BINARY_OPERATIONS[name].torch_function)  # no wrapper in the loop
        left_number, right_number = parse_number(node.left), parse_number(node.right)
        if right_number is not None and left_number is None:
            # as forward.py runs it (a scalar power rounds differently from a tensor one)
            tensor = _compile(node.left)
            return lambda scope: function(tensor(scope), right_number)
        if left_number is not None and right_number is None and name in ("add", "mul"):
            tensor = _compile(node.right)  # a commutative operation: the same result
            return lambda scope: function(tensor(scope), left_number)
        if isinstance(node.left, ast.Name) and isinstance(node.right, ast.Name):
            a, b = node.left.id, node.right.id  # the commonest case, one call less each
            return lambda scope: function(scope[a], scope[b])
        left, right = _compile(node.left), _compile(node.right)
        return lambda scope: function(left(scope), right(scope))
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        negate = real(NEGATION.torch_function)
        return lambda scope: negate(operand(scope))
    if isinstance(node, ast.Call):
        op = FUNCTIONS[node.func.id]
        function = real(op.torch_function)
        argument = _compile(node.args[0])
        if len(node.args) == 1:
            return lambda scope: function(argument(scope))
        extra = _extra_argument(op.arguments[1], node.args[1])
        return lambda scope: function(argument(scope), extra(scope))
    raise ProgramError("unsupported expression", getattr(node, "lineno", None))


def _extra_argument(kind: str, node: ast.expr) -> Evaluator:
    """The second argument of a call: a dimension, class labels (dtype long) or a tensor."""
    if kind == DIM:
        dim = int(parse_number(node))
        return lambda scope: dim
    if kind == LABELS:
        if isinstance(node, ast.Name):
            name = node.id
            return lambda scope: scope[name].detach().long()
        labels = torch.tensor(literal_value(node), dtype=DTYPE).long()
        return lambda scope: labels
    return _compile(node)


def _names_used(node: ast.expr) -> set[str]:
    # function names cannot be variables (the parser refuses them), so they drop out
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - set(FUNCTIONS)


class CompiledProgram:
    """A program as a list of torch closures, with the dependencies between names."""

    def __init__(self, program: Program):
        self.program = program
        self._statements: list[tuple[str, Evaluator]] = []
        self._direct: dict[str, set[str]] = {}
        for stmt in program.statements:
            if stmt.literal is None:
                self._statements.append((stmt.target, _compile(stmt.expression)))
                self._direct[stmt.target] = _names_used(stmt.expression)
            else:
                self._direct[stmt.target] = set()

    def depends_on(self, name: str) -> set[str]:
        """Every name (leaf or computed) that ``name``'s value is computed from."""
        seen: set[str] = set()
        stack = list(self._direct.get(name, ()))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._direct.get(current, ()))
        return seen

    def function_of(self, name: str) -> Callable[[Mapping[str, torch.Tensor]], torch.Tensor]:
        """A function from the leaf tensors to ``name``'s tensor.

        Only the statements ``name`` depends on run, so leaves it does not use may be
        missing or of any shape.
        """
        needed = self.depends_on(name) | {name}
        steps = [(target, fn) for target, fn in self._statements if target in needed]
        if not steps or steps[-1][0] != name:
            raise ProgramError(f"'{name}' is not computed by the program")

        def evaluate(leaves: Mapping[str, torch.Tensor]) -> torch.Tensor:
            scope = dict(leaves)
            for target, fn in steps:
                scope[target] = fn(scope)
            return scope[name]

        return evaluate
