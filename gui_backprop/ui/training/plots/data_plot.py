"""The Train panel's data plot: the points and the model's current prediction.

When editing is on (:meth:`DataPlot.set_editable`), a left click on the plot asks for
a point there (``point_added``), Delete or Backspace asks to remove the point nearest
the mouse pointer (``point_removed``), and Ctrl+Z / Ctrl+Shift+Z ask for undo and redo;
the plot only reports, the Train panel decides.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence

from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.live_items import LiveCurve
from gui_backprop.ui.training.plots.live_plot import (
    CACHED,
    SUBPIXEL,
    LivePlotWidget,
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


class DataPlot(LivePlotWidget):
    """The data points and the model's current prediction over their range.

    ``point_added(x, y)``: a left click at (x, y), in data coordinates;
    ``point_removed(x, y, x_scale, y_scale)``: Delete with the pointer at (x, y), the
    scales being the view's width and height (so that "nearest" is what the eye sees);
    ``undo_requested`` and ``redo_requested``: Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y).
    """

    point_added = Signal(float, float)
    point_removed = Signal(float, float, float, float)
    undo_requested = Signal()
    redo_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._editable = False
        self._pointer: QPointF | None = None
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._moved)
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
    def set_editable(self, editable: bool) -> None:
        """Let clicks add points and Delete remove them (the tip says how)."""
        self._editable = editable
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable
                            else Qt.FocusPolicy.NoFocus)
        self.setToolTip("Click to add a point; Delete removes the one nearest the "
                        "pointer; Ctrl+Z undoes" if editable else "")

    @property
    def editable(self) -> bool:
        """True when clicks and keys edit the points."""
        return self._editable

    def data_position(self, scene_position: QPointF) -> QPointF | None:
        """The data coordinates at a scene position (``None`` outside the plot's area)."""
        box = self.getPlotItem().vb
        if not box.sceneBoundingRect().contains(scene_position):
            return None
        return box.mapSceneToView(scene_position)

    def _moved(self, scene_position: QPointF) -> None:
        self._pointer = self.data_position(scene_position)

    def _clicked(self, event) -> None:
        if not self._editable or event.button() != Qt.MouseButton.LeftButton \
                or event.double():
            return
        position = self.data_position(event.scenePos())
        if position is not None:
            self._pointer = position
            event.accept()
            self.point_added.emit(position.x(), position.y())

    def _edit_key(self, event) -> bool:
        return self._editable and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
            or (event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier)
            or event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace))

    def event(self, event) -> bool:
        """Claim the editing keys from the window's shortcuts (Backspace steps back)."""
        if event.type() == QEvent.Type.ShortcutOverride and self._edit_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Delete/Backspace, Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) while editing."""
        if not self._edit_key(event):
            super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            self.redo_requested.emit()
        else:  # Delete or Backspace
            (x0, x1), (y0, y1) = self.getPlotItem().vb.viewRange()
            pointer = self._pointer or QPointF((x0 + x1) / 2, (y0 + y1) / 2)
            self.point_removed.emit(pointer.x(), pointer.y(), x1 - x0 or 1.0, y1 - y0 or 1.0)
        event.accept()
