"""`gui-backprop train`: headless training, the same numbers as the core Trainer, no Qt."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys

import pytest

from gui_backprop.cli import main
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from gui_backprop.core.training_data import LearnerPoints

POINTS = "x,y\n1,3\n2,5.2\n3,6.9\n4,9.1\n5,11\n"


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_in_a_subprocess_it_prints_json_and_imports_no_qt(tmp_path):
    data = tmp_path / "points.csv"
    data.write_text(POINTS)
    script = ("import sys; from gui_backprop.cli import main; "
              f"code = main(['train', '--lesson', 'linear-regression', '--data', {str(data)!r},"
              " '--epochs', '300', '--optimizer', 'momentum', '--lr', '0.01', '--json']); "
              "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {"loss", "parameters", "accuracy", "epochs"}
    assert result["accuracy"] is None and result["epochs"] == 300 and result["points"] == 5
    problem = TrainingProblem.from_lesson(find_lesson("linear-regression", load_lessons()))
    points = LearnerPoints((1.0, 2.0, 3.0, 4.0, 5.0), (3.0, 5.2, 6.9, 9.1, 11.0))
    final = list(Trainer(problem, TrainingSettings(300, 0.01, "momentum", points)).run())[-1]
    assert result["parameters"] == dict(final.parameters)  # bit for bit, through JSON
    assert result["loss"] == final.loss


def test_the_text_output_names_loss_parameters_and_accuracy(capsys):
    code, out, err = _run(capsys, "x = [1.0, 2.0]\ny = [2.0, 4.0]\nw = 0.0\n"
                                  "y_hat = w * x\nloss = mean((y_hat - y) ** 2)",
                          "--grad", "w", "--epochs", "200", "--lr", "0.1")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "epochs    200 (finished)"
    assert lines[1].startswith("loss ") and lines[2].startswith("w         2.0")
    assert lines[3] == "accuracy  none (a regression)"


def test_mini_batches_with_a_seed_repeat_exactly(capsys):
    argv = ["--lesson", "linear-regression", "--batch-size", "2", "--optimizer", "adam",
            "--epochs", "100", "--json"]
    runs = [json.loads(_run(capsys, *argv, "--seed", seed)[1]) for seed in ("3", "3", "4")]
    assert runs[0] == runs[1] and runs[0]["parameters"] != runs[2]["parameters"]
    assert runs[0]["batch_size"] == 2 and runs[0]["optimizer"] == "adam"


@pytest.mark.parametrize("argv, words", [
    (["--lesson", "linear-regression", "--optimizer", "rmsprop"], "invalid choice"),
    (["--lesson", "linear-regression", "--epochs", "0"], "number of epochs"),
    (["--lesson", "linear-regression", "--epochs", "many"], "invalid int value"),
    (["--lesson", "linear-regression", "--lr", "fast"], "--lr"),
    (["--lesson", "linear-regression", "--batch-size", "0"], "batch size"),
    (["--lesson", "no-such-lesson"], "no-such-lesson"),
    ([], "give a program to train"),
    (["--lesson", "chain-rule", "--data", "points.csv"], "no data to replace"),
    (["--lesson", "linear-regression", "--data", "bad.csv"],
     "bad.csv, line 3, column 1: 'two' is not a number"),
    (["--lesson", "linear-regression", "--data", "wide.csv"], "one input column (x)"),
    (["--lesson", "linear-regression", "--data", "missing.csv"], "cannot open"),
])
def test_bad_arguments_and_files_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv,
                                                      words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "points.csv").write_text(POINTS)
    (tmp_path / "bad.csv").write_text("x,y\n1,2\ntwo,3\n")
    (tmp_path / "wide.csv").write_text("1,2,3\n4,5,6\n")
    with pytest.raises(SystemExit) if "invalid" in words else contextlib.nullcontext() as caught:
        code, out, err = _run(capsys, *argv)
    if caught is not None:
        code = caught.value.code
        out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err


def test_a_diverged_run_prints_why_and_exits_1(capsys):
    code, out, err = _run(capsys, "--lesson", "linear-regression", "--lr", "10", "--json")
    result = json.loads(out)
    assert code == 1 and result["status"] == "diverged"
    assert "learning rate 10.0 is too large" in result["message"]
