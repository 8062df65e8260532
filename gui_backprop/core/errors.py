"""The one error type for anything a learner wrote: a program, a value, a setting.

A leaf module (imports nothing of the project), so that every other core module can
raise :class:`ProgramError` without an import cycle.
"""

from __future__ import annotations

import ast


class ProgramError(ValueError):
    """A program or value a learner wrote is not acceptable.

    ``line`` and ``column`` are 1-based; ``None`` where no position applies.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


def error_at(message: str, node: ast.AST | None) -> ProgramError:
    """A :class:`ProgramError` placed at ``node``'s line and (1-based) column."""
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    return ProgramError(message, line, None if col is None else col + 1)
