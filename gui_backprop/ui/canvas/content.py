"""What each node and edge of the canvas shows at a walkthrough state (no Qt here).

The canvas items only paint these records, so the rules for what is revealed when
live in one place and are tested without drawing anything. Every number comes from
the iteration's snapshot (autograd's values) and the walkthrough state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gui_backprop.core import formulas
from gui_backprop.core.formatting import format_value
from gui_backprop.core.graph import Edge, Iteration, Node, NodeKind, ParameterUpdate
from gui_backprop.core.nonfinite import short_note
from gui_backprop.core.step_text import edge_label, edge_rule
from gui_backprop.core.values import Value
from gui_backprop.core.walkthrough import Stage, WalkState
from gui_backprop.ui.canvas.tensor_cells import (
    TensorDisplay,
    TensorGrid,
    display_of,
    flat,
    grid_lines,
    is_all_finite,
    make_grid,
    shape_text,
    widest_number,
)

PENDING = "?"
MAX_LABEL_CHARS = 90
OP_SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "xⁿ", "neg": "−x"}


class NodeRole(StrEnum):
    """How a node is drawn."""

    OPERATION = "op"
    PARAMETER = "parameter"
    DATA = "data"
    CONSTANT = "constant"


class Flow(StrEnum):
    """Which way something travels along an edge at the current step."""

    NONE = ""
    FORWARD = "forward"
    BACKWARD = "backward"


@dataclass(frozen=True)
class NodeContent:
    """The texts and flags of one node at one state.

    ``widest_value`` and ``widest_grad`` are the longest texts the node can show in
    this iteration, so that its size does not change while the learner steps.
    """

    role: NodeRole
    title: str
    subtitle: str
    op_symbol: str
    value_text: str
    grad_text: str
    grad_sign: int
    value_pending: bool
    grad_pending: bool
    current: bool
    tooltip: str
    widest_value: str
    widest_grad: str
    note: str = ""
    widest_note: str = ""
    shape: str = ""
    value_grid: TensorGrid | None = None
    grad_grid: TensorGrid | None = None
    folded: bool = False  # a folded statement's box (ui/canvas/folded_content.py)
    inside: str = ""  # a box's: the operation inside it the step is on
    widest_inside: str = ""


@dataclass(frozen=True)
class EdgeContent:
    """The label and flags of one edge at one state; ``labelled`` is false for an arrow
    into or out of a folded statement's box (it stands for several edges: no label)."""

    label: str
    tracked: bool
    pending: bool
    current: bool
    flow: Flow
    tooltip: str
    widest_label: str
    labelled: bool = True


def signed(value: Value) -> str:
    """A value with its sign always written: ``+6.0``, ``-2.0``, vectors unchanged."""
    text = format_value(value)
    if not isinstance(value, tuple) and value > 0:
        return "+" + text
    return text


def sign_of(value: Value | None) -> int:
    """1 if every element is positive, -1 if every one is negative, else 0."""
    if value is None:
        return 0
    elements = flat(value)
    if elements and all(v > 0 for v in elements):
        return 1
    if elements and all(v < 0 for v in elements):
        return -1
    return 0


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def op_symbol(node: Node) -> str:
    """The badge of an operation: its symbol (``×``) or function name (``sin``)."""
    if node.op is None:
        return ""
    return OP_SYMBOLS.get(node.op, node.op)


def role_of(node: Node) -> NodeRole:
    """How a node is drawn: operation, parameter, data leaf or constant."""
    if node.kind is NodeKind.OPERATION:
        return NodeRole.OPERATION
    if node.kind is NodeKind.CONSTANT:
        return NodeRole.CONSTANT
    return NodeRole.PARAMETER if node.requires_grad else NodeRole.DATA


def _updated_value(node: Node, state: WalkState | None) -> Value | None:
    if state is None or node.kind is not NodeKind.LEAF or node.name not in state.parameters:
        return None
    value = state.parameters[node.name]
    return None if value == node.value else value


def _value_text(node: Node, state: WalkState | None) -> str:
    if node.kind is NodeKind.CONSTANT:
        return ""
    if state is None or node.id not in state.values:
        return PENDING
    text = "= " + format_value(node.value)
    after = _updated_value(node, state)
    return text if after is None else f"{text} → {format_value(after)}"


def _shown_grad(node: Node, state: WalkState | None) -> tuple[bool, Value | None]:
    """(has a gradient line, the value shown or None while pending)."""
    if node.kind is NodeKind.LEAF:
        if not node.requires_grad:
            return False, None
        if state is None:
            return True, None
        # .grad as it stands now: set by backward, kept or zeroed afterwards
        return True, state.grad_attrs.get(node.name)
    if node.grad is None:
        return False, None
    revealed = state is not None and node.id in state.grads
    return True, node.grad if revealed else None


def _notes(node: Node, state: WalkState | None) -> list[str]:
    """Why a shown number is nan or infinite, as far as revealed (full sentences)."""
    notes = []
    if node.note and state is not None and node.id in state.values:
        notes.append(node.note)
    if node.grad_note and _shown_grad(node, state)[1] is not None:
        notes.append(node.grad_note)
    after = _updated_value(node, state)
    if after is not None and not is_all_finite(after):
        notes.append(f"{node.name} updated to {format_value(after)}: its gradient is not finite")
    return notes


def _possible_notes(node: Node) -> list[str]:
    notes = [n for n in (node.note, node.grad_note) if n]
    if node.kind is NodeKind.LEAF and node.is_parameter and not is_all_finite(node.grad_attr):
        notes.append(f"{node.name} updated to -inf: its gradient is not finite")
    return notes


def _grad_prefix(node: Node) -> str:
    return f"{node.name}.grad" if node.kind is NodeKind.LEAF else "grad"


def _widest(texts: list[str]) -> str:
    return max(texts, key=len, default="")


def node_content(it: Iteration, node: Node, state: WalkState | None) -> NodeContent:
    """What ``node`` shows at ``state`` (``None``: nothing revealed yet)."""
    role = role_of(node)
    has_grad, grad = _shown_grad(node, state)
    prefix = _grad_prefix(node)
    grad_text = "" if not has_grad else f"{prefix} {PENDING if grad is None else signed(grad)}"
    step = state.step if state is not None else None
    current = step is not None and step.node == node.id
    value_text = _value_text(node, state)
    widest_value = value_text
    update = _update_of(it, node)
    if role is NodeRole.PARAMETER:  # room for "= 1.0 → 1.02" after the update
        after = node.value if update is None else update.after
        widest_value = _widest([value_text, "= " + format_value(node.value) + " → "
                                + format_value(after)])
    elif role is not NodeRole.CONSTANT:
        widest_value = _widest([value_text, "= " + format_value(node.value)])
    widest_grad = ""
    if has_grad:
        candidates = [grad_text, f"{prefix} {signed(node.grad)}" if node.grad is not None else ""]
        grad_attrs = [node.grad_attr, it.grad_before.get(node.name) if node.name else None,
                      None if update is None else update.grad_after_zero]
        candidates += [f"{prefix} {signed(g)}" for g in grad_attrs if g is not None]
        widest_grad = _widest(candidates)
    subtitle = ""
    if role is NodeRole.OPERATION and node.name is not None:
        subtitle = node.expression
    notes = _notes(node, state)
    note = "⚠ " + short_note(notes[-1]) if notes else ""
    widest_note = _widest([note] + ["⚠ " + short_note(n) for n in _possible_notes(node)])
    return NodeContent(
        role=role, title=node.label, subtitle=subtitle, op_symbol=op_symbol(node),
        value_text=value_text, grad_text=grad_text, grad_sign=sign_of(grad),
        value_pending=value_text == PENDING, grad_pending=has_grad and grad is None,
        current=current, tooltip=node_tooltip(it, node, state), widest_value=widest_value,
        widest_grad=widest_grad, note=note, widest_note=widest_note,
        shape=shape_text(node.value), **_grids(it, node, state))


def _grids(it: Iteration, node: Node,
           state: WalkState | None) -> dict[str, TensorGrid | None]:
    """The value and gradient as grids, for values too large to read as text."""
    if node.kind is NodeKind.CONSTANT or display_of(node.value) is TensorDisplay.TEXT:
        return {}
    widest = widest_number(_possible_numbers(it, node))
    name = node.name or node.label
    revealed = state is not None and node.id in state.values
    after = _updated_value(node, state)
    caption = "value" if after is None else "value → updated"
    shown = (node.value if after is None else after) if revealed else None
    value_grid = make_grid(caption, name, node.value, shown,
                           before=node.value if after is not None and revealed else None,
                           widest=widest)
    has_grad, grad = _shown_grad(node, state)
    grad_name = f"{name}.grad" if node.kind is NodeKind.LEAF else f"grad of {name}"
    grad_grid = (make_grid(_grad_prefix(node), grad_name, node.value, grad, widest=widest)
                 if has_grad else None)
    return {"value_grid": value_grid, "grad_grid": grad_grid}


def _possible_numbers(it: Iteration, node: Node) -> list[Value | None]:
    """Every value the node's grids can show at some step of ``it``: its value and
    gradient, and for a parameter its updated value and its ``.grad`` before, after
    backward and after zeroing (the value and gradient grids share one cell width, so
    the node is sized for the gradient before it is revealed)."""
    values = [node.value, node.grad, node.grad_attr]
    if node.kind is NodeKind.LEAF and node.name is not None:
        values.append(it.grad_before.get(node.name))
    update = _update_of(it, node)
    if update is not None:
        values += [update.after, update.grad_after_zero]
    return values


def _update_of(it: Iteration, node: Node) -> ParameterUpdate | None:
    """What the update step of ``it`` does to the parameter ``node`` (None: not one)."""
    if node.kind is not NodeKind.LEAF or node.name is None:
        return None
    return next((u for u in it.updates if u.name == node.name), None)


def node_tooltip(it: Iteration, node: Node, state: WalkState | None) -> str:
    """The full description of a node: formula, value, gradient, as far as revealed."""
    role = role_of(node)
    if role is NodeRole.CONSTANT:
        return f"The constant {node.label}. Constants need no gradient."
    lines = []
    shape = shape_text(node.value)
    if shape:
        lines.append(f"Shape: {shape}" + (" (rows × columns)" if "×" in shape else ""))
    if role is NodeRole.OPERATION:
        head = f"{node.name} = {node.expression}" if node.name else node.expression
        lines.insert(0, head)
    elif role is NodeRole.PARAMETER:
        lines.insert(0, f"{node.name}: a parameter (requires_grad=True)")
    else:
        lines.insert(0, f"{node.name}: data (requires_grad=False), so autograd computes no "
                     "gradient for it")
    revealed = state is not None and node.id in state.values
    lines.append(f"Value: {format_value(node.value)}" if revealed
                 else "Value: not computed yet (forward pass)")
    after = _updated_value(node, state)
    if after is not None:
        lines.append(f"After the update: {format_value(after)}")
    has_grad, grad = _shown_grad(node, state)
    if has_grad:
        out = it.nodes[it.output]
        name = (f"{node.name}.grad" if node.kind is NodeKind.LEAF
                else "Gradient " + formulas.derivative(out.label, node.label).text)
        lines.append(f"{name} = {format_value(grad)}" if grad is not None
                     else f"{name}: not computed yet (backward pass)")
    if node.grad_fn:
        lines.append(f"Recorded by autograd as {node.grad_fn} (its grad_fn)")
    lines += [f"Not a finite number: {note}" for note in _notes(node, state)]
    return "\n".join(lines)


def shorten_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """An edge label cut to ``limit`` characters in its rule, never in its numbers:
    ``∂L/∂z = (a long rule…) = [0.12, 0.55]`` (the whole rule is in the tooltip)."""
    if len(text) <= limit:
        return text
    parts = text.split(" = ")
    if len(parts) >= 3:
        head, rule, numbers = parts[0], " = ".join(parts[1:-1]), parts[-1]
        room = limit - len(head) - len(numbers) - len(" =  = ")
        if room >= 12:  # enough of the rule to recognise it
            return f"{head} = {shorten(rule, room)} = {numbers}"
    return shorten(text, limit)


def edge_content(it: Iteration, edge: Edge, state: WalkState | None) -> EdgeContent:
    """What ``edge`` shows at ``state`` (``None``: nothing revealed yet)."""
    full = shorten_label(_edge_label(it, edge))
    revealed = state is not None and edge.id in state.local_grads
    step = state.step if state is not None else None
    current = step is not None and step.stage is Stage.LOCAL and step.edge == edge.id
    flow = Flow.NONE
    if step is not None and step.stage is Stage.FORWARD and step.node == edge.target:
        flow = Flow.FORWARD
    elif (step is not None and step.stage is Stage.BACKWARD and step.node == edge.source
          and edge.tracked and edge.contribution is not None):
        flow = Flow.BACKWARD
    return EdgeContent(
        label=full if revealed else "", tracked=edge.tracked,
        pending=edge.tracked and not revealed, current=current, flow=flow,
        tooltip=edge_tooltip(it, edge, state), widest_label=full)


def edge_tooltip(it: Iteration, edge: Edge, state: WalkState | None) -> str:
    """The full description of an edge: its local gradient and what it carried back."""
    source, target = it.nodes[edge.source], it.nodes[edge.target]
    head = f"{source.label} → {target.label}"
    if not edge.tracked:
        reason = ("is a constant" if source.kind is NodeKind.CONSTANT
                  else "does not require a gradient")
        return (f"{head}\n{source.label} {reason}, so autograd computes no local gradient "
                "along this edge.")
    lines = [head]
    if state is not None and edge.id in state.local_grads:
        # a vector-Jacobian edge's numbers are what flows back, not a local derivative
        what = f"What {target.label} sends back" if edge.vector_jacobian \
            else "Local gradient"
        if _is_large(edge.local_grad):
            lines.append(f"{what}: {edge_rule(it, edge)}, "
                         f"shape {shape_text(edge.local_grad)}:")
            lines += grid_lines(edge.local_grad)
        else:
            lines.append(f"{what}: {edge_label(it, edge)}")
        if target.grad_fn:
            lines.append(f"Computed by autograd with {target.grad_fn}")
    else:
        lines.append("Local gradient: not computed yet")
    if state is not None and edge.source in state.grads and edge.contribution is not None:
        if _is_large(edge.contribution):
            lines.append("Carried back in the backward pass, shape "
                         f"{shape_text(edge.contribution)}:")
            lines += grid_lines(edge.contribution)
        else:
            lines.append("Carried back in the backward pass: "
                         f"{format_value(edge.contribution)}")
    return "\n".join(lines)


def _is_large(value: Value | None) -> bool:
    """True for a value an edge label shows by its shape: a matrix or a long vector."""
    return value is not None and display_of(value) is not TensorDisplay.TEXT


def _edge_label(it: Iteration, edge: Edge) -> str:
    """The edge's label; a matrix or long vector by its shape (the numbers on hover)."""
    if not edge.tracked or not _is_large(edge.local_grad):
        return edge_label(it, edge)
    shape = shape_text(edge.local_grad)
    shape = shape if "×" in shape else f"{shape} values"
    return f"{edge_rule(it, edge)} = {shape} (hover)"


def label_lines(text: str, max_line: int = 16) -> list[str]:
    """An edge label broken at its ``=`` signs for a compact box.

    ``∂y_pred/∂w = x = 1.0`` becomes ``["∂y_pred/∂w", "= x = 1.0"]``; when that second
    line is long, each part gets a line of its own.
    """
    if not text:
        return []
    head, *rest = text.split(" = ")
    if not rest:
        return [head]
    joined = "= " + " = ".join(rest)
    if len(joined) <= max_line:
        return [head, joined]
    return [head] + ["= " + part for part in rest]


def split_derivative(head: str) -> tuple[str, str] | None:
    """``∂y_pred/∂w`` -> ``("∂y_pred", "∂w")`` to typeset as a fraction (else ``None``)."""
    numerator, bar, denominator = head.rpartition("/∂")
    if not bar or not numerator.startswith("∂"):
        return None
    return numerator, "∂" + denominator
