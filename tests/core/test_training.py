"""The training loop (no Qt): convergence, throttling, pause/stop, divergence, landscape."""

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from gui_backprop.core import training
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.formatting import format_number
from gui_backprop.core.forward import make_leaf, run_forward
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.program import parse_program
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.training import (
    Trainer,
    TrainingProblem,
    TrainingSettings,
    TrainingStatus,
    UpdateRule,
)
from gui_backprop.core.training_data import DataSettings, least_squares_line
from gui_backprop.core.training_landscape import bounds_around
from gui_backprop.core.training_program import CompiledProgram

LESSONS = load_lessons()


def regression(**values) -> TrainingProblem:
    return TrainingProblem.from_lesson(find_lesson("linear-regression", LESSONS), values)


def fake_clock(step=0.001):
    """A clock that advances ``step`` seconds each time it is read."""
    counter = itertools.count()
    return lambda: next(counter) * step


def run_all(trainer, until=None):
    return list(trainer.run(until))


def all_losses(snapshots):
    """Concatenate the loss chunks, checking that they follow each other."""
    expected_first = 0
    parts = []
    for snap in snapshots:
        assert snap.first_loss_step == expected_first
        parts.append(snap.losses)
        expected_first += len(snap.losses)
    return np.concatenate(parts)


@pytest.mark.parametrize("rule", [UpdateRule.MANUAL, UpdateRule.SGD])
def test_training_converges_to_the_least_squares_line(rule):
    settings = TrainingSettings(epochs=4000, learning_rate=0.05, update_rule=rule,
                                data=DataSettings(points=60, noise=1.5, seed=3))
    trainer = Trainer(regression(), settings)
    final = run_all(trainer)[-1]
    x, y = trainer.dataset
    slope, intercept = least_squares_line(x, y)
    assert final.status is TrainingStatus.FINISHED and final.step == 4000
    assert final.parameters["w"] == pytest.approx(slope, abs=1e-6)
    assert final.parameters["b"] == pytest.approx(intercept, abs=1e-6)
    assert abs(final.gradients["w"]) < 1e-6 and abs(final.gradients["b"]) < 1e-6
    residual = np.mean((y - (slope * x + intercept)) ** 2)
    assert final.loss == pytest.approx(residual, rel=1e-9)


def test_the_first_steps_match_the_walkthrough_trace():
    lesson = find_lesson("linear-regression", LESSONS)
    trace = trace_program(lesson.program, parameters=("w", "b"), learning_rate=0.05,
                          iterations=3)
    snapshots = run_all(Trainer(regression(), TrainingSettings(epochs=3, learning_rate=0.05)))
    final = snapshots[-1]
    losses = all_losses(snapshots)
    for index, iteration in enumerate(trace.iterations):
        assert losses[index] == iteration.loss
    after = {u.name: u.after for u in trace.iterations[-1].updates}
    assert dict(final.parameters) == after


def test_same_seed_and_settings_give_bit_identical_results():
    settings = TrainingSettings(epochs=500, learning_rate=0.03,
                                data=DataSettings(points=40, noise=2.0, seed=11))
    first, second = Trainer(regression(), settings), Trainer(regression(), settings)
    a, b = run_all(first), run_all(second)
    assert np.array_equal(first.dataset[0], second.dataset[0])
    assert np.array_equal(all_losses(a), all_losses(b))
    assert dict(a[-1].parameters) == dict(b[-1].parameters)
    other = Trainer(regression(), TrainingSettings(epochs=500, learning_rate=0.03,
                                                   data=DataSettings(40, 2.0, seed=12)))
    assert not np.array_equal(first.dataset[1], other.dataset[1])


def test_snapshots_are_throttled_by_time_and_end_with_the_final_one():
    clock = fake_clock(0.001)  # about three clock reads per step
    settings = TrainingSettings(epochs=2000, learning_rate=0.05, snapshot_interval=0.1)
    trainer = Trainer(regression(), settings, clock=clock)
    snapshots = run_all(trainer)
    elapsed = clock()
    assert len(snapshots) <= elapsed / 0.1 + 3
    assert len(snapshots) >= 10
    assert snapshots[0].step == 0 and snapshots[-1].step == 2000
    assert [s.status for s in snapshots[:-1]] == [TrainingStatus.RUNNING] * (len(snapshots) - 1)
    assert snapshots[-1].status is TrainingStatus.FINISHED and snapshots[-1].is_final
    losses = all_losses(snapshots)
    assert len(losses) == 2001 and np.all(np.isfinite(losses))
    assert snapshots[-1].loss == losses[-1]


def test_snapshots_are_immutable_copies():
    trainer = Trainer(regression(), TrainingSettings(epochs=50, learning_rate=0.05))
    runner = trainer.run()
    first = next(runner)
    w_before = first.parameters["w"]
    rest = list(runner)
    assert first.parameters["w"] == w_before != rest[-1].parameters["w"]
    with pytest.raises(TypeError):
        first.parameters["w"] = 1.0
    with pytest.raises(ValueError):
        rest[-1].losses[0] = 1.0
    assert isinstance(rest[-1].parameters["w"], float)
    assert not rest[-1].curve_y.flags.writeable


def test_stop_requested_mid_run_ends_it_as_stopped():
    trainer = Trainer(regression(), TrainingSettings(epochs=100_000, learning_rate=0.05,
                                                     snapshot_interval=0.0))
    snapshots = []
    for snap in trainer.run():
        snapshots.append(snap)
        if snap.step == 25:
            trainer.request_stop()
    assert snapshots[-1].status is TrainingStatus.STOPPED
    assert snapshots[-1].step == 25  # the stop takes effect before the next step
    assert run_all(trainer) == []


def test_pause_then_resume_gives_the_same_result_as_one_run():
    settings = TrainingSettings(epochs=300, learning_rate=0.05, snapshot_interval=0.0)
    paused = Trainer(regression(), settings)
    pieces = []
    for snap in paused.run():
        pieces.append(snap)
        if snap.step == 100 and snap.status is TrainingStatus.RUNNING:
            paused.request_pause()
    assert pieces[-1].status is TrainingStatus.PAUSED and pieces[-1].step == 100
    pieces += run_all(paused)
    straight = run_all(Trainer(regression(), settings))
    assert dict(pieces[-1].parameters) == dict(straight[-1].parameters)
    assert np.array_equal(all_losses(pieces), all_losses(straight))


def test_run_until_steps_exactly_one_epoch():
    # a clock that stands still: no snapshot in between, however slow the machine
    trainer = Trainer(regression(), TrainingSettings(epochs=10, learning_rate=0.05),
                      clock=lambda: 0.0)
    first = run_all(trainer, until=1)
    assert [s.step for s in first] == [0, 1]
    assert first[-1].status is TrainingStatus.PAUSED
    second = run_all(trainer, until=trainer.step + 1)
    assert [s.step for s in second] == [2] and second[-1].first_loss_step == 2


@pytest.mark.parametrize("rule", [UpdateRule.MANUAL, UpdateRule.SGD])
def test_an_infinite_loss_keeps_the_last_finite_step_exactly(monkeypatch, rule):
    monkeypatch.setattr(training, "GROWTH_FACTOR", math.inf)  # only inf stops the run
    settings = TrainingSettings(epochs=10_000, learning_rate=10.0, update_rule=rule)
    snapshots = run_all(Trainer(regression(), settings))  # throttled: few snapshots sent
    final = snapshots[-1]
    assert final.status is TrainingStatus.DIVERGED and math.isfinite(final.loss)
    kept = final.step
    assert f"at step {kept + 1} the loss became infinite" in final.message
    assert f"Kept step {kept} (loss {format_number(final.loss, 4)})" in final.message
    # the same run stopped at that step has exactly these parameters, gradients and loss
    again = run_all(Trainer(regression(), replace(settings, epochs=kept)))[-1]
    assert again.step == kept and dict(again.parameters) == dict(final.parameters)
    assert dict(again.gradients) == dict(final.gradients) and again.loss == final.loss
    losses = all_losses(snapshots)
    assert len(losses) == kept + 1 and np.all(np.isfinite(losses))


def test_a_loss_growing_without_bound_is_diverging_while_still_finite():
    settings = TrainingSettings(epochs=300, learning_rate=0.1)  # used to "finish" at 1e60
    final = run_all(Trainer(regression(), settings))[-1]
    assert final.status is TrainingStatus.DIVERGED and final.step < 300
    assert math.isfinite(final.loss) and "grew without bound" in final.message


def test_the_stability_limit_is_two_over_the_hessians_largest_eigenvalue():
    # J = mean((y - w x - b)^2) has the constant Hessian (2/N) [[Σx², Σx], [Σx, N]]
    x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=torch.float64)
    hessian = 2 / 5 * torch.tensor([[float((x * x).sum()), float(x.sum())],
                                    [float(x.sum()), 5.0]], dtype=torch.float64)
    lambda_max = float(torch.linalg.eigvalsh(hessian)[-1])
    limit = 2 / lambda_max
    trainer = Trainer(regression(), TrainingSettings(epochs=2000, learning_rate=0.5))
    final = run_all(trainer)[-1]
    assert trainer.stability.lambda_max == pytest.approx(lambda_max, rel=1e-12)
    assert trainer.stability.limit == pytest.approx(limit, rel=1e-12)
    assert f"lr < 2/λmax = 2/{format_number(lambda_max, 4)} = {format_number(limit, 4)}" \
        in final.message and "such as 0.05" in final.message
    # the limit is where gradient descent turns: just below converges, just above diverges
    below = run_all(Trainer(regression(), TrainingSettings(2000, 0.98 * limit)))[-1]
    above = run_all(Trainer(regression(), TrainingSettings(2000, 1.02 * limit)))[-1]
    assert below.status is TrainingStatus.FINISHED
    assert above.status is TrainingStatus.DIVERGED


def test_a_loss_that_is_not_finite_at_the_start_is_reported():
    program = parse_program("x = -1.0\nw = 1.0\nloss = log(x) * w")
    trainer = Trainer(TrainingProblem.create(program, ["w"]), TrainingSettings(epochs=5))
    (final,) = run_all(trainer)
    assert final.status is TrainingStatus.DIVERGED and "starting values" in final.message
    assert final.step == 0 and len(final.losses) == 0


def test_an_output_without_a_minimum_is_explained():
    problem = TrainingProblem.from_lesson(find_lesson("value-used-twice", LESSONS))
    final = run_all(Trainer(problem, TrainingSettings(epochs=1_000_000, learning_rate=0.1)))[-1]
    assert final.status is TrainingStatus.DIVERGED and "no minimum" in final.message


def test_an_output_falling_without_bound_stops_while_still_finite():
    # e = (a + b)(b + 1) is a saddle: it used to "finish" 1000 epochs at -9.3e32
    problem = TrainingProblem.from_lesson(find_lesson("value-used-twice", LESSONS))
    trainer = Trainer(problem, TrainingSettings(epochs=1000, learning_rate=0.1))
    final = run_all(trainer)[-1]
    assert final.status is TrainingStatus.DIVERGED and final.step < 1000
    assert math.isfinite(final.loss) and "fell without bound" in final.message
    assert trainer.stability.has_negative_curvature and trainer.stability.limit is None
    assert f"λmin = {format_number(trainer.stability.lambda_min, 4)}" in final.message


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_compiled_program_computes_what_the_recorded_forward_pass_computes(lesson):
    leaves = {name: make_leaf(value, False) for name, value in lesson.program.leaves.items()}
    recorded = run_forward(lesson.program, leaves)
    compiled = CompiledProgram(lesson.program)
    for name, tensor in recorded.named.items():
        assert torch.equal(compiled.function_of(name)(leaves), tensor)


def test_numbers_on_either_side_of_an_operator_compute_what_the_forward_pass_computes():
    program = parse_program("x = [0.5, 1.5, 2.5]\nw = 0.7\n"
                            "a = 2 * x + 3 + x * 0.1\nb = 1 - a / 4 + 2 ** w - 3.5 ** -w\n"
                            "c = -2.5 * exp(b) ** 3\nloss = mean((c - 1) ** 2)")
    leaves = {"x": make_leaf(program.leaves["x"], False), "w": make_leaf(0.7, True)}
    recorded = run_forward(program, leaves)
    compiled = CompiledProgram(program)
    for name in ("a", "b", "c", "loss"):
        value = compiled.function_of(name)(leaves)
        assert torch.equal(value, recorded.named[name])
    grad_compiled, = torch.autograd.grad(compiled.function_of("loss")(leaves), leaves["w"])
    grad_recorded, = torch.autograd.grad(recorded.named["loss"], leaves["w"])
    assert torch.equal(grad_compiled, grad_recorded)


def test_regression_roles_are_found_only_where_they_fit():
    roles = {lesson.id: TrainingProblem.from_lesson(lesson).roles for lesson in LESSONS}
    assert (roles["linear-regression"].target, roles["linear-regression"].prediction) \
        == ("y", "y_hat")
    assert (roles["playground"].target, roles["playground"].prediction) == ("t", "y")
    assert roles["chain-rule"] is None and roles["computational-graph"] is None


def test_synthetic_data_only_replaces_vector_data():
    assert regression().accepts_data
    one_step = TrainingProblem.from_lesson(find_lesson("one-training-step", LESSONS))
    assert not one_step.accepts_data
    values = one_step.values_for(DataSettings(points=100))
    assert values == dict(one_step.values)
    assert len(regression().values_for(DataSettings(points=100))["x"]) == 100


def test_the_fitted_curve_is_the_prediction_over_the_data_range():
    trainer = Trainer(regression(), TrainingSettings(epochs=20, learning_rate=0.05))
    final = run_all(trainer)[-1]
    w, b = final.parameters["w"], final.parameters["b"]
    assert final.curve_x[0] < 1.0 and final.curve_x[-1] > 5.0
    assert np.allclose(final.curve_y, w * final.curve_x + b, rtol=0, atol=1e-12)


def test_the_landscape_holds_the_loss_at_each_grid_point():
    trainer = Trainer(regression(), TrainingSettings(epochs=1, data=DataSettings(30, 1.0, 4)))
    landscape = trainer.landscape((0.0, 4.0, -2.0, 4.0), resolution=81)
    x, y = trainer.dataset
    for i, j in [(0, 0), (40, 17), (80, 80)]:
        w, b = landscape.first[j], landscape.second[i]
        assert landscape.loss[i, j] == pytest.approx(np.mean((y - (w * x + b)) ** 2), rel=1e-12)
    slope, intercept = least_squares_line(x, y)
    low_w, low_b, _ = landscape.lowest
    assert abs(low_w - slope) <= 0.05 and abs(low_b - intercept) <= 0.075
    assert landscape.contains(slope, intercept) and not landscape.contains(5.0, 0.0)
    one_parameter = TrainingProblem.from_lesson(find_lesson("one-training-step", LESSONS))
    assert Trainer(one_parameter, TrainingSettings()).landscape((0, 1, 0, 1)) is None


def test_bounds_around_points_widen_and_refuse_nonsense():
    assert bounds_around([(0.0, 0.0), (2.0, 1.0)], margin=0.25) == (-0.5, 2.5, -0.25, 1.25)
    assert bounds_around([(1.0, 1.0)]) == (0.5, 1.5, 0.5, 1.5)
    assert bounds_around([(math.nan, 1.0)]) is None
    assert bounds_around([(0.0, 0.0), (1e9, 0.0)]) is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"epochs": 0}, "epochs"),
    ({"epochs": 2.5}, "epochs"),
    ({"learning_rate": -1.0}, "learning rate"),
    ({"learning_rate": math.nan}, "finite"),
])
def test_bad_training_settings_are_refused_with_a_message(kwargs, message):
    with pytest.raises(ProgramError, match=message):
        TrainingSettings(**kwargs)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"points": 1}, "points"), ({"points": 5000}, "points"), ({"noise": -1.0}, "noise"),
    ({"noise": math.inf}, "noise"), ({"seed": -3}, "seed"), ({"seed": 1.5}, "seed"),
])
def test_bad_data_settings_are_refused_with_a_message(kwargs, message):
    with pytest.raises(ProgramError, match=message):
        DataSettings(**kwargs)


def test_a_program_without_parameters_cannot_be_trained():
    program = parse_program("x = 1.0\ny = x * 2")
    with pytest.raises(ProgramError):
        TrainingProblem.create(program, [])
