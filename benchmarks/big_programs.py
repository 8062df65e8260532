"""Programs of a chosen size, for the graph-size figures: parameters, then statements
that mix them with earlier results, like a learner's long playground program.

``python -m benchmarks.big_programs`` prints trace and layout times by size (issue 13's
figures are to grow from here).
"""

from __future__ import annotations

import random

FUNCTIONS = ("tanh", "sigmoid", "sin", "exp", "relu")


def big_program(statements: int, seed: int = 0) -> str:
    """A program of ``statements`` assignments, about 8–9 graph nodes per statement.

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


def main() -> None:
    """Print trace and layout times for programs of growing size (no window)."""
    import time

    from gui_backprop.core.layout import compute_layout
    from gui_backprop.core.program import parse_program
    from gui_backprop.core.tracer import trace_program

    print("statements  nodes  vertices(with bends)  trace s  layout s")
    for statements in (25, 50, 100, 200):
        program = parse_program(big_program(statements))
        start = time.perf_counter()
        iteration = trace_program(program).first
        traced = time.perf_counter()
        layout = compute_layout(iteration)
        done = time.perf_counter()
        bends = sum(len(points) for points in layout.bends.values())
        print(f"{statements:10d}  {len(iteration.nodes):5d}  {len(iteration.nodes) + bends:20d}"
              f"  {traced - start:7.2f}  {done - traced:8.2f}")


if __name__ == "__main__":
    main()
