"""Turn values into the short text a learner reads."""

from __future__ import annotations

import math

from gui_backprop.core.values import Value, is_matrix

SHOWN_ELEMENTS = 6
SHOWN_MATRIX_ELEMENTS = 12


def format_number(x: float, digits: int = 6) -> str:
    """A float in at most ``digits`` significant digits; whole numbers keep one decimal.
    An ``int`` (a class label, see :func:`whole_numbers`) is written as one: ``2``."""
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0"
    if x == int(x) and abs(x) < 1e6:
        return f"{x:.1f}"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    elif "." not in text:  # rounded to a whole number: written as one, beside exact ones
        text += ".0"
    return text


def whole_numbers(value: Value) -> Value:
    """A value of whole numbers (class labels) as ints, so that they show as ``2``."""
    if isinstance(value, tuple):
        return tuple(whole_numbers(v) for v in value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_value(value: Value | None, digits: int = 6) -> str:
    """A scalar as a number, a vector as ``[a, b, c]`` (long ones shortened), a matrix as
    ``[[a, b], [c, d]]`` (large ones as their first row and their shape)."""
    if value is None:
        return "—"
    if is_matrix(value):
        rows, columns = len(value), len(value[0])
        if rows * columns <= SHOWN_MATRIX_ELEMENTS:
            return "[" + ", ".join(format_value(row, digits) for row in value) + "]"
        first = format_value(value[0], digits).split(" (")[0]
        return f"[{first}, …] ({rows}×{columns})"
    if isinstance(value, tuple):
        if len(value) <= SHOWN_ELEMENTS:
            return "[" + ", ".join(format_number(v, digits) for v in value) + "]"
        head = ", ".join(format_number(v, digits) for v in value[:3])
        tail = format_number(value[-1], digits)
        return f"[{head}, …, {tail}] ({len(value)} values)"
    return format_number(value, digits)


def format_operand(value: float) -> str:
    """A constant as it appears inside a formula (negative numbers in parentheses)."""
    text = format_number(value)
    if text.endswith(".0"):
        text = text[:-2]
    return f"({text})" if value < 0 else text


def exact_operand(value: float) -> str:
    """A constant in program syntax with every digit it has (for formulas that are checked)."""
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    return f"({text})" if value < 0 else text
