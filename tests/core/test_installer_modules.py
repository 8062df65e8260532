"""What the installers leave out is never imported: the frozen app has no sympy, no
torch._dynamo (packaging/bundle_filter.py). torch.broadcast_shapes, for one, imports
sympy: called by a trace, it broke every lesson in the installed app."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import torch

from gui_backprop.core.shapes import broadcast_shape

ROOT = Path(__file__).resolve().parents[2]

# Only the app's own modules are imported here: the test tables' torch twins are not run.
PROBE = """
import json, sys
before = set(sys.modules)  # what the interpreter itself loaded (a venv's site hooks)
from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.program import parse_program
from gui_backprop.core.tracer import trace_program
for lesson in load_lessons():
    lesson.walkthrough()
for source in json.loads(sys.argv[1]):
    try:
        trace_program(parse_program(source))
    except Exception:
        pass  # a program the tracer refuses has still run its checks
excluded = set(json.loads(sys.argv[2]))
print(json.dumps(sorted(name for name in set(sys.modules) - before
                        if name in excluded or name.split(".")[0] in excluded)))
"""


def _excluded() -> list[str]:
    spec = importlib.util.spec_from_file_location("bundle_filter",
                                                  ROOT / "packaging" / "bundle_filter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.EXCLUDED_MODULES)


def test_tracing_every_lesson_and_tensor_program_imports_nothing_the_installers_leave_out():
    excluded = _excluded()
    assert "sympy" in excluded
    import tests.core.autograd_tensor_cases  # noqa: F401 (registers the tensor programs)
    from tests.core.autograd_cases import CASES
    sources = [case.source for case in CASES]
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(sources),
                           json.dumps(excluded)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_broadcasting_is_torchs_own_rule():
    shapes = [(), (1,), (3,), (2, 3), (1, 3), (2, 1), (3, 1), (4,), (0,), (2, 0), (1, 0)]
    for left in shapes:
        for right in shapes:
            try:
                expected = tuple(torch.broadcast_shapes(left, right))
            except RuntimeError:
                expected = None
            try:
                got = broadcast_shape(left, right)
            except ValueError:
                got = None
            assert got == expected, (left, right)
