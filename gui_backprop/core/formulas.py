"""Formulas of a walkthrough step, in two forms: plain Unicode text and LaTeX.

The text is for tooltips, the CLI and screen readers; the LaTeX for typesetting.
Only labels and numbers that autograd already produced are put together here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gui_backprop.core.formatting import format_value
from gui_backprop.core.values import Value

SYMBOLS = {"add": "+", "sub": "-", "mul": "×", "div": "/", "pow": "^"}
LATEX_SYMBOLS = {"add": "+", "sub": "-", "mul": r"\times", "div": "/", "pow": "^"}


@dataclass(frozen=True)
class Formula:
    """One formula: ``text`` (Unicode) and ``latex`` say the same thing."""

    text: str
    latex: str

    def __add__(self, other: Formula) -> Formula:
        return Formula(self.text + other.text, self.latex + " " + other.latex)

    @staticmethod
    def join(parts: list[Formula], text_sep: str, latex_sep: str) -> Formula:
        """Parts joined by a separator."""
        return Formula(text_sep.join(p.text for p in parts), latex_sep.join(p.latex for p in parts))


_POWER = re.compile(r"\s*\*\*\s*(-?[\w.]+|\([^()]*\))")


def _powers(text: str) -> str:
    """``a ** 2`` as ``a^{2}``: mathtext does not raise an exponent written ``a ^ 2``."""
    return _POWER.sub(lambda m: "^{" + m.group(1) + "}", text)


_FUNCTION_CALL = re.compile(r"\b(exp|log|sqrt|abs|sin|cos|tanh|sigmoid|relu|mean|sum)\(")


def _latex_name(label: str) -> str:
    escaped = _powers(label).replace("_", r"\_").replace("*", r"\cdot ")
    # mathtext sets a function's name in italics (as a product of letters) and spaces
    # a "." as punctuation: cos upright, "w.grad" without a gap.
    escaped = _FUNCTION_CALL.sub(r"\\mathrm{\1}(", escaped)
    escaped = escaped.replace(".grad", r".\!\mathrm{grad}")
    if len(label) > 1 and label.isidentifier():
        return rf"\mathit{{{escaped}}}"
    return escaped


def symbol(label: str) -> Formula:
    """A variable or expression label."""
    needs_parens = not label.isidentifier()
    text = f"({label})" if needs_parens and " " in label else label
    latex = _latex_name(label)
    return Formula(text, rf"\left({latex}\right)" if needs_parens and " " in label else latex)


_COUNT = re.compile(r" \((\d+) values\)")


def counts_as_text(latex: str) -> str:
    """A long vector's "(8 values)" as text: in math mode it read "(8values)"."""
    return _COUNT.sub(r"\\ (\\text{\1 values})", latex)


def number(value: Value | None, parens: bool = False) -> Formula:
    """A value; negative numbers parenthesized when ``parens``."""
    text = format_value(value)
    if parens and not isinstance(value, tuple) and value is not None and value < 0:
        text = f"({text})"
    # "{-}": a minus sign, never a binary minus spaced out after a comma ("[-1.0, - 1.0]")
    latex = text.replace("…", r"\ldots").replace("−", "-").replace("-", "{-}")
    if isinstance(value, tuple):
        latex = latex.replace(", ", r",\ ")
    return Formula(text, counts_as_text(latex))


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power(base: Formula, exponent: Formula, constant: float | None = None) -> Formula:
    """base raised to exponent: ``1.5²`` for a whole constant exponent, else ``a ^ b``."""
    if constant is not None and constant == int(constant) and abs(constant) < 1000:
        whole = str(int(constant))
        return Formula(f"{base.text}{whole.translate(_SUPERSCRIPTS)}",
                       f"{{{base.latex}}}^{{{whole}}}")
    return Formula(f"{base.text} ^ {exponent.text}", f"{{{base.latex}}}^{{{exponent.latex}}}")


def derivative(of: str, wrt: str) -> Formula:
    """∂of/∂wrt."""
    of_f, wrt_f = symbol(of), symbol(wrt)
    return Formula(f"∂{of_f.text}/∂{wrt_f.text}",
                   rf"\frac{{\partial {of_f.latex}}}{{\partial {wrt_f.latex}}}")


def raw(text: str, latex: str | None = None) -> Formula:
    """Literal text (with its own LaTeX, or the same text)."""
    return Formula(text, text if latex is None else latex)


def equals(*parts: Formula) -> Formula:
    """a = b = c."""
    return Formula.join(list(parts), " = ", " = ")


def times(a: Formula, b: Formula) -> Formula:
    """a × b."""
    return Formula(f"{a.text} × {b.text}", rf"{a.latex} \cdot {b.latex}")


def summed(a: Formula, tall: bool = False) -> Formula:
    """Σ(a): the elements of a product added up (a number's gradient through a vector).

    ``tall`` parentheses grow around fractions; plain ones (around numbers) let a long
    line break inside them.
    """
    inner = rf"\left({a.latex}\right)" if tall else f"({a.latex})"
    return Formula(f"Σ({a.text})", rf"\sum {inner}")


def plus(parts: list[Formula]) -> Formula:
    """a + b + ..."""
    return Formula.join(parts, " + ", " + ")


def expression_to_latex(expression: str) -> str:
    """A program expression in LaTeX-ish form, for display only."""
    out = _powers(expression).replace("*", r"\cdot ").replace("_", r"\_")
    return out
