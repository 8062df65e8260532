"""Say why a value or gradient is nan or infinite, instead of letting it pass silently.

PyTorch computes ``sqrt(-1)`` (nan), ``log(0)`` (-inf) or ``1e308 * 10`` (inf) without a
word, and every later number inherits them. The notes here name the first place it
happens and the reason, in a learner's words; the numbers themselves stay autograd's.
"""

from __future__ import annotations

import dataclasses
import math

from gui_backprop.core.formatting import format_number
from gui_backprop.core.formulas import derivative
from gui_backprop.core.graph import Edge, Node, NodeKind
from gui_backprop.core.values import Value
from gui_backprop.core.values import elements as value_elements

FLOAT64_MAX = "about 1.8e308"


def elements(value: Value | None) -> tuple[float, ...]:
    """The numbers of a value (none for ``None``)."""
    if value is None:
        return ()
    return value_elements(value)


def is_finite(value: Value | None) -> bool:
    """True when every element is a finite number (``None`` counts as finite)."""
    return all(math.isfinite(v) for v in elements(value))


def _kind(x: float) -> str:
    return "nan" if math.isnan(x) else format_number(x)


def _at(value: Value, index: int) -> float:
    items = elements(value)
    return items[index % len(items)]  # a broadcast operand: row-major repeats


def _first_bad(value: Value) -> int:
    return next(i for i, v in enumerate(elements(value)) if not math.isfinite(v))


def _operation_reason(op: str, args: list[float], result: float) -> str:
    a = args[0]
    b = args[1] if len(args) > 1 else None
    shown = [format_number(x) for x in args]
    if op == "sqrt" and a < 0:
        return (f"sqrt({shown[0]}) is undefined: a negative number has no real square root, "
                "so PyTorch gives nan")
    if op == "log" and a == 0:
        return ("log(0.0) = -inf: the logarithm falls without bound as its argument "
                "goes to 0")
    if op == "log" and a < 0:
        return (f"log({shown[0]}) is undefined: a negative number has no real logarithm, "
                "so PyTorch gives nan")
    if op == "div" and b == 0:
        if a == 0:
            return "0 / 0 is undefined, so PyTorch gives nan"
        return f"{shown[0]} / 0 has no value: dividing by zero gives {_kind(result)}"
    if op == "pow" and b is not None:
        if a < 0 and b != int(b):
            return (f"{shown[0]} ** {shown[1]} is undefined: a negative number to a "
                    "fractional power is not a real number, so PyTorch gives nan")
        if a == 0 and b < 0:
            return f"0 ** {shown[1]} divides by zero: {_kind(result)}"
    if math.isinf(result):
        return (f"overflow: the result is too large for a float64 ({FLOAT64_MAX}), so it is "
                f"{_kind(result)}")
    return f"the result is {_kind(result)}: not a number"


def value_note(node: Node, operands: list[Node]) -> str | None:
    """Why an operation's value is not finite (``None`` when it is)."""
    if node.kind is not NodeKind.OPERATION or is_finite(node.value):
        return None
    reduction = node.op in ("mean", "sum")
    index = 0 if reduction else _first_bad(node.value)
    for operand in operands:
        if reduction and not is_finite(operand.value):
            bad = elements(operand.value)[_first_bad(operand.value)]
            return f"{operand.label} holds {_kind(bad)}, so its {node.op} is not a number either"
        if not reduction and not math.isfinite(_at(operand.value, index)):
            return (f"{operand.label} is {_kind(_at(operand.value, index))}, so this is "
                    f"{_kind(_at(node.value, index))} too")
    where = f" (element {index})" if node.is_vector else ""
    if reduction:
        return (f"overflow: the {node.op} is too large for a float64 ({FLOAT64_MAX}), so it "
                f"is {_kind(elements(node.value)[0])}")
    args = [_at(o.value, index) for o in operands]
    return _operation_reason(node.op, args, _at(node.value, index)) + where


def grad_note(node: Node, uses: list[tuple[Edge, Node]]) -> str | None:
    """Why a gradient is not finite while the value is (``None`` otherwise)."""
    grad = node.grad_attr if node.kind is NodeKind.LEAF else node.grad
    if grad is None or is_finite(grad) or not is_finite(node.value):
        return None
    for edge, target in uses:
        if not is_finite(target.grad):
            return (f"the gradient arriving from {target.label} is not finite, so this "
                    "one is not either")
        if not is_finite(edge.local_grad):
            bad = elements(edge.local_grad)[_first_bad(edge.local_grad)]
            slope = derivative(target.name or target.expression, node.label).text
            return (f"the local gradient {slope} is {_kind(bad)} here: {target.op} has no "
                    "finite slope at this value")
    return f"the gradient is {_kind(elements(grad)[_first_bad(grad)])}: not a number"


def short_note(note: str, limit: int = 40) -> str:
    """The head of a note, for a node on the canvas (the whole note is in its tooltip)."""
    head = note.split(": ")[0].split(", so")[0]
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def with_notes(nodes: tuple[Node, ...], edges: tuple[Edge, ...]) -> tuple[Node, ...]:
    """The nodes with ``note`` (value) and ``grad_note`` set where a number is not finite."""
    operands_of: dict[int, list[Node]] = {node.id: [] for node in nodes}
    uses_of: dict[int, list[tuple[Edge, Node]]] = {node.id: [] for node in nodes}
    for e in edges:  # one pass, not one per node: a big graph has thousands of each
        operands_of[e.target].append(nodes[e.source])
        if e.tracked:
            uses_of[e.source].append((e, nodes[e.target]))
    noted = []
    for node in nodes:
        operands, uses = operands_of[node.id], uses_of[node.id]
        note, about_grad = value_note(node, operands), grad_note(node, uses)
        if note or about_grad:
            node = dataclasses.replace(node, note=note, grad_note=about_grad)
        noted.append(node)
    return tuple(noted)
