"""What a value may be: the :data:`Value` type and the one place that checks values.

A value is a finite float or a non-empty tuple of at most :data:`MAX_VECTOR_LENGTH`
finite floats. Text a learner types (the Values tab, ``--set``, an exercise answer)
goes through :func:`parse_value`; values that arrive as Python objects (a session file,
an API call) go through :func:`check_value`. Both give the same verdicts and messages.
Nothing here evaluates text: literals are read from :mod:`ast` nodes.
"""

from __future__ import annotations

import ast
import math

from gui_backprop.core.errors import ProgramError, error_at

Value = float | tuple[float, ...]
"""A plain value: a scalar or a 1-D vector of floats."""

MAX_VECTOR_LENGTH = 1_000
MAX_VALUE_CHARS = 20_000
LEARNING_RATE_RANGE = (0.0, 100.0)


def parse_number(node: ast.expr) -> float | None:
    """The float of a number literal (optionally negated), else ``None``."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1.0, node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            value = sign * float(node.value)
        except OverflowError:
            raise error_at("this number is too large", node) from None
        if not math.isfinite(value):
            raise error_at("numbers must be finite", node)
        return value
    return None


def literal_value(node: ast.expr) -> Value | None:
    """The value of a number or list-of-numbers literal, else ``None``."""
    number = parse_number(node)
    if number is not None:
        return number
    if isinstance(node, ast.List):
        if not node.elts:
            raise error_at("a list needs at least one number", node)
        if len(node.elts) > MAX_VECTOR_LENGTH:
            raise error_at(f"a list may hold at most {MAX_VECTOR_LENGTH} numbers", node)
        values = []
        for element in node.elts:
            value = parse_number(element)
            if value is None:
                raise error_at("a list may only contain numbers", element)
            values.append(value)
        return tuple(values)
    return None


def parse_value(text: str) -> Value:
    """Parse a value typed by a learner: a number or a list such as ``[1, 2, 3]``."""
    if not isinstance(text, str) or not text.strip():
        raise ProgramError("enter a number")
    if len(text) > MAX_VALUE_CHARS:
        raise ProgramError("this value is too long")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ProgramError(f"'{short_text(text)}' is not a number") from None
    value = literal_value(tree.body)
    if value is None:
        if isinstance(tree.body, ast.Name) and tree.body.id.lower() in ("nan", "inf", "infinity"):
            raise ProgramError("the value must be a finite number (not NaN or infinity)")
        raise ProgramError(f"'{short_text(text)}' is not a number or a list of numbers")
    return value


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


def parse_learning_rate(text: str) -> float:
    """Parse and validate a learning rate typed by a learner."""
    return check_learning_rate(parse_value(text))


def short_text(text: str) -> str:
    """``text`` stripped and cut to 20 characters for an error message."""
    text = text.strip()
    return text if len(text) <= 20 else text[:17] + "..."


def _check_number(name: str, value: object, expected: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProgramError(f"{name}: {expected}, not {short_text(repr(value))}")
    try:
        number = float(value)
    except OverflowError:
        raise ProgramError(f"{name}: this number is too large") from None
    if not math.isfinite(number):
        raise ProgramError(f"{name}: the value must be a finite number (not NaN or infinity)")
    return number
