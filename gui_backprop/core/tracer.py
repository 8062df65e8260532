"""Trace a program through real PyTorch autograd into an immutable :class:`Trace`.

Forward values come from the recorded torch calls; local gradients from calling each
operation's own ``grad_fn`` node; gradients from ``loss.backward()`` (``retain_grad``
on intermediates, hooks on the ``grad_fn`` nodes for what each edge carries back,
tensor hooks on leaves); the update runs under ``torch.no_grad()`` and
``grad.zero_()`` clears the gradients. No derivative here is written by hand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

import torch

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import ForwardRecording, make_leaf, plain, run_forward
from gui_backprop.core.graph import Iteration, ParameterUpdate, Trace
from gui_backprop.core.graph_builder import GraphBuilder
from gui_backprop.core.program import Program, parse_program
from gui_backprop.core.values import (
    MAX_ITERATIONS,
    Value,
    check_learning_rate,
    check_value,
    elements,
    short_text,
)


def resolve_values(program: Program, values: Mapping[str, object] | None) -> dict[str, Value]:
    """The program's leaf values with ``values`` overriding them."""
    leaves = program.leaves
    result = dict(leaves)
    for given, value in (values or {}).items():
        name = program_name(given)
        if name not in leaves:
            known = ", ".join(leaves) or "none"
            raise ProgramError(f"'{short_text(str(given))}' is not a value of the program "
                               f"(values: {known})")
        result[name] = check_value(name, value)
    return result


def program_name(name: object) -> object:
    """``name`` as the parser spells it: Python reads identifiers in NFKC form, so the
    program's full-width ``ｗ`` is ``w``, and so is a ``ｗ`` given from outside."""
    return unicodedata.normalize("NFKC", name) if isinstance(name, str) else name


def resolve_parameters(program: Program, parameters: Iterable[str] | None) -> tuple[str, ...]:
    """The leaves that require grad: those named, or every leaf by default."""
    leaves = program.leaves
    labels = program.label_names
    if parameters is None:
        return tuple(name for name in leaves if name not in labels)
    chosen = tuple(dict.fromkeys(program_name(name) for name in parameters))
    for name in chosen:
        if name in labels:
            raise ProgramError(f"'{name}' holds class labels (whole numbers for "
                               "cross_entropy), which cannot be a parameter")
        if name not in leaves:
            raise ProgramError(f"'{short_text(str(name))}' cannot be a parameter: only values "
                               f"assigned a number can (here: {', '.join(leaves)})")
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


class OutputNotANumber(ProgramError):
    """The output holds several values, so backward() has no single number to start
    from (raised as its own kind: a value edit and a program edit say it differently)."""


def _check_output(program: Program, recording: ForwardRecording, name: str) -> torch.Tensor:
    output = recording.named[name]
    line = program.statement(name).line
    if output.dim() != 0:
        raise OutputNotANumber(f"the output '{name}' has {output.numel()} values, but "
                               "backward() needs a single number: use mean(...) or sum(...)",
                               line)
    if not output.requires_grad:
        raise ProgramError(f"the output '{name}' does not depend on any parameter, so it has "
                           "no gradient: make a value it uses a parameter", line)
    return output


def _run_iteration(index, program, leaves, params, rate, output_name, zero_grad, notes):
    grad_before = {p: plain(leaves[p].grad) for p in params}
    recording = run_forward(program, leaves)
    output = _check_output(program, recording, output_name)
    builder = GraphBuilder(program, recording, params, output_name)
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
        builder.remove_backward_hooks()
    nodes, edges = builder.finish(leaf_grads)
    updates = _update(leaves, params, rate, zero_grad, notes if index == 0 else [],
                      {p: leaf_grads[p] for p in params
                       if _holds_gradient(grad_before[p]) and p in leaf_grads})
    output_id = builder.node_of(output)
    return Iteration(index, nodes, edges, output_id, tuple(n.id for n in nodes),
                     grad_before, updates, zero_grad)


def _holds_gradient(grad: Value | None) -> bool:
    """True when a stored ``.grad`` is not empty: the next backward pass adds to it."""
    return grad is not None and any(v != 0 for v in elements(grad))


def _update(leaves, params, rate, zero_grad, notes, accumulated):
    """``accumulated``: this pass's gradient of each parameter whose ``.grad`` already
    held an earlier one."""
    updates = []
    for name in params:
        leaf = leaves[name]
        if leaf.grad is None:
            notes.append(f"{name} has no gradient: the output does not depend on it")
            continue
        before, grad = plain(leaf), plain(leaf.grad)
        pass_grad = right = None
        if name in accumulated:
            with torch.no_grad():  # the update zero_grad would have made, for comparison
                right = plain(leaf - rate * accumulated[name])
            pass_grad = plain(accumulated[name])
        with torch.no_grad():
            leaf -= rate * leaf.grad
        after = plain(leaf)
        cleared = None
        if zero_grad:
            leaf.grad.zero_()
            cleared = plain(leaf.grad)
        updates.append(ParameterUpdate(name, before, grad, after, cleared, pass_grad, right))
    return tuple(updates)
