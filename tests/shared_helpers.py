"""Helpers shared by the core and the UI tests."""

import ast
import subprocess
import sys

# The tutorial's example program, as a learner would write it.
TUTORIAL = """
x = 1.0
y = 2.0
w = 1.0
y_pred = w * x
loss = (y_pred - y) ** 2
"""


def typed_answer(value) -> str:
    """A value as a learner would type it (a list for a vector, rows for a matrix)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(typed_answer(v) for v in value) + "]"
    return repr(value)


def wrong_answer(value):
    """A value clearly outside the exercise tolerance of ``value``."""
    if isinstance(value, tuple):
        return tuple(wrong_answer(v) if isinstance(v, tuple) else v + 1.0 for v in value)
    return value + 1.0 + abs(value) / 2


def run_exported_script(path) -> dict[tuple[int, str], object]:
    """Run an exported PyTorch script; its printed numbers by (step, label)."""
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=120, check=True)
    printed = {}
    for line in result.stdout.splitlines():
        _, step, label, _, value = line.split(" ", 4)
        printed[(int(step), label)] = ast.literal_eval(value)
    return printed
