"""Pictures for export: the graph canvas as PNG (at twice its size, for crisp print) or
SVG, and the training plots as one PNG.

The graph is rendered from the scene itself, not a screenshot of the view: the whole
graph whatever the zoom, with the values, gradients and highlight the walkthrough shows
right now, on the canvas's own background colour. The plots are rendered as shown, one
under the other.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

PNG_SCALE = 2.0
PLOT_SCALE = 2.0
GAP = 12  # between two plots in the picture of the plots
RENDER_HINTS = (QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                | QPainter.RenderHint.SmoothPixmapTransform)


class ExportError(OSError):
    """A picture or file could not be written; the message says where."""


@contextmanager
def _uncached(scene: QGraphicsScene):
    """Paint every item afresh (a cached item would reach the SVG as a bitmap, the PNG
    at screen resolution)."""
    items = [(item, item.cacheMode()) for item in scene.items()]
    for item, _mode in items:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in items:
            item.setCacheMode(mode)


def _paint(scene: QGraphicsScene, painter: QPainter, target: QRectF, background: QColor) -> None:
    painter.setRenderHints(RENDER_HINTS)
    painter.fillRect(target, background)
    with _uncached(scene):
        scene.render(painter, target, scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)


def graph_image(scene: QGraphicsScene, background: QColor, scale: float = PNG_SCALE) -> QImage:
    """The whole scene as an image ``scale`` times its natural size."""
    source = scene.sceneRect()
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(background)
    painter = QPainter(image)
    try:
        _paint(scene, painter, QRectF(0, 0, size.width(), size.height()), background)
    finally:
        painter.end()
    return image


def write_graph_png(scene: QGraphicsScene, background: QColor, path: Path,
                    scale: float = PNG_SCALE) -> None:
    """Save the graph as a PNG, ``scale`` times its natural size."""
    write_bytes(path, png_bytes(graph_image(scene, background, scale)))


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data)


def write_graph_svg(scene: QGraphicsScene, background: QColor, path: Path,
                    title: str = "Computational graph") -> None:
    """Save the graph as an SVG drawing (texts stay text)."""
    source = scene.sceneRect()
    size = QSize(max(1, round(source.width())), max(1, round(source.height())))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setResolution(96)  # CSS pixels: the drawing opens at the size of the canvas
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from Backprop Lab: every number computed by PyTorch.")
    painter = QPainter(generator)
    try:
        _paint(scene, painter, QRectF(0, 0, size.width(), size.height()), background)
    finally:
        painter.end()
    buffer.close()
    write_bytes(path, bytes(data))


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; :class:`ExportError` with the reason on failure."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ExportError(f"could not write {Path(path).name}: {exc.strerror or exc}") from None


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
