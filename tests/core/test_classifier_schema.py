"""A lesson's [classifier] table: every problem named with its line, by check-lesson too."""

from __future__ import annotations

import pytest

from gui_backprop.cli import main
from gui_backprop.core.lesson_check import check_lesson_file
from gui_backprop.core.lessons import load_lesson
from gui_backprop.core.resources import resources_dir

NETWORK = (resources_dir() / "lessons" / "10-two-layer-network.toml").read_text("utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "at", "words"), [
    ('output = "probability"', 'output = "odds"', 'output = "odds"',
     "output must be \"probability\""),
    ('classes = 2', 'classes = 3', 'classes = 3', "is for 2 classes"),
    ('scores = "p"', 'scores = "q"', 'scores = "q"', "scores 'q' is not computed"),
    ('activation = "tanh"', 'activation = "relu"', 'activation = "relu"',
     "does not call relu()"),
    ('activation = "tanh"', 'activation = "gelu"', 'activation = "gelu"',
     "the activation must be one of relu, tanh, sigmoid"),
    ('hidden_units = 8', 'hidden_units = 100', 'hidden_units = 100', "from 1 to 64"),
    ('optimizer = "manual"', 'optimizer = "lbfgs"', 'optimizer = "lbfgs"',
     "the optimizer must be one of"),
    ('epochs = 2000\n', 'epochs = 2000\ncolour = "red"\n', 'colour', "unknown field 'colour'"),
    ('p = sigmoid(out)\n', 'p = sigmoid(out) +\n', 'p = sigmoid(out) +',
     "classifier: program: syntax error"),
    ('p = sigmoid(out)\n', 'p = sigmoid(out3)\n', 'p = sigmoid(out3)', "'out3' is used before"),
    ('p = sigmoid(out)\n', 'p = sigmoid(out)\nb1 = 2.0\n', 'b1 = 2.0',
     "b1 is given by the data or the network"),
    ('b2 = { shape = [], fan_in = "hidden" }', '', '[classifier.parameters]',
     "the parameters must be the lesson's own"),
    ('W2 = { shape = ["hidden"], fan_in = "hidden" }',
     'W2 = { shape = ["wide"], fan_in = "hidden" }', 'W2 = { shape = ["wide"]',
     "the shape must be a list of at most 2 dimensions"),
    ('input = "X"', 'input = "W1"', 'labels = "y"', "need different names"),
    ('labels = "y"\n', '', '[classifier]', "the field 'labels' is missing"),
])
def test_a_broken_classifier_table_is_named_with_its_line(tmp_path, old, new, at, words):
    assert old in NETWORK
    text = NETWORK.replace(old, new)
    path = tmp_path / "10-net.toml"
    path.write_text(text, "utf-8")
    problems = check_lesson_file(path)
    assert problems, "the checker found nothing"
    assert words in problems[0].message, problems
    assert problems[0].line == _line_of(text, at), problems


def test_a_program_that_fails_with_another_activation_is_a_problem(tmp_path):
    # it parses, but out + W1 adds N values to a 2×8 matrix: a shape error when traced
    text = NETWORK.replace("p = sigmoid(out)", "p = sigmoid(out + W1)")
    path = tmp_path / "10-net.toml"
    path.write_text(text, "utf-8")
    problems = check_lesson_file(path)
    assert problems and "classifier: the program does not run" in problems[0].message
    assert problems[0].line == _line_of(text, "[classifier]") + 1  # program = """


def test_check_lesson_passes_the_built_in_classifiers(capsys):
    folder = resources_dir() / "lessons"
    files = [str(folder / f"{name}.toml") for name in
             ("8-single-neuron", "9-softmax-classifier", "10-two-layer-network")]
    assert main(["check-lesson", *files]) == 0
    assert capsys.readouterr().out == "3 lesson files checked: fine\n"
    assert load_lesson(files[2], traced=False).classifier.hidden_units == 8
