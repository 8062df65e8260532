"""The accuracy plot: the share of points the model classifies right, by epoch.

Each snapshot carries the accuracy at its step (computed on the worker); the plot keeps
one point per snapshot (a few dozen a second at most) and redraws on the panel's timer.
The axes are fixed: 0 to 100 % up, the run's epochs across, so nothing rescales while
training.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.live_items import LiveCurve
from gui_backprop.ui.training.plots.live_plot import LivePlotWidget, style_plot


class AccuracyPlot(LivePlotWidget):
    """Accuracy (in %) against the epoch, with the latest value in the title."""

    TITLE = "Accuracy"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        style_plot(self, self.theme, self.TITLE, "epoch", "%")
        self.setAccessibleName("Accuracy plot")
        self.setObjectName("trainAccuracyPlot")
        self.setToolTip("The share of the training points the model puts in their own "
                        "class, at each epoch")
        self._curve = LiveCurve(pg.mkPen(self.theme.positive, width=2))
        self.addItem(self._curve, ignoreBounds=True)
        self.getPlotItem().disableAutoRange()
        self._steps: list[int] = []
        self._values: list[float] = []
        self._drawn = 0
        self.reset(1000)

    def reset(self, epochs: int) -> None:
        """Empty, with room for a run of ``epochs`` epochs."""
        self._steps.clear()
        self._values.clear()
        self._drawn = 0
        self._curve.set_xy([], [])
        self.getPlotItem().setTitle(self.TITLE, color=self.theme.text, size="10pt")
        self.getPlotItem().setRange(xRange=(0, max(epochs, 1)), yRange=(0, 100),
                                    padding=0.02)

    def add(self, step: int, accuracy: float | None) -> None:
        """Keep the accuracy (a fraction from 0 to 1) at ``step``; drawn at :meth:`redraw`."""
        if accuracy is None:
            return
        if self._steps and step <= self._steps[-1]:  # a repeated final snapshot
            self._steps[-1], self._values[-1] = step, 100.0 * accuracy
            self._drawn = 0
            return
        self._steps.append(step)
        self._values.append(100.0 * accuracy)

    def redraw(self) -> None:
        """Draw what was added since the last redraw."""
        if self._drawn == len(self._values) and self._drawn:
            return
        self._drawn = len(self._values)
        self._curve.set_xy(np.array(self._steps, dtype=float),
                           np.array(self._values, dtype=float))
        if self._values:
            self.getPlotItem().setTitle(f"{self.TITLE}: {self.latest_text()}",
                                        color=self.theme.text, size="10pt")

    def latest(self) -> float | None:
        """The newest accuracy in %, or ``None``."""
        return self._values[-1] if self._values else None

    def latest_text(self) -> str:
        """The newest accuracy as shown (``97.5 %``), or an empty string."""
        value = self.latest()
        return "" if value is None else f"{value:.1f} %"

    def history(self) -> tuple[np.ndarray, np.ndarray]:
        """The steps and accuracies (in %) kept so far."""
        return np.array(self._steps, dtype=float), np.array(self._values, dtype=float)
