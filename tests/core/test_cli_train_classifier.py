"""`gui-backprop train` on a classifier lesson: generated or CSV points, network settings,
the accuracy, the same numbers as the core Trainer, one line and exit 2 on bad input."""

from __future__ import annotations

import json

import pytest
import torch

from gui_backprop.cli import main
from gui_backprop.core.datasets import two_moons
from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.network import NetworkSettings
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings


@pytest.fixture(autouse=True)
def one_torch_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: a second thread only waits for a busy core
    yield
    torch.set_num_threads(threads)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("dataset", ["moons", "circles", "xor"])
def test_the_network_lessons_defaults_reach_95_percent(capsys, dataset):
    code, out, err = _run(capsys, "--lesson", "two-layer-network", "--dataset", dataset,
                          "--json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["accuracy"] >= 0.95 and result["epochs"] == 2000
    assert result["points"] == 200 and result["network"] == {"hidden": 8,
                                                             "activation": "tanh"}
    assert result["optimizer"] == "sgd" and result["learning_rate"] == 1.0
    assert len(result["parameters"]["W1"]) == 2 and len(result["parameters"]["W1"][0]) == 8


def test_the_same_settings_give_the_core_trainers_parameters_bit_for_bit(capsys):
    code, out, _ = _run(capsys, "--lesson", "two-layer-network", "--points", "60",
                        "--noise", "0.2", "--data-seed", "4", "--hidden", "5", "--activation",
                        "relu", "--seed", "9", "--epochs", "150", "--optimizer", "adam",
                        "--lr", "0.02", "--batch-size", "16", "--json")
    assert code == 0
    result = json.loads(out)
    lesson = find_lesson("two-layer-network")
    problem = TrainingProblem.for_classifier(lesson, NetworkSettings(5, "relu", 9),
                                             two_moons(60, 0.2, 4))
    settings = TrainingSettings(150, 0.02, "adam", batch_size=16, seed=9)
    final = list(Trainer(problem, settings).run())[-1]
    assert result["parameters"] == {name: json.loads(json.dumps(value))
                                    for name, value in final.parameters.items()}
    assert result["accuracy"] == final.accuracy and result["loss"] == final.loss


def test_a_csv_of_the_learners_points_trains_the_softmax_classifier(capsys, tmp_path):
    data = tmp_path / "three.csv"
    data.write_text("x1,x2,class\n0,0,0\n0.1,0.2,0\n2,2,1\n2.1,1.8,1\n-2,2,2\n-2.2,1.9,2\n")
    code, out, err = _run(capsys, "--lesson", "softmax-classifier", "--data", str(data))
    assert code == 0 and err == ""
    assert "accuracy  100.00%" in out.splitlines()


@pytest.mark.parametrize(("argv", "message"), [
    (["--hidden", "0"], "the number of hidden units must be a whole number from 1 to 64"),
    (["--activation", "gelu"], "argument --activation: invalid choice: 'gelu'"),
    (["--dataset", "rings"], "argument --dataset: invalid choice: 'rings'"),
    (["--points", "3"], "the number of points must be a whole number from 4 to 100,000"),
    (["--noise", "-1"], "the noise must be a number from 0 to 10"),
    (["--data-seed", "-1"], "--data-seed must be a whole number from 0"),
    (["--seed", "-1"], "the seed must be a whole number from 0"),
    (["--data", "FILE", "--dataset", "xor"], "give either --data or --dataset"),
    (["--data", "BAD_LABEL"], "BAD_LABEL.csv, line 3, column 3: the class label 2 is more "
                              "classes than the lesson has (2: labels 0 to 1)"),
    (["--data", "ONE_COLUMN"], "this lesson classifies points with 2 input columns (X); "
                               "the data have 1"),
])
def test_bad_arguments_and_files_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv,
                                                      message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "FILE.csv").write_text("1,2,0\n3,4,1\n")
    (tmp_path / "BAD_LABEL.csv").write_text("a,b,label\n1,2,0\n3,4,2\n")
    (tmp_path / "ONE_COLUMN.csv").write_text("1,0\n3,1\n")
    argv = [f"{a}.csv" if a in ("FILE", "BAD_LABEL", "ONE_COLUMN") else a for a in argv]
    try:
        code, out, err = _run(capsys, "--lesson", "two-layer-network", "--epochs", "2", *argv)
    except SystemExit as exit_:  # argparse's own refusals, in one line too
        code, (out, err) = exit_.code, capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


@pytest.mark.parametrize("argv", [["--lesson", "linear-regression", "--dataset", "moons"],
                                  ["--lesson", "single-neuron", "--hidden", "4"],
                                  ["x = 1.0\ny = x ** 2", "--hidden", "3"]])
def test_network_options_on_a_lesson_without_them_exit_2(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
