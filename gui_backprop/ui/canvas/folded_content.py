"""What a folded statement's box and the arrows between boxes show (Qt-free records).

A box is drawn like its statement's result node -- the statement's target as title,
its expression under it, the result's value and gradient -- with the number of
operations inside as its badge. When the walkthrough's step is about a node or an edge
inside the box, the box is the current one and says which operation the step is on
(``▸ w * x = 0.15``), so the canvas shows the state the explanation speaks of.
"""

from __future__ import annotations

from dataclasses import replace

from gui_backprop.core.folding import FoldedEdge, Unit
from gui_backprop.core.formatting import format_value
from gui_backprop.core.graph import Iteration, NodeKind
from gui_backprop.core.walkthrough import Stage, Step, WalkState
from gui_backprop.ui.canvas.content import (
    EdgeContent,
    Flow,
    NodeContent,
    edge_content,
    node_content,
    shorten,
    signed,
)

INSIDE_LABEL_CHARS = 26
INSIDE_CHARS = 80
EXPAND_HINT = "Click to expand it into its operations."


def _inner_node(it: Iteration, unit: Unit, step: Step | None) -> int | None:
    """The member of ``unit`` the step is about (an edge's: its target), else None."""
    if step is None:
        return None
    if step.stage is Stage.LOCAL and step.edge is not None:
        node = it.edges[step.edge].target
    else:
        node = step.node
    return node if node in unit.members else None


def _inside_texts(it: Iteration, node_id: int) -> dict[Stage, str]:
    """What the box says while a step of each stage is on member ``node_id``."""
    node = it.nodes[node_id]
    label = shorten(node.label, INSIDE_LABEL_CHARS)
    texts = {Stage.LOCAL: f"▸ local gradients of {label}"}
    if node.kind is NodeKind.OPERATION:
        texts[Stage.FORWARD] = f"▸ {label} = {format_value(node.value)}"
    if node.grad is not None:
        texts[Stage.BACKWARD] = f"▸ grad of {label} {signed(node.grad)}"
    return {stage: shorten(text, INSIDE_CHARS) for stage, text in texts.items()}


def widest_inside(it: Iteration, unit: Unit) -> str:
    """The longest text the box of ``unit`` can say about a step inside it (its size is
    set by it, so that it does not change while stepping)."""
    return max((text for member in unit.members if member != unit.id
                for text in _inside_texts(it, member).values()), key=len, default="")


def box_content(it: Iteration, unit: Unit, state: WalkState | None,
                widest: str | None = None) -> NodeContent:
    """The box of a folded statement at ``state``: its result node's card, current
    while the step is anywhere inside it. ``widest``: :func:`widest_inside`, if known."""
    result = it.nodes[unit.id]
    base = node_content(it, result, state)
    step = state.step if state is not None else None
    inner = _inner_node(it, unit, step)
    inside = ""
    if inner is not None and inner != unit.id and step is not None:
        inside = _inside_texts(it, inner).get(step.stage, "")
    if widest is None:
        widest = widest_inside(it, unit)
    operations = sum(1 for m in unit.members if it.nodes[m].kind is NodeKind.OPERATION)
    nodes = len(unit.members)
    tooltip = (f"{result.name or result.label} = {result.expression}: a statement of "
               f"{nodes} nodes ({operations} operations), folded. {EXPAND_HINT}\n"
               + base.tooltip)
    return replace(base, op_symbol=f"{operations} ops", current=inner is not None,
                   tooltip=tooltip, folded=True, inside=inside, widest_inside=widest)


def arrow_content(it: Iteration, arrow: FoldedEdge, state: WalkState | None) -> EdgeContent:
    """An arrow between units: an edge's own content when it joins two nodes drawn
    alone, else a plain arrow (no label) lit while a step uses one of its edges."""
    if arrow.labelled:
        return edge_content(it, it.edges[arrow.originals[0]], state)
    step = state.step if state is not None else None
    edges = [it.edges[e] for e in arrow.originals]
    current = (step is not None and step.stage is Stage.LOCAL
               and step.edge in arrow.originals)
    flow = Flow.NONE
    if step is not None and step.stage is Stage.FORWARD and any(
            e.target == step.node for e in edges):
        flow = Flow.FORWARD
    elif step is not None and step.stage is Stage.BACKWARD and any(
            e.source == step.node and e.tracked and e.contribution is not None
            for e in edges):
        flow = Flow.BACKWARD
    source, target = it.nodes[arrow.source], it.nodes[arrow.target]
    uses = sorted({shorten(it.nodes[e.target].label, INSIDE_LABEL_CHARS) for e in edges})
    tooltip = (f"{source.label} → {target.label}: used by {', '.join(uses)}. "
               "Expand the statement to see each local gradient.")
    return EdgeContent(label="", tracked=arrow.tracked, pending=False, current=current,
                       flow=flow, tooltip=tooltip, widest_label="", labelled=False)
