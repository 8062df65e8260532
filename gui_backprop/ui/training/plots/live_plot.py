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
- Each plot is fed from snapshots and redrawn only when a :class:`FramePacer` asks, at
  most :data:`FRAMES_PER_SECOND`, never once per training step, and not at all while it
  is hidden; axes are cached as pixmaps and their ranges change only in coarse steps
  (whole decades, the run's full length).

A new live plot gets all of this by subclassing :class:`LivePlotWidget` (styled with
:func:`style_plot`): keep what a snapshot brings in ``append``/``set_*`` methods that
only store it and mark the plot dirty, and draw in a ``redraw()`` that does nothing
when clean, with :mod:`live_items` for what moves (or one ``ImageItem.setImage`` per
frame for an image). In the Train panel, call that ``redraw()`` from the panel's
``_refresh`` (its pacer's frame); elsewhere, give the plot its own
``FramePacer(self.redraw, self)`` and call ``request()`` per snapshot.

Measured (``make bench`` and ``docs/architecture.md``): fewer, cheaper calls into Python
matter more than where the pixels are drawn. Letting Qt paint the view in C++ without
the GIL (bypassing pyqtgraph's Python ``paintEvent``) made training slower, not faster:
every Python item then takes the GIL on its own, and each hand-over costs the trainer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem

from gui_backprop.core.formatting import format_number
from gui_backprop.ui.looks.theme import Theme, current_theme
from gui_backprop.ui.training.plots.live_items import LiveGrid

FRAMES_PER_SECOND = 10
"""How often the live plots redraw while training, and how often the worker sends a
snapshot (one snapshot, one frame). Each frame costs the GUI thread Python work while
holding the GIL the trainer needs; 10 a second still reads as motion (the curves move a
few pixels a frame) and leaves the trainer ≥ 0.88 of a bare loop (docs/architecture.md)."""
EARLY = 0.75  # a request this far into a frame's interval draws at once (timer jitter)
CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache
SUBPIXEL = 1e-3  # a change below this fraction of a plot's span is not redrawn
GRID_ALPHA = 0.3
TEXT_POINTS = 10.0  # a plot's text before the window's text size reaches it
TICK_SHARE = 0.9  # tick labels and axis names, of the window's text size; the title is 1.0
MAX_TEXT_POINTS = 16.0  # larger window text (a projector) stops here: a plot is mostly lines
HEIGHT_PER_POINT = 9  # a plot's least height in pixels per point of its text (not clipped)
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


def tick_text(value: float, spacing: float) -> str:
    """A tick's number as written: short, in full (``0.25``, ``1500``, ``2e+58``), never
    scaled by a factor shown elsewhere."""
    if value == 0 or abs(value) < abs(spacing) * 1e-6:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        decimals = max(0, -math.floor(math.log10(abs(spacing)) + 1e-9)) if spacing else 3
        return f"{value:.{min(decimals, 6)}f}"
    return format_number(value, 3).removesuffix(".0")


class NumberAxis(pg.AxisItem):
    """An axis whose ticks are the numbers themselves: pyqtgraph's automatic SI scaling
    (a label such as "w (×1e+27)" and ticks to multiply by it) is off."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """Each tick as its plain number."""
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        return [tick_text(value * scale, (spacing or 0.0) * scale) for value in values]


class LivePlotWidget(pg.PlotWidget):
    """A pyqtgraph plot with a grid drawn by Qt, following the view's range (see above)."""

    def __init__(self, parent=None, **kwargs):
        axes = {"left": NumberAxis("left"), "bottom": NumberAxis("bottom")}
        kwargs["axisItems"] = {**axes, **kwargs.get("axisItems", {})}
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
        self.text_points = TEXT_POINTS
        self._title = ""

    def set_title(self, text: str) -> None:
        """Show ``text`` as the plot's title, at the window's text size."""
        self._title = text
        self.getPlotItem().setTitle(text, color=current_theme().text,
                                    size=f"{self.text_points:g}pt")

    def title(self) -> str:
        """The plot's title as shown."""
        return self.getPlotItem().titleLabel.text

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Follow the window's text size (View › Text size sets it by style sheet)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.set_text_points(self.font().pointSizeF())

    def set_text_points(self, points: float) -> None:
        """Title at ``points`` (up to :data:`MAX_TEXT_POINTS`), tick labels and axis names
        at :data:`TICK_SHARE` of it; the plot's least height grows with it."""
        points = min(points, MAX_TEXT_POINTS)
        if points <= 0 or points == self.text_points:
            return
        self.text_points = points
        self.setMinimumHeight(max(90, round(HEIGHT_PER_POINT * points)))
        item = self.getPlotItem()
        font = QFont(self.font())
        font.setPointSizeF(points * TICK_SHARE)
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setTickFont(font)
            axis.labelStyle["font-size"] = f"{points * TICK_SHARE:g}pt"
            axis._updateLabel()  # noqa: SLF001 - pyqtgraph has no public way to restyle
        if self._title:
            self.set_title(self._title)

    def _move_grid(self, *_args) -> None:
        item = self.getPlotItem()
        self._grid.show_ticks(item.getAxis("bottom"), item.getAxis("left"), item.getViewBox())


def set_axis_name(axis: pg.AxisItem, text: str, theme: Theme) -> None:
    """Name ``axis`` (keeping the text size its plot gave it)."""
    size = axis.labelStyle.get("font-size")
    axis.setLabel(text, color=theme.muted_text, **({"font-size": size} if size else {}))


def style_plot(plot: LivePlotWidget, theme: Theme, title: str, bottom: str, left: str) -> None:
    """Colours, title, axis labels; axes cached so a moving curve does not redraw them."""
    plot.setBackground(theme.background)
    item = plot.getPlotItem()
    plot.set_title(title)
    for name, text in (("bottom", bottom), ("left", left)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.muted_text))
        axis.setTextPen(pg.mkPen(theme.text))
        set_axis_name(axis, text, theme)
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


class FramePacer(QObject):
    """Draws live frames by calling ``draw`` at most ``rate`` times a second.

    :meth:`request` is called whenever new data arrives (a snapshot). If a frame's
    interval has (almost) passed since the last frame it draws at once, in the same
    slot, so that receiving the data and drawing it take the GIL once; otherwise one
    single-shot timer draws the rest later (many requests, one frame). While the
    widget ``shown_in`` is hidden (another tab on screen) no frame is drawn, only
    ``hidden_draw`` is called (what must stay current off screen, such as a status
    line); the next :meth:`request` after it shows again draws.

    ``drawn`` fires after each frame.
    """

    drawn = Signal()

    def __init__(self, draw: Callable[[], None], shown_in, rate: float = FRAMES_PER_SECOND,
                 hidden_draw: Callable[[], None] | None = None):
        super().__init__(shown_in)
        self._draw = draw
        self._hidden_draw = hidden_draw
        self._shown_in = shown_in
        self.interval = 1.0 / rate
        self._last = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.draw_now)

    def request(self) -> None:
        """New data: draw it now or within a frame's interval."""
        if self._timer.isActive():
            return
        wait = self._last + self.interval - time.perf_counter()
        if wait <= self.interval * (1 - EARLY):
            self.draw_now()
        else:
            self._timer.start(max(1, round(wait * 1000)))

    def draw_now(self) -> None:
        """Draw a frame now (the final state of a run, a pause)."""
        self._timer.stop()
        self._last = time.perf_counter()
        if self._shown_in.isVisible():
            self._draw()
        elif self._hidden_draw is not None:
            self._hidden_draw()
        self.drawn.emit()

    def cancel(self) -> None:
        """Forget a frame that was due."""
        self._timer.stop()
