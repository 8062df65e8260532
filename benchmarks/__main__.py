"""Run every benchmark and print the figures with their goals: ``python -m benchmarks``.

These are measurements, not tests: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics

import torch
from PySide6.QtWidgets import QApplication

from benchmarks.common import POINTS, Figure, percentile
from benchmarks.loss_plot import POINTS as PLOT_POINTS
from benchmarks.loss_plot import redraw_times
from benchmarks.training_speed import CPU_TIME, bare_loop, worker_run
from gui_backprop.core.lessons import find_lesson
from gui_backprop.ui.train_panel import TrainPanel


def main(argv=None) -> int:
    """Measure and print the three figures; always exits 0 (they are not pass/fail)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--epochs", type=int, default=6_000,
                        help="training steps per measured run (default 6000)")
    parser.add_argument("--rounds", type=int, default=11,
                        help="pairs of a bare-loop run and a worker run (default 11)")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    print(f"Backprop Lab benchmarks · Python {platform.python_version()} · torch "
          f"{torch.__version__} · {torch.get_num_threads()} torch threads")
    print(f"Model: the linear-regression lesson (y_hat = w * x + b, mean squared error), "
          f"{POINTS} points, float64, {args.epochs:,} epochs per run, {args.rounds} rounds\n")

    panel = TrainPanel()
    panel.resize(1200, 720)
    panel.show()
    panel.set_lesson(find_lesson("linear-regression"))
    bare_loop(500)  # warm up both, so that one-off start-up costs are not counted
    worker_run(panel, 500)
    bare_rates, worker_rates, ratios, lateness = [], [], [], []
    # Pairs side by side, so that a busy machine hits both; the order alternates, so
    # that a machine speeding up or slowing down favours neither.
    for round_ in range(args.rounds):
        for kind in ("bare", "worker") if round_ % 2 == 0 else ("worker", "bare"):
            if kind == "bare":
                rate, w, b = bare_loop(args.epochs)
                bare_rates.append(rate)
            else:
                rate, late, trained = worker_run(panel, args.epochs)
                worker_rates.append(rate)
        ratios.append(worker_rates[-1] / bare_rates[-1])
        lateness += late
        assert abs(trained["w"] - w) < 1e-9 and abs(trained["b"] - b) < 1e-9
    panel.shutdown()
    panel.close()
    bare, worker = statistics.median(bare_rates), statistics.median(worker_rates)
    ratio = statistics.median(ratios)
    p50, p99 = percentile(lateness, 50) * 1e3, percentile(lateness, 99) * 1e3
    times = redraw_times()
    median = statistics.median(times) * 1e3
    zoomed = statistics.median(redraw_times(following=False)) * 1e3
    figures = [
        Figure("1. Training speed",
               f"worker {worker:,.0f} steps/s, bare PyTorch loop {bare:,.0f} steps/s, "
               f"ratio {ratio:.2f} (median of {len(ratios)} side-by-side pairs: "
               f"{', '.join(f'{r:.2f}' for r in sorted(ratios))})", "ratio >= 0.90", ratio >= 0.9),
        Figure("2. GUI event-loop latency while training",
               f"p99 {p99:.1f} ms (p50 {p50:.1f} ms, max {max(lateness) * 1e3:.1f} ms, "
               f"{len(lateness):,} probes)", "p99 <= 20 ms", p99 <= 20),
        Figure(f"3. Loss plot redraw with {PLOT_POINTS:,} points",
               f"median {median:.1f} ms (p90 {percentile(times, 90) * 1e3:.1f} ms); "
               f"after a zoom, full data downsampled by pyqtgraph: median {zoomed:.1f} ms",
               "median <= 16 ms", median <= 16),
    ]
    for figure in figures:
        print(figure.line())
    bare_cpu = statistics.median(CPU_TIME["bare"]) * 1e6
    worker_cpu = statistics.median(CPU_TIME["worker"]) * 1e6
    print(f"\nCPU time per step, all threads: bare loop {bare_cpu:.0f} µs, worker with the "
          f"panel {worker_cpu:.0f} µs (GUI thread included). Load average when done: "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg())
          + f" on {os.cpu_count()} CPUs; a busy machine makes the wall-clock figures vary.")
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
