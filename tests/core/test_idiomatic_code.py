"""The idiomatic second tab's code (``[code] idiomatic``): each tensor lesson's model
written with nn.Linear, F and torch.optim runs in its own process and prints the
trace's loss and every parameter's .grad."""

import subprocess
import sys

import pytest

from gui_backprop.core.idiomatic_code import check_idiomatic, idiomatic_code, printed_numbers
from gui_backprop.core.lesson_check import check_lesson_file
from gui_backprop.core.lesson_schema import LessonFileError
from gui_backprop.core.lessons import find_lesson, load_lesson, load_lessons
from gui_backprop.core.resources import resources_dir

TENSOR_LESSONS = ["layer-as-matrix", "single-neuron", "softmax-classifier",
                  "two-layer-network"]


def _run(script: str) -> str:
    return subprocess.run([sys.executable, "-I", "-c", script], capture_output=True,
                          text=True, timeout=120, check=True).stdout


def _close(got, want, tolerance=1e-4):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            _close(g, w, tolerance)
    else:
        assert got == pytest.approx(want, rel=tolerance, abs=1e-6)


def test_the_tensor_lessons_and_only_they_have_idiomatic_code():
    having = sorted(lesson.id for lesson in load_lessons(traced=False) if lesson.idiomatic)
    assert having == sorted(TENSOR_LESSONS)


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", TENSOR_LESSONS)
def test_the_idiomatic_code_prints_the_traces_loss_and_every_gradient(lesson_id):
    lesson = find_lesson(lesson_id)
    trace = lesson.trace()
    code = idiomatic_code(trace, lesson.idiomatic)
    assert "nn.Linear(" in code and "torch.optim.SGD(" in code and "F." in code
    printed = printed_numbers(_run(code))
    # compared here with the trace's nodes, not through check_idiomatic's own table
    first = trace.first
    _close(printed[trace.output_name][0], first.loss)
    for name in trace.parameters:
        node = first.node_named(name)
        _close(printed[f"{name}.grad"][0], node.grad)
        update = next(u for u in first.updates if u.name == name)
        _close(printed[name][0], update.after)


@pytest.mark.slow
def test_the_code_runs_on_the_values_on_screen():
    lesson = find_lesson("layer-as-matrix")
    edited = {"W": ((1.0, -2.0, 0.5), (0.0, 0.25, 3.0)), "x": (2.0, -1.0, 0.5)}
    trace = lesson.trace(values=edited)
    code = idiomatic_code(trace, lesson.idiomatic)
    assert "W = torch.tensor([[1.0, -2.0, 0.5], [0.0, 0.25, 3.0]])" in code
    assert check_idiomatic(trace, lesson.idiomatic) == []
    assert trace.first.loss != lesson.trace().first.loss  # the check saw other numbers


@pytest.mark.slow
def test_a_model_that_computes_something_else_is_named_number_by_number():
    lesson = find_lesson("two-layer-network")
    trace = lesson.trace()
    untransposed = lesson.idiomatic.replace("copy_(W1.T)", "copy_(W1)")
    problems = check_idiomatic(trace, untransposed)
    assert problems[0].startswith("it prints loss = 0.177379, the trace has 1.0429")
    silent = lesson.idiomatic.replace('print("b2.grad', '# print("b2.grad')
    assert check_idiomatic(trace, silent) == ["it prints no 'b2.grad = …' line"]
    failing = lesson.idiomatic.replace("nn.Linear(2, 1)", "nn.Linear(3, 1)")
    [problem] = check_idiomatic(trace, failing)
    assert problem.startswith("it failed: RuntimeError")


def _lesson_with(tmp_path, idiomatic_block: str):
    text = (resources_dir() / "lessons" / "7-layer-as-matrix.toml").read_text("utf-8")
    start = text.index("[code]\n")
    end = text.index("[code.comments]")
    path = tmp_path / "layer.toml"
    path.write_text(text[:start] + idiomatic_block + text[end:], encoding="utf-8")
    return path, text[:start].count("\n") + 1


def test_an_empty_or_wrong_typed_idiomatic_field_is_named_with_its_line(tmp_path):
    path, line = _lesson_with(tmp_path, '[code]\nidiomatic = "  "\n\n')
    with pytest.raises(LessonFileError) as caught:
        load_lesson(path)
    assert str(caught.value) == (f"{path}:{line + 1}: code.idiomatic must be a non-empty "
                                 "string: the model written with nn, F and torch.optim")
    path, line = _lesson_with(tmp_path, "[code]\nidiomatic = 3\n\n")
    with pytest.raises(LessonFileError, match="code.idiomatic must be"):
        load_lesson(path)


@pytest.mark.slow
def test_check_lesson_run_runs_the_idiomatic_code_and_names_its_line(tmp_path):
    lesson = find_lesson("layer-as-matrix")
    wrong = lesson.idiomatic.replace('reduction="sum"', 'reduction="mean"')
    path, line = _lesson_with(tmp_path, f'[code]\nidiomatic = """\n{wrong}\n"""\n\n')
    problems = [str(p) for p in check_lesson_file(path, run=True)]
    assert problems[0] == (f"{path}:{line + 1}: --run: the idiomatic code: it prints "
                           "loss = 1.685, the trace has 3.37")
