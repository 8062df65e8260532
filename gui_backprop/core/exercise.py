"""Predict-the-gradient exercises: the learner answers before a number is revealed.

A question exists for each forward, local-gradient and backward step: the expected
answer is the number autograd produced for that step. Answers are typed values
(parsed safely, never evaluated) compared with a tolerance. At a backward step whose
gradient is a tensor the learner is first asked its shape ("What shape is W.grad?"),
checked against the shape of autograd's gradient (:func:`check_shape`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.formatting import format_value
from gui_backprop.core.formulas import derivative
from gui_backprop.core.values import (
    Value,
    elements,
    is_matrix,
    parse_value,
    shape_text,
    value_shape,
)
from gui_backprop.core.walkthrough import Stage, Step, Walkthrough

# An answer is right when each element is within 2 % of autograd's (three significant
# digits, worked by hand, pass). There is no absolute tolerance beyond rounding noise:
# with one, a tiny gradient (a saturated unit's 0.0008) was "right" as 0 or with the
# wrong sign, and that tiny number is what such a lesson is about.
RELATIVE_TOLERANCE = 0.02
ABSOLUTE_TOLERANCE = 1e-12
ASKED_STAGES = (Stage.FORWARD, Stage.LOCAL, Stage.BACKWARD)


@dataclass(frozen=True)
class Question:
    """What the learner is asked before a step's number is shown."""

    step: int
    prompt: str
    expected: Value
    hint: str
    working: str
    # A backward step's tensor gradient: its shape is asked first (see check_shape).
    shape: tuple[int, ...] | None = None
    shape_prompt: str = ""
    shape_of: str = ""  # whose shape the gradient has: the value's label


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer; ``valid`` is false when the text was not a number.

    ``message`` is the whole verdict with the working; ``headline`` the verdict alone.
    """

    valid: bool
    correct: bool
    message: str
    headline: str = ""


def question_for(walkthrough: Walkthrough, step: Step) -> Question | None:
    """The question asked before ``step`` is revealed, or ``None`` for other stages."""
    if step.stage not in ASKED_STAGES:
        return None
    it = walkthrough.trace.iterations[step.iteration]
    out = it.nodes[it.output]
    if step.stage is Stage.FORWARD:
        node = it.nodes[step.node]
        named = node.label if node.label == node.expression else \
            f"{node.label} = {node.expression}"
        prompt = f"What is the value of {named}?"
        inputs = [it.nodes[edge.source] for edge in it.inputs_of(node.id)]
        known = ", ".join(f"{n.label} = {format_value(n.value)}" for n in inputs
                          if n.value is not None)
        hint = (f"Work out {node.expression} with {known}." if known else
                "Combine the values already on the graph, as the expression says.")
        expected = node.value
    elif step.stage is Stage.LOCAL:
        edge = it.edges[step.edge]
        target, source = it.nodes[edge.target], it.nodes[edge.source]
        d = derivative(target.name or target.expression, source.label).text
        prompt = f"What is the local gradient {d}?"
        hint = f"The rule is {d} = {edge.derivative_shown}; put in the forward values."
        if edge.vector_jacobian:  # no local derivative per element: what flows back
            d = derivative(out.label, source.label).text
            prompt = f"What does {target.label} send back to {source.label}, {d}?"
            hint = (f"The rule is {d} = {edge.derivative_shown}; the answer has "
                    f"{source.label}'s shape.")
        expected = edge.local_grad
    else:
        node = it.nodes[step.node]
        d = derivative(out.label, node.label).text
        prompt = f"What is {d}?"
        hint = ("Multiply the gradient arriving from above by the local gradient of the edge; "
                "if the value is used in several places, add the paths up.")
        if step.node == it.output:
            hint = "How much does a value change when it changes itself?"
        before = it.grad_before.get(node.name) if node.name else None
        if before is not None and any(v != 0 for v in elements(before)):
            # .grad will show this pass's gradient plus what it held: ask for which one
            prompt = (f"What is {d} in this backward pass? (Not {node.name}.grad: it still "
                      f"holds {format_value(before)} and adds this to it.)")
        expected = node.grad
    if expected is None:
        return None  # nothing flows back here: nothing to ask
    question = Question(step.index, prompt, expected, hint, step.formula)
    if step.stage is Stage.BACKWARD and isinstance(expected, tuple):
        node = it.nodes[step.node]
        named = f"{node.name}.grad" if node.is_parameter and node.name else d
        question = replace(question, shape=value_shape(expected),
                           shape_prompt=f"What shape is {named}? (such as 4×5, or 7 for "
                                        "a vector of 7)", shape_of=node.label)
    return question


def _close(answer: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(answer)
    return abs(answer - expected) <= RELATIVE_TOLERANCE * abs(expected) + ABSOLUTE_TOLERANCE


def check_answer(question: Question, text: str) -> Verdict:
    """Compare a typed answer with the expected value."""
    try:
        answer = parse_value(text)
    except ProgramError as exc:
        message = (f"{exc.message}: type a number such as -2.0 "
                   "(or a list such as [1, 2] for a vector, [[1, 2], [3, 4]] for a matrix)")
        return Verdict(False, False, message, message)
    expected = question.expected
    shape = _shape_problem(answer, expected)
    if shape is not None:  # a format error, like text that is not a number: no point lost
        return Verdict(False, False, shape, shape)
    correct = all(_close(a, e) for a, e in zip(elements(answer), elements(expected),
                                                strict=True))
    if correct:
        headline = f"Right: {format_value(expected)}"
        return Verdict(True, True, f"{headline}. {question.working}", headline)
    headline = f"Not quite: it is {format_value(expected)}"
    return Verdict(True, False, f"{headline}. Working: {question.working}", headline)


SHAPE_HINT = "A gradient has the shape of the value it belongs to: look at that node's shape."
_SHAPE_SEPARATORS = re.compile(r"\s*(?:×|x|X|\*|,)\s*|\s+")


def parse_shape(text: str) -> tuple[int, ...] | None:
    """A typed shape: ``2×3``, ``2x3``, ``2 3``, ``(2, 3)``, ``torch.Size([2, 3])``,
    ``3`` for a vector; ``None`` when it is not one (whole numbers from 1, at most 2)."""
    text = text.strip().removeprefix("torch.Size").strip().strip("()[]").strip()
    parts = [part for part in _SHAPE_SEPARATORS.split(text) if part]
    if not 1 <= len(parts) <= 2 or not all(part.isdigit() and len(part) <= 7
                                           for part in parts):
        return None
    shape = tuple(int(part) for part in parts)
    return shape if all(size > 0 for size in shape) else None


def _shape_words(shape: tuple[int, ...]) -> str:
    return f"a vector of {shape[0]}" if len(shape) == 1 else "×".join(map(str, shape))


def check_shape(question: Question, text: str) -> Verdict:
    """Compare a typed shape with the shape of autograd's gradient (``question.shape``)."""
    shape = parse_shape(text)
    if shape is None:
        message = ("Type a shape: rows×columns such as 4×5, or one number such as 7 for a "
                   "vector of 7")
        return Verdict(False, False, message, message)
    real = _shape_words(question.shape)
    if shape == question.shape:
        headline = f"Right: {real}"
        return Verdict(True, True, f"{headline}, the shape of {question.shape_of}.", headline)
    headline = f"Not quite: it is {real}, not {_shape_words(shape)}"
    return Verdict(True, False, f"{headline}. A gradient always has the shape of its value: "
                                f"{question.shape_of} is {real}.", headline)


def _shape_problem(answer: Value, expected: Value) -> str | None:
    """Why ``answer`` cannot be compared with ``expected`` (a number for a vector, or a
    vector of another length, a matrix of another shape), without giving the expected
    values away."""
    if is_matrix(expected):
        rows, columns = value_shape(expected)
        if value_shape(answer) != (rows, columns):
            given = shape_text(value_shape(answer))
            return (f"This one is a {rows}×{columns} matrix, not {given}: type {rows} rows "
                    f"of {columns} numbers, such as [[…, …], […, …]]")
        return None
    if is_matrix(answer):
        return "This one is not a matrix: type one number, or a list for a vector"
    if isinstance(expected, tuple):
        count = len(expected)
        names = [f"v{i}" for i in range(1, count + 1)]
        example = "[" + ", ".join(names if count <= 3 else [*names[:2], "…", names[-1]]) + "]"
        if not isinstance(answer, tuple):
            return (f"This one is a vector of {count} values: type them in brackets, "
                    f"such as {example}")
        if len(answer) != count:
            return (f"This one is a vector of {count} values, not {len(answer)}: type "
                    f"{count} numbers in brackets")
        return None
    if isinstance(answer, tuple):
        return "This one is a single number, not a list: type one number such as -2.0"
    return None


@dataclass
class Scoreboard:
    """Right answers out of answers given, per lesson."""

    scores: dict[str, list[int]] = field(default_factory=dict)

    def record(self, lesson: str, verdict: Verdict) -> None:
        """Count a valid answer for ``lesson``."""
        if not verdict.valid:
            return
        right, total = self.scores.get(lesson, [0, 0])
        self.scores[lesson] = [right + int(verdict.correct), total + 1]

    def score(self, lesson: str) -> tuple[int, int]:
        """(right, answered) for ``lesson``."""
        right, total = self.scores.get(lesson, [0, 0])
        return right, total
