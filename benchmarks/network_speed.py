"""A network's training speed and the GUI's latency while its decision boundary is live.

The model and the bare loop are :mod:`benchmarks.network_training`'s (the two-layer
network lesson's classifier at its defaults on 200 two-moons points; that module
compares the bare loop with the core Trainer alone). Here the same training runs from
the real Train panel's Start button, on its worker thread, while the panel's plane
redraws the boundary the worker computes ten times a second, and a timer on the GUI
thread measures how late its ticks come. Side by side in one run, alternating.

    python -m benchmarks.network_speed [--rounds N] [--epochs N] [--latency-epochs N]
"""

from __future__ import annotations

import argparse
import os
import statistics

import torch
from PySide6.QtWidgets import QApplication

from benchmarks.common import Figure, percentile
from benchmarks.network_training import _problem as network_problem
from benchmarks.network_training import bare_loop
from benchmarks.training_speed import worker_run
from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.training import TrainingProblem

LESSON = "two-layer-network"
PANEL_SIZE = (900, 700)


def open_panel():
    """A Train panel on the lesson's classifier with moons, as a learner would see it."""
    from gui_backprop.ui.training.panel import TrainPanel

    lesson = find_lesson(LESSON)
    panel = TrainPanel()
    panel.resize(*PANEL_SIZE)
    panel.show()
    panel.set_source(lesson.id, TrainingProblem.from_lesson(lesson), lesson=lesson)
    form = panel.classifier.form
    form.data_set.setCurrentIndex(form.data_set.findData("moons"))
    return panel


def measure(rounds: int, epochs: int, latency_epochs: int, latency_runs: int) -> list[Figure]:
    """The speed ratio (median of side-by-side pairs) and the latency while training."""
    panel = open_panel()
    problem = network_problem()  # the same as the panel's: the lesson's defaults on moons
    rate = problem.learning_rate
    bare_loop(problem, 100, rate)  # warm up both
    worker_run(panel, 100)
    bare_rates, worker_rates, ratios = [], [], []
    for round_ in range(rounds):
        for kind in ("bare", "worker") if round_ % 2 == 0 else ("worker", "bare"):
            if kind == "bare":
                speed, trained = bare_loop(problem, epochs, rate)
                bare_rates.append(speed)
            else:
                speed, _, result = worker_run(panel, epochs, probe=False)
                worker_rates.append(speed)
        ratios.append(worker_rates[-1] / bare_rates[-1])
        for name, tensor in trained.items():  # the same model: bit for bit the same result
            assert torch.equal(torch.tensor(result[name], dtype=torch.float64),
                               tensor.detach()), name
    lateness: list[float] = []
    boundaries = 0
    for _ in range(latency_runs):
        lateness += worker_run(panel, latency_epochs)[1]
        boundaries += panel.latest_snapshot.boundary is not None
    accuracy = panel.classifier.accuracy_text()
    panel.shutdown()
    panel.close()
    bare, worker = statistics.median(bare_rates), statistics.median(worker_rates)
    ratio = statistics.median(ratios)
    p50, p99 = percentile(lateness, 50) * 1e3, percentile(lateness, 99) * 1e3
    return [
        Figure("7. Network training speed from the Train tab's worker (plane and plots live)",
               f"worker {worker:,.0f} steps/s, bare PyTorch loop {bare:,.0f} steps/s, ratio "
               f"{ratio:.2f} (median of {len(ratios)} side-by-side pairs; range "
               f"{min(ratios):.2f}-{max(ratios):.2f})", "ratio >= 0.90", ratio >= 0.9),
        Figure("8. GUI event-loop latency with the decision boundary live",
               f"p99 {p99:.1f} ms (p50 {p50:.1f} ms, max {max(lateness) * 1e3:.1f} ms, "
               f"{len(lateness):,} probes; accuracy at the end {accuracy})",
               "p99 <= 20 ms", p99 <= 20),
    ]


def main(argv=None) -> int:
    """Measure and print the network figures (not pass/fail: always exits 0)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network_speed",
                                     description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=1_000)
    parser.add_argument("--latency-epochs", type=int, default=3_000)
    parser.add_argument("--latency-runs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads for both (default 0: torch's own choice)")
    args = parser.parse_args(argv)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    app = QApplication.instance() or QApplication([])
    print(f"torch {torch.__version__} · {torch.get_num_threads()} torch threads · "
          f"{args.rounds} pairs of {args.epochs:,} epochs; latency: {args.latency_runs} runs "
          f"of {args.latency_epochs:,} epochs")
    for figure in measure(args.rounds, args.epochs, args.latency_epochs, args.latency_runs):
        print(figure.line())
    print("Load average when done: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} CPUs")
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
