"""What a number and a value may be: the :data:`Value` type and the one place that checks them.

A *number* is a finite float, or an int that fits a float; never a bool. A *value* is
a number no larger in size than :data:`MAX_MAGNITUDE`, a non-empty tuple of them (a
vector) or a non-empty tuple of equal-length non-empty tuples of them (a matrix, one
tuple a row), at most :data:`MAX_ELEMENTS` numbers in all. The bound keeps everything
computed from accepted values inside float64's range where it matters to the app (a
plot's axis with its padding, a square, a least-squares line); a trace that overflows
further on shows ``inf`` as autograd does. Other numbers (a loss history, a training setting) go
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

Value = float | tuple[float, ...] | tuple[tuple[float, ...], ...]
"""A plain value: a scalar, a 1-D vector, or a 2-D matrix as a tuple of equal-length row
tuples (``((1.0, 2.0), (3.0, 4.0))`` is 2×2). :func:`value_shape` gives its shape."""

MAX_ELEMENTS = 1_000
"""The most numbers a value (or any tensor a program computes) may hold."""
MAX_VECTOR_LENGTH = MAX_ELEMENTS
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
    """The value of a number, list-of-numbers or list-of-lists literal, else ``None``; its
    numbers may be at most ``limit`` in size (``None``: any finite number). A ragged
    matrix, a third level of lists or more than :data:`MAX_ELEMENTS` numbers is an error
    that names the row."""
    number = _literal_number(node, limit)
    if number is not None:
        return number
    if not isinstance(node, ast.List):
        return None
    if not node.elts:
        raise error_at("a list needs at least one number", node)
    if len(node.elts) > MAX_ELEMENTS:
        raise error_at(f"a value may hold at most {MAX_ELEMENTS} numbers", node)
    if not isinstance(node.elts[0], ast.List):
        return _literal_row(node, limit)
    rows = []
    for index, row in enumerate(node.elts, start=1):
        if not isinstance(row, ast.List):
            raise error_at(f"row {index} of this matrix is not a list; every row must be "
                           "a list of numbers, as in [[1, 2], [3, 4]]", row)
        rows.append(_literal_row(row, limit, index))
        if len(rows[-1]) != len(rows[0]):
            raise error_at(f"row {index} has {_count(len(rows[-1]))} but row 1 has "
                           f"{len(rows[0])}; a matrix must be rectangular", row)
        if len(rows) * len(rows[0]) > MAX_ELEMENTS:
            raise error_at(f"a value may hold at most {MAX_ELEMENTS} numbers", node)
    return tuple(rows)


def _literal_row(node: ast.List, limit: float | None, row: int | None = None
                 ) -> tuple[float, ...]:
    where = f"row {row}" if row is not None else "a list"
    if not node.elts:
        raise error_at(f"{where} needs at least one number", node)
    if len(node.elts) > MAX_ELEMENTS:
        raise error_at(f"a value may hold at most {MAX_ELEMENTS} numbers", node)
    values = []
    for element in node.elts:
        if isinstance(element, ast.List):
            raise error_at("a value may have at most two levels of lists (a matrix); "
                           "this is a third", element)
        value = _literal_number(element, limit)
        if value is None:
            raise error_at(f"{where} may only contain numbers", element)
        values.append(value)
    return tuple(values)


def parse_value(text: str) -> Value:
    """Parse a value typed by a learner: a number, a list such as ``[1, 2, 3]`` or a
    matrix such as ``[[1, 2], [3, 4]]``."""
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
    """Validate a value given for ``name``: a finite number, a bounded list of them, or a
    rectangular list of such lists (a matrix)."""
    if not isinstance(value, (list, tuple)):
        return _checked(name, value, "expected a number or a list of numbers")
    if not value:
        raise ProgramError(f"{name}: a list needs at least one number")
    if len(value) > MAX_ELEMENTS:
        raise ProgramError(f"{name}: a value may hold at most {MAX_ELEMENTS} numbers")
    if not isinstance(value[0], (list, tuple)):
        return _checked_row(name, value, "a list")
    rows = []
    for index, row in enumerate(value, start=1):
        if not isinstance(row, (list, tuple)):
            raise ProgramError(f"{name}: row {index} of this matrix is not a list")
        if len(row) > MAX_ELEMENTS or len(rows) * len(row) > MAX_ELEMENTS:
            raise ProgramError(f"{name}: a value may hold at most {MAX_ELEMENTS} numbers")
        rows.append(_checked_row(name, row, f"row {index}"))
        if len(rows[-1]) != len(rows[0]):
            raise ProgramError(f"{name}: row {index} has {len(rows[-1])} numbers but row 1 "
                               f"has {len(rows[0])}; a matrix must be rectangular")
    if len(rows) * len(rows[0]) > MAX_ELEMENTS:
        raise ProgramError(f"{name}: a value may hold at most {MAX_ELEMENTS} numbers")
    return tuple(rows)


def _checked_row(name: str, row: list | tuple, where: str) -> tuple[float, ...]:
    if not row:
        raise ProgramError(f"{name}: {where} needs at least one number")
    if len(row) > MAX_ELEMENTS:
        raise ProgramError(f"{name}: a value may hold at most {MAX_ELEMENTS} numbers")
    if any(isinstance(v, (list, tuple)) for v in row):
        raise ProgramError(f"{name}: a value may have at most two levels of lists (a matrix)")
    return tuple(_checked(name, v, f"{where} may only contain numbers") for v in row)


def value_shape(value: Value) -> tuple[int, ...]:
    """The shape of a value as torch writes it: ``()``, ``(n,)`` or ``(rows, columns)``."""
    if not isinstance(value, tuple):
        return ()
    if value and isinstance(value[0], tuple):
        return (len(value), len(value[0]))
    return (len(value),)


def is_matrix(value: Value | None) -> bool:
    """True for a 2-D value (a tuple of row tuples)."""
    return isinstance(value, tuple) and bool(value) and isinstance(value[0], tuple)


def elements(value: Value) -> tuple[float, ...]:
    """Every number of a value in row-major order (a scalar is one element)."""
    if not isinstance(value, tuple):
        return (value,)
    if value and isinstance(value[0], tuple):
        return tuple(x for row in value for x in row)
    return value


def reshape_elements(numbers: tuple[float, ...] | list[float], shape: tuple[int, ...]) -> Value:
    """The value of ``shape`` holding ``numbers`` in row-major order (inverse of
    :func:`elements`)."""
    numbers = tuple(float(x) for x in numbers)
    if len(shape) == 0:
        return numbers[0]
    if len(shape) == 1:
        return numbers
    rows, columns = shape
    return tuple(numbers[r * columns:(r + 1) * columns] for r in range(rows))


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as a learner reads it: ``a number``, ``3 elements``, ``2×3``."""
    if len(shape) == 0:
        return "a number"
    if len(shape) == 1:
        return f"{shape[0]} element{'s' if shape[0] != 1 else ''}"
    return "×".join(str(size) for size in shape)


def as_nested_lists(value: Value | None) -> float | list | None:
    """A value as JSON writes it: a number, a list, or a list of row lists."""
    if isinstance(value, tuple):
        return [as_nested_lists(v) for v in value]
    return value


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


def _count(numbers: int) -> str:
    return f"{numbers} number{'s' if numbers != 1 else ''}"
