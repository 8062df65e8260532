"""Numbers as a learner reads them, and constants as formulas write them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui_backprop.core.formatting import (
    exact_operand,
    format_number,
    format_operand,
    format_value,
)
from gui_backprop.core.forward import evaluate_expression


@pytest.mark.parametrize("value, text", [
    (1.0, "1.0"), (-2.0, "-2.0"), (1.02, "1.02"), (1.0199999809265137, "1.02"), (0.0, "0.0"),
    (-0.0, "0.0"), (0.9604, "0.9604"), (1e-7, "1e-7"), (1e6, "1e6"), (123456.0, "123456.0"),
    (2.0 / 3.0, "0.666667"), (math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf"),
    (-1.9999999999, "-2.0"), (2.0000001, "2.0"),  # rounded to whole: as exact ones read
])
def test_format_number(value, text):
    assert format_number(value) == text


def test_format_value_shortens_long_vectors():
    assert format_value(None) == "—"
    assert format_value((1.0, 2.5)) == "[1.0, 2.5]"
    assert format_value(tuple(float(i) for i in range(10))) == "[0.0, 1.0, 2.0, …, 9.0] (10 values)"


def test_format_operand_parenthesizes_negative_numbers():
    assert [format_operand(v) for v in (2.0, -2.0, 0.5, -0.1234567)] == [
        "2", "(-2)", "0.5", "(-0.123457)"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_exact_operand_reads_back_as_the_same_number(value):
    text = exact_operand(value)
    assert evaluate_expression(text, {}) == value
    assert (text.startswith("(-") and text.endswith(")")) == (value < 0)


def test_latex_sets_functions_upright_grad_closed_up_and_minus_signs_unspaced():
    from matplotlib.mathtext import MathTextParser

    from gui_backprop.core.formulas import number, symbol

    cases = {symbol("cos(x)"): r"\mathrm{cos}(x)",
             symbol("x.grad"): r"x.\!\mathrm{grad}",
             number((-1.0, -1.0)): r"[{-}1.0,\ {-}1.0]",
             number(-2.0, parens=True): r"({-}2.0)"}
    parser = MathTextParser("path")
    for formula, latex in cases.items():
        assert formula.latex == latex
        parser.parse(f"${formula.latex}$")  # mathtext accepts it


def test_a_whole_number_label_is_written_as_an_int_and_a_float_keeps_its_decimal():
    from gui_backprop.core.formatting import whole_numbers
    assert format_number(2) == "2" and format_number(2.0) == "2.0"
    assert whole_numbers((0.0, 2.0)) == (0, 2) and format_value(whole_numbers((0.0, 2.0))) \
        == "[0, 2]"
    assert format_number(True) == "1.0"  # a bool is not a label
