"""Exported scripts run on their own and print exactly the numbers of the trace."""

import math

import pytest

from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.script_export import export_script
from gui_backprop.core.tracer import trace_program
from tests.shared_helpers import run_exported_script

LESSONS = load_lessons()


def _run(source: str, tmp_path) -> dict[tuple[int, str], object]:
    path = tmp_path / "exported.py"
    path.write_text(source, encoding="utf-8")
    return run_exported_script(path)


def _close(a, b):
    if isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_exported_lesson_reproduces_the_trace(lesson, tmp_path):
    trace = lesson.trace()
    printed = _run(export_script(trace, lesson.title), tmp_path)
    for it in trace.iterations:
        assert _close(printed[(it.index, trace.output_name)], it.loss)
        for update in it.updates:
            grad = it.node_named(update.name).grad_attr
            assert _close(printed[(it.index, f"{update.name}.grad")], grad)
            assert _close(printed[(it.index, update.name)], update.after)
    assert len(printed) == len(trace.iterations) * (1 + 2 * len(trace.first.updates))


def test_export_uses_torch_functions_and_the_tutorial_steps(tmp_path):
    trace = trace_program("x = [1.0, 2.0]; w = 0.5; step = 1.0; "
                          "loss = mean(sigmoid(w * x) * step)", parameters=["w"])
    source = export_script(trace)
    assert "torch.mean(torch.sigmoid(w * x) * step)" in source
    assert "loss.backward()" in source and "with torch.no_grad():" in source
    assert "w.grad.zero_()" in source
    assert "for step_ in range(1):" in source
    printed = _run(source, tmp_path)
    assert _close(printed[(0, "w.grad")], trace.first.node_named("w").grad)


def test_trace_command_writes_the_script(tmp_path, capsys):
    from gui_backprop.cli import main

    target = tmp_path / "lesson.py"
    assert main(["trace", "--lesson", "one-training-step", "--export-script", str(target)]) == 0
    printed = _run(target.read_text(encoding="utf-8"), tmp_path)
    assert printed[(0, "loss")] == 1.0 and printed[(0, "w.grad")] == -2.0
    assert printed[(0, "w")] == 1.02
    assert main(["trace", "--lesson", "1", "--export-script",
                 str(tmp_path / "missing" / "x.py")]) == 2
    assert "cannot write" in capsys.readouterr().err
