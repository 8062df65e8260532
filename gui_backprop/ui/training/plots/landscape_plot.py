"""The loss landscape plot: a heat map of log10 J(w, b), contour lines, the path taken.

The landscape and its contour lines are computed on the training thread
(:mod:`gui_backprop.core.training_landscape`); this widget only draws them. The heat
map and the contours are cached as pixmaps, so a training frame repaints the path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training_landscape import LossLandscape
from gui_backprop.core.training_stability import StabilityLimit
from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.live_items import LiveCurve, LiveMarker
from gui_backprop.ui.training.plots.live_plot import (
    CACHED,
    SUBPIXEL,
    LivePlotWidget,
    set_axis_name,
    style_plot,
)

CONTOUR_PEN = (255, 255, 255, 110)
FAR_TOO_WIDE = 50  # a kept view this many times wider than the path is framed again


class LandscapePlot(LivePlotWidget):
    """Heat map of log10 J over two parameters, contours, the path and the current point."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        # a short title: a long one would set the plot's least width
        style_plot(self, self.theme, "Loss landscape", "w", "b")
        self.setToolTip("The loss over two parameters: darker is lower; + marks the lowest")
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
        self._path_shadow = LiveCurve(pg.mkPen((0, 0, 0, 150), width=5))
        self._path = LiveCurve(pg.mkPen("#ffffff", width=2))
        self._lowest = pg.ScatterPlotItem(size=14, symbol="+", pen=pg.mkPen("#ffffff", width=2))
        self._current = LiveMarker(12, pg.mkPen("#ffffff", width=2),
                                   pg.mkBrush(self.theme.negative))
        for z, item in enumerate((self._path_shadow, self._path, self._lowest, self._current)):
            item.setZValue(10 + z)
            self.addItem(item, ignoreBounds=item is not self._lowest)
        # The direction of steepest curvature through the start (the Hessian's top
        # eigenvector): past lr < 2/λmax, the path swings along it and flies off.
        self._steepest = pg.InfiniteLine(pen=pg.mkPen("#ffffff", width=1.5,
                                                      style=Qt.PenStyle.DashLine))
        self._steepest_label = pg.TextItem(color="#ffffff", fill=(0, 0, 0, 170),
                                           anchor=(0, 0))
        for item in (self._steepest, self._steepest_label):
            item.setZValue(9)
            item.setVisible(False)
            self.addItem(item, ignoreBounds=True)
        self.steepest_text = ""
        self._xs = np.empty(1024)
        self._ys = np.empty(1024)
        self._count = 0
        self._dirty = False
        self._frame: tuple[float, float, float, float] | None = None
        self._names: tuple[str, str] | None = None
        self.getPlotItem().disableAutoRange()
        self.landscape: LossLandscape | None = None

    def reset(self, names: tuple[str, str] | None = None) -> None:
        """Forget the landscape and the path; ``names`` label the axes."""
        self._count = 0
        self._dirty = True
        self.landscape = None
        self._image.clear()
        self._contours.setData([], [])
        self._lowest.setData([], [])
        self._steepest.setVisible(False)
        self._steepest_label.setVisible(False)
        self.steepest_text = ""
        # the view stays until the new path leaves it: a new run does not make it jump
        (x0, x1), (y0, y1) = self.getPlotItem().viewRange()
        self._frame = (x0, x1, y0, y1) if names is not None and names == self._names else None
        self._names = names
        if names is not None:
            item = self.getPlotItem()
            set_axis_name(item.getAxis("bottom"), names[0], self.theme)
            set_axis_name(item.getAxis("left"), names[1], self.theme)
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
        self._frame = None
        self.getPlotItem().setRange(xRange=(a0, a1), yRange=(b0, b1), padding=0)

    def show_steepest(self, start: Mapping[str, float], stability: StabilityLimit) -> None:
        """Draw the direction of steepest curvature through ``start`` with the limit it
        sets; where the loss curves down (a saddle: no limit exists) only say so."""
        if self._names is None or tuple(stability.names) != tuple(self._names):
            return
        curves_down = stability.has_negative_curvature
        if stability.limit is None and not curves_down:
            return
        first, second = (float(start[name]) for name in self._names)
        d_first, d_second = stability.direction
        self._steepest.setPos((first, second))
        self._steepest.setAngle(math.degrees(math.atan2(d_second, d_first)))
        if curves_down:
            self.steepest_text = (f"curves down: λmin = {format_number(stability.lambda_min, 4)}"
                                  "\nno minimum: no lr settles")
        else:
            self.steepest_text = (f"steepest: λmax = {format_number(stability.lambda_max, 4)}"
                                  f"\nstable while lr < {format_number(stability.limit, 4)}")
        self._steepest_label.setText(self.steepest_text)
        # Text towards the middle of the plot, so that it is never cut at an edge.
        (x0, x1), (y0, y1) = self.getPlotItem().viewRange()
        self._steepest_label.setAnchor((1 if first > (x0 + x1) / 2 else 0,
                                        0 if second > (y0 + y1) / 2 else 1))
        self._steepest_label.setPos(first, second)
        self._steepest.setVisible(not curves_down)
        self._steepest_label.setVisible(True)

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
        self._path_shadow.set_xy(xs, ys)
        self._path.set_xy(xs, ys)
        self._current.set_point((float(xs[-1]), float(ys[-1])) if self._count else None)
        if self.landscape is None and self._count:
            self._frame_path(xs, ys)

    def _frame_path(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Until a landscape arrives, keep the path in view, widening it in big steps.

        Each change of range repaints the axes, so the view doubles rather than follows.
        """
        low_x, high_x, low_y, high_y = xs.min(), xs.max(), ys.min(), ys.max()
        frame = self._frame
        if frame is not None and (frame[1] - frame[0] > FAR_TOO_WIDE * max(high_x - low_x, 0.5)
                                  or frame[3] - frame[2] > FAR_TOO_WIDE
                                  * max(high_y - low_y, 0.5)):
            frame = None  # the last run's view (a diverged one) would make this path a dot
        if frame is not None and frame[0] <= low_x and high_x <= frame[1] \
                and frame[2] <= low_y and high_y <= frame[3]:
            return
        half_x = max(high_x - low_x, 0.5, 0 if frame is None else frame[1] - frame[0])
        half_y = max(high_y - low_y, 0.5, 0 if frame is None else frame[3] - frame[2])
        middle_x, middle_y = (low_x + high_x) / 2, (low_y + high_y) / 2
        self._frame = (middle_x - half_x, middle_x + half_x, middle_y - half_y, middle_y + half_y)
        self.getPlotItem().setRange(xRange=self._frame[:2], yRange=self._frame[2:], padding=0)

    def current_point(self) -> tuple[float, float] | None:
        """The current point as drawn."""
        return self._current.point()

    def path_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The path as drawn (moves below a pixel are left out)."""
        return self._path.xy()
