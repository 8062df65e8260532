"""Questions per student: a lesson's questions, with each learner's own numbers.

A lesson lists questions (``[[questions]]``: a variable's value, its gradient, an
edge's local gradient, a tensor's size) and ranges for its leaves (``[ranges]``). A
learner's seed (theirs, or one the teacher hands out) draws the leaves' values from the
ranges; the program is traced through autograd at those values, and that trace is the
answer key. The same seed always gives the same numbers; answers are graded like the
exercise mode's, with its tolerance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.exercise import Question
from gui_backprop.core.formatting import format_value
from gui_backprop.core.formulas import derivative
from gui_backprop.core.graph import Iteration, Node
from gui_backprop.core.values import Value

KINDS = ("value", "grad", "local_grad", "size")
DEFAULT_STEP = 0.1  # drawn values are multiples of this: short to type


@dataclass(frozen=True)
class QuestionSpec:
    """One question as the lesson file writes it: ``ask`` (one of :data:`KINDS`) about
    variable ``of`` (for ``local_grad``: d ``of`` / d ``wrt``) in ``iteration`` (1-based)."""

    ask: str
    of: str
    wrt: str | None = None
    iteration: int = 1


@dataclass(frozen=True)
class ValueRange:
    """Where a leaf's value is drawn: ``low`` to ``high`` in steps of ``step``."""

    low: float
    high: float
    step: float = DEFAULT_STEP

    def draw(self, rng: random.Random) -> float:
        """One value of the range, a whole number of steps from ``low``."""
        count = int(round((self.high - self.low) / self.step))
        return round(self.low + rng.randint(0, count) * self.step, 10)


def student_values(lesson, seed: int) -> dict[str, Value]:
    """The leaves' values for the learner with ``seed`` (the lesson's own outside the
    ranges); the same seed always gives the same values."""
    rng = random.Random(f"{lesson.id}:{int(seed)}")
    values: dict[str, Value] = dict(lesson.program.leaves)
    for name in sorted(lesson.ranges):
        value_range, current = lesson.ranges[name], values[name]
        if isinstance(current, tuple):
            values[name] = tuple(value_range.draw(rng) for _ in current)
        else:
            values[name] = value_range.draw(rng)
    return values


def pose_questions(lesson, seed: int) -> tuple[dict[str, Value], list[Question]]:
    """The learner's values and their questions, each with the answer autograd gives."""
    values = student_values(lesson, seed)
    trace = lesson.trace(values=values)
    questions = [_in_iteration(_question(trace.iterations[spec.iteration - 1], number, spec),
                               spec.iteration)
                 for number, spec in enumerate(lesson.questions)]
    return values, questions


def _in_iteration(question: Question, iteration: int) -> Question:
    """A question about a later iteration says which (the same names recur there)."""
    if iteration == 1:
        return question
    return replace(question, prompt=question.prompt[:-1] + f" in iteration {iteration}?")


def _node(it: Iteration, name: str) -> Node:
    return next(node for node in it.nodes if node.name == name)


def _question(it: Iteration, number: int, spec: QuestionSpec) -> Question:
    node = _node(it, spec.of)
    output = it.nodes[it.output]
    if spec.ask == "value":
        return Question(number, f"What is the value of {spec.of}?", node.value,
                        "Run the forward pass with your values.",
                        f"{spec.of} = {format_value(node.value)}")
    if spec.ask == "grad":
        d = derivative(output.label, spec.of).text
        grad = node.grad if node.grad is not None else node.grad_attr
        return Question(number, f"What is {d}?", grad,
                        "Backward from the output: multiply the local gradients along "
                        "each path and add the paths.", f"{d} = {format_value(grad)}")
    if spec.ask == "local_grad":
        source = _node(it, spec.wrt)
        edge = next((e for e in it.edges if e.source == source.id and e.target == node.id),
                    None)
        if edge is None:  # a teacher's question: say what lies between, to ask that
            inputs = list(dict.fromkeys(it.nodes[e.source].label for e in it.edges
                                        if e.target == node.id))
            raise ProgramError(f"'{spec.wrt}' does not feed '{spec.of}' directly: "
                               f"{spec.of} is computed from {', '.join(inputs) or 'nothing'}"
                               "; a local_grad question asks about one of those edges "
                               "(a grad question asks for the whole chain)")
        d = derivative(spec.of, spec.wrt).text
        return Question(number, f"What is the local gradient {d}?", edge.local_grad,
                        f"The rule is {d} = {edge.derivative_shown}; put in the values.",
                        f"{d} = {format_value(edge.local_grad)}")
    size = float(len(node.value)) if isinstance(node.value, tuple) else 1.0
    return Question(number, f"How many elements does {spec.of} have?", size,
                    "A number has one element; a list has one per entry.",
                    f"{spec.of} has {int(size)}")
