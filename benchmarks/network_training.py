"""Training a network: the core Trainer against a bare PyTorch loop of the same model.

``python -m benchmarks.network_training [--epochs N] [--rounds R]``

The model is the two-layer-network lesson's ``[classifier]`` program at its defaults
(8 tanh hidden units, one sigmoid output, binary cross-entropy, the manual update with
lr 1.0, a full batch) on 200 two-moons points, float64. The bare loop is the same
model written by hand as a learner writes it in PyTorch, on the same tensors. The two
run one after the other, in alternating order, for several rounds, so that a machine
whose speed wanders hits both alike; the figure is the median ratio of the pairs
(goal ≥ 0.9). The Trainer's rate counts what the window's worker pays: a snapshot 20
times a second with the accuracy, and the decision boundary (a forward pass over an
80×80 grid) 10 times a second.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from benchmarks.common import Figure, percentile
from gui_backprop.core.datasets import two_moons
from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings

LESSON = "two-layer-network"
POINTS = 200
SNAPSHOT_INTERVAL = 1 / 20  # the window's worker


def _problem() -> TrainingProblem:
    return TrainingProblem.for_classifier(find_lesson(LESSON), None, two_moons(POINTS))


def _settings(epochs: int) -> TrainingSettings:
    spec = find_lesson(LESSON).classifier
    return TrainingSettings(epochs=epochs, learning_rate=spec.learning_rate,
                            update_rule=spec.optimizer, snapshot_interval=SNAPSHOT_INTERVAL)


def bare_loop(problem: TrainingProblem, epochs: int, learning_rate: float
              ) -> tuple[float, dict[str, torch.Tensor]]:
    """The tutorial's loop for the network: (steps per second, trained parameters)."""
    values = problem.values
    X = torch.tensor(values["X"], dtype=torch.float64)
    y = torch.tensor(values["y"], dtype=torch.float64)
    W1, b1, W2, b2 = (torch.tensor(values[name], dtype=torch.float64, requires_grad=True)
                      for name in ("W1", "b1", "W2", "b2"))
    params = [W1, b1, W2, b2]
    start = time.perf_counter()
    for _ in range(epochs):
        h = torch.tanh(X @ W1 + b1)
        out = h @ W2 + b2
        p = torch.sigmoid(out)
        loss = F.binary_cross_entropy(p, y)
        loss.backward()
        with torch.no_grad():
            for param in params:
                param -= learning_rate * param.grad
                param.grad.zero_()
    rate = epochs / (time.perf_counter() - start)
    return rate, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def trainer_run(problem: TrainingProblem, epochs: int) -> tuple[float, dict]:
    """The core Trainer on the same problem: (its own steps per second, parameters)."""
    final = list(Trainer(problem, _settings(epochs)).run())[-1]
    assert final.boundary is not None and final.accuracy is not None
    return final.steps_per_second, dict(final.parameters)


def measure(epochs: int, rounds: int) -> tuple[list[float], list[float], list[float]]:
    """(trainer rates, bare rates, ratios), one pair per round, in alternating order."""
    problem = _problem()
    rate = _settings(1).learning_rate
    bare_loop(problem, 200, rate)  # warm-up: one-off start-up costs are not counted
    trainer_run(problem, 200)
    trainer_rates, bare_rates, ratios = [], [], []
    for round_ in range(rounds):
        for kind in ("bare", "trainer") if round_ % 2 == 0 else ("trainer", "bare"):
            if kind == "bare":
                bare, bare_params = bare_loop(problem, epochs, rate)
                bare_rates.append(bare)
            else:
                trained, trainer_params = trainer_run(problem, epochs)
                trainer_rates.append(trained)
        ratios.append(trainer_rates[-1] / bare_rates[-1])
        for name, value in bare_params.items():  # the same arithmetic, the same numbers
            assert torch.equal(value.detach(), torch.tensor(trainer_params[name],
                                                            dtype=torch.float64)), name
    return trainer_rates, bare_rates, ratios


def describe(trainer_rates, bare_rates, ratios) -> Figure:
    """The figure: both rates side by side, the median ratio and its spread."""
    ratio = statistics.median(ratios)
    return Figure(
        "6. Network training speed",
        f"core Trainer {statistics.median(trainer_rates):,.0f} steps/s, bare PyTorch loop "
        f"{statistics.median(bare_rates):,.0f} steps/s, ratio {ratio:.2f} (median of "
        f"{len(ratios)} side-by-side pairs; quartiles {percentile(ratios, 25):.2f}-"
        f"{percentile(ratios, 75):.2f}, range {min(ratios):.2f}-{max(ratios):.2f}); "
        f"{LESSON} at its defaults, {POINTS} moons points", "ratio >= 0.90", ratio >= 0.9)


def main(argv=None) -> int:
    """Measure and print the figure; always exits 0 (it is not pass/fail)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network_training",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=2_000,
                        help="training steps per run (default 2000)")
    parser.add_argument("--rounds", type=int, default=10,
                        help="pairs of a bare-loop run and a Trainer run (default 10)")
    parser.add_argument("--threads", type=int,
                        help="torch threads (default: torch's own choice, as the app runs)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} torch threads")
    print(describe(*measure(args.epochs, args.rounds)).line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
