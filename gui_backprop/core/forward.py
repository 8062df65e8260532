"""Run a parsed program's forward pass on torch tensors and record every operation.

The program's AST is walked by hand (never evaluated by Python): each operator is
one explicit torch call, and a :class:`~torch.overrides.TorchFunctionMode` records
every call torch itself sees, with its inputs and result. That recording, not the
AST, is what the graph is built from.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch.overrides import TorchFunctionMode

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.functions import BINARY_BY_AST, BINARY_OPERATIONS, FUNCTIONS, NEGATION
from gui_backprop.core.operation import DIM, LABELS, TENSOR, Operation
from gui_backprop.core.program import MAX_GRAPH_NODES, Program, parse_expression
from gui_backprop.core.shapes import (
    check_element_wise,
    check_function,
    check_matmul,
    labels_tensor,
)
from gui_backprop.core.tensor_functions import LABEL_FUNCTIONS
from gui_backprop.core.values import Value, literal_value, parse_number

DTYPE = torch.float64


@dataclass
class RecordedCall:
    """One torch call seen during the forward pass."""

    op: str
    inputs: tuple[torch.Tensor, ...]
    output: torch.Tensor
    source: ast.expr | None
    statement: int
    arguments: tuple = ()


@dataclass
class ForwardRecording:
    """Tensors of one forward pass: leaves, constants, recorded calls, named results.

    ``labels`` maps a class-label tensor (dtype long, made for ``cross_entropy``) to the
    leaf it was read from (its name) or the literal that wrote it.
    """

    leaves: dict[str, torch.Tensor]
    constants: list[tuple[torch.Tensor, ast.expr]] = field(default_factory=list)
    labels: list[tuple[torch.Tensor, str | ast.expr]] = field(default_factory=list)
    calls: list[RecordedCall] = field(default_factory=list)
    named: dict[str, torch.Tensor] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


class _CallRecorder(TorchFunctionMode):
    """Records each torch function call made while the mode is active."""

    def __init__(self, recording: ForwardRecording):
        super().__init__()
        self.recording = recording
        self.source: ast.expr | None = None
        self.statement = 0
        self.paused = False
        # A number passed to torch as a Python number (``x ** 2``) is drawn as a constant
        # node: this tensor stands in for it in the recording, never in the computation.
        self.stand_in: torch.Tensor | None = None

    def __torch_function__(self, func, types, args=(), kwargs=None):
        output = func(*args, **(kwargs or {}))
        if isinstance(output, torch.Tensor) and not self.paused:
            inputs = tuple(a if isinstance(a, torch.Tensor) else self.stand_in for a in args
                           if isinstance(a, torch.Tensor) or self.stand_in is not None)
            name = getattr(func, "__name__", str(func))
            self.recording.calls.append(
                RecordedCall(name, inputs, output, self.source, self.statement, tuple(args)))
        return output


def plain(tensor: torch.Tensor | None) -> Value | None:
    """Copy a tensor out as a float, a tuple of floats or a tuple of row tuples (``None``
    stays ``None``)."""
    if tensor is None:
        return None
    data = tensor.detach().to(DTYPE).tolist()
    if isinstance(data, list):
        return tuple(tuple(row) if isinstance(row, list) else row for row in data)
    return float(data)


def make_leaf(value: Value, requires_grad: bool) -> torch.Tensor:
    """A leaf tensor in the dtype every trace uses."""
    return torch.tensor(value, dtype=DTYPE, requires_grad=requires_grad)


class _Evaluator:
    def __init__(self, recording: ForwardRecording, recorder: _CallRecorder):
        self.recording = recording
        self.recorder = recorder
        self.scope: dict[str, torch.Tensor] = dict(recording.leaves)

    def constant(self, value: Value, node: ast.expr) -> torch.Tensor:
        self.recorder.paused = True  # creating a constant is not an operation of the program
        try:
            tensor = torch.tensor(value, dtype=DTYPE)
        finally:
            self.recorder.paused = False
        self.recording.constants.append((tensor, node))
        return tensor

    def call(self, function, node: ast.expr, *args: torch.Tensor | float,
             stand_in: torch.Tensor | None = None) -> torch.Tensor:
        self.recorder.source = node
        self.recorder.stand_in = stand_in
        try:
            return function(*args)
        except (RuntimeError, ValueError) as exc:
            raise _shape_error(exc, node) from None
        finally:
            self.recorder.stand_in = None

    def evaluate(self, node: ast.expr) -> torch.Tensor:
        number = parse_number(node)
        if number is not None:
            return self.constant(number, node)
        if isinstance(node, ast.Name):
            return self.scope[node.id]
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.UnaryOp):
            return self.call(NEGATION.torch_function, node, self.evaluate(node.operand))
        if isinstance(node, ast.Call):
            return self._function(node)
        if isinstance(node, ast.List) and self.rules:
            return self.constant(literal_value(node), node)
        raise ProgramError("unsupported expression", getattr(node, "lineno", None))

    rules = False  # True while evaluating a rule of tensor_functions (list literals)

    def _binary(self, node: ast.BinOp) -> torch.Tensor:
        left = self.evaluate(node.left)
        op = BINARY_OPERATIONS[BINARY_BY_AST[type(node.op).__name__]]
        texts = (ast.unparse(node.left), ast.unparse(node.right))
        number = parse_number(node.right)
        if number is not None and parse_number(node.left) is None and op.name != "matmul":
            # As PyTorch runs ``x ** 2`` or ``b + 1``: the number stays a Python number
            # (PowBackward0, not PowBackward1 as for a tensor exponent).
            return self.call(op.torch_function, node, left, number,
                             stand_in=self.constant(number, node.right))
        right = self.evaluate(node.right)
        with self.paused():
            if op.name == "matmul":
                check_matmul(left, right, texts, node)
            else:
                check_element_wise(op.symbol, left, right, texts, node)
        return self.call(op.torch_function, node, left, right)

    def _function(self, node: ast.Call) -> torch.Tensor:
        name = node.func.id
        op: Operation = FUNCTIONS.get(name) or LABEL_FUNCTIONS[name]
        args: list = []
        for kind, argument in zip(op.arguments, node.args, strict=False):
            if kind == TENSOR:
                args.append(self.evaluate(argument))
            elif kind == LABELS:
                args.append(self._labels(argument))
            else:
                args.append(int(parse_number(argument)))
        texts = [ast.unparse(a) for a in node.args]
        if name in FUNCTIONS:
            with self.paused():
                check_function(name, args, texts, node)
        if op.arguments[1:2] == (DIM,) and len(args) == 2 and args[0].dim() == 0:
            args[1] = max(min(args[1], 0), -1)  # torch allows dim 0 or -1 on a number
        return self.call(op.torch_function, node, *args)

    def _labels(self, node: ast.expr) -> torch.Tensor:
        """Class labels as a long tensor, recorded with where they came from."""
        with self.paused():  # reading labels is not an operation of the program
            if isinstance(node, ast.Name):
                labels = labels_tensor(self.scope[node.id], node.id, node)
                self.recording.labels.append((labels, node.id))
            else:
                labels = labels_tensor(torch.tensor(literal_value(node), dtype=DTYPE),
                                       ast.unparse(node), node)
                self.recording.labels.append((labels, node))
        return labels

    @contextmanager
    def paused(self):
        """Torch calls made inside are not operations of the program (checks, labels)."""
        self.recorder.paused = True
        try:
            yield
        finally:
            self.recorder.paused = False


def _shape_error(exc: RuntimeError, node: ast.expr) -> ProgramError:
    text = str(exc)
    if "must match the size" in text:
        message = ("these vectors have different lengths; vectors combined element by element "
                   "must have the same length")
    else:
        message = f"torch could not compute this: {text.splitlines()[0]}"
    return ProgramError(message, node.lineno, node.col_offset + 1)


def run_forward(program: Program, leaves: dict[str, torch.Tensor]) -> ForwardRecording:
    """Evaluate ``program`` on ``leaves`` under a recording mode."""
    recording = ForwardRecording(leaves=leaves)
    for stmt in program.statements:
        recording.lines[stmt.target] = stmt.line
    recorder = _CallRecorder(recording)
    evaluator = _Evaluator(recording, recorder)
    with recorder:
        for index, stmt in enumerate(program.statements):
            if stmt.literal is not None:
                continue
            recorder.statement = index
            result = evaluator.evaluate(stmt.expression)
            evaluator.scope[stmt.target] = result
            recording.named[stmt.target] = result
            _check_node_count(recording, stmt.line)
    return recording


def _check_node_count(recording: ForwardRecording, line: int) -> None:
    """Refuse a program whose graph grows past :data:`MAX_GRAPH_NODES` (checked after
    each statement, so a huge program stops early rather than after building it all)."""
    nodes = len(recording.leaves) + len(recording.constants) + len(recording.calls)
    if nodes > MAX_GRAPH_NODES:
        raise ProgramError(f"the program's graph has more than {MAX_GRAPH_NODES:,} nodes "
                           "(values, numbers and operations): make it shorter", line)


def evaluate_expression(text: str, variables: Mapping[str, Value], rules: bool = False) -> Value:
    """Evaluate an expression in program syntax over ``variables``, without autograd.

    Used for closed-form formulas that a lesson shows beside autograd's result;
    ``rules``: a rule of :mod:`tensor_functions` (its functions and list literals).
    """
    expression = parse_expression(text, set(variables), rules=rules)
    leaves = {name: make_leaf(value, False) for name, value in variables.items()}
    recording = ForwardRecording(leaves=leaves)
    with _CallRecorder(recording) as recorder:
        evaluator = _Evaluator(recording, recorder)
        evaluator.rules = rules
        result = evaluator.evaluate(expression)
    return plain(result)
