"""Trace a program through real PyTorch autograd into an immutable :class:`Trace`.

Forward values come from the recorded torch calls; local gradients from calling each
operation's own ``grad_fn`` node; gradients from ``loss.backward()`` (``retain_grad``
on intermediates, hooks on the ``grad_fn`` nodes for what each edge carries back,
tensor hooks on leaves); the update runs under ``torch.no_grad()`` and
``grad.zero_()`` clears the gradients. No derivative here is written by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import torch

from gui_backprop.core.forward import ForwardRecording, make_leaf, plain, run_forward
from gui_backprop.core.graph import Iteration, ParameterUpdate, Trace
from gui_backprop.core.graph_builder import GraphBuilder
from gui_backprop.core.program import (
    MAX_VECTOR_LENGTH,
    Program,
    ProgramError,
    Value,
    parse_program,
)

MAX_ITERATIONS = 20
LEARNING_RATE_RANGE = (0.0, 100.0)


def _check_number(name: str, value: object, expected: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProgramError(f"{name}: {expected}, not {_short_repr(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise ProgramError(f"{name}: this number is too large") from None
    if not math.isfinite(number):
        raise ProgramError(f"{name}: the value must be a finite number (not NaN or infinity)")
    return number


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 20 else text[:17] + "..."


def check_value(name: str, value: object) -> Value:
    """Validate a value given for ``name``: a finite number or a bounded list of them."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ProgramError(f"{name}: a list needs at least one number")
        if len(value) > MAX_VECTOR_LENGTH:
            raise ProgramError(f"{name}: a list may hold at most {MAX_VECTOR_LENGTH} numbers")
        return tuple(_check_number(name, v, "a list may only contain numbers") for v in value)
    return _check_number(name, value, "expected a number or a list of numbers")


def check_learning_rate(learning_rate: object) -> float:
    """Validate a learning rate: a finite number in (0, 100]."""
    rate = check_value("learning rate", learning_rate)
    low, high = LEARNING_RATE_RANGE
    if isinstance(rate, tuple) or not low < rate <= high:
        raise ProgramError(f"the learning rate must be a number above {low:g} and at most {high:g}")
    return rate


def resolve_values(program: Program, values: Mapping[str, object] | None) -> dict[str, Value]:
    """The program's leaf values with ``values`` overriding them."""
    leaves = program.leaves
    result = dict(leaves)
    for name, value in (values or {}).items():
        if name not in leaves:
            known = ", ".join(leaves) or "none"
            raise ProgramError(f"'{name}' is not a value of the program (values: {known})")
        result[name] = check_value(name, value)
    return result


def resolve_parameters(program: Program, parameters: Iterable[str] | None) -> tuple[str, ...]:
    """The leaves that require grad: those named, or every leaf by default."""
    leaves = program.leaves
    if parameters is None:
        return tuple(leaves)
    chosen = tuple(dict.fromkeys(parameters))
    for name in chosen:
        if name not in leaves:
            raise ProgramError(f"'{name}' cannot be a parameter: only values assigned a number "
                               f"can (here: {', '.join(leaves)})")
    if not chosen:
        raise ProgramError("choose at least one parameter (requires_grad=True) "
                           "so that there is a gradient to compute")
    return tuple(name for name in leaves if name in chosen)


def trace_program(
    program: Program | str,
    values: Mapping[str, object] | None = None,
    parameters: Iterable[str] | None = None,
    learning_rate: object = 0.01,
    output: str | None = None,
    iterations: int = 1,
    zero_grad: bool = True,
) -> Trace:
    """Run ``program`` through PyTorch and return everything it computed.

    ``iterations`` repeats forward, backward, update (and zero-grad when
    ``zero_grad`` is true) on the same leaf tensors, as a training loop does.
    """
    if isinstance(program, str):
        program = parse_program(program)
    leaf_values = resolve_values(program, values)
    params = resolve_parameters(program, parameters)
    rate = check_learning_rate(learning_rate)
    output_name = output or program.output
    if output_name not in program.names:
        raise ProgramError(f"the output '{output_name}' is not assigned in the program")
    if output_name in program.leaves:
        raise ProgramError(f"the output '{output_name}' must be computed, not a plain number")
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise ProgramError(f"iterations must be between 1 and {MAX_ITERATIONS}")
    leaves = {name: make_leaf(v, name in params) for name, v in leaf_values.items()}
    runs = []
    notes: list[str] = []
    for index in range(iterations):
        runs.append(_run_iteration(index, program, leaves, params, rate, output_name,
                                   zero_grad, notes))
    return Trace(program, params, rate, leaf_values, tuple(runs), output_name, tuple(notes))


def _check_output(program: Program, recording: ForwardRecording, name: str) -> torch.Tensor:
    output = recording.named[name]
    line = program.statement(name).line
    if output.dim() != 0:
        raise ProgramError(f"the output '{name}' has {output.numel()} values, but backward() "
                           f"needs a single number: use mean(...) or sum(...)", line)
    if not output.requires_grad:
        raise ProgramError(f"the output '{name}' does not depend on any parameter, so it has "
                           "no gradient: make a value it uses a parameter", line)
    return output


def _run_iteration(index, program, leaves, params, rate, output_name, zero_grad, notes):
    grad_before = {p: plain(leaves[p].grad) for p in params}
    recording = run_forward(program, leaves)
    output = _check_output(program, recording, output_name)
    builder = GraphBuilder(program, recording, params)
    builder.compute_local_gradients()
    leaf_grads: dict[str, torch.Tensor] = {}
    handles = [
        leaves[name].register_hook(lambda g, name=name: leaf_grads.__setitem__(name, g.clone()))
        for name in params
    ]
    builder.install_backward_hooks()
    try:
        output.backward()
    finally:
        for handle in handles:
            handle.remove()
    nodes, edges = builder.finish(leaf_grads)
    updates = _update(leaves, params, rate, zero_grad, notes if index == 0 else [])
    output_id = builder.node_of(output)
    return Iteration(index, nodes, edges, output_id, tuple(n.id for n in nodes),
                     grad_before, updates, zero_grad)


def _update(leaves, params, rate, zero_grad, notes):
    updates = []
    for name in params:
        leaf = leaves[name]
        if leaf.grad is None:
            notes.append(f"{name} has no gradient: the output does not depend on it")
            continue
        before, grad = plain(leaf), plain(leaf.grad)
        with torch.no_grad():
            leaf -= rate * leaf.grad
        after = plain(leaf)
        cleared = None
        if zero_grad:
            leaf.grad.zero_()
            cleared = plain(leaf.grad)
        updates.append(ParameterUpdate(name, before, grad, after, cleared))
    return tuple(updates)
