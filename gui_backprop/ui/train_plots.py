"""The Train panel's plots (pyqtgraph): loss against step, data and fit, loss landscape.

Each plot is fed from training snapshots and redrawn only when :meth:`redraw` is
called (the panel calls it from a timer), never once per training step.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training_landscape import LossLandscape
from gui_backprop.ui.theme import Theme, current_theme

SMALLEST_LOSS = 1e-300  # a loss of exactly 0 is drawn at this floor on the log scale
ISOCURVES = 9


def _style(plot: pg.PlotWidget, theme: Theme, title: str, bottom: str, left: str) -> None:
    plot.setBackground(theme.background)
    item = plot.getPlotItem()
    item.setTitle(title, color=theme.text, size="10pt")
    for name, text in (("bottom", bottom), ("left", left)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.muted_text))
        axis.setTextPen(pg.mkPen(theme.text))
        axis.setLabel(text, color=theme.muted_text)
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setMenuEnabled(False)
    plot.setMinimumSize(220, 180)


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
    """The loss at every step, in a preallocated buffer that grows by doubling."""

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        self.theme = current_theme()
        _style(self, self.theme, "Loss", "step (epoch)", "loss J")
        self.setAccessibleName("Loss plot")
        self._curve = self.plot(pen=pg.mkPen(self.theme.current, width=2))
        self._curve.setClipToView(True)
        self._curve.setDownsampling(auto=True, method="peak")
        self._steps = np.arange(0, dtype=float)
        self._losses = np.empty(0)
        self._log_losses = np.empty(0)
        self._count = 0
        self._log = False
        self._dirty = False
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
        """Empty the plot and preallocate room for ``capacity`` steps."""
        capacity = max(int(capacity), 16)
        self._steps = np.arange(capacity, dtype=float)
        self._losses = np.empty(capacity)
        self._log_losses = np.empty(capacity)
        self._count = 0
        self._dirty = True
        self.redraw()

    def append(self, first_step: int, losses: np.ndarray) -> None:
        """Store the losses of steps ``first_step, first_step + 1, ...``."""
        end = first_step + len(losses)
        if end > len(self._losses):
            self._grow(end)
        self._losses[first_step:end] = losses
        self._log_losses[first_step:end] = np.log10(np.maximum(losses, SMALLEST_LOSS))
        self._count = max(self._count, end)
        self._dirty = True

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._losses))
        for name in ("_losses", "_log_losses"):
            old = getattr(self, name)
            new = np.empty(capacity)
            new[: self._count] = old[: self._count]
            setattr(self, name, new)
        self._steps = np.arange(capacity, dtype=float)

    def set_log_scale(self, enabled: bool) -> None:
        """Show log10 of the loss (the axis labels the powers of ten)."""
        if enabled != self._log:
            self._log = enabled
            self.getPlotItem().getAxis("left").setLogMode(enabled)
            self._dirty = True
            self.redraw()
            self.getPlotItem().enableAutoRange()

    def redraw(self) -> None:
        """Hand the new data to the curve (it draws on the next paint)."""
        if not self._dirty:
            return
        self._dirty = False
        values = self._log_losses if self._log else self._losses
        self._curve.setData(self._steps[: self._count], values[: self._count])

    def shown_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (steps, values) the curve holds now, as plotted."""
        x, y = self._curve.getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)


class DataPlot(pg.PlotWidget):
    """The data points and the model's current prediction over their range."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        _style(self, self.theme, "Data and fitted line", "x", "y")
        self.setAccessibleName("Data plot")
        self._points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(self.theme.background),
                                          brush=pg.mkBrush(self.theme.positive))
        self.addItem(self._points)
        self._fit = self.plot(pen=pg.mkPen(self.theme.negative, width=3))

    def set_points(self, x: np.ndarray, y: np.ndarray, target: str = "y") -> None:
        """Show the data points (``target`` names the vertical axis)."""
        self._points.setData(x, y)
        self.getPlotItem().getAxis("left").setLabel(target, color=self.theme.muted_text)
        self._fit.setData([], [])
        self.getPlotItem().enableAutoRange()

    def set_curve(self, x: np.ndarray | None, y: np.ndarray | None) -> None:
        """Show the fitted curve (none when ``x`` is ``None``)."""
        if x is None or y is None:
            self._fit.setData([], [])
        else:
            self._fit.setData(x, y)

    def curve_data(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The fitted curve as drawn."""
        return self._fit.getData()


class LandscapePlot(pg.PlotWidget):
    """A heat map of log10 J over two parameters, contour lines, the path and the point."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        _style(self, self.theme, "Loss landscape", "w", "b")
        self.setAccessibleName("Loss landscape")
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setColorMap(pg.colormap.get("viridis"))
        self.addItem(self._image)
        self._isocurves: list[pg.IsocurveItem] = []
        self._path_shadow = self.plot(pen=pg.mkPen((0, 0, 0, 150), width=5))
        self._path = self.plot(pen=pg.mkPen("#ffffff", width=2))
        self._path_shadow.setZValue(9)
        self._lowest = pg.ScatterPlotItem(size=14, symbol="+", pen=pg.mkPen("#ffffff", width=2))
        self._current = pg.ScatterPlotItem(size=12, pen=pg.mkPen("#ffffff", width=2),
                                           brush=pg.mkBrush(self.theme.negative))
        for item in (self._lowest, self._current):
            self.addItem(item)
        self._path.setZValue(10)
        self._current.setZValue(11)
        self._xs = np.empty(1024)
        self._ys = np.empty(1024)
        self._count = 0
        self._dirty = False
        self.landscape: LossLandscape | None = None

    def reset(self, names: tuple[str, str] | None = None) -> None:
        """Forget the landscape and the path."""
        self._count = 0
        self._dirty = True
        self.landscape = None
        self._image.clear()
        self._clear_isocurves()
        self._lowest.setData([], [])
        if names is not None:
            item = self.getPlotItem()
            item.getAxis("bottom").setLabel(names[0], color=self.theme.muted_text)
            item.getAxis("left").setLabel(names[1], color=self.theme.muted_text)
        self.redraw()

    def set_landscape(self, landscape: LossLandscape) -> None:
        """Show a newly computed landscape (the path is kept)."""
        self.landscape = landscape
        heat = np.log10(np.maximum(landscape.loss, SMALLEST_LOSS))
        finite = heat[np.isfinite(heat)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        high = high if high > low else low + 1.0
        shown = np.where(np.isfinite(heat), heat, high)
        self._image.setImage(shown, levels=(low, high))
        a0, a1, b0, b1 = landscape.bounds
        self._image.setRect(QRectF(a0, b0, a1 - a0, b1 - b0))
        self._clear_isocurves()
        for level in np.linspace(low, high, ISOCURVES + 2)[1:-1]:
            curve = pg.IsocurveItem(shown, level=float(level), axisOrder="row-major",
                                    pen=pg.mkPen((255, 255, 255, 90), width=1))
            curve.setParentItem(self._image)
            self._isocurves.append(curve)
        lowest = landscape.lowest
        self._lowest.setData([lowest[0]] if lowest else [], [lowest[1]] if lowest else [])
        self.getPlotItem().setRange(xRange=(a0, a1), yRange=(b0, b1), padding=0)

    def _clear_isocurves(self) -> None:
        for curve in self._isocurves:
            scene = curve.scene()
            if scene is not None:
                scene.removeItem(curve)
        self._isocurves = []

    def add_point(self, first: float, second: float) -> None:
        """Append a point of the path; the newest one is the current point."""
        if self._count == len(self._xs):
            self._xs = np.concatenate([self._xs, np.empty(len(self._xs))])
            self._ys = np.concatenate([self._ys, np.empty(len(self._ys))])
        self._xs[self._count] = first
        self._ys[self._count] = second
        self._count += 1
        self._dirty = True

    def redraw(self) -> None:
        """Draw the path and the current point if they changed."""
        if not self._dirty:
            return
        self._dirty = False
        xs, ys = self._xs[: self._count], self._ys[: self._count]
        self._path_shadow.setData(xs, ys)
        self._path.setData(xs, ys)
        self._current.setData(xs[-1:], ys[-1:])

    def current_point(self) -> tuple[float, float] | None:
        """The current point as drawn."""
        x, y = self._current.getData()
        return (float(x[0]), float(y[0])) if len(x) else None
