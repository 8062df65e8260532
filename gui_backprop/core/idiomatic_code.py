"""The lesson's model written the idiomatic way (``nn.Linear``, ``torch.nn.functional``,
``torch.optim``): the second tab beside the tutorial-style listing.

The teacher writes the model in the lesson file (``[code] idiomatic``); the app puts
above it the imports, one line per value of the program with the *current* values (as
the listing does, parameters without ``requires_grad``: the layers own the parameters and
copy them in) and ``learning_rate``. So the code always runs on the numbers the window
shows. It prints ``loss = …``, ``W.grad = …`` (and, after ``optimizer.step()``,
``W = …``), one line each, named as in the lesson's program; :func:`check_idiomatic`
runs it in its own Python process and compares every printed number with the trace.
Nothing here runs code in the app: only tests and ``check-lesson --run`` do.
"""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
import tempfile

from gui_backprop.core.code_listing import DOUBLE_PRECISION
from gui_backprop.core.formatting import format_value
from gui_backprop.core.graph import Trace
from gui_backprop.core.torch_source import leaf_line

IMPORTS = ("import torch", "import torch.nn as nn", "import torch.nn.functional as F")
RATE_NAME = "learning_rate"
RUN_TIMEOUT = 120  # seconds (importing torch takes a few)
RELATIVE_TOLERANCE = 1e-9  # the script computes in float64, as the trace does
_PRINTED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(?:\.grad)?) = (.+)$")

__all__ = ["check_idiomatic", "expected_printed", "idiomatic_code", "printed_numbers"]


def idiomatic_code(trace: Trace, model: str) -> str:
    """The runnable idiomatic script: imports, ``trace``'s values and learning rate, then
    the teacher's ``model`` code."""
    program = trace.program
    # float64, as the app computes: nn.Linear's float32 printed 0.5899999737739563 for 0.59
    rows = [*IMPORTS, DOUBLE_PRECISION, "", "# the values on screen"]
    rows += [leaf_line(program, name, value, False) for name, value in trace.values.items()]
    rows += [f"{RATE_NAME} = {trace.learning_rate!r}", "", model.strip("\n")]
    return "\n".join(rows)


def expected_printed(trace: Trace) -> dict[str, list]:
    """What each label the code may print must show, one entry per iteration: the loss,
    each parameter's ``.grad`` after ``backward()`` and the parameter after the update."""
    expected: dict[str, list] = {}
    for iteration in trace.iterations:
        expected.setdefault(trace.output_name, []).append(iteration.loss)
        for update in iteration.updates:
            expected.setdefault(f"{update.name}.grad", []).append(update.grad)
            expected.setdefault(update.name, []).append(update.after)
    return expected


def printed_numbers(stdout: str) -> dict[str, list]:
    """``label = number or list`` lines of a run's output, by label, in order."""
    found: dict[str, list] = {}
    for line in stdout.splitlines():
        match = _PRINTED.match(line.strip())
        if match is None:
            continue
        try:
            value = ast.literal_eval(match.group(2))
        except (ValueError, SyntaxError):
            continue
        found.setdefault(match.group(1), []).append(_as_tuples(value))
    return found


def compare_printed(trace: Trace, stdout: str) -> list[str]:
    """Each disagreement between a run's printed numbers and ``trace`` (empty: agreed).
    The loss and every updated parameter's ``.grad`` must be printed."""
    expected, found = expected_printed(trace), printed_numbers(stdout)
    required = [trace.output_name] + [f"{u.name}.grad" for u in trace.first.updates]
    problems = [f"it prints no '{label} = …' line" for label in required
                if label not in found]
    for label, values in found.items():
        if label not in expected:
            continue
        for index, (got, want) in enumerate(zip(values, expected[label], strict=False)):
            if not close(got, want):
                where = f" (iteration {index + 1})" if len(expected[label]) > 1 else ""
                problems.append(f"it prints {label} = {format_value(got)}, the trace has "
                                f"{format_value(want)}{where}")
    return problems


def check_idiomatic(trace: Trace, model: str) -> list[str]:
    """Run the idiomatic code for ``trace`` in a separate Python process; every problem
    (it fails, or a printed number disagrees with the trace)."""
    script = idiomatic_code(trace, model)
    with tempfile.TemporaryDirectory(prefix="bplab-idiomatic-") as folder:
        try:
            result = subprocess.run([sys.executable, "-I", "-c", script], cwd=folder,
                                    capture_output=True, text=True, timeout=RUN_TIMEOUT,
                                    stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return [f"it ran longer than {RUN_TIMEOUT} s"]
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return [f"it failed: {last}"]
    return compare_printed(trace, result.stdout)


def close(got, want) -> bool:
    """Element by element, through nested sequences (a matrix is rows of numbers)."""
    got_seq, want_seq = isinstance(got, (list, tuple)), isinstance(want, (list, tuple))
    if got_seq or want_seq:
        return got_seq and want_seq and len(got) == len(want) \
            and all(close(g, w) for g, w in zip(got, want, strict=True))
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return False
    return (math.isclose(got, want, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-6)
            or (math.isnan(got) and math.isnan(want)))


def _as_tuples(value):
    """Printed lists as the nested tuples the trace uses for tensors."""
    return tuple(_as_tuples(v) for v in value) if isinstance(value, list) else value
