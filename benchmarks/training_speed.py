"""Training speed and GUI responsiveness, measured in one run on the same model and data.

The bare loop is the tutorial's: forward, backward, ``w -= lr * w.grad`` under
``torch.no_grad()``, ``w.grad.zero_()``, on the lesson's 50 synthetic points. The
worker trains the same problem from the real Train panel (plots, redraw timer and
all), while a ``QTimer`` probe on the GUI thread measures how late its ticks arrive.
"""

from __future__ import annotations

import time

import torch
from PySide6.QtCore import QEventLoop, Qt, QTimer

from benchmarks.common import LEARNING_RATE, problem, settings
from gui_backprop.core.training import Trainer

PROBE_INTERVAL_MS = 10
CPU_TIME: dict[str, list[float]] = {}
"""Process CPU seconds per training step, by kind of run (all threads together)."""


def bare_loop(epochs: int) -> tuple[float, float, float]:
    """The tutorial's loop on the benchmark's data: (steps per second, w, b).

    ``CPU_TIME["bare"]`` gets the process CPU seconds per step.
    """
    values = Trainer(problem(), settings(1)).values
    x = torch.tensor(values["x"], dtype=torch.float64)
    y = torch.tensor(values["y"], dtype=torch.float64)
    w = torch.tensor(values["w"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(values["b"], dtype=torch.float64, requires_grad=True)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        y_hat = w * x + b
        loss = torch.mean((y - y_hat) ** 2)
        loss.backward()
        with torch.no_grad():
            w -= LEARNING_RATE * w.grad
            b -= LEARNING_RATE * b.grad
        w.grad.zero_()
        b.grad.zero_()
    elapsed = time.perf_counter() - start
    CPU_TIME.setdefault("bare", []).append((time.process_time() - cpu) / epochs)
    return epochs / elapsed, w.item(), b.item()


class LatencyProbe:
    """A precise timer on the GUI thread; records how late each tick is, in seconds."""

    def __init__(self):
        self.lateness: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        """Start probing."""
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        """Stop probing."""
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self._last - PROBE_INTERVAL_MS / 1000))
        self._last = now


WORKER_START_TO_END: list[float] = []
"""Steps per second of each worker run from the Start click to the result on screen."""


def worker_run(panel, epochs: int, probe: bool = True) -> tuple[float, list[float], dict]:
    """Train from the panel's Start button: (steps per second, probe lateness, parameters).

    With ``probe`` false no latency probe runs (its ticks are not the app's work).

    The rate is the worker's own, from its first training step to its last, as the
    status bar shows it: it counts everything that happens meanwhile (the GUI's work,
    snapshots, loss landscapes) but not the one-off setup and hand-over around the run,
    as the bare loop's rate does not count creating its tensors. The rate from the click
    to the result on screen goes to :data:`WORKER_START_TO_END`.
    """
    panel.form.epochs.setValue(epochs)
    latency = LatencyProbe()
    loop = QEventLoop()
    result: dict = {}
    panel.parameters_trained.connect(result.update)
    panel.parameters_trained.connect(loop.quit)
    if probe:
        latency.start()
    start, cpu = time.perf_counter(), time.process_time()
    panel.start_button.click()
    loop.exec()
    elapsed = time.perf_counter() - start
    CPU_TIME.setdefault("worker", []).append((time.process_time() - cpu) / epochs)
    latency.stop()
    panel.parameters_trained.disconnect(loop.quit)
    panel.parameters_trained.disconnect(result.update)
    WORKER_START_TO_END.append(panel.latest_snapshot.step / elapsed)
    return panel.latest_snapshot.steps_per_second, latency.lateness, result
