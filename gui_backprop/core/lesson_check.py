"""``gui-backprop check-lesson``: everything that can be wrong with a lesson file.

The schema (:mod:`~gui_backprop.core.lesson_schema`) and a trace of the program are
checked always; with ``run=True`` the lesson's code listing (and its idiomatic version,
``[code] idiomatic``) also runs, in a separate Python process, and must end at the
trace's numbers: the code a learner reads computes
what the walkthrough shows. Only the checker runs a listing, and only when asked:
loading a lesson never runs anything but the safe program parser and the tracer.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.formatting import format_value
from gui_backprop.core.lesson_schema import LessonError, LessonProblem, key_line
from gui_backprop.core.lessons import Lesson, load_lesson, load_lessons
from gui_backprop.core.resources import resources_dir

RUN_TIMEOUT = 120  # seconds for one listing (importing torch takes a few)
RELATIVE_TOLERANCE = 1e-4  # a teacher's own listing may run in float32, the trace in float64
MARKER = "__BACKPROP_LAB_VALUES__"

# Appended to the listing: the final values of the program's variables as JSON.
_EPILOGUE = """
import json as _bplab_json
import torch as _bplab_torch
_bplab_found = {{}}
for _bplab_name in {names!r}:
    _bplab_value = globals().get(_bplab_name)
    if isinstance(_bplab_value, _bplab_torch.Tensor):
        _bplab_found[_bplab_name] = _bplab_value.detach().to(_bplab_torch.float64).tolist()
print()
print({marker!r} + _bplab_json.dumps(_bplab_found))
"""


def check_lesson_file(path: Path, run: bool = False) -> list[LessonProblem]:
    """Every problem of the lesson file at ``path`` (empty when it is fine)."""
    path = Path(path)
    try:
        lesson = load_lesson(path)
    except LessonError as exc:
        return list(exc.problems) or [LessonProblem(path, 1, str(exc))]
    problems = _id_taken(lesson, path) + _formulas_disagree(lesson, path)
    if not run:
        return problems
    return problems + _run_listing(lesson, path) + _run_idiomatic(lesson, path)


def _run_idiomatic(lesson: Lesson, path: Path) -> list[LessonProblem]:
    """The ``[code] idiomatic`` model, run on the lesson's values: it must print the
    trace's loss and gradients (see :mod:`~gui_backprop.core.idiomatic_code`)."""
    if not lesson.idiomatic:
        return []
    from gui_backprop.core.idiomatic_code import check_idiomatic  # runs python: on --run

    line = key_line(path.read_text(encoding="utf-8-sig"), "idiomatic", "code")
    return [LessonProblem(path, line, f"--run: the idiomatic code: {message}")
            for message in check_idiomatic(lesson.trace(), lesson.idiomatic)]


def _id_taken(lesson: Lesson, path: Path) -> list[LessonProblem]:
    """The app skips a folder's lesson whose id a built-in lesson has: say so here."""
    if path.resolve().parent == (resources_dir() / "lessons").resolve():
        return []
    # untraced: only their ids and titles count (and check-lesson may read many files)
    built_in = next((other for other in load_lessons(traced=False) if other.id == lesson.id),
                    None)
    if built_in is None:
        return []
    return [LessonProblem(path, 1, f"the id '{lesson.id}' (from the file name) is the "
                                   f"built-in lesson “{built_in.title}”'s: the app would "
                                   "skip this file; rename it")]


def _formulas_disagree(lesson: Lesson, path: Path) -> list[LessonProblem]:
    """Each closed-form ``[formulas]`` entry against autograd's gradient, in every
    iteration the walkthrough shows."""
    if not lesson.formulas:
        return []
    # here, not at the top: `check-lesson --help` must not import torch (a slow start)
    from gui_backprop.core.forward import evaluate_expression
    text = path.read_text(encoding="utf-8")
    iterations = lesson.trace().iterations
    problems = []
    for iteration in iterations:
        variables = {node.name: node.value for node in iteration.nodes
                     if node.name is not None}
        for name, formula in lesson.formulas.items():
            node = iteration.node_named(name)
            if node.grad is None:
                message = f"formula for '{name}': autograd computes no gradient for it " \
                          "(is it a parameter?)"
            else:
                try:
                    value = evaluate_expression(formula, variables)
                except ProgramError as exc:
                    value, message = None, f"formula for '{name}': {exc.message}"
                if value is not None:
                    if _close(value, node.grad):
                        continue
                    message = (f"formula for '{name}' gives {format_value(value)} but "
                               f"autograd's gradient is {format_value(node.grad)}"
                               + (f" (iteration {iteration.index + 1})"
                                  if len(iterations) > 1 else ""))
            problems.append(LessonProblem(path, key_line(text, name, "formulas"), message))
        if problems:
            break  # one iteration's disagreements say it; the next ones follow from them
    return problems


def expected_final_values(lesson: Lesson) -> dict[str, object]:
    """What each variable of the program holds when the lesson's code has run: the
    parameters after the last update, every other variable as last computed."""
    trace = lesson.trace()
    last = trace.iterations[-1]
    values: dict[str, object] = {node.name: node.value for node in last.nodes
                                 if node.name is not None}
    for update in last.updates:
        values[update.name] = update.after
    return values


def _run_listing(lesson: Lesson, path: Path) -> list[LessonProblem]:
    expected = expected_final_values(lesson)
    # a teacher's own listing, else the one the window shows (written from the trace)
    listing = lesson.code or lesson.walkthrough().listing.text
    script = listing + "\n" + _EPILOGUE.format(names=sorted(expected), marker=MARKER)
    with tempfile.TemporaryDirectory(prefix="bplab-check-") as folder:
        try:
            result = subprocess.run([sys.executable, "-I", "-c", script], cwd=folder,
                                    capture_output=True, text=True, timeout=RUN_TIMEOUT,
                                    stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return [LessonProblem(path, 1, f"--run: the listing ran longer than "
                                           f"{RUN_TIMEOUT} s")]
    line = _listing_line(path)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return [LessonProblem(path, line, f"--run: the listing failed: {last}")]
    found = _values_printed(result.stdout)
    if not found:
        return [LessonProblem(path, line, "--run: the listing defines none of the "
                                          "program's variables as tensors")]
    problems = []
    for name, value in sorted(found.items()):
        if not _close(value, expected[name]):
            shown = _as_tuples(value)
            problems.append(LessonProblem(path, line, f"--run: the listing ends with {name} "
                                                      f"= {format_value(shown)}, the trace "
                                                      f"with {format_value(expected[name])}"))
    return problems


def _values_printed(stdout: str) -> dict[str, object]:
    for text in reversed(stdout.splitlines()):
        if text.startswith(MARKER):
            try:
                return json.loads(text[len(MARKER):])
            except ValueError:
                return {}
    return {}


def _close(got, want) -> bool:
    """Element by element, through nested lists (a matrix is rows of numbers)."""
    got_seq, want_seq = isinstance(got, (list, tuple)), isinstance(want, (list, tuple))
    if got_seq or want_seq:
        if not (got_seq and want_seq) or len(got) != len(want):
            return False
        return all(_close(g, w) for g, w in zip(got, want, strict=True))
    return (math.isclose(got, want, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-6)
            or (math.isnan(got) and math.isnan(want)))


def _as_tuples(value):
    """JSON's nested lists as the nested tuples the trace uses for tensors."""
    return tuple(_as_tuples(v) for v in value) if isinstance(value, list) else value


def _listing_line(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("listing"):
            return number
    return 1
