"""Plain-data (JSON-ready) and table views of a trace and its walkthrough."""

from __future__ import annotations

import math
from dataclasses import fields

from gui_backprop.core.formatting import format_value
from gui_backprop.core.formulas import derivative
from gui_backprop.core.graph import Iteration, Trace
from gui_backprop.core.walkthrough import Walkthrough


def _clean(value):
    """Replace NaN and infinities (not valid JSON) by ``None``, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _fields(snapshot) -> dict:
    """A flat dataclass's fields as a dict (``asdict`` would deep-copy every vector)."""
    return {f.name: getattr(snapshot, f.name) for f in fields(snapshot)}


def _iteration_dict(trace: Trace, it: Iteration) -> dict:
    nodes = []
    for node in it.nodes:
        data = _fields(node)
        data["kind"] = node.kind.value
        nodes.append(data)
    return {
        "index": it.index,
        "loss": it.loss,
        "variables": trace.variables(it.index),
        "nodes": nodes,
        "edges": [_fields(edge) for edge in it.edges],
        "updates": [_fields(update) for update in it.updates],
        "grad_before": it.grad_before,
    }


def trace_to_dict(walkthrough: Walkthrough) -> dict:
    """Everything a trace computed, as JSON-ready data.

    The top level describes the first iteration (``variables``, ``nodes``, ``edges``,
    ``updates``); ``iterations`` lists every iteration the same way.
    """
    trace = walkthrough.trace
    iterations = [_iteration_dict(trace, it) for it in trace.iterations]
    first = iterations[0]
    steps = []
    for step in walkthrough.steps:
        data = _fields(step)
        data["stage"] = step.stage.value
        steps.append(data)
    return _clean({
        "program": trace.program.source.strip(),
        "parameters": list(trace.parameters),
        "learning_rate": trace.learning_rate,
        "output": trace.output_name,
        "loss": first["loss"],
        "variables": first["variables"],
        "nodes": first["nodes"],
        "edges": first["edges"],
        "updates": first["updates"],
        "iterations": iterations,
        "steps": steps,
        "notes": list(trace.notes),
    })


def trace_to_table(walkthrough: Walkthrough) -> str:
    """A readable text report: variables, updates and steps of every iteration."""
    trace = walkthrough.trace
    lines = []
    for it in trace.iterations:
        if len(trace.iterations) > 1:
            lines.append(f"Iteration {it.index + 1}")
        variables = trace.variables(it.index)
        width = max(len("name"), *(len(name) for name in variables)) + 2
        values = {name: format_value(entry["value"]) for name, entry in variables.items()}
        # the value column as wide as its longest value (a matrix), with a gap after it
        column = max(28, *(len(value) + 2 for value in values.values()))
        lines.append(f"{'name':<{width}}{'value':<{column}}grad")
        for name, entry in variables.items():
            lines.append(f"{name:<{width}}{values[name]:<{column}}"
                         f"{format_value(entry['grad'])}")
        # a nan or infinity is said, as on the canvas, not only shown: the forward
        # pass's notes first (the cause), then the gradients' in the order they flow
        lines += [f"note: {node.label}: {node.note}" for node in it.nodes if node.note]
        out = it.nodes[it.output].label
        lines += [f"note: {derivative(out, node.label).text}: {node.grad_note}"
                  for node in reversed(it.nodes) if node.grad_note]
        for update in it.updates:
            lines.append(f"update: {update.name} {format_value(update.before)} -> "
                         f"{format_value(update.after)} (lr {trace.learning_rate:g}, "
                         f"grad {format_value(update.grad)})"
                         + (f", then grad zeroed to {format_value(update.grad_after_zero)}"
                            if update.grad_after_zero is not None else ""))
        lines.append("")
    lines.append("Steps")
    for step in walkthrough.steps:
        lines.append(f"{step.index + 1:>3}. [{step.stage.title}] {step.formula}")
    for note in trace.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)
