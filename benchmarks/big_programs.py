"""Programs of a chosen size, and how long each takes from program to painted graph.

``python -m benchmarks.big_programs [--runs N] [--folded-only]`` prints, for the smallest
lesson and for programs of about 100, 1,000, 3,000 and 10,000 graph nodes, the median
time of each stage -- trace (torch forward, local gradients, backward), layout (of what
the graph opens with: its statements folded into boxes above ``FOLD_NODES`` nodes),
scene build (the canvas items) and first paint (the fitted view rendered offscreen) --
each size folded (as it opens) and unfolded (every node drawn, as before folding), the
growth exponent between sizes (1 = linear, 2 = quadratic) and the ratio to the smallest
lesson measured in the same run. A program of 200 long statements (about 3,000 nodes)
is measured the same way. ``python -m benchmarks`` prints the same table after its own
figures.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FUNCTIONS = ("tanh", "sigmoid", "sin", "exp", "relu")
SIZES = {100: 22, 1_000: 185, 3_000: 550, 10_000: 1_800}  # nodes (about) -> statements
LONG_STATEMENTS = (200, 6)  # statements, terms each: about 3,000 nodes in 200 statements
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


def long_statements_program(statements: int, terms: int, seed: int = 0) -> str:
    """A program of ``statements`` long assignments: ``terms`` products of a parameter and
    an earlier result summed, through a function, times 0.5 (``2 * terms + 2`` nodes)."""
    rng = random.Random(seed)
    lines = ["x = [0.5, -1.0, 2.0, 0.25]", "y = [1.0, 0.0, -1.0, 0.5]"]
    params = [f"p{i}" for i in range(12)]
    lines += [f"{p} = {rng.uniform(-1, 1):.3f}" for p in params]
    results = ["x"]
    for i in range(statements - len(lines) - 1):
        parts = " + ".join(f"{rng.choice(params)} * {rng.choice(results[-8:])}"
                           for _ in range(terms))
        lines.append(f"h{i} = {rng.choice(FUNCTIONS)}({parts}) * 0.5")
        results.append(f"h{i}")
    lines.append(f"loss = mean(({results[-1]} - y) ** 2)")
    return "\n".join(lines) + "\n"


@dataclass
class Timing:
    """Median wall-clock and CPU seconds of each stage for one program, and its size;
    ``shown``: the units drawn (boxes and nodes), ``folded``: opened folded."""

    name: str
    nodes: int
    edges: int
    wall: dict[str, float]
    cpu: dict[str, float]  # this process's CPU time: steadier than wall on a busy machine
    shown: int = 0
    folded: bool = False


@contextlib.contextmanager
def unfolded():
    """Every graph drawn node by node, as before statements were folded."""
    from gui_backprop.core import folding

    limit, folding.FOLD_NODES = folding.FOLD_NODES, 10 ** 9
    try:
        yield
    finally:
        folding.FOLD_NODES = limit


def measure(name: str, source_or_lesson, runs: int, fold: bool = True) -> Timing:
    """Median stage times over ``runs`` runs (a fresh view each run); ``fold=False``:
    with folding off."""
    with contextlib.nullcontext() if fold else unfolded():
        return _measure(name, source_or_lesson, runs)


def _measure(name: str, source_or_lesson, runs: int) -> Timing:
    from gui_backprop.core.folding import opening_layout
    from gui_backprop.core.tracer import trace_program
    from gui_backprop.ui.canvas.view import GraphView

    wall: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "total")}
    cpu: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "total")}
    for _ in range(runs):
        marks = [(time.perf_counter(), time.process_time())]
        trace = (source_or_lesson.trace() if not isinstance(source_or_lesson, str)
                 else trace_program(source_or_lesson))
        iteration = trace.first
        marks.append((time.perf_counter(), time.process_time()))
        layout = opening_layout(iteration)  # as the background trace lays it out
        marks.append((time.perf_counter(), time.process_time()))
        view = GraphView()
        view.resize(*VIEW_SIZE)
        view.show_iteration(iteration, None, layout)
        marks.append((time.perf_counter(), time.process_time()))
        view.grab()  # renders every visible item, as the first paint of a shown view does
        marks.append((time.perf_counter(), time.process_time()))
        shown, folded = len(view.node_items()), view.scene().folded is not None
        view.deleteLater()
        for index, stage in enumerate(STAGES):
            wall[stage].append(marks[index + 1][0] - marks[index][0])
            cpu[stage].append(marks[index + 1][1] - marks[index][1])
        wall["total"].append(marks[-1][0] - marks[0][0])
        cpu["total"].append(marks[-1][1] - marks[0][1])
    return Timing(name, len(iteration.nodes), len(iteration.edges),
                  {stage: statistics.median(values) for stage, values in wall.items()},
                  {stage: statistics.median(values) for stage, values in cpu.items()},
                  shown, folded)


def growth(small: Timing, large: Timing, stage: str = "total", cpu: bool = True) -> float:
    """The exponent k in time ~ nodes**k between two sizes."""
    a = (small.cpu if cpu else small.wall)[stage]
    b = (large.cpu if cpu else large.wall)[stage]
    return math.log(max(b, 1e-6) / max(a, 1e-6)) / math.log(large.nodes / small.nodes)


def report(runs: int = 3, sizes=tuple(SIZES), unfolded_too: bool = True) -> list[Timing]:
    """Measure the smallest lesson and each size, folded (and unfolded); print the table;
    return the timings."""
    from PySide6.QtWidgets import QApplication

    from gui_backprop.core.folding import FOLD_NODES
    from gui_backprop.core.lessons import load_lessons

    QApplication.instance() or QApplication([])
    print(f"Program to painted graph, median of {runs} runs, seconds as wall/cpu (cpu: "
          f"this process's CPU time; view {VIEW_SIZE[0]}x{VIEW_SIZE[1]} offscreen; shown: "
          f"boxes and nodes drawn, folded above {FOLD_NODES} nodes; x lesson: total / the "
          "smallest lesson's, this run; k: growth exponent of CPU time, time ~ nodes^k, "
          "from the row above)")
    columns = (*STAGES, "total")
    print(f"{'program':>28} {'nodes':>6} {'edges':>6} {'shown':>6} "
          + " ".join(f"{c:>13}" for c in columns)
          + f" {'x lesson':>13} {'k total':>8} {'k trace':>8} {'k layout':>9}", flush=True)
    smallest = min(load_lessons(), key=lambda lesson: len(lesson.trace().first.nodes))
    series = [(True, f"~{nodes:,} nodes", big_program(SIZES[nodes])) for nodes in sizes]
    statements, terms = LONG_STATEMENTS
    series.append((True, f"{statements} long statements",
                   long_statements_program(statements, terms)))
    if unfolded_too:
        series += [(False, name + " unfolded", program) for _, name, program in series]
    measure("warm-up", smallest, 1)  # the first view of a process loads fonts and styles
    lesson = measure(f"lesson {smallest.id}", smallest, runs)
    _print_row(lesson, lesson, ["", "", ""])
    timings = [lesson]
    for fold, name, program in series:
        t = measure(name, program, runs, fold)
        previous = timings[-1]
        ks = ["", "", ""]
        if previous.name.startswith("~") and t.name.startswith("~") and (
                previous.name.endswith("unfolded") == t.name.endswith("unfolded")):
            ks = [f"{growth(previous, t, stage):.2f}" for stage in ("total", "trace", "layout")]
        timings.append(t)
        _print_row(t, lesson, ks)
    print("Load average when done: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} CPUs")
    return timings


def _print_row(t: Timing, lesson: Timing, ks: list[str]) -> None:
    columns = (*STAGES, "total")
    ratio = (f"{t.wall['total'] / max(lesson.wall['total'], 1e-6):.0f}/"
             f"{t.cpu['total'] / max(lesson.cpu['total'], 1e-6):.0f}")
    print(f"{t.name:>28} {t.nodes:6d} {t.edges:6d} {t.shown:6d} "
          + " ".join(f"{f'{t.wall[c]:.2f}/{t.cpu[c]:.2f}':>13}" for c in columns)
          + f" {ratio:>13} {ks[0]:>8} {ks[1]:>8} {ks[2]:>9}", flush=True)


def main(argv=None) -> int:
    """Print the table (always exits 0: these are figures, not pass/fail)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.big_programs",
                                     description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES),
                        choices=list(SIZES), help="graph sizes in nodes (default: all)")
    parser.add_argument("--folded-only", action="store_true",
                        help="only as the graphs open (folded), not also unfolded")
    args = parser.parse_args(argv)
    report(args.runs, tuple(args.sizes), unfolded_too=not args.folded_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
