"""Plain Qt items for what moves while training: Qt draws them without calling Python.

pyqtgraph's curves and scatter plots have Python ``paint()``, ``boundingRect()`` and
``setData``; every call takes the GUI thread into Python, holding the GIL the training
thread needs between torch calls. These items subclass Qt's own path and pixmap items
and override none of their virtual methods, so a repaint draws them entirely in C++
and an update is one ``setPath`` or ``setPos``. The static parts of a plot (axes, data
points, heat map) stay pyqtgraph items; only these change from frame to frame.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsPixmapItem

MARKER_SCALE = 2  # the marker is drawn at twice its size, sharp on high-density screens


class LiveCurve(QGraphicsPathItem):
    """A polyline through (x, y) in its ViewBox's data coordinates; non-finite points break it.

    The pen should be cosmetic (``pg.mkPen`` makes it so): its width is in pixels
    whatever the zoom.
    """

    def __init__(self, pen: QPen):
        super().__init__()
        self.setPen(pen)
        self._x = self._y = np.empty(0)

    def set_xy(self, x, y) -> None:
        """Draw the polyline through these points (none: draw nothing)."""
        self._x = np.asarray(x, dtype=float)
        self._y = np.asarray(y, dtype=float)
        if len(self._x) < 2:
            self.setPath(QPainterPath())
        else:
            self.setPath(pg.arrayToQPath(self._x, self._y, connect="finite"))

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        """The points drawn."""
        return self._x, self._y


class LiveMarker(QGraphicsPixmapItem):
    """A round marker of a fixed size in pixels, centred on a point in data coordinates."""

    def __init__(self, diameter: int, pen: QPen, brush: QBrush):
        super().__init__(_disc(diameter, pen, brush))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.setOffset(-diameter / 2, -diameter / 2)
        self._point: tuple[float, float] | None = None
        self.setVisible(False)

    def set_point(self, point: tuple[float, float] | None) -> None:
        """Put the marker at ``point`` (``None``: hide it)."""
        self._point = point
        self.setVisible(point is not None)
        if point is not None:
            self.setPos(QPointF(*point))

    def point(self) -> tuple[float, float] | None:
        """Where the marker is (``None`` when hidden)."""
        return self._point


def _disc(diameter: int, pen: QPen, brush: QBrush) -> QPixmap:
    """An antialiased filled circle with an outline, ``diameter`` pixels across."""
    size = diameter * MARKER_SCALE
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outline = QPen(pen)
    outline.setWidthF(pen.widthF() * MARKER_SCALE)
    outline.setCosmetic(False)
    painter.setPen(outline)
    painter.setBrush(brush)
    inset = outline.widthF() / 2 + 0.5
    painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - inset, size / 2 - inset)
    painter.end()
    pixmap.setDevicePixelRatio(MARKER_SCALE)
    return pixmap


class LiveGrid(QGraphicsPathItem):
    """Grid lines at an axis pair's ticks, in data coordinates: major lines, fainter minor ones.

    pyqtgraph draws its grid as part of each axis, which makes the axis's cached
    pixmap as big as the plot and its repaint (Python, holding the GIL) costly; this
    item is redrawn by Qt alone and recomputed only when the view's range changes.
    """

    def __init__(self, major: QPen, minor: QPen):
        super().__init__()
        self.setPen(major)
        self._minor = QGraphicsPathItem(self)
        self._minor.setPen(minor)
        self._shown_for: tuple | None = None

    def show_ticks(self, bottom: pg.AxisItem, left: pg.AxisItem, view: pg.ViewBox) -> None:
        """Draw lines at the ticks ``bottom`` and ``left`` show for ``view``'s range."""
        (x0, x1), (y0, y1) = view.viewRange()
        width, height = view.width(), view.height()
        key = (x0, x1, y0, y1, width, height, bottom.logMode, left.logMode)
        if key == self._shown_for:
            return
        self._shown_for = key
        paths = (QPainterPath(), QPainterPath())
        if width > 0 and height > 0:
            for level, values in enumerate(_ticks(bottom, x0, x1, width)):
                for x in values:
                    paths[level].moveTo(x, y0)
                    paths[level].lineTo(x, y1)
            for level, values in enumerate(_ticks(left, y0, y1, height)):
                for y in values:
                    paths[level].moveTo(x0, y)
                    paths[level].lineTo(x1, y)
        self.setPath(paths[0])
        self._minor.setPath(paths[1])


def _ticks(axis: pg.AxisItem, low: float, high: float, pixels: float) -> list[list[float]]:
    """The major and the minor ticks ``axis`` shows over ``low .. high`` (inside it)."""
    levels = [[v for v in values if low <= v <= high]
              for _spacing, values in axis.tickValues(low, high, pixels)[:2]]
    return levels + [[]] * (2 - len(levels))
