"""How a lesson declares that it trains as a classifier on 2-D data: its ``[classifier]``.

A lesson's own program is a walkthrough on a tiny fixed batch. Its ``[classifier]``
table gives the *batched* training program in the app's own language (parsed by the
same parser, never evaluated), which names play the input (an N×2 matrix), the labels
(a vector of class numbers) and the scores the decision boundary and the accuracy are
read from, how many classes there are, whether the scores are one probability per
point (``output = "probability"``, binary) or C logits per point (``"logits"``), and
each parameter's shape in named dimensions, so that a network of any width can be
initialised (``[classifier.parameters]``). It may also give the Train tab's defaults:
hidden units, learning rate, epochs and optimizer.

The training program uses the lesson's own parameter names, so a trained ``W1`` means
what the walkthrough's ``W1`` means. Its leaves (the input, the labels and the
parameters) are not written by the teacher: :func:`program_with_leaves` puts them in
front, in the declared shapes. No torch here: lesson files load without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import Program, parse_program
from gui_backprop.core.values import check_learning_rate

INPUT_FEATURES = 2
"""The data's input columns: 2-D points."""
DIMENSIONS = ("inputs", "hidden", "classes")
"""The named dimensions a parameter's shape may use (or whole numbers)."""
ACTIVATIONS = ("relu", "tanh", "sigmoid")
"""The activations a network's hidden layer may use (the Train tab's choice)."""
HIDDEN_RANGE = (1, 64)
CLASSES_RANGE = (2, 10)
OPTIMIZERS = ("manual", "sgd", "momentum", "adam")


class OutputKind(StrEnum):
    """What the scores are: one probability of class 1 per point, or C logits per point."""

    PROBABILITY = "probability"
    LOGITS = "logits"


@dataclass(frozen=True)
class ParameterShape:
    """A parameter's shape in dimensions (``"inputs"``, ``"hidden"``, ``"classes"`` or
    whole numbers) and its fan-in: nn.Linear's initialisation draws it uniformly from
    ±1/√fan_in, where fan_in is the size of the layer's input."""

    dimensions: tuple[str | int, ...]
    fan_in: str | int

    def sizes(self, hidden: int, classes: int) -> tuple[int, ...]:
        """The shape with the dimensions' sizes filled in."""
        return tuple(dimension_size(d, hidden, classes) for d in self.dimensions)

    def fan_in_size(self, hidden: int, classes: int) -> int:
        """The fan-in's size."""
        return dimension_size(self.fan_in, hidden, classes)


def dimension_size(dimension: str | int, hidden: int, classes: int) -> int:
    """The size of a named dimension (a whole number is its own size)."""
    if isinstance(dimension, int):
        return dimension
    return {"inputs": INPUT_FEATURES, "hidden": hidden, "classes": classes}[dimension]


@dataclass(frozen=True)
class ClassifierSpec:
    """A lesson's ``[classifier]``: how it trains on 2-D classification data.

    ``program`` is the training program's text without its leaves (the statements
    that compute from the input, the labels and the parameters); ``loss`` the name it
    minimises (default: its last statement). ``activation`` names the hidden layer's
    function when the Train tab may replace it (``None``: no network settings).
    """

    program: str
    input: str
    labels: str
    scores: str
    classes: int
    output: OutputKind
    parameters: dict[str, ParameterShape]
    loss: str
    activation: str | None = None
    hidden_units: int = 8
    learning_rate: float | None = None
    epochs: int | None = None
    optimizer: str | None = None

    @property
    def has_network_settings(self) -> bool:
        """True when the hidden units and the activation may be chosen."""
        return self.activation is not None or any(
            "hidden" in shape.dimensions for shape in self.parameters.values())


def program_with_leaves(spec: ClassifierSpec, hidden: int | None = None,
                        activation: str | None = None) -> Program:
    """The training program: zero leaves in the declared shapes (a 1×2 input and one
    label; the trainer's values replace them), then the teacher's statements with the
    activation replaced by ``activation`` (as text, re-parsed). Raises
    :class:`ProgramError` with the teacher's line numbers."""
    hidden = spec.hidden_units if hidden is None else hidden
    body = spec.program
    if activation is not None and spec.activation is not None and activation != spec.activation:
        body = re.sub(rf"\b{re.escape(spec.activation)}(?=\s*\()", activation, body)
    lines = [f"{spec.input} = [[0.0, 0.0]]", f"{spec.labels} = [0.0]"]
    for name, shape in spec.parameters.items():
        lines.append(f"{name} = {_zeros(shape.sizes(hidden, spec.classes))}")
    try:
        return parse_program("\n".join(lines) + "\n" + body)
    except ProgramError as exc:
        line = exc.line - len(lines) if exc.line and exc.line > len(lines) else None
        raise ProgramError(exc.message, line, exc.column) from None


def _zeros(shape: tuple[int, ...]) -> str:
    if not shape:
        return "0.0"
    inner = _zeros(shape[1:])
    return "[" + ", ".join([inner] * shape[0]) + "]"


# [classifier] fields -> (required, the types it may have, what to call them)
FIELDS: dict[str, tuple[bool, tuple[type, ...], str]] = {
    "program": (True, (str,), "a string"),
    "input": (True, (str,), "a variable's name"),
    "labels": (True, (str,), "a variable's name"),
    "scores": (True, (str,), "a variable's name"),
    "classes": (True, (int,), "a whole number"),
    "output": (True, (str,), "\"probability\" or \"logits\""),
    "parameters": (True, (dict,), "a table [classifier.parameters]"),
    "loss": (False, (str,), "a variable's name"),
    "activation": (False, (str,), f"one of {', '.join(ACTIVATIONS)}"),
    "hidden_units": (False, (int,), "a whole number"),
    "learning_rate": (False, (int, float), "a number"),
    "epochs": (False, (int,), "a whole number"),
    "optimizer": (False, (str,), f"one of {', '.join(OPTIMIZERS)}"),
}
EPOCHS_LIMIT = 1_000_000


def read_classifier(table: dict, lesson_parameters: list | None, line_of,
                    program_offset) -> tuple[ClassifierSpec | None, list[tuple[int, str]]]:
    """A lesson's ``[classifier]`` table as a :class:`ClassifierSpec`, and its problems
    as (line, message) pairs (the spec is ``None`` when there is any).

    ``line_of(key, table)`` gives a key's line in the file; ``program_offset(line)``
    the file line of the program's line ``line`` (``None``: the key's own line).
    """
    problems: list[tuple[int, str]] = []

    def problem(key: str, message: str, sub: str = "") -> None:
        problems.append((line_of(key, "classifier" + sub), f"classifier: {message}"))

    for name in sorted(table.keys() - FIELDS.keys()):
        problem(name, f"unknown field '{_short(name)}' (fields: {', '.join(FIELDS)})")
    for name, (required, types, what) in FIELDS.items():
        value = table.get(name)
        if value is None:
            if required:
                problem(name, f"the field '{name}' is missing")
        elif isinstance(value, bool) or not isinstance(value, types):
            problem(name, f"'{name}' must be {what}")
    if problems:
        return None, problems
    shapes = _read_shapes(table["parameters"], problem)
    spec_fields = _read_settings(table, problem)
    if problems or shapes is None:
        return None, problems
    if lesson_parameters is not None and set(shapes) != set(lesson_parameters):
        problem("parameters", "the parameters must be the lesson's own ("
                f"{', '.join(map(str, lesson_parameters))}), so that trained values mean "
                "the same thing", ".parameters")
        return None, problems
    names = [table["input"], table["labels"]]
    if len(set(names)) != 2 or set(names) & set(shapes):
        problem("labels", "the input, the labels and the parameters need different names")
        return None, problems
    for number, line in enumerate(table["program"].splitlines(), start=1):
        assigned = re.match(r"\s*([A-Za-z_]\w*)\s*=(?!=)", line)
        if assigned and assigned.group(1) in {*names, *shapes}:
            problems.append((program_offset(number) or line_of("program", "classifier"),
                             f"classifier: program: {assigned.group(1)} is given by the "
                             "data or the network; the program may not assign it"))
            return None, problems
    spec = ClassifierSpec(program=table["program"], input=table["input"],
                          labels=table["labels"], scores=table["scores"], parameters=shapes,
                          loss=table.get("loss", ""), **spec_fields)
    try:
        program = program_with_leaves(spec)
    except ProgramError as exc:
        line = program_offset(exc.line) if exc.line else None
        problems.append((line or line_of("program", "classifier"),
                         f"classifier: program: {exc.message}"))
        return None, problems
    computed = [n for n in program.names if n not in program.leaves]
    loss = spec.loss or program.output
    for key, name in (("scores", spec.scores), ("loss", loss)):
        if name not in computed:
            problem(key, f"{key} '{_short(name)}' is not computed by the program")
    if spec.activation is not None and not re.search(
            rf"\b{re.escape(spec.activation)}\s*\(", spec.program):
        problem("activation", f"the program does not call {spec.activation}()")
    if spec.output is OutputKind.PROBABILITY and spec.classes != 2:
        problem("classes", "one probability per point (output = \"probability\") is for "
                           "2 classes")
    if problems:
        return None, problems
    return replace(spec, loss=loss), problems


def _read_settings(table: dict, problem) -> dict:
    fields: dict = {}
    classes = table["classes"]
    if not CLASSES_RANGE[0] <= classes <= CLASSES_RANGE[1]:
        problem("classes", f"classes must be from {CLASSES_RANGE[0]} to {CLASSES_RANGE[1]}")
    fields["classes"] = classes
    try:
        fields["output"] = OutputKind(table["output"])
    except ValueError:
        problem("output", "output must be \"probability\" (one probability of class 1 per "
                          "point) or \"logits\" (one score per class)")
    activation = table.get("activation")
    if activation is not None and activation not in ACTIVATIONS:
        problem("activation", f"the activation must be one of {', '.join(ACTIVATIONS)}")
    fields["activation"] = activation
    hidden = table.get("hidden_units", 8)
    if not HIDDEN_RANGE[0] <= hidden <= HIDDEN_RANGE[1]:
        problem("hidden_units", f"hidden_units must be from {HIDDEN_RANGE[0]} to "
                                f"{HIDDEN_RANGE[1]}")
    fields["hidden_units"] = hidden
    rate = table.get("learning_rate")
    if rate is not None:
        try:
            check_learning_rate(rate)
        except ProgramError as exc:
            problem("learning_rate", exc.message)
    fields["learning_rate"] = None if rate is None else float(rate)
    epochs = table.get("epochs")
    if epochs is not None and not 1 <= epochs <= EPOCHS_LIMIT:
        problem("epochs", f"epochs must be from 1 to {EPOCHS_LIMIT:,}")
    fields["epochs"] = epochs
    optimizer = table.get("optimizer")
    if optimizer is not None and optimizer not in OPTIMIZERS:
        problem("optimizer", f"the optimizer must be one of {', '.join(OPTIMIZERS)}")
    fields["optimizer"] = optimizer
    return fields


def _read_shapes(table: dict, problem) -> dict[str, ParameterShape] | None:
    shapes: dict[str, ParameterShape] = {}
    if not table:
        problem("parameters", "name each parameter's shape", ".parameters")
    for name, entry in table.items():
        where = f"parameter '{_short(name)}'"
        if not isinstance(entry, dict) or set(entry) != {"shape", "fan_in"}:
            problem(name, f"{where} must be {{ shape = [...], fan_in = ... }}", ".parameters")
            continue
        dims, fan_in = entry["shape"], entry["fan_in"]
        if not isinstance(dims, list) or len(dims) > 2 or not all(map(_is_dimension, dims)):
            problem(name, f"{where}: the shape must be a list of at most 2 dimensions, each "
                          f"{', '.join(DIMENSIONS)} or a whole number from 1 to 64",
                    ".parameters")
            continue
        if not _is_dimension(fan_in):
            problem(name, f"{where}: fan_in must be one of {', '.join(DIMENSIONS)} or a "
                          "whole number from 1 to 64", ".parameters")
            continue
        shapes[name] = ParameterShape(tuple(dims), fan_in)
    return shapes if shapes else None


def _is_dimension(value) -> bool:
    if isinstance(value, str):
        return value in DIMENSIONS
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 64


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
