"""The step-by-step walkthrough of a trace, and what is revealed at any step.

Steps, in the tutorial's order, for each iteration: forward (one per operation),
local gradients (one per tracked edge), backward (one per node with a gradient, in
reverse order), update and zero-grad (one per parameter). ``state_at(k)`` gives what
is shown after ``k`` steps, for any ``k``, so a UI can step back or jump anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from gui_backprop.core.code_listing import LINE_RULE, CodeListing, code_listing
from gui_backprop.core.graph import Iteration, NodeKind, Trace
from gui_backprop.core.step_text import (
    StepText,
    backward_text,
    forward_text,
    local_text,
    update_text,
    zero_grad_text,
)
from gui_backprop.core.values import Value


def trained_update_note(note: str) -> str:
    """What an update step adds when the values are a training run's result."""
    return (f" These values were {note} in the Train tab; this step shows the tutorial's "
            "manual update from them, w -= lr * w.grad, whichever rule trained them.")


class Stage(StrEnum):
    """The five stages of one training iteration, in order."""

    FORWARD = "forward"
    LOCAL = "local"
    BACKWARD = "backward"
    UPDATE = "update"
    ZERO_GRAD = "zero_grad"

    @property
    def title(self) -> str:
        """The stage's name as shown to a learner."""
        return STAGE_TITLES[self]


STAGE_TITLES = {
    Stage.FORWARD: "Forward pass",
    Stage.LOCAL: "Local gradients",
    Stage.BACKWARD: "Backward pass",
    Stage.UPDATE: "Update",
    Stage.ZERO_GRAD: "Zero grad",
}


@dataclass(frozen=True)
class Step:
    """One press of Next: what it concerns, what it says, which code line it runs.

    ``code_line`` is a line of :attr:`Walkthrough.listing`; ``code_note`` says which
    line that is and why (the one rule of :data:`~gui_backprop.core.code_listing.LINE_RULE`).
    """

    index: int
    iteration: int
    stage: Stage
    title: str
    text: str
    formula: str
    latex: str
    node: int | None = None
    edge: int | None = None
    parameter: str | None = None
    code_line: int | None = None
    code_note: str = ""


@dataclass(frozen=True)
class WalkState:
    """What is shown after ``position`` steps (0 = nothing done yet)."""

    position: int
    step: Step | None
    iteration: int
    values: frozenset[int]
    local_grads: frozenset[int]
    grads: frozenset[int]
    parameters: Mapping[str, Value]
    grad_attrs: Mapping[str, Value | None]


class Walkthrough:
    """The ordered steps of a trace and the state after any number of them."""

    def __init__(self, trace: Trace, code_comments: Mapping[str, str] | None = None,
                 trained_note: str | None = None):
        self.trace = trace
        self.code_comments = code_comments
        # how the Train tab names the run whose result these values are (None: not one)
        self.trained_note = trained_note
        self.listing: CodeListing = code_listing(trace, code_comments, trained_note)
        steps: list[Step] = []
        for iteration in trace.iterations:
            steps.extend(self._iteration_steps(iteration, start=len(steps)))
        self.steps: tuple[Step, ...] = tuple(steps)

    def with_trained_note(self, note: str | None) -> Walkthrough:
        """The same trace's walkthrough, its listing and update steps saying that the
        values are the result of the run ``note`` names (nothing is traced again)."""
        return Walkthrough(self.trace, self.code_comments, note)

    def __len__(self) -> int:
        return len(self.steps)

    def first_of(self, stage: Stage, iteration: int | None = None) -> int | None:
        """The position just after the first step of ``stage`` (to jump to it)."""
        for step in self.steps:
            if step.stage is stage and (iteration is None or step.iteration == iteration):
                return step.index + 1
        return None

    def _code_note(self, stage: Stage, line: int | None) -> str:
        if line is None:
            return ""
        return f"Code: line {line}, {self.listing.line_text(line)}. {LINE_RULE[stage.value]}"

    def _line_key(self, it: Iteration, stage: Stage, refs: dict) -> str | None:
        if "parameter" in refs:
            return refs["parameter"]
        if stage is Stage.FORWARD:
            return self.trace.program.statements[it.nodes[refs["node"]].statement].target
        return None

    def _iteration_steps(self, it: Iteration, start: int) -> list[Step]:
        made: list[tuple[Stage, StepText, dict]] = []
        for node in it.nodes:
            if node.kind is NodeKind.OPERATION:
                made.append((Stage.FORWARD, forward_text(it, node), {"node": node.id}))
        for edge in sorted((e for e in it.edges if e.tracked), key=lambda e: (e.target,
                                                                             e.position)):
            made.append((Stage.LOCAL, local_text(it, edge), {"edge": edge.id}))
        for node in reversed(it.nodes):
            if node.grad is not None:
                made.append((Stage.BACKWARD, backward_text(it, node, self.trace),
                             {"node": node.id}))
        for update in it.updates:
            node = it.node_named(update.name).id
            made.append((Stage.UPDATE, update_text(update, self.trace.learning_rate),
                         {"node": node, "parameter": update.name}))
        if it.zero_grad:
            for update in it.updates:
                node = it.node_named(update.name).id
                made.append((Stage.ZERO_GRAD, zero_grad_text(update),
                             {"node": node, "parameter": update.name}))
        steps = []
        for offset, (stage, text, refs) in enumerate(made):
            line = self.listing.line(stage.value, self._line_key(it, stage, refs))
            sentence = text.sentence
            if stage is Stage.UPDATE and self.trained_note:
                sentence += trained_update_note(self.trained_note)
            steps.append(Step(start + offset, it.index, stage, text.title, sentence,
                              text.formula.text, text.formula.latex, code_line=line,
                              code_note=self._code_note(stage, line), **refs))
        return steps

    def state_at(self, position: int) -> WalkState:
        """What is revealed after ``position`` steps (clamped to the valid range)."""
        position = max(0, min(position, len(self.steps)))
        trace = self.trace
        parameters = {p: trace.values[p] for p in trace.parameters}
        grad_attrs: dict[str, Value | None] = {p: None for p in trace.parameters}
        iteration = 0
        values: set[int] = set()
        local_grads: set[int] = set()
        grads: set[int] = set()
        for step in self.steps[:position]:
            if step.iteration != iteration:
                iteration = step.iteration
                values, local_grads, grads = set(), set(), set()
            it = trace.iterations[step.iteration]
            if step.stage is Stage.FORWARD:
                values.add(step.node)
            elif step.stage is Stage.LOCAL:
                local_grads.add(step.edge)
            elif step.stage is Stage.BACKWARD:
                grads.add(step.node)
                node = it.nodes[step.node]
                if node.kind is NodeKind.LEAF:
                    grad_attrs[node.name] = node.grad_attr
            elif step.stage is Stage.UPDATE:
                update = next(u for u in it.updates if u.name == step.parameter)
                parameters[step.parameter] = update.after
            elif step.stage is Stage.ZERO_GRAD:
                update = next(u for u in it.updates if u.name == step.parameter)
                grad_attrs[step.parameter] = update.grad_after_zero
        it = trace.iterations[iteration]
        given = {n.id for n in it.nodes if n.kind is not NodeKind.OPERATION}
        step = self.steps[position - 1] if position else None
        return WalkState(position, step, iteration, frozenset(values | given),
                         frozenset(local_grads), frozenset(grads), parameters, grad_attrs)
