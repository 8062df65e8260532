"""A lesson whose loop leaves zero_grad out (forgetting-zero-grad) trains that way too:
the gradients accumulate, as in its walkthrough and in plain PyTorch."""

import dataclasses

import pytest
import torch

from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.script_export import export_training_script
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from tests.shared_helpers import run_exported_script

LESSON = find_lesson("forgetting-zero-grad", load_lessons())


def train(problem, epochs, rule="manual"):
    trainer = Trainer(problem, TrainingSettings(epochs, 0.01, rule))
    final = list(trainer.run())[-1]
    return trainer, final


def by_hand(epochs, rule="manual"):
    """The lesson's loop in plain PyTorch: no zero_grad anywhere."""
    w = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=0.01) if rule == "adam" else None
    for _ in range(epochs):
        ((w * 1.0 - 2.0) ** 2).backward()
        if optimizer is not None:
            optimizer.step()
        else:
            with torch.no_grad():
                w -= 0.01 * w.grad
    return w.item()


def test_the_lesson_declares_its_loop_and_the_problem_keeps_it():
    assert TrainingProblem.from_lesson(LESSON).zero_grad is False
    assert TrainingProblem.from_trace(LESSON.trace()).zero_grad is False
    linear = find_lesson("linear-regression", load_lessons())
    assert TrainingProblem.from_trace(linear.trace()).zero_grad is True


def test_two_epochs_reach_the_walkthroughs_second_update():
    _, final = train(TrainingProblem.from_lesson(LESSON), 2)
    trace = LESSON.trace()
    assert final.parameters["w"] == trace.iterations[1].updates[0].after == \
        pytest.approx(1.0596)
    assert trace.iterations[1].updates[0].grad == pytest.approx(-3.96)


@pytest.mark.parametrize("rule", ["manual", "adam"])
def test_training_is_the_lessons_loop_in_plain_pytorch_bit_for_bit(rule):
    _, final = train(TrainingProblem.from_lesson(LESSON), 300, rule)
    assert final.parameters["w"] == by_hand(300, rule)


def test_accumulated_gradients_make_the_loss_swing_where_zeroing_settles_it():
    problem = TrainingProblem.from_lesson(LESSON)
    swinging, _ = train(problem, 1000)
    settled, _ = train(dataclasses.replace(problem, zero_grad=True), 1000)
    late = swinging._losses[500:]
    assert late.max() > 0.9 and late.min() < 1e-3  # it keeps overshooting the minimum
    assert settled._losses[500:].max() < 1e-8


def test_the_exported_training_script_leaves_zero_grad_out_too(tmp_path):
    problem = TrainingProblem.from_lesson(LESSON)
    trainer, final = train(problem, 40)
    source = export_training_script(problem.program, trainer.values, problem.parameters,
                                    problem.output, 0.01, 40, zero_grad=False)
    assert "zero_" not in source and "NOT zeroed" in source
    path = tmp_path / "run.py"
    path.write_text(source)
    assert run_exported_script(path)[(40, "w")] == final.parameters["w"]
