"""Issue 13: the commands that only print (``lessons``, ``--help``, ``--version``) never
import torch, matplotlib, pyqtgraph or Qt: they answer at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gui_backprop

HEAVY = ("torch", "matplotlib", "pyqtgraph", "PySide6")
ROOT = str(Path(gui_backprop.__file__).resolve().parent.parent)
# Runs the command in a fresh interpreter, then prints which heavy modules it imported.
PROBE = """
import sys
from gui_backprop.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
print("IMPORTED", *sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
sys.exit(status)
"""


def _imported(*argv: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("BACKPROP_LAB_LESSONS", None)
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
                          capture_output=True, text=True, timeout=120, env=env)
    line = next(line for line in done.stderr.splitlines() if line.startswith("IMPORTED"))
    return done, line.split()[1:]


@pytest.mark.parametrize("argv", [("lessons",), ("--help",), ("--version",),
                                  ("lessons", "--help"), ("check-lesson", "--help")])
def test_a_printing_command_imports_nothing_heavy(argv):
    done, imported = _imported(*argv)
    assert done.returncode == 0, done.stderr
    assert imported == []
    assert done.stdout.strip()


def test_lessons_still_lists_every_lesson_without_torch():
    done, imported = _imported("lessons")
    assert imported == []
    assert "1. chain-rule" in done.stdout and "playground" in done.stdout


def test_a_trace_does_import_torch():  # the probe can see an import: it can fail
    done, imported = _imported("trace", "x = 1.0; y = x * 2.0")
    assert done.returncode == 0, done.stderr
    assert "torch" in imported
