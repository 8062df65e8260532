"""The loss landscape plot: a heat map of log10 J(w, b), contour lines, the path taken.

The landscape and its contour lines are computed on the training thread
(:mod:`gui_backprop.core.training_landscape`); this widget only draws them. The heat
map and the contours are cached as pixmaps, so a training frame repaints the path.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from gui_backprop.core.training_landscape import LossLandscape
from gui_backprop.ui.theme import current_theme
from gui_backprop.ui.train_plots import CACHED, SUBPIXEL, style_plot

CONTOUR_PEN = (255, 255, 255, 110)


class LandscapePlot(pg.PlotWidget):
    """Heat map of log10 J over two parameters, contours, the path and the current point."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        style_plot(self, self.theme, "Loss landscape (darker: lower loss)", "w", "b")
        self.setAccessibleName("Loss landscape")
        self.setObjectName("trainLandscapePlot")
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # a smooth heat map
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setColorMap(pg.colormap.get("viridis"))
        self._image.setCacheMode(CACHED)
        self.addItem(self._image)
        self._contours = pg.PlotCurveItem(pen=pg.mkPen(CONTOUR_PEN, width=1),
                                          connect="finite", skipFiniteCheck=True)
        self._contours.setCacheMode(CACHED)
        self.addItem(self._contours)
        self._path_shadow = self.plot(pen=pg.mkPen((0, 0, 0, 150), width=5))
        self._path = self.plot(pen=pg.mkPen("#ffffff", width=2))
        self._lowest = pg.ScatterPlotItem(size=14, symbol="+", pen=pg.mkPen("#ffffff", width=2))
        self._current = pg.ScatterPlotItem(size=12, pen=pg.mkPen("#ffffff", width=2),
                                           brush=pg.mkBrush(self.theme.negative))
        for z, item in enumerate((self._path_shadow, self._path, self._lowest, self._current)):
            item.setZValue(10 + z)
        self.addItem(self._lowest)
        self.addItem(self._current)
        self._xs = np.empty(1024)
        self._ys = np.empty(1024)
        self._count = 0
        self._dirty = False
        self.landscape: LossLandscape | None = None

    def reset(self, names: tuple[str, str] | None = None) -> None:
        """Forget the landscape and the path; ``names`` label the axes."""
        self._count = 0
        self._dirty = True
        self.landscape = None
        self._image.clear()
        self._contours.setData([], [])
        self._lowest.setData([], [])
        self.getPlotItem().enableAutoRange()
        if names is not None:
            item = self.getPlotItem()
            item.getAxis("bottom").setLabel(names[0], color=self.theme.muted_text)
            item.getAxis("left").setLabel(names[1], color=self.theme.muted_text)
        self.redraw()

    def set_landscape(self, landscape: LossLandscape) -> None:
        """Show a newly computed landscape (the path is kept)."""
        self.landscape = landscape
        heat = landscape.log_loss
        finite = heat[np.isfinite(heat)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        high = high if high > low else low + 1.0
        self._image.setImage(np.where(np.isfinite(heat), heat, high), levels=(low, high))
        a0, a1, b0, b1 = landscape.bounds
        self._image.setRect(QRectF(a0, b0, a1 - a0, b1 - b0))
        lines = [points for _, points in landscape.contours]
        if lines:
            joined = np.concatenate([np.vstack([p, [[np.nan, np.nan]]]) for p in lines])
            self._contours.setData(joined[:, 0], joined[:, 1])
        else:
            self._contours.setData([], [])
        lowest = landscape.lowest
        self._lowest.setData([lowest[0]] if lowest else [], [lowest[1]] if lowest else [])
        self.getPlotItem().disableAutoRange()
        self.getPlotItem().setRange(xRange=(a0, a1), yRange=(b0, b1), padding=0)

    def add_point(self, first: float, second: float, exact: bool = False) -> None:
        """Move the current point; the path keeps it unless it moved less than a pixel.

        A move of less than a pixel is not redrawn unless ``exact`` (a final state).
        """
        last = self._count - 1
        if last >= 1 and self._near(self._xs[last], self._ys[last],
                                    self._xs[last - 1], self._ys[last - 1]):
            # the current point never got a pixel away from the path: the new one replaces it
            if exact or not self._near(first, second, self._xs[last], self._ys[last]):
                self._dirty = True
            self._xs[last] = first
            self._ys[last] = second
            return
        if self._count == len(self._xs):
            self._xs = np.concatenate([self._xs, np.empty(len(self._xs))])
            self._ys = np.concatenate([self._ys, np.empty(len(self._ys))])
        self._xs[self._count] = first
        self._ys[self._count] = second
        self._count += 1
        self._dirty = True

    def _near(self, a: float, b: float, c: float, d: float) -> bool:
        """True when (a, b) and (c, d) are within a pixel or so of each other."""
        (x0, x1), (y0, y1) = self.getPlotItem().viewRange()
        return abs(a - c) < (x1 - x0) * SUBPIXEL and abs(b - d) < (y1 - y0) * SUBPIXEL

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
