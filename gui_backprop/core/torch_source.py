"""A checked program written as PyTorch source: the one translation the code listing and
the exported scripts share, so both record the ``grad_fn`` names the trace shows.

``exp(x)`` becomes ``torch.exp(x)``; ``transpose(A)`` ``torch.transpose(A, 0, 1)``
(TransposeBackward0); ``softmax(z)`` ``torch.softmax(z, dim=-1)``; ``cross_entropy(z,
y)`` ``F.cross_entropy(z, y)`` with literal labels as ``torch.tensor(...)`` (whole
numbers, dtype long); ``bce(p, y)`` ``F.binary_cross_entropy(p, y)``; ``@`` stays ``@``.
"""

from __future__ import annotations

import ast

from gui_backprop.core.functions import FUNCTIONS
from gui_backprop.core.operation import LABELS
from gui_backprop.core.program import Program
from gui_backprop.core.values import Value, literal_value, parse_number

FUNCTIONAL_IMPORT = "import torch.nn.functional as F"
_FUNCTIONAL = {"cross_entropy": "cross_entropy", "bce": "binary_cross_entropy"}
_LAST_DIM = {"softmax", "log_softmax"}


def literal(value: Value) -> str:
    """A value as Python source: ``1.5``, ``[1.0, 2.0]`` or ``[[1.0, 2.0], [3.0, 4.0]]``."""
    if isinstance(value, tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(float(value))


def labels_literal(value: Value) -> str:
    """Class labels as Python source, whole numbers: ``2`` or ``[0, 2]``."""
    if isinstance(value, tuple):
        return "[" + ", ".join(labels_literal(v) for v in value) + "]"
    return str(int(value))


def uses_functional(program: Program) -> bool:
    """True when the program's PyTorch source needs ``torch.nn.functional as F``."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id in _FUNCTIONAL
               for stmt in program.statements for node in ast.walk(stmt.expression))


def _attribute(module: str, name: str) -> ast.expr:
    return ast.Attribute(ast.Name(module, ast.Load()), name, ast.Load())


class TorchCalls(ast.NodeTransformer):
    """Rewrite the program's function calls as PyTorch calls (see the module's doc)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        """A program function call as the PyTorch call that records the same grad_fn."""
        name = node.func.id if isinstance(node.func, ast.Name) else None
        op = FUNCTIONS.get(name)
        if op is not None:
            for index, kind in enumerate(op.arguments[:len(node.args)]):
                argument = node.args[index]
                if kind == LABELS and not isinstance(argument, ast.Name):
                    text = labels_literal(literal_value(argument))
                    node.args[index] = ast.parse(f"torch.tensor({text})", mode="eval").body
                elif name in _FUNCTIONAL and parse_number(argument) is not None:
                    # F.binary_cross_entropy(p, 1.0) needs a tensor, as the trace makes one
                    text = literal(parse_number(argument))
                    node.args[index] = ast.parse(f"torch.tensor({text})", mode="eval").body
        self.generic_visit(node)
        if op is None:
            return node
        if name in _FUNCTIONAL:
            node.func = _attribute("F", _FUNCTIONAL[name])
        else:
            node.func = _attribute("torch", name)
        if name == "transpose":
            node.args += [ast.Constant(0), ast.Constant(1)]
        if name in _LAST_DIM:
            node.keywords = [ast.keyword("dim", ast.UnaryOp(ast.USub(), ast.Constant(1)))]
        return node


def torch_expression(expression: ast.expr) -> str:
    """A checked program expression as PyTorch code: ``exp(x)`` -> ``torch.exp(x)``."""
    tree = ast.parse(ast.unparse(expression), mode="eval")
    return ast.unparse(TorchCalls().visit(tree).body)


def leaf_line(program: Program, name: str, value: Value, requires_grad: bool) -> str:
    """``name = torch.tensor(...)`` for a leaf (class labels as whole numbers)."""
    if name in program.label_names:
        return f"{name} = torch.tensor({labels_literal(value)})"
    grad = ", requires_grad=True" if requires_grad else ""
    return f"{name} = torch.tensor({literal(value)}{grad})"
