"""Python syntax colouring for the code panel and the playground editor."""

from __future__ import annotations

import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

# (light, dark) colours: readable on both backgrounds and not told apart by hue alone
# (keywords are also bold, comments also italic).
_COLOURS = {
    "keyword": ("#7a3e9d", "#d2a8ff"),
    "builtin": ("#005f87", "#79c0ff"),
    "number": ("#a0522d", "#f2b36f"),
    "string": ("#2f6f3e", "#a5d6a7"),
    "comment": ("#6a737d", "#9aa3ad"),
}
_BUILTINS = ("print", "range", "torch", "len", "sum", "mean", "exp", "log", "sqrt", "abs",
             "sin", "cos", "tanh", "sigmoid", "relu")
_RULES = (
    ("keyword", re.compile(r"\b(?:" + "|".join(keyword.kwlist) + r")\b")),
    ("builtin", re.compile(r"\b(?:" + "|".join(_BUILTINS) + r")\b")),
    ("number", re.compile(r"\b\d+(?:\.\d*)?(?:[eE][-+]?\d+)?\b|\.\d+\b")),
    ("string", re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")),
    ("comment", re.compile(r"#[^\n]*")),
)


class PythonHighlighter(QSyntaxHighlighter):
    """Colours keywords, names from torch, numbers, strings and comments."""

    def __init__(self, document: QTextDocument, dark: bool = False):
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and dark colour set."""
        self._formats = {}
        for role, (light, night) in _COLOURS.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(night if dark else light))
            if role == "keyword":
                fmt.setFontWeight(QFont.Weight.Bold)
            if role == "comment":
                fmt.setFontItalic(True)
            self._formats[role] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Colour one line; later rules (strings, comments) win over earlier ones."""
        for role, pattern in _RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self._formats[role])
