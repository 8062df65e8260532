"""A program's source with new values written into its literals.

In the playground the learner's program *is* the code on screen, so a value changed
elsewhere (the Values tab, a training result, a questions seed) must show in it: the
literal of ``w = 1.0`` becomes ``w = 3.0``. Only the literals' text changes, and every
statement keeps its line, so the steps' code lines stay right.
"""

from __future__ import annotations

from gui_backprop.core.program import Program, parse_program
from gui_backprop.core.torch_source import literal
from gui_backprop.core.values import Value


def with_values(program: Program, values: dict[str, Value]) -> Program:
    """``program`` with the literals of its leaves in ``values`` rewritten (the same
    program when none differs)."""
    changed = [(statement, values[statement.target]) for statement in program.statements
               if statement.literal is not None and statement.target in values
               and values[statement.target] != statement.literal]
    if not changed:
        return program
    lines = program.source.splitlines(keepends=True)
    # From the last literal up, so that earlier offsets stay valid; ast's columns count
    # UTF-8 bytes, hence the encoding.
    for statement, value in sorted(changed, key=lambda item: item[0].expression.lineno,
                                   reverse=True):
        expression = statement.expression
        first, last = expression.lineno - 1, expression.end_lineno - 1
        head = lines[first].encode()[:expression.col_offset]
        tail = lines[last].encode()[expression.end_col_offset:]
        text = literal(value)
        if last > first:  # a literal over several lines: the lines stay, inside brackets
            text = text[:-1] + "\n" * (last - first) + text[-1]
        lines[first:last + 1] = [(head + text.encode() + tail).decode()]
    return parse_program("".join(lines))
