"""Network lessons train on 2-D classification data: the [classifier] programs, the
network settings, accuracy, the decision boundary, mini-batch losses, one example."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gui_backprop.core.classifier import one_example_values
from gui_backprop.core.classifier_spec import OutputKind
from gui_backprop.core.datasets import GENERATORS, circles, spirals, two_moons, xor
from gui_backprop.core.decision_boundary import GRID_SIZE
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.network import NetworkSettings, initial_parameters, training_program
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from gui_backprop.core.training_data import LearnerPoints

LESSONS = {lesson.id: lesson for lesson in load_lessons()}
NETWORK = LESSONS["two-layer-network"]
NEURON = LESSONS["single-neuron"]
SOFTMAX = LESSONS["softmax-classifier"]


def _t(value) -> torch.Tensor:
    return torch.tensor(value, dtype=torch.float64)


def _defaults(lesson, **changes) -> TrainingSettings:
    """The Train tab's defaults of a classifier lesson."""
    spec = lesson.classifier
    options = {"epochs": spec.epochs or 1000, "learning_rate": spec.learning_rate,
               "update_rule": spec.optimizer or "manual", "snapshot_interval": 3600.0}
    return TrainingSettings(**{**options, **changes})


def _final(trainer: Trainer):
    return list(trainer.run())[-1]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    # tiny tensors: a second thread only waits for a busy core (results are the same)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_the_three_lessons_declare_how_they_classify():
    assert {lid for lid, lesson in LESSONS.items() if lesson.classifier} == {
        "single-neuron", "softmax-classifier", "two-layer-network"}
    for lesson in (NEURON, SOFTMAX, NETWORK):
        spec = lesson.classifier
        assert set(spec.parameters) == set(lesson.parameters)  # the same names
        assert spec.loss == "loss"
    assert SOFTMAX.classifier.classes == 3 and SOFTMAX.classifier.output is OutputKind.LOGITS
    assert NETWORK.classifier.has_network_settings and not NEURON.classifier.has_network_settings


# The training programs written as a learner writes them in PyTorch: the grad_fn names
# autograd records there must be the ones the trace shows.
def _neuron(X, y, w, b):
    p = torch.sigmoid(X @ w + b)
    return F.binary_cross_entropy(p, y)


def _softmax(X, labels, W, b):
    logits = X @ torch.transpose(W, 0, 1) + b
    return F.cross_entropy(logits, labels.long())


def _network(X, y, W1, b1, W2, b2, activation=torch.tanh):
    h = activation(X @ W1 + b1)
    out = h @ W2 + b2
    p = torch.sigmoid(out)
    return F.binary_cross_entropy(p, y)


def _grad_fns(loss: torch.Tensor) -> list[str]:
    names, seen, todo = [], set(), [loss.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if type(node).__name__ != "AccumulateGrad":
            names.append(type(node).__name__)
        todo.extend(next_fn for next_fn, _ in node.next_functions)
    return sorted(names)


@pytest.mark.parametrize(("lesson", "torch_code", "data", "activation"), [
    (NEURON, _neuron, two_moons(20), None),
    (SOFTMAX, _softmax, spirals(30, classes=3), None),
    (NETWORK, _network, two_moons(20), "tanh"),
    (NETWORK, lambda *a: _network(*a, activation=torch.relu), xor(20), "relu"),
    (NETWORK, lambda *a: _network(*a, activation=torch.sigmoid), circles(20), "sigmoid"),
], ids=["neuron", "softmax", "network-tanh", "network-relu", "network-sigmoid"])
def test_grad_fns_and_loss_are_pytorchs_for_the_same_code(lesson, torch_code, data,
                                                          activation):
    problem = TrainingProblem.for_classifier(lesson, NetworkSettings(3, activation, 1), data)
    spec = problem.classifier
    trace = trace_program(problem.program, problem.values, problem.parameters, 0.1,
                          problem.output)
    traced = [node.grad_fn for node in trace.first.nodes if node.grad_fn]
    # cross_entropy is one node (NllLossBackward0) over torch's inner log_softmax
    traced = sorted(traced + ["LogSoftmaxBackward0"] * traced.count("NllLossBackward0"))
    leaves = {name: _t(problem.values[name]).requires_grad_(name in problem.parameters)
              for name in (spec.input, spec.labels, *spec.parameters)}
    loss = torch_code(*leaves.values())
    assert traced == _grad_fns(loss)
    assert trace.first.node_named("loss").value == pytest.approx(loss.item(), abs=1e-12)


@pytest.mark.parametrize("name", ["moons", "circles", "xor"])
def test_from_the_lessons_defaults_the_network_learns_to_95_percent(name):
    problem = TrainingProblem.for_classifier(NETWORK, None, GENERATORS[name]())
    final = _final(Trainer(problem, _defaults(NETWORK)))
    assert final.is_final and final.step == NETWORK.classifier.epochs <= 5000
    assert final.accuracy >= 0.95


@pytest.mark.parametrize(("settings", "message"), [
    ({"hidden": 0}, "hidden units must be a whole number from 1 to 64"),
    ({"hidden": 65}, "hidden units must be a whole number from 1 to 64"),
    ({"hidden": 2.5}, "hidden units"),
    ({"hidden": True}, "hidden units"),
    ({"activation": "gelu"}, "the activation must be one of relu, tanh, sigmoid"),
    ({"seed": -1}, "the seed must be a whole number"),
])
def test_bad_network_settings_are_refused_in_the_learners_words(settings, message):
    with pytest.raises(ProgramError, match=message):
        NetworkSettings(**settings)


def test_the_settings_make_the_program_and_seeded_parameters_of_their_shapes():
    spec = NETWORK.classifier
    settings = NetworkSettings(hidden=5, activation="relu", seed=7)
    program = training_program(spec, settings)
    assert program.statement("h").text == "h = relu(X @ W1 + b1)"
    first = initial_parameters(spec, settings)
    assert first == initial_parameters(spec, settings)  # seeded: bit for bit
    assert first != initial_parameters(spec, NetworkSettings(5, "relu", 8))
    shapes = {name: np.array(value).shape for name, value in first.items()}
    assert shapes == {"W1": (2, 5), "b1": (5,), "W2": (5,), "b2": ()}
    # nn.Linear's rule: uniform in ±1/sqrt(fan_in), the layer's input size
    assert np.abs(first["W1"]).max() <= 1 / math.sqrt(2)
    assert np.abs(first["W2"]).max() <= 1 / math.sqrt(5)
    assert np.abs(first["W2"]).max() > 1 / math.sqrt(2) / 3  # not all tiny
    softmax = initial_parameters(SOFTMAX.classifier, NetworkSettings(seed=0))
    assert np.array(softmax["W"]).shape == (3, 2) and np.array(softmax["b"]).shape == (3,)


def test_more_classes_than_the_lesson_has_are_refused_with_one_message():
    with pytest.raises(ProgramError, match=r"the data have 3 classes \(labels 0 to 2\); "
                                           r"this lesson has 2 \(labels 0 to 1\)"):
        TrainingProblem.for_classifier(NETWORK, None, spirals(30, classes=3))
    points = LearnerPoints(((0.0, 1.0), (1.0, 0.0), (2.0, 2.0)), (0.0, 1.0, 3.0))
    with pytest.raises(ProgramError, match="the data have 4 classes"):
        TrainingProblem.for_classifier(SOFTMAX, None, points)
    half = LearnerPoints(((0.0, 1.0), (1.0, 0.0)), (0.0, 0.5))
    with pytest.raises(ProgramError, match="point 2: the class label 0.5 is not a whole"):
        TrainingProblem.for_classifier(NEURON, None, half)
    flat = LearnerPoints((0.0, 1.0, 2.0), (0.0, 1.0, 1.0))
    with pytest.raises(ProgramError, match="2 input columns"):
        TrainingProblem.for_classifier(NEURON, None, flat)
    with pytest.raises(ProgramError, match="does not train on classification data"):
        TrainingProblem.for_classifier(LESSONS["linear-regression"], None, two_moons(10))


def test_the_learners_own_points_train_and_come_back_as_numpy():
    points = LearnerPoints(((0.0, 0.0), (0.1, 0.2), (2.0, 2.0), (2.2, 1.9)), (0.0, 0.0, 1.0, 1.0))
    trainer = Trainer(TrainingProblem.for_classifier(NEURON, None, points), _defaults(NEURON))
    inputs, labels = trainer.labelled_points
    assert inputs.shape == (4, 2) and labels.tolist() == [0, 0, 1, 1]
    assert labels.dtype == np.int64 and not inputs.flags.writeable
    assert _final(trainer).accuracy == 1.0
    assert Trainer(TrainingProblem.from_lesson(LESSONS["linear-regression"]),
                   TrainingSettings()).labelled_points is None


def _network_probabilities(points: torch.Tensor, params) -> torch.Tensor:
    h = torch.tanh(points @ _t(params["W1"]) + _t(params["b1"]))
    return torch.sigmoid(h @ _t(params["W2"]) + _t(params["b2"]))


def test_accuracy_and_boundary_are_the_models_own_numbers():
    data = two_moons(60, seed=3)
    problem = TrainingProblem.for_classifier(NETWORK, NetworkSettings(6, "tanh", 2), data)
    final = _final(Trainer(problem, _defaults(NETWORK, epochs=150)))
    p = _network_probabilities(data.inputs, final.parameters)
    assert final.accuracy == float(((p >= 0.5).double() == data.labels).double().mean())
    boundary = final.boundary
    assert boundary.xs.shape == (GRID_SIZE,) and boundary.ys.shape == (GRID_SIZE,)
    assert boundary.probabilities.shape == (GRID_SIZE, GRID_SIZE, 2)
    assert not boundary.probabilities.flags.writeable and not boundary.xs.flags.writeable
    low, high = data.inputs.min(0).values, data.inputs.max(0).values
    assert boundary.xs[0] < low[0] and boundary.xs[-1] > high[0]  # a margin around the data
    assert boundary.ys[0] < low[1] and boundary.ys[-1] > high[1]
    j, i = 17, 52  # row j is ys[j], column i is xs[i]
    grid_point = _t([[boundary.xs[i], boundary.ys[j]]])
    expected = float(_network_probabilities(grid_point, final.parameters)[0])
    assert boundary.probabilities[j, i, 1] == pytest.approx(expected, abs=1e-12)
    assert boundary.probabilities.sum(axis=2) == pytest.approx(1.0)


def test_the_softmax_boundary_has_three_classes_from_the_logits():
    data = spirals(90, classes=3)
    problem = TrainingProblem.for_classifier(SOFTMAX, NetworkSettings(seed=4), data)
    final = _final(Trainer(problem, _defaults(SOFTMAX, epochs=50)))
    W, b = _t(final.parameters["W"]), _t(final.parameters["b"])
    logits = data.inputs @ W.T + b
    assert final.accuracy == float((logits.argmax(1) == data.labels.long()).double().mean())
    boundary = final.boundary
    grid = _t([[boundary.xs[5], boundary.ys[70]]])
    expected = torch.softmax(grid @ W.T + b, dim=1)[0].numpy()
    assert boundary.probabilities[70, 5] == pytest.approx(expected, abs=1e-12)


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.001  # every look at the clock: one millisecond later
        return self.now


def test_the_boundary_comes_at_most_ten_times_a_second_and_always_at_the_end():
    problem = TrainingProblem.for_classifier(NETWORK, None, xor(40))
    clock = _Clock()
    snapshots = list(Trainer(problem, _defaults(NETWORK, epochs=600, snapshot_interval=0.0),
                             clock=clock).run())
    with_boundary = [s for s in snapshots if s.boundary is not None]
    assert snapshots[-1].boundary is not None and snapshots[0].boundary is not None
    assert 1 < len(with_boundary) < len(snapshots) / 5
    assert all(s.accuracy is not None for s in snapshots)


def test_mini_batches_report_each_batchs_loss_once():
    data = circles(50)
    problem = TrainingProblem.for_classifier(NETWORK, None, data)
    settings = _defaults(NETWORK, epochs=30, batch_size=16, snapshot_interval=0.0)
    snapshots = list(Trainer(problem, settings).run())
    assert {s.batches_per_epoch for s in snapshots} == {4}  # 16 + 16 + 16 + 2
    batches = np.concatenate([s.batch_losses for s in snapshots])
    firsts = [s.first_batch for s in snapshots]
    assert len(batches) == 30 * 4 and firsts == sorted(firsts) and firsts[0] == 0
    assert all(np.isfinite(batches))
    # without mini-batches there are none
    full = list(Trainer(problem, _defaults(NETWORK, epochs=3)).run())
    assert all(s.batch_losses is None and s.batches_per_epoch == 0 for s in full)


def test_one_example_values_trace_exactly_that_point_at_the_current_parameters():
    data = two_moons(30, seed=1)
    problem = TrainingProblem.for_classifier(NETWORK, NetworkSettings(4, "tanh", 0), data)
    trainer = Trainer(problem, _defaults(NETWORK, epochs=20))
    final = _final(trainer)
    values = {**trainer.values, **final.parameters}
    one = one_example_values(problem, values, 21)
    assert one["X"] == (tuple(data.inputs[21].tolist()),) and one["y"] == (1.0,)
    assert one["W1"] == final.parameters["W1"]
    trace = trace_program(problem.program, one, problem.parameters, 0.1, problem.output)
    p = _network_probabilities(data.inputs[21:22], final.parameters)
    expected = F.binary_cross_entropy(p, data.labels[21:22]).item()
    assert trace.first.node_named("loss").value == pytest.approx(expected, abs=1e-12)
    assert trace.first.node_named("X").value == one["X"]
    with pytest.raises(ProgramError, match="there is no point 30"):
        one_example_values(problem, values, 30)


def test_the_same_settings_train_bit_identically():
    def run():
        problem = TrainingProblem.for_classifier(NETWORK, NetworkSettings(4, "relu", 3),
                                                 two_moons(40, seed=2))
        return _final(Trainer(problem, _defaults(NETWORK, epochs=15, batch_size=8, seed=5,
                                                 update_rule="adam", learning_rate=0.01)))
    assert run().parameters == run().parameters


def test_find_lesson_still_finds_the_network_lesson():
    assert find_lesson("two-layer-network").classifier == NETWORK.classifier
