"""How long the live loss plot takes to redraw with a million points."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtWidgets import QApplication

from gui_backprop.ui.training.plots.loss_plot import LossPlot

POINTS = 1_000_000
CHUNK = 500  # about what one snapshot brings at full training speed


def redraw_times(repeats: int = 40, following: bool = True) -> list[float]:
    """Seconds per redraw: a new chunk appended, the curve updated, the plot painted.

    ``following`` is the live view of the whole run; otherwise the plot shows the full
    data through pyqtgraph's downsampling, as after the learner zooms or pans.
    """
    plot = LossPlot()
    plot.resize(900, 320)
    plot.show()
    QApplication.processEvents()
    plot.set_log_scale(True)
    steps = np.arange(POINTS - CHUNK * repeats)
    rng = np.random.default_rng(0)
    losses = 1.2 + 60 * np.exp(-steps / 3e4) + 0.01 * rng.random(len(steps))
    plot.reset(POINTS)
    plot.append(0, losses)
    if not following:
        plot.stop_following()
    plot.redraw()
    plot.viewport().repaint()
    times = []
    for index in range(repeats):
        chunk = 1.2 + 0.01 * rng.random(CHUNK)
        first = len(steps) + index * CHUNK
        start = time.perf_counter()
        plot.append(first, chunk)
        plot.redraw()
        plot.viewport().repaint()
        times.append(time.perf_counter() - start)
    assert plot.count == POINTS and plot.following == following
    plot.close()
    return times
