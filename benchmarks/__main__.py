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

from benchmarks import big_programs, network_speed, network_training
from benchmarks.common import POINTS, Figure, percentile
from benchmarks.loss_plot import POINTS as PLOT_POINTS
from benchmarks.loss_plot import redraw_times
from benchmarks.memory import describe, following_run
from benchmarks.startup import GOAL_RATIO
from benchmarks.startup import describe as describe_startup
from benchmarks.startup import measure as measure_startup
from benchmarks.training_speed import CPU_TIME, WORKER_START_TO_END, bare_loop, worker_run
from gui_backprop.core.lessons import find_lesson
from gui_backprop.ui.training.panel import TrainPanel

PANEL_SIZE = (900, 700)  # the Train tab of a large window


def main(argv=None) -> int:
    """Measure and print the six figures and the graph-size table; always exits 0 (they
    are not pass/fail)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--epochs", type=int, default=5_000,
                        help="training steps per speed run (default 5000)")
    parser.add_argument("--rounds", type=int, default=20,
                        help="pairs of a bare-loop run and a worker run (default 20)")
    parser.add_argument("--latency-epochs", type=int, default=20_000,
                        help="training steps per run while the GUI latency is probed "
                             "(default 20000)")
    parser.add_argument("--latency-runs", type=int, default=3,
                        help="runs while the GUI latency is probed (default 3)")
    parser.add_argument("--memory-epochs", type=int, default=1_100_000,
                        help="training steps of the run whose memory is watched "
                             "(default 1100000: a warm-up, then 10^6)")
    parser.add_argument("--memory-warmup", type=int, default=100_000,
                        help="steps before memory growth counts (default 100000)")
    parser.add_argument("--graph-runs", type=int, default=3,
                        help="runs per graph size in the program-to-painted-graph table "
                             "(default 3; 0 leaves the table out)")
    parser.add_argument("--startup-runs", type=int, default=5,
                        help="start-ups of the app and of a bare window (default 5)")
    parser.add_argument("--network-epochs", type=int, default=2_000,
                        help="training steps per network speed run (default 2000)")
    parser.add_argument("--network-rounds", type=int, default=10,
                        help="pairs of a bare network loop and a core Trainer run "
                             "(default 10; 0 leaves figures 6 to 8 out)")
    args = parser.parse_args(argv)
    # First, while nothing else runs: each start-up is a fresh process (benchmarks/startup.py).
    startup_text, startup_ratio = describe_startup(*measure_startup(args.startup_runs))
    app = QApplication.instance() or QApplication([])
    print(f"Backprop Lab benchmarks · Python {platform.python_version()} · torch "
          f"{torch.__version__} · {torch.get_num_threads()} torch threads")
    print(f"Model: the linear-regression lesson (y_hat = w * x + b, mean squared error), "
          f"{POINTS} points, float64. Speed: {args.rounds} pairs of runs of "
          f"{args.epochs:,} epochs; latency: {args.latency_runs} runs of "
          f"{args.latency_epochs:,} epochs\n")

    panel = TrainPanel()
    panel.resize(*PANEL_SIZE)
    panel.show()
    panel.set_lesson(find_lesson("linear-regression"))
    panel.form.data_group.setChecked(True)  # the bare loop's 50 synthetic points, seed 0
    bare_loop(500)  # warm up both, so that one-off start-up costs are not counted
    worker_run(panel, 500)
    bare_rates, worker_rates, ratios, lateness = [], [], [], []
    # Many short pairs side by side, so that a machine whose speed wanders hits both
    # alike; the order alternates, so that speeding up or slowing down favours neither.
    for round_ in range(args.rounds):
        for kind in ("bare", "worker") if round_ % 2 == 0 else ("worker", "bare"):
            if kind == "bare":
                rate, w, b = bare_loop(args.epochs)
                bare_rates.append(rate)
            else:
                rate, _, trained = worker_run(panel, args.epochs, probe=False)
                worker_rates.append(rate)
        ratios.append(worker_rates[-1] / bare_rates[-1])
        assert abs(trained["w"] - w) < 1e-9 and abs(trained["b"] - b) < 1e-9
    for _ in range(args.latency_runs):  # long runs: mostly training, few starts
        lateness += worker_run(panel, args.latency_epochs)[1]
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
               f"ratio {ratio:.2f} (median of {len(ratios)} side-by-side pairs; quartiles "
               f"{percentile(ratios, 25):.2f}-{percentile(ratios, 75):.2f}, range "
               f"{min(ratios):.2f}-{max(ratios):.2f})", "ratio >= 0.90", ratio >= 0.9),
        Figure("2. GUI event-loop latency while training",
               f"p99 {p99:.1f} ms (p50 {p50:.1f} ms, max {max(lateness) * 1e3:.1f} ms, "
               f"{len(lateness):,} probes)", "p99 <= 20 ms", p99 <= 20),
        Figure(f"3. Loss plot redraw with {PLOT_POINTS:,} points",
               f"median {median:.1f} ms (p90 {percentile(times, 90) * 1e3:.1f} ms); "
               f"after a zoom, full data downsampled by pyqtgraph: median {zoomed:.1f} ms",
               "median <= 16 ms", median <= 16),
    ]
    memory = following_run(args.memory_epochs, args.memory_warmup)
    figures.append(Figure("4. Memory with the canvas following a run", describe(memory),
                          "< 5 MB per 10^6 steps", memory.growth_per_million < 5))
    figures.append(Figure("5. Start-up (time to first paint)", startup_text,
                          f"<= {GOAL_RATIO:g}x a bare PySide6 window",
                          startup_ratio <= GOAL_RATIO))
    if args.network_rounds > 0:
        figures.append(network_training.describe(*network_training.measure(
            args.network_epochs, args.network_rounds)))
        # the same network from the Train tab's worker, and the GUI with the boundary live
        figures += network_speed.measure(args.network_rounds, args.network_epochs,
                                         2 * args.network_epochs, 2)
    for figure in figures:
        print(figure.line())
    bare_cpu = statistics.median(CPU_TIME["bare"]) * 1e6
    worker_cpu = statistics.median(CPU_TIME["worker"]) * 1e6
    end_to_end = statistics.median(WORKER_START_TO_END[1:args.rounds + 1])  # speed runs
    print(f"\nThe worker's rate is its own, first training step to last (as the status bar "
          f"shows it). From the Start click to the result on screen, setup and hand-over "
          f"included: {end_to_end:,.0f} steps/s, {end_to_end / bare:.2f} of the bare loop.")
    print(f"CPU time per step, all threads: bare loop {bare_cpu:.0f} µs, worker with the "
          f"panel {worker_cpu:.0f} µs (GUI thread included). Load average when done: "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg())
          + f" on {os.cpu_count()} CPUs; a busy machine makes the wall-clock figures vary.")
    app.processEvents()
    if args.graph_runs > 0:
        print()
        big_programs.report(args.graph_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
