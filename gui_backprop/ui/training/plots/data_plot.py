"""The Train panel's data plot: the points and the model's current prediction.

When editing is on (:meth:`DataPlot.set_editable`), a left click on the plot asks for
a point there (``point_added``); Delete, undo and redo are :class:`.EditablePlot`'s.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.editable_plot import EditablePlot
from gui_backprop.ui.training.plots.live_items import LiveCurve
from gui_backprop.ui.training.plots.live_plot import (
    CACHED,
    SUBPIXEL,
    finite_extent,
    plot_range,
    set_axis_name,
    shown,
    style_plot,
)

FAR_TOO_WIDE = 50  # a kept view this many times the data's size is framed again


def _far_wider(kept: list[float] | None, data: list[float]) -> bool:
    """True when the view kept from the last run dwarfs the data (after a divergence)."""
    if kept is None:
        return True
    return any(kept[i + 1] - kept[i] > FAR_TOO_WIDE * max(data[i + 1] - data[i], 1e-9)
               for i in (0, 2))


class DataPlot(EditablePlot):
    """The data points and the model's current prediction over their range.

    ``point_added(x, y)``: a left click at (x, y), in data coordinates (the other
    signals are :class:`.EditablePlot`'s).
    """

    point_added = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        style_plot(self, self.theme, "Data and fitted line", "x", "y")
        self.setAccessibleName("Data plot")
        self.setObjectName("trainDataPlot")
        self._points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(self.theme.background),
                                          brush=pg.mkBrush(self.theme.positive))
        self._points.setCacheMode(CACHED)
        self.addItem(self._points)
        self._fit = LiveCurve(pg.mkPen(self.theme.negative, width=3))
        self.addItem(self._fit, ignoreBounds=True)
        self.getPlotItem().disableAutoRange()
        self._extent: list[float] | None = None

    def set_points(self, x: np.ndarray, y: np.ndarray, target: str = "y",
                   keep_view: bool = False) -> None:
        """Show the data points (``target`` names the vertical axis).

        The same points again (a new run on the same data) keep the view as it is, so
        that starting again does not make the axes jump and redraw; so does
        ``keep_view`` (a point clicked in or deleted: the view stays under the pointer).
        """
        set_axis_name(self.getPlotItem().getAxis("left"), target, self.theme)
        self._fit.set_xy([], [])  # the next curve is a first one: it widens the view if need be
        old_x, old_y = self._points.getData()
        extent = [*finite_extent(x), *finite_extent(y)]
        if old_x is not None and np.array_equal(old_x, x) and np.array_equal(old_y, y) \
                and not _far_wider(self._extent, extent):
            return
        drawable = np.isfinite(x) & np.isfinite(y)  # a point without a place is not drawn
        self._points.setData(shown(x[drawable]), shown(y[drawable]))
        # Each run frames its own data, not the range a diverged fit widened the view to.
        self._extent = extent
        if not keep_view:
            self._show_extent()

    def set_curve(self, x: np.ndarray | None, y: np.ndarray | None, exact: bool = False) -> None:
        """Show the fitted curve (none when ``x`` is ``None``); the first one widens the view.

        A curve that moved less than a pixel or so is not redrawn unless ``exact``.
        """
        if x is None or y is None:
            self._fit.set_xy([], [])
            return
        old_x, old_y = self._fit.xy()
        first = len(old_x) == 0
        if not (first or exact) and len(old_y) == len(y) and self._extent is not None:
            span = self._extent[3] - self._extent[2]
            if np.all(old_x == x) and np.max(np.abs(old_y - y)) < span * SUBPIXEL:
                return
        self._fit.set_xy(shown(x), shown(y))
        if first and self._extent is not None and np.all(np.isfinite(y)):
            e = self._extent
            self._extent = [min(e[0], float(x.min())), max(e[1], float(x.max())),
                            min(e[2], float(y.min())), max(e[3], float(y.max()))]
            self._show_extent()

    def _show_extent(self) -> None:
        x0, x1, y0, y1 = self._extent
        self.getPlotItem().setRange(xRange=plot_range(x0, x1), yRange=plot_range(y0, y1),
                                    padding=0.06)

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The fitted curve as drawn."""
        return self._fit.xy()

    def points_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points as drawn."""
        x, y = self._points.getData()
        return (np.array([]), np.array([])) if x is None else (x, y)

    # -- editing ------------------------------------------------------------------------
    def _click(self, position: QPointF, button: Qt.MouseButton,
               modifiers: Qt.KeyboardModifier) -> bool:
        """A left click asks for a point there."""
        if button != Qt.MouseButton.LeftButton:
            return False
        self.point_added.emit(position.x(), position.y())
        return True
