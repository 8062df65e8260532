"""What the Train panel's plots share (pyqtgraph), built to stay cheap.

The training thread needs Python's GIL between torch calls, and each time the GUI thread
takes it, training waits. So these plots keep their work on the GUI thread small:

- What moves while training (the loss curve, the fitted line, the path and the current
  point) is drawn by plain Qt items (:mod:`~gui_backprop.ui.training.plots.live_items`),
  which Qt paints in C++ within the one call of pyqtgraph's ``paintEvent``, instead of
  pyqtgraph's curves with their Python ``paint()``, ``boundingRect()`` and ``setData``.
- The grid is such an item too (:class:`LivePlotWidget`): pyqtgraph draws its grid as
  part of each axis, so the axes' cached pixmaps would span the whole plot and every
  change of range would repaint them, in Python.
- Each plot is fed from snapshots and redrawn only when the panel's timer asks, never
  once per training step; axes are cached as pixmaps and their ranges change only in
  coarse steps (whole decades, the run's full length).

Measured (``make bench`` and ``docs/architecture.md``): fewer, cheaper calls into Python
matter more than where the pixels are drawn. Letting Qt paint the view in C++ without
the GIL (bypassing pyqtgraph's Python ``paintEvent``) made training slower, not faster:
every Python item then takes the GIL on its own, and each hand-over costs the trainer.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from gui_backprop.ui.looks.theme import Theme, current_theme
from gui_backprop.ui.training.plots.live_items import LiveGrid

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache
SUBPIXEL = 1e-3  # a change below this fraction of a plot's span is not redrawn
GRID_ALPHA = 0.3
PLOT_LIMIT = 1e300  # what a plot shows is clipped to this size: a range around it, with
# padding, stays inside float64 (1.8e308), where pyqtgraph refuses an infinite range


def shown(values) -> np.ndarray:
    """``values`` as a plot can draw them: infinities and sizes beyond :data:`PLOT_LIMIT`
    clipped to it (NaN stays NaN, a gap)."""
    return np.clip(np.asarray(values, dtype=float), -PLOT_LIMIT, PLOT_LIMIT)


def plot_range(low: float, high: float) -> tuple[float, float]:
    """A range a plot can show for data from ``low`` to ``high`` (either may be NaN or
    infinite): finite, within :data:`PLOT_LIMIT`, and never empty."""
    low = 0.0 if math.isnan(low) else min(max(low, -PLOT_LIMIT), PLOT_LIMIT)
    high = low if math.isnan(high) else min(max(high, -PLOT_LIMIT), PLOT_LIMIT)
    if high <= low:
        high = low + max(1.0, abs(low))
    return low, high


def finite_extent(values) -> tuple[float, float]:
    """The smallest and largest finite value (NaN, NaN when there is none)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return math.nan, math.nan
    return float(finite.min()), float(finite.max())


class LivePlotWidget(pg.PlotWidget):
    """A pyqtgraph plot with a grid drawn by Qt, following the view's range (see above)."""

    def __init__(self, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        view = self.getViewBox()
        major, minor = QColor(current_theme().muted_text), QColor(current_theme().muted_text)
        major.setAlphaF(GRID_ALPHA)
        minor.setAlphaF(GRID_ALPHA / 2.5)
        self._grid = LiveGrid(pg.mkPen(major, width=1), pg.mkPen(minor, width=1))
        self._grid.setZValue(-1)  # under everything the plot shows
        self.addItem(self._grid, ignoreBounds=True)
        view.sigRangeChanged.connect(self._move_grid)
        view.sigResized.connect(self._move_grid)

    def _move_grid(self, *_args) -> None:
        item = self.getPlotItem()
        self._grid.show_ticks(item.getAxis("bottom"), item.getAxis("left"), item.getViewBox())


def style_plot(plot: pg.PlotWidget, theme: Theme, title: str, bottom: str, left: str) -> None:
    """Colours, title, axis labels; axes cached so a moving curve does not redraw them."""
    plot.setBackground(theme.background)
    item = plot.getPlotItem()
    item.setTitle(title, color=theme.text, size="10pt")
    for name, text in (("bottom", bottom), ("left", left)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.muted_text))
        axis.setTextPen(pg.mkPen(theme.text))
        axis.setLabel(text, color=theme.muted_text)
        axis.setCacheMode(CACHED)
    item.setMenuEnabled(False)
    item.hideButtons()
    plot.setMinimumSize(100, 90)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (> 0),
    for ``value`` up to :data:`PLOT_LIMIT` (larger ones give the limit)."""
    if not value <= PLOT_LIMIT:
        return PLOT_LIMIT
    power = 10.0 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return factor * power
    return 10 * power
