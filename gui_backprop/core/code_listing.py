"""The PyTorch code listing shown beside the graph: the program that the trace runs.

The listing is written from the trace (never kept by hand), so it always has the current
values, parameters, learning rate and number of iterations. Each operation is written as
the trace runs it: a number on the right of an operator stays a Python number
(``x ** 2`` records ``PowBackward0``), a number that the trace had to make a tensor is
written ``torch.tensor(...)``.

Which line a step highlights follows one rule for every lesson (:data:`LINE_RULE`): a
forward step its own line; local gradients and the backward pass ``backward()``, inside
which autograd computes them; update and zero_grad their own lines.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

from gui_backprop.core.graph import Trace
from gui_backprop.core.torch_source import (
    FUNCTIONAL_IMPORT,
    TorchCalls,
    leaf_line,
    literal,
    uses_functional,
)
from gui_backprop.core.values import parse_number

LINE_RULE = {
    "forward": "Forward steps highlight the line that computes the value.",
    "local": "Local-gradient steps highlight backward(): autograd computes each local "
             "gradient there, with the grad_fn that the forward line recorded.",
    "backward": "Backward steps highlight backward(): autograd chains the gradients there.",
    "update": "Update steps highlight the line that updates the parameter.",
    "zero_grad": "Zero-grad steps highlight the line that clears the gradient.",
}
"""Which line of the listing a step of each stage highlights, and why."""

DOUBLE_PRECISION = "torch.set_default_dtype(torch.float64)"
INDENT = "    "
COMMENT = "  # "
COMMENT_COLUMN = 24
MAX_WIDTH = 46  # wider listings need a horizontal scroll in the code panel


@dataclass(frozen=True)
class CodeListing:
    """The listing's text and the 1-based line of each key.

    Keys: ``value.<name>`` for each leaf, ``forward.<name>`` for each computed variable,
    ``backward`` for the ``backward()`` call, ``update.<name>`` and ``zero_grad.<name>``
    for each parameter, ``no_zero_grad`` where a lesson leaves zeroing out.
    """

    text: str
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, stage: str, key: str | None = None) -> int | None:
        """The line a step of ``stage`` (about variable or parameter ``key``) runs."""
        if stage in ("local", "backward"):
            return self.lines.get("backward")
        return self.lines.get(f"{stage}.{key}")

    def line_text(self, line: int | None) -> str:
        """The code of a 1-based line, without indentation or comment ('' for none)."""
        rows = self.text.splitlines()
        if not line or not 1 <= line <= len(rows):
            return ""
        return rows[line - 1].split(COMMENT)[0].strip()


__all__ = ["LINE_RULE", "CodeListing", "code_listing", "literal"]


def _tensor(number: float) -> ast.expr:
    return ast.parse(f"torch.tensor({literal(number)})", mode="eval").body


class _AsTraced(TorchCalls):
    """Rewrite an expression as the trace runs it: ``torch.`` functions, and numbers
    that torch needs as tensors written ``torch.tensor(...)``."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        left_number, right_number = parse_number(node.left), parse_number(node.right)
        self.generic_visit(node)
        if left_number is not None:
            # The trace runs a number on the left as a tensor. ``2 * x`` and ``1 + x``
            # record the same operation in PyTorch; ``1 - x`` or ``2 ** x`` would not.
            commutative = isinstance(node.op, (ast.Add, ast.Mult))
            if not commutative or right_number is not None:
                node.left = _tensor(left_number)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        number = parse_number(node.args[0]) if node.args else None
        node = super().visit_Call(node)
        if number is not None:
            node.args[0] = _tensor(number)
        return node


def _with_comment(line: str, comment: str | None) -> list[str]:
    if not comment:
        return [line]
    if max(len(line), COMMENT_COLUMN - 2) + len(COMMENT) + len(comment) > MAX_WIDTH:
        # a comment that would need a horizontal scroll goes on its own line, above
        indent = line[:len(line) - len(line.lstrip())]
        return [f"{indent}# {comment}", line]
    return [f"{line:<{COMMENT_COLUMN - 2}}{COMMENT}{comment}"]


TRAINED_UPDATE = ("the walkthrough's update: the manual rule, whichever rule trained the "
                  "values")
"""What the listing says above its update when the values are a training run's result."""


def _comment_rows(text: str, indent: str = "") -> list[str]:
    """``text`` as ``#`` comment lines no wider than the listing."""
    return [f"{indent}# {row}" for row in textwrap.wrap(text, MAX_WIDTH - len(indent) - 2)]


def code_listing(trace: Trace, comments: Mapping[str, str] | None = None,
                 trained_note: str | None = None) -> CodeListing:
    """The PyTorch program that ``trace`` ran, with ``comments`` (by line key).

    With ``trained_note`` (how the Train tab names a run's result, such as "trained to
    epoch 300 of 300 with torch.optim.Adam") the listing says that the values come from
    that run and that its update is the manual rule, whichever rule trained them: the
    walkthrough's update step is always ``w -= lr * w.grad``."""
    comments = comments or {}
    program = trace.program
    # float64, as the app computes: in torch's default float32 the listing printed other
    # last digits than the screen showed (7.8774e-04 for 0.000787784)
    rows: list[str] = ["import torch", DOUBLE_PRECISION, ""]
    if uses_functional(program):
        rows.insert(1, FUNCTIONAL_IMPORT)
    lines: dict[str, int] = {}

    def add(key: str | None, text: str, indent: str = "") -> None:
        rows.extend(_with_comment(indent + text, comments.get(key) if key else None))
        if key is not None:
            lines[key] = len(rows)

    if trained_note:
        rows.extend(_comment_rows(f"Train tab: {trained_note}"))
    for name, value in trace.values.items():
        add(f"value.{name}", leaf_line(program, name, value, name in trace.parameters))
    rows.append("")
    loop = len(trace.iterations) > 1
    body = INDENT if loop else ""
    if loop:
        step = "step"
        while step in program.names:
            step += "_"
        rows.append(f"for {step} in range({len(trace.iterations)}):")
    for stmt in program.statements:
        if stmt.literal is not None:
            continue
        expression = _AsTraced().visit(ast.parse(ast.unparse(stmt.expression), mode="eval"))
        add(f"forward.{stmt.target}", f"{stmt.target} = {ast.unparse(expression.body)}", body)
    rows.append("")
    output = trace.output_name
    add("backward", f"{output}.backward()", body)
    updated = [u.name for u in trace.first.updates]
    if updated:
        rows.append(body + "print(" + ", ".join(f"{name}.grad" for name in updated) + ")")
        rows.append("")
        if trained_note:
            rows.extend(_comment_rows(TRAINED_UPDATE, body))
        add(None, "with torch.no_grad():", body)
        for name in updated:
            add(f"update.{name}", f"{name} -= {trace.learning_rate!r} * {name}.grad",
                body + INDENT)
        if trace.first.zero_grad:
            for name in updated:
                add(f"zero_grad.{name}", f"{name}.grad.zero_()", body)
        else:
            add("no_zero_grad", "# no " + ", ".join(f"{name}.grad.zero_()" for name in updated)
                + ": the gradients add up", body)
    return CodeListing("\n".join(rows).rstrip(), lines)
