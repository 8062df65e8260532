"""What a number and a value may be: the :data:`Value` type and the one place that checks them.

A *number* is a finite float, or an int that fits a float; never a bool. A *value* is
a number no larger in size than :data:`MAX_MAGNITUDE`, or a non-empty tuple of at most
:data:`MAX_VECTOR_LENGTH` of them. The bound keeps everything computed from accepted
values inside float64's range where it matters to the app (a plot's axis with its
padding, a square, a least-squares line); a trace that overflows further on shows
``inf`` as autograd does. Other numbers (a loss history, a training setting) go
through :func:`check_number` with their own range. Text a learner types (the Values
tab, ``--set``, an exercise answer) goes through :func:`parse_value`; values that
arrive as Python objects (a session file, an API call) go through
:func:`check_value`. Both give the same verdicts and messages. Nothing here
evaluates text: literals are read from :mod:`ast` nodes.
"""

from __future__ import annotations

import ast
import math

from gui_backprop.core.errors import ProgramError, error_at

Value = float | tuple[float, ...]
"""A plain value: a scalar or a 1-D vector of floats."""

MAX_VECTOR_LENGTH = 1_000
MAX_MAGNITUDE = 1e15
"""The largest size of a value: beyond any lesson's numbers, and far enough from
float64's limit (1.8e308) that squares, products of a few and plot ranges stay finite."""
MAGNITUDE_TEXT = "1e15"  # MAX_MAGNITUDE as messages write it
MAX_VALUE_CHARS = 20_000
LEARNING_RATE_RANGE = (0.0, 100.0)
MAX_ITERATIONS = 20  # training iterations a trace may take (here: torch-free, for lessons)


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


def _literal_number(node: ast.expr, limit: float | None) -> float | None:
    number = parse_number(node)
    if number is not None and limit is not None and abs(number) > limit:
        raise error_at(f"a value may be at most {MAGNITUDE_TEXT} in size", node)
    return number


def literal_value(node: ast.expr, limit: float | None = MAX_MAGNITUDE) -> Value | None:
    """The value of a number or list-of-numbers literal, else ``None``; its numbers may
    be at most ``limit`` in size (``None``: any finite number)."""
    number = _literal_number(node, limit)
    if number is not None:
        return number
    if isinstance(node, ast.List):
        if not node.elts:
            raise error_at("a list needs at least one number", node)
        if len(node.elts) > MAX_VECTOR_LENGTH:
            raise error_at(f"a list may hold at most {MAX_VECTOR_LENGTH} numbers", node)
        values = []
        for element in node.elts:
            value = _literal_number(element, limit)
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
        return tuple(_checked(name, v, "a list may only contain numbers") for v in value)
    return _checked(name, value, "expected a number or a list of numbers")


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


def short_text(text: str, limit: int = 20) -> str:
    """``text`` stripped, on one line (a character that does not print becomes a space)
    and cut to ``limit`` characters, for an error message."""
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_number(name: str, value: object, low: float | None = None,
                 high: float | None = None, expected: str = "expected a number") -> float:
    """``value`` as a float if it is a number (see the module's docstring) within
    [``low``, ``high``] (either may be ``None``: no bound that side); else
    :class:`ProgramError` naming ``name``. Never raises anything else, whatever the
    object (a bool, a string, an int of 400 digits, infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProgramError(f"{name}: {expected}, not {short_text(repr(value)[:100])}")
    try:
        number = float(value)
    except OverflowError:
        raise ProgramError(f"{name}: this number is too large") from None
    if not math.isfinite(number):
        raise ProgramError(f"{name}: the value must be a finite number (not NaN or infinity)")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise ProgramError(f"{name}: must be from {low:g} to {high:g}")
        raise ProgramError(f"{name}: must be at {'least' if high is None else 'most'} "
                           f"{low if high is None else high:g}")
    return number


def _checked(name: str, value: object, expected: str) -> float:
    number = check_number(name, value, expected=expected)
    if abs(number) > MAX_MAGNITUDE:
        raise ProgramError(f"{name}: a value may be at most {MAGNITUDE_TEXT} in size")
    return number
