"""Programs of a chosen size, and how long each takes from program to painted graph.

``python -m benchmarks.big_programs [--runs N]`` prints, for the smallest lesson and for
programs of about 100, 1,000, 3,000 and 10,000 graph nodes, the median time of each
stage -- trace (torch forward, local gradients, backward), layout, scene build (the
canvas items, the layout excluded) and first paint (the fitted view rendered offscreen)
-- and the growth exponent between sizes (1 = linear, 2 = quadratic). ``python -m
benchmarks`` prints the same table after its own figures.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FUNCTIONS = ("tanh", "sigmoid", "sin", "exp", "relu")
SIZES = {100: 22, 1_000: 185, 3_000: 550, 10_000: 1_800}  # nodes (about) -> statements
VIEW_SIZE = (1280, 800)
STAGES = ("trace", "layout", "scene", "paint")


def big_program(statements: int, seed: int = 0) -> str:
    """A program of ``statements`` assignments, about 5.5 graph nodes per statement.

    Each statement combines two earlier results and two parameters with a function, so
    the graph is wide and deep like a real network's, not a chain; the last statement
    is a scalar loss.
    """
    rng = random.Random(seed)
    lines = ["x = [0.5, -1.0, 2.0, 0.25]", "y = [1.0, 0.0, -1.0, 0.5]"]
    params = [f"p{i}" for i in range(max(4, statements // 10))]
    lines += [f"{p} = {rng.uniform(-1, 1):.3f}" for p in params]
    results = ["x"]
    for i in range(statements - len(lines) - 1):
        a, b = rng.choice(results[-8:]), rng.choice(results)
        p, q = rng.choice(params), rng.choice(params)
        fn = rng.choice(FUNCTIONS)
        name = f"h{i}"
        lines.append(f"{name} = {fn}({p} * {a} + {q} * {b}) * 0.5")
        results.append(name)
    lines.append(f"loss = mean(({results[-1]} - y) ** 2)")
    return "\n".join(lines) + "\n"


@dataclass
class Timing:
    """Median seconds of each stage for one program, and its graph's size."""

    name: str
    nodes: int
    edges: int
    seconds: dict[str, float]
    cpu: float  # this process's CPU seconds for all four stages (steadier under load)

    @property
    def total(self) -> float:
        """Trace, layout, scene build and first paint together."""
        return sum(self.seconds.values())


def measure(name: str, source_or_lesson, runs: int) -> Timing:
    """Median stage times over ``runs`` runs (a fresh view each run)."""
    from gui_backprop.core.layout import compute_layout
    from gui_backprop.core.tracer import trace_program
    from gui_backprop.ui.canvas import scene as scene_module
    from gui_backprop.ui.canvas.view import GraphView

    samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
    real_layout = scene_module.compute_layout
    cpu_times = []
    for _ in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        trace = (source_or_lesson.trace() if not isinstance(source_or_lesson, str)
                 else trace_program(source_or_lesson))
        iteration = trace.first
        traced = time.perf_counter()
        layout = compute_layout(iteration)
        laid_out = time.perf_counter()
        view = GraphView()
        view.resize(*VIEW_SIZE)
        scene_module.compute_layout = lambda _it, should_stop=None, layout=layout: layout
        try:  # the scene reuses the layout just timed, so that it is not counted twice
            built_start = time.perf_counter()
            view.show_iteration(iteration)
            built = time.perf_counter()
        finally:
            scene_module.compute_layout = real_layout
        view.grab()  # renders every visible item, as the first paint of a shown view does
        painted = time.perf_counter()
        cpu_times.append(time.process_time() - cpu_start)
        view.deleteLater()
        for stage, seconds in zip(STAGES, (traced - start, laid_out - traced,
                                           built - built_start, painted - built), strict=True):
            samples[stage].append(seconds)
    return Timing(name, len(iteration.nodes), len(iteration.edges),
                  {stage: statistics.median(values) for stage, values in samples.items()},
                  statistics.median(cpu_times))


def growth(small: Timing, large: Timing, stage: str = "total") -> float:
    """The exponent k in time ~ nodes**k between two sizes (``stage``: a stage's wall
    time, "total" or "cpu")."""
    a, b = (getattr(small, stage), getattr(large, stage)) if stage in ("total", "cpu") \
        else (small.seconds[stage], large.seconds[stage])
    return math.log(max(b, 1e-6) / max(a, 1e-6)) / math.log(large.nodes / small.nodes)


def report(runs: int = 3, sizes=tuple(SIZES)) -> list[Timing]:
    """Measure the smallest lesson and each size; print the table; return the timings."""
    from PySide6.QtWidgets import QApplication

    from gui_backprop.core.lessons import load_lessons

    QApplication.instance() or QApplication([])
    print(f"Program to painted graph, median of {runs} runs, seconds "
          f"(view {VIEW_SIZE[0]}x{VIEW_SIZE[1]} offscreen; cpu: this process's CPU time, "
          "all stages; growth k: time ~ nodes^k from the row above)")
    print(f"{'program':>24} {'nodes':>6} {'edges':>6} {'trace':>7} {'layout':>7} "
          f"{'scene':>7} {'paint':>7} {'total':>7} {'cpu':>7} {'k total':>8} {'k cpu':>6} "
          f"{'k layout':>9}", flush=True)
    smallest = min(load_lessons(), key=lambda lesson: len(lesson.trace().first.nodes))
    programs = [(f"lesson {smallest.id}", smallest)]
    programs += [(f"~{nodes:,} nodes", big_program(SIZES[nodes])) for nodes in sizes]
    timings: list[Timing] = []
    for name, program in programs:
        t = measure(name, program, runs)
        ks = ["", "", ""]
        if timings and timings[-1].name.startswith("~"):  # between program sizes
            ks = [f"{growth(timings[-1], t, stage):.2f}" for stage in ("total", "cpu", "layout")]
        timings.append(t)
        print(f"{t.name:>24} {t.nodes:6d} {t.edges:6d} "
              + " ".join(f"{t.seconds[s]:7.3f}" for s in STAGES)
              + f" {t.total:7.3f} {t.cpu:7.3f} {ks[0]:>8} {ks[1]:>6} {ks[2]:>9}", flush=True)
    print("Load average when done: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} CPUs")
    return timings


def main(argv=None) -> int:
    """Print the table (always exits 0: these are figures, not pass/fail)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.big_programs",
                                     description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES),
                        choices=list(SIZES), help="graph sizes in nodes (default: all)")
    args = parser.parse_args(argv)
    report(args.runs, tuple(args.sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
