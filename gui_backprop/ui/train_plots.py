"""The Train panel's loss and data plots (pyqtgraph), built to stay cheap while training.

Painting a pyqtgraph plot holds Python's GIL, which the training thread needs between
torch calls; so these plots repaint little. Each is fed from snapshots and redrawn
only when :meth:`redraw` is called (the panel does so from a timer), never once per
training step; axes are cached as pixmaps and their ranges change only in coarse
steps (whole decades, the run's full length), so that most frames repaint one curve.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training_landscape import SMALLEST_LOSS
from gui_backprop.ui.theme import Theme, current_theme

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


def style_plot(plot: pg.PlotWidget, theme: Theme, title: str, bottom: str, left: str) -> None:
    """Colours, title, axis labels, grid; axes cached so a moving curve does not redraw them."""
    plot.setBackground(theme.background)
    item = plot.getPlotItem()
    item.setTitle(title, color=theme.text, size="10pt")
    for name, text in (("bottom", bottom), ("left", left)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.muted_text))
        axis.setTextPen(pg.mkPen(theme.text))
        axis.setLabel(text, color=theme.muted_text)
        axis.setCacheMode(CACHED)
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setMenuEnabled(False)
    item.hideButtons()
    plot.setMinimumSize(220, 180)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return factor * power
    return 10 * power


class LogAxis(pg.AxisItem):
    """A log axis labelled with plain numbers (100, 1, 0.01), spaced so they never crowd."""

    MIN_LABEL_SPACING = 28  # pixels between labels

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph
        """1-2-5 steps where they fit, else powers of ten (every few when many)."""
        room = max(1, int(size / self.MIN_LABEL_SPACING))
        values = [k + math.log10(m) for k in range(math.floor(minVal), math.ceil(maxVal) + 1)
                  for m in (1, 2, 5)]
        values = [v for v in values if minVal <= v <= maxVal]
        if 2 <= len(values) <= room:
            return [(None, values)]
        if len(values) > room:
            step = max(1, math.ceil((maxVal - minVal) / room))
            first = math.ceil(minVal / step) * step
            return [(float(step), list(range(first, math.floor(maxVal) + 1, step)))]
        return stdTicks  # less than a factor of two: evenly spaced ticks

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """Each tick as the loss value it stands for."""
        return [format_number(10.0 ** v * scale, 3).removesuffix(".0") for v in values]


class LossPlot(pg.PlotWidget):
    """The loss at every step, in a preallocated buffer that grows by doubling.

    The x axis spans the whole run from the start, and the y axis follows the loss in
    whole decades (log scale) or in 1-2-5 steps (linear), until the learner pans or
    zooms; a new run follows again.
    """

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        self.theme = current_theme()
        style_plot(self, self.theme, "Loss", "step (epoch)", "loss J")
        self.setAccessibleName("Loss plot")
        self._curve = self.plot(pen=pg.mkPen(self.theme.current, width=2))
        self._curve.setClipToView(True)
        self._curve.setDownsampling(auto=True, method="peak")
        self._curve.setSkipFiniteCheck(True)
        self.getPlotItem().disableAutoRange()
        self.getViewBox().sigRangeChangedManually.connect(self._stop_following)
        self._log = False
        self._follow = True
        self._shown_range: tuple | None = None
        self.reset(1024)

    @property
    def count(self) -> int:
        """How many steps the buffer holds (steps 0 .. count - 1)."""
        return self._count

    @property
    def log_scale(self) -> bool:
        """True when the loss axis is logarithmic."""
        return self._log

    def reset(self, capacity: int) -> None:
        """Empty the plot and preallocate room for ``capacity`` steps (the run's length)."""
        self._length = max(int(capacity), 2)
        capacity = max(self._length, 16)
        self._steps = np.arange(capacity, dtype=float)
        self._losses = np.empty(capacity)
        self._log_losses = np.empty(capacity)
        self._count = 0
        self._low = self._high = math.nan
        self._follow = True
        self._dirty = True
        self.redraw()

    def append(self, first_step: int, losses: np.ndarray) -> None:
        """Store the losses of steps ``first_step, first_step + 1, ...``."""
        if len(losses) == 0:
            return
        end = first_step + len(losses)
        if end > len(self._losses):
            self._grow(end)
        self._losses[first_step:end] = losses
        self._log_losses[first_step:end] = np.log10(np.maximum(losses, SMALLEST_LOSS))
        self._count = max(self._count, end)
        self._low = np.nanmin([self._low, losses.min()])
        self._high = np.nanmax([self._high, losses.max()])
        self._dirty = True

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._losses))
        for name in ("_losses", "_log_losses"):
            new = np.empty(capacity)
            new[: self._count] = getattr(self, name)[: self._count]
            setattr(self, name, new)
        self._steps = np.arange(capacity, dtype=float)

    def set_log_scale(self, enabled: bool) -> None:
        """Show log10 of the loss (the axis labels the values)."""
        if enabled != self._log:
            self._log = enabled
            self.getPlotItem().getAxis("left").setLogMode(enabled)
            self._follow = True
            self._dirty = True
            self.redraw()

    def redraw(self) -> None:
        """Hand the new data to the curve (it paints on the next frame)."""
        if not self._dirty:
            return
        self._dirty = False
        values = self._log_losses if self._log else self._losses
        self._curve.setData(self._steps[: self._count], values[: self._count])
        if self._follow:
            self._show_range()

    def _show_range(self) -> None:
        length = max(self._length, self._count) - 1
        if not math.isfinite(self._low):
            y_range = (0.0, 1.0)
        elif self._log:
            low = math.log10(max(self._low, SMALLEST_LOSS))
            high = math.log10(max(self._high, SMALLEST_LOSS))
            y_range = (math.floor(low), max(math.ceil(high), math.floor(low) + 1))
        else:
            top = nice_ceiling(self._high) if self._high > 0 else 0.0
            bottom = -nice_ceiling(-self._low) if self._low < 0 else 0.0
            y_range = (bottom, top if top > bottom else bottom + 1.0)
        wanted = ((0.0, float(max(length, 1))), y_range)
        if wanted != self._shown_range:
            self._shown_range = wanted
            self.getPlotItem().setRange(xRange=wanted[0], yRange=wanted[1], padding=0.02)

    def _stop_following(self, *_args) -> None:
        self._follow = False
        self._shown_range = None

    def shown_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (steps, values) the curve holds now, as plotted."""
        x, y = self._curve.getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)


class DataPlot(pg.PlotWidget):
    """The data points and the model's current prediction over their range."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        style_plot(self, self.theme, "Data and fitted line", "x", "y")
        self.setAccessibleName("Data plot")
        self._points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(self.theme.background),
                                          brush=pg.mkBrush(self.theme.positive))
        self._points.setCacheMode(CACHED)
        self.addItem(self._points)
        self._fit = self.plot(pen=pg.mkPen(self.theme.negative, width=3))
        self.getPlotItem().disableAutoRange()
        self._extent: list[float] | None = None

    def set_points(self, x: np.ndarray, y: np.ndarray, target: str = "y") -> None:
        """Show the data points (``target`` names the vertical axis)."""
        self._points.setData(x, y)
        self.getPlotItem().getAxis("left").setLabel(target, color=self.theme.muted_text)
        self._fit.setData([], [])
        self._extent = [float(np.min(x)), float(np.max(x)), float(np.min(y)), float(np.max(y))]
        self._show_extent()

    def set_curve(self, x: np.ndarray | None, y: np.ndarray | None) -> None:
        """Show the fitted curve (none when ``x`` is ``None``); the first one widens the view."""
        if x is None or y is None:
            self._fit.setData([], [])
            return
        first = self._fit.getData()[0] is None or len(self._fit.getData()[0]) == 0
        self._fit.setData(x, y)
        if first and self._extent is not None and np.all(np.isfinite(y)):
            e = self._extent
            self._extent = [min(e[0], float(x.min())), max(e[1], float(x.max())),
                            min(e[2], float(y.min())), max(e[3], float(y.max()))]
            self._show_extent()

    def _show_extent(self) -> None:
        x0, x1, y0, y1 = self._extent
        self.getPlotItem().setRange(xRange=(x0, x1 if x1 > x0 else x0 + 1),
                                    yRange=(y0, y1 if y1 > y0 else y0 + 1), padding=0.06)

    def curve_data(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The fitted curve as drawn."""
        return self._fit.getData()
