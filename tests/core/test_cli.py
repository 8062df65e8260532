"""The command line: `gui-backprop trace` and `gui-backprop lessons`."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from gui_backprop.cli import main
from gui_backprop.core.lessons import load_lessons

TUTORIAL = "x = 1.0\ny = 2.0\nw = 1.0\ny_pred = w * x\nloss = (y_pred - y) ** 2"
VECTOR = "x = [1.0, 2.0, 3.0]\nw = 0.5\ny = sum(w * x)"


def _json(capsys, *argv) -> dict:
    assert main(["trace", *argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""

    def refuse(constant):  # NaN and Infinity are not JSON
        raise ValueError(constant)

    return json.loads(out, parse_constant=refuse)


def test_trace_json_reports_every_variable_node_edge_and_step(capsys):
    data = _json(capsys, TUTORIAL, "--grad", "w")
    assert data["variables"] == {
        "x": {"value": 1.0, "grad": None},
        "y": {"value": 2.0, "grad": None},
        "w": {"value": 1.0, "grad": -2.0},
        "y_pred": {"value": 1.0, "grad": -2.0},
        "loss": {"value": 1.0, "grad": 1.0},
    }
    assert data["parameters"] == ["w"] and data["loss"] == 1.0 and data["output"] == "loss"
    assert [u["name"] for u in data["updates"]] == ["w"]
    assert data["updates"][0]["after"] == pytest.approx(1.02)
    assert data["updates"][0]["grad_after_zero"] == 0.0
    labels = [node["label"] for node in data["nodes"]]
    assert labels == ["x", "y", "w", "y_pred", "y_pred - y", "2", "loss"]
    tracked = {(labels[e["source"]], labels[e["target"]]): e for e in data["edges"]
               if e["tracked"]}
    assert set(tracked) == {("w", "y_pred"), ("y_pred", "y_pred - y"), ("y_pred - y", "loss")}
    assert tracked[("w", "y_pred")]["local_grad"] == 1.0
    assert tracked[("w", "y_pred")]["derivative"] == "x"
    assert tracked[("y_pred - y", "loss")]["local_grad"] == -2.0
    assert [s["stage"] for s in data["steps"]] == (["forward"] * 3 + ["local"] * 3
                                                   + ["backward"] * 4 + ["update", "zero_grad"])
    assert data["steps"][-2]["formula"].endswith("= 1.02")


def test_vectors_are_lists_and_set_overrides_a_value(capsys):
    data = _json(capsys, VECTOR, "--set", "x=[1, 2, 3, 4]", "--set", "w = -1")
    assert data["variables"]["x"] == {"value": [1.0, 2.0, 3.0, 4.0], "grad": [-1.0] * 4}
    assert data["variables"]["w"] == {"value": -1.0, "grad": 10.0}
    assert data["variables"]["y"]["value"] == -10.0
    (edge,) = [e for e in data["edges"] if data["nodes"][e["source"]]["label"] == "w"]
    assert edge["local_grad"] == [1.0, 2.0, 3.0, 4.0]


def test_grad_chooses_the_parameters_and_lr_the_step(capsys):
    data = _json(capsys, VECTOR, "--grad", "w", "--lr", "0.5")
    assert data["parameters"] == ["w"] and data["learning_rate"] == 0.5
    assert data["variables"]["x"]["grad"] is None
    assert data["updates"] == [{"name": "w", "before": 0.5, "grad": 6.0, "after": -2.5,
                                "grad_after_zero": 0.0, "pass_grad": None,
                                "after_if_zeroed": None}]


def test_iterations_and_output(capsys):
    data = _json(capsys, TUTORIAL, "--grad", "w", "--iterations", "2", "--output", "y_pred")
    assert data["output"] == "y_pred" and len(data["iterations"]) == 2
    assert data["iterations"][1]["variables"]["w"]["value"] == pytest.approx(0.99)


def test_undefined_values_become_null_in_json(capsys):
    data = _json(capsys, "x = -1.0\ny = log(x)")
    assert data["variables"]["y"] == {"value": None, "grad": 1.0}


def test_trace_a_lesson(capsys):
    data = _json(capsys, "--lesson", "one-training-step")
    assert data["parameters"] == ["w"] and len(data["iterations"]) == 2
    assert data["variables"]["w"] == {"value": 1.0, "grad": -2.0}
    assert data["iterations"][1]["variables"]["w"]["value"] == pytest.approx(1.02)
    by_number = _json(capsys, "--lesson", "3")
    assert by_number["program"] == data["program"]


def test_trace_a_lesson_with_other_values(capsys):
    data = _json(capsys, "--lesson", "linear-regression", "--set", "w=2.0", "--lr", "0.1")
    assert data["variables"]["w"]["value"] == 2.0 and data["learning_rate"] == 0.1


def test_trace_a_program_file(capsys, tmp_path):
    path = tmp_path / "program.txt"
    path.write_text(TUTORIAL, encoding="utf-8")
    assert _json(capsys, str(path))["loss"] == 1.0


def test_trace_prints_a_table_by_default(capsys):
    assert main(["trace", TUTORIAL, "--grad", "w"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^w\s+1\.0\s+-2\.0$", out, flags=re.MULTILINE), out
    assert re.search(r"^name\s+value\s+grad$", out, flags=re.MULTILINE), out  # not "namevalue"
    assert "update: w 1.0 -> 1.02 (lr 0.01, grad -2.0), then grad zeroed to 0.0" in out


def test_lessons_lists_every_lesson(capsys):
    assert main(["lessons"]) == 0
    lines = capsys.readouterr().out.splitlines()
    lessons = load_lessons()
    assert len(lines) == len(lessons)
    for index, (line, lesson) in enumerate(zip(lines, lessons, strict=True), start=1):
        assert line.startswith(f"{index}. {lesson.id}") and lesson.title in line


BAD = [
    (["x = 1.0\ny = x * unknown"], "line 2, column 9", "unknown"),
    (["x = 1.0\ny = (x"], "line 2, column 5", "never closed"),
    (["x = 1.0\ny = __import__('os')"], "line 2, column 5", "unknown function"),
    ([VECTOR, "--set", "x=abc"], "--set x", "not a number"),
    ([VECTOR, "--set", "x=[1, 'a']"], "--set x", "only contain numbers"),
    ([VECTOR, "--set", "x=[1, 2] * 2"], "--set x", "not a number"),
    ([VECTOR, "--set", "q=1"], "'q'", "not a value of the program"),
    ([VECTOR, "--set", "x"], "--set", "NAME=VALUE"),
    ([VECTOR, "--lr", "abc"], "--lr", "not a number"),
    ([VECTOR, "--lr", "-1"], "learning rate", "above 0"),
    ([VECTOR, "--grad", "y"], "'y'", "cannot be a parameter"),
    ([VECTOR, "--output", "q"], "'q'", "not assigned"),
    (["x = [1.0, 2.0]\ny = x * 2"], "line 2", "single number"),
    (["x = [1.0, 2.0]\nw = [1.0]\nv = [3.0, 4.0, 5.0]\ny = sum(x * v)"], "line 4, column 9",
     "x has 2 elements but v has 3"),
    (["--lesson", "no-such-lesson"], "no lesson named", "chain-rule"),
    (["--lesson", "3", VECTOR], "either a program or --lesson", ""),
    ([], "give a program", ""),
]


@pytest.mark.parametrize("argv, where, words", BAD)
def test_bad_input_exits_2_with_one_line_and_no_output(capsys, argv, where, words):
    assert main(["trace", *argv, "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("gui-backprop: error: ")
    assert where in err and words in err
    assert "Traceback" not in err


def test_a_binary_file_is_refused_as_not_text(capsys, tmp_path):
    path = tmp_path / "program.bin"
    path.write_bytes(b"\xff\xfe\x00\x81" * 10)
    assert main(["trace", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "not a text file" in err and err.count("\n") == 1


def test_the_module_runs_as_a_command():
    done = subprocess.run([sys.executable, "-m", "gui_backprop", "trace", TUTORIAL,
                           "--grad", "w", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["variables"]["w"] == {"value": 1.0, "grad": -2.0}
    bad = subprocess.run([sys.executable, "-m", "gui_backprop", "trace", "x = 1.0\ny = x $ 2"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "line 2, column 7" in bad.stderr


@pytest.mark.parametrize("argv, prog", [
    (["--bogus"], "gui-backprop"),
    (["trace", "--bogus"], "gui-backprop trace"),
    (["trace", "--iterations", "many"], "gui-backprop trace"),
    (["check-lesson"], "gui-backprop check-lesson"),
    (["lessons", "--bogus"], "gui-backprop lessons"),
    (["train", "--bogus"], "gui-backprop train"),
])
def test_a_bad_argument_is_one_line_and_exit_2(capsys, argv, prog):
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    assert done.value.code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"{prog}: error: ")
    assert "usage:" not in err and err.rstrip().endswith(f"(see {prog} --help)")


@pytest.mark.parametrize("arguments", [
    ["trace", "x = 1.0\ny = x * x", "--iterations", "0"],
    ["trace", "x = 1.0\ny = x * x", "--iterations", "21"],
    ["trace", "--lesson", "chain-rule", "--iterations", "3"],
])
def test_iterations_out_of_range_or_given_to_a_lesson_are_refused(arguments, capsys):
    assert main(arguments) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--iterations" in err


def test_the_trace_tables_value_column_is_as_wide_as_a_matrix(capsys):
    assert main(["trace", "--lesson", "layer-as-matrix"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("W "))
    assert "-0.6]]  [[-1.8" in row  # two spaces between the value and the gradient


def test_trace_says_why_a_value_is_not_finite(capsys):
    assert main(["trace", "x = 1.0\ny = log(x - 1)"]) == 0
    out = capsys.readouterr().out
    assert "note: y: log(0.0) = -inf" in out and "note: ∂y/∂x:" in out
