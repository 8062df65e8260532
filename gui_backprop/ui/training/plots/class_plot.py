"""The Train tab's plane for a classification lesson: the points by class, and the model's
decision boundary as an image behind them.

The boundary comes in the training snapshots, computed on the worker under
``torch.no_grad()`` (a grid of probabilities); this widget only turns that array into
colours (:mod:`.class_colours`, numpy) and hands them to one ``ImageItem``.

When editing is on, a click adds a point of a class picked by the button and the keys
held: left click class 0, right click or Shift+click class 1, Ctrl+click class 2 (the
Command key on macOS: Qt names it Ctrl there) where the lesson has three classes.
Delete removes and Ctrl+Z undoes (:class:`.EditablePlot`). The point nearest the
pointer wears a ring; Enter asks to walk through that one example
(``example_requested``): a plain click is already taken for adding points.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter

from gui_backprop.core.decision_boundary import MARGIN
from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.class_colours import (
    boundary_image,
    class_colours,
    class_symbol,
)
from gui_backprop.ui.training.plots.editable_plot import EditablePlot
from gui_backprop.ui.training.plots.live_items import LiveMarker
from gui_backprop.ui.training.plots.live_plot import CACHED, finite_extent, plot_range, style_plot

POINT_SIZE = 8
WALK_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CLASS_2_MODIFIER = Qt.KeyboardModifier.ControlModifier  # Command on macOS


class ClassPlot(EditablePlot):
    """The 2-D plane: the points coloured and shaped by class, the boundary behind them.

    ``point_added(x1, x2, label)``: a click at (x1, x2) asking for a point of class
    ``label``; ``example_requested(index)``: Enter with the ring on point ``index``.
    """

    point_added = Signal(float, float, int)
    example_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.theme = current_theme()
        self.colours = class_colours(self.theme.is_dark)
        style_plot(self, self.theme, "Data and decision boundary", "x₁", "x₂")
        self.setAccessibleName("Classification plot")
        self.setObjectName("trainClassPlot")
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # a smooth boundary
        # The view is the boundary's grid (the data and a margin), filled edge to edge;
        # the axes may then differ in scale a little, as in TensorFlow Playground.
        self.getPlotItem().disableAutoRange()
        self._classes = 2
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-2)  # under the grid and the points
        self.addItem(self._image, ignoreBounds=True)
        self._points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self._points.setCacheMode(CACHED)
        self.addItem(self._points)
        self._ring = LiveMarker(POINT_SIZE + 10, pg.mkPen(self.theme.text, width=2),
                                pg.mkBrush(0, 0, 0, 0))
        self._ring.setZValue(5)
        self.addItem(self._ring, ignoreBounds=True)
        self._xy = np.zeros((0, 2))
        self._labels = np.zeros(0, dtype=int)
        self._marked: int | None = None
        self._boundary_rgba: np.ndarray | None = None
        self._grid_rect: QRectF | None = None

    # -- what is shown ------------------------------------------------------------------
    def set_classes(self, classes: int) -> None:
        """How many classes the lesson has (a click can add a point of each of them)."""
        self._classes = classes
        self.set_editable(self.editable)  # the tip names the gestures that apply

    @property
    def classes(self) -> int:
        """How many classes the lesson has."""
        return self._classes

    def set_points(self, points: np.ndarray, labels: np.ndarray,
                   keep_view: bool = False) -> None:
        """Show ``points`` (``n × 2``) with their class ``labels`` (``n``)."""
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        classes = np.asarray(labels).astype(int).reshape(-1)
        if np.array_equal(xy, self._xy) and np.array_equal(classes, self._labels):
            return
        self._xy, self._labels = xy, classes
        outline = pg.mkPen(self.theme.text, width=1)
        brushes = [pg.mkBrush(self.colours[c % len(self.colours)]) for c in range(max(
            self._classes, int(classes.max(initial=0)) + 1))]
        self._points.setData(
            pos=xy, brush=[brushes[c] for c in classes], pen=outline,
            symbol=[class_symbol(c) for c in classes], data=np.arange(len(classes)))
        self._mark(None)
        if not keep_view and len(xy):
            self._frame(xy)

    def _frame(self, xy: np.ndarray) -> None:
        """Show the data and the margin the worker's boundary grid adds around them."""
        ranges = []
        for column in (0, 1):
            low, high = plot_range(*finite_extent(xy[:, column]))
            margin = MARGIN * (high - low)  # the core's boundary grid's margin
            ranges.append((low - margin, high + margin))
        self.getPlotItem().setRange(xRange=ranges[0], yRange=ranges[1], padding=0.0)

    def points_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points (``n × 2``) and their classes as drawn."""
        return self._xy, self._labels

    def set_boundary(self, xs: np.ndarray, ys: np.ndarray, probabilities: np.ndarray) -> None:
        """Draw the model's class probabilities over the grid ``xs`` × ``ys`` (cell
        centres; ``probabilities`` is ``len(ys) × len(xs) × classes``)."""
        rgba = boundary_image(probabilities, self.colours, self.theme.background)
        self._boundary_rgba = rgba
        self._image.setImage(rgba, autoLevels=False)
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx,
                      ys[-1] - ys[0] + dy)
        self._image.setRect(rect)
        self._image.setVisible(True)
        if rect != self._grid_rect:  # a run's first boundary: the view is its grid
            self._grid_rect = rect
            self.getPlotItem().setRange(rect, padding=0.0)

    def clear_boundary(self) -> None:
        """No boundary (before a run, or a new lesson)."""
        self._boundary_rgba = None
        self._image.setVisible(False)

    def boundary_data(self) -> np.ndarray | None:
        """The boundary image as drawn (RGBA), or ``None``."""
        return self._boundary_rgba

    # -- editing ------------------------------------------------------------------------
    def set_editable(self, editable: bool) -> None:
        """Let clicks add points of each class (the tip says how) and Delete remove them."""
        super().set_editable(editable)
        third = "; Ctrl+click (⌘-click on macOS): class 2" if self._classes > 2 else ""
        walk = "Enter walks through the ringed example's backward pass"
        self.setToolTip(f"Click: a class-0 point; right or Shift+click: class 1{third}. "
                        f"Delete removes the ringed point, Ctrl+Z undoes. {walk}."
                        if editable else f"{walk}.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Enter works while training too

    def label_for(self, button: Qt.MouseButton, modifiers: Qt.KeyboardModifier) -> int | None:
        """The class a click adds (``None``: this click adds nothing)."""
        if button == Qt.MouseButton.RightButton:
            return 1
        if button != Qt.MouseButton.LeftButton:
            return None
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            return 1
        if modifiers & CLASS_2_MODIFIER:
            return 2 if self._classes > 2 else None
        return 0

    def _click(self, position: QPointF, button: Qt.MouseButton,
               modifiers: Qt.KeyboardModifier) -> bool:
        label = self.label_for(button, modifiers)
        if label is None:
            return False
        self.point_added.emit(position.x(), position.y(), label)
        return True

    def nearest(self, position: QPointF) -> int | None:
        """The index of the point nearest ``position`` as the eye sees it, or ``None``."""
        if not len(self._xy):
            return None
        x_scale, y_scale = self.view_scales()
        distance = ((self._xy[:, 0] - position.x()) / x_scale) ** 2 \
            + ((self._xy[:, 1] - position.y()) / y_scale) ** 2
        return int(np.argmin(distance))

    def marked(self) -> int | None:
        """The index of the ringed point (the one Enter walks through), or ``None``."""
        return self._marked

    def _mark(self, index: int | None) -> None:
        self._marked = index
        self._ring.set_point(None if index is None else tuple(self._xy[index]))

    def _pointer_moved(self) -> None:
        pointer = self._pointer
        self._mark(None if pointer is None else self.nearest(pointer))

    def event(self, event) -> bool:
        """Claim Enter from the window's shortcuts while a point is ringed."""
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in WALK_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Enter: walk through the ringed example; the rest as :class:`EditablePlot`."""
        if event.key() in WALK_KEYS:
            index = self._marked if self._marked is not None else self.nearest(self.pointer())
            if index is not None:
                self.example_requested.emit(index)
            event.accept()
            return
        super().keyPressEvent(event)
