"""The training plots as one PNG: each plot as shown, one under the other, at twice size."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStackedWidget, QTabWidget, QWidget

from gui_backprop.ui.files.pictures import RENDER_HINTS

PLOT_SCALE = 2.0
GAP = 12


def bring_into_view(widget: QWidget) -> None:
    """Select the tabs that hold ``widget`` and let it take its size (plots that were
    never on screen have none yet)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            parent.parentWidget().setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
    QApplication.processEvents()


def plots_image(plots: list[QWidget], background: QColor, scale: float = PLOT_SCALE) -> QImage:
    """``plots`` stacked top to bottom, rendered ``scale`` times their size."""
    width = max(plot.width() for plot in plots)
    height = sum(plot.height() for plot in plots) + GAP * (len(plots) - 1)
    image = QImage(round(width * scale), round(height * scale),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(background)
    painter = QPainter(image)
    try:
        painter.setRenderHints(RENDER_HINTS)
        painter.scale(scale, scale)
        top = 0
        for plot in plots:
            # QWidget.render: a plot's own render() draws its scene, not the widget
            QWidget.render(plot, painter, QPoint(0, top))
            top += plot.height() + GAP
    finally:
        painter.end()
    return image
