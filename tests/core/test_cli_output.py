"""Issue 12: the command line says when its output is lost, refuses ambiguous or
out-of-range options, and knows its version."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gui_backprop.cli import main

PROGRAM = "x = 1.0\nw = 2.0\nloss = (w * x) ** 2"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="/dev/full and closing fd 1")


def _run(*argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gui_backprop", *argv], stderr=subprocess.PIPE,
                          text=True, timeout=120, **kwargs)


@POSIX_ONLY
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_is_one_line_and_a_failure():
    with open("/dev/full", "w") as full:
        done = _run("trace", "--lesson", "linear-regression", "--json", stdout=full)
    assert done.returncode == 1
    assert done.stderr == "gui-backprop: error: cannot write the output: " \
                          "No space left on device\n"


@POSIX_ONLY
def test_a_closed_stdout_is_said_and_a_failure():
    done = _run("lessons", stdout=None, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "standard output is closed" in done.stderr


@pytest.mark.parametrize("argv, words", [
    (["--iterations", "0"], "--iterations must be from 1 to 20"),
    (["--iterations", "-5"], "--iterations must be from 1 to 20"),
    (["--set", "x=1", "--set", "x=2"], "--set x is given more than once"),
    (["--set", "ｗ=1", "--set", "w=2"], "--set w is given more than once"),
    (["--set", "x=1e308"], "at most 1e15"),
])
def test_options_that_cannot_mean_one_thing_are_refused(capsys, argv, words):
    assert main(["trace", PROGRAM, *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and words in err


def test_a_full_width_name_sets_the_value():
    assert main(["trace", "ｗ = 1.0\nx = 2.0\nloss = ｗ * x", "--set", "ｗ=3", "--json"]) == 0


def test_version(capsys):
    assert main(["--version"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("gui-backprop ") and out.count("\n") == 1 and err == ""
