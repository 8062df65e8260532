"""The live loss plot: the loss at every step, smooth for a million steps.

Every loss is kept in a preallocated buffer. While the plot follows the run (its x
axis spans the whole run from the start), a long run is drawn as its *peak envelope*:
the lowest and highest loss of each of up to :data:`COLUMNS` slices of the run (two
per pixel), kept up to date as chunks arrive, so a redraw costs the same for a
thousand steps or a million. Once the learner pans or zooms, the plot shows the full
data instead, through pyqtgraph's clip-to-view and peak downsampling. While following,
the curve is a plain Qt path item (:mod:`~gui_backprop.ui.training.plots.live_items`),
which Qt paints without Python.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training_landscape import SMALLEST_LOSS
from gui_backprop.ui.looks.theme import current_theme
from gui_backprop.ui.training.plots.live_items import LiveCurve
from gui_backprop.ui.training.plots.live_plot import (
    LivePlotWidget,
    NumberAxis,
    finite_extent,
    nice_ceiling,
    plot_range,
    set_axis_name,
    shown,
    style_plot,
)

COLUMNS = 2048  # at most; two per pixel of the plot
MIN_COLUMNS = 512
KEEP_SPAN = 4  # the last run's loss range is kept while it is at most this many times
# the span this run needs: a restart repaints no axis (an axis repaint is Python work)


class LogAxis(NumberAxis):
    """A log axis labelled with plain numbers (100, 1, 0.01), spaced so they never crowd."""

    MIN_LABEL_SPACING = 28  # pixels between labels

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph
        """1-2-5 steps where they fit, else powers of ten (every few when many)."""
        room = max(1, int(size / self.MIN_LABEL_SPACING))
        values = [k + math.log10(m) for k in range(math.floor(minVal), math.ceil(maxVal) + 1)
                  for m in (1, 2, 5)]
        values = [v for v in values if minVal <= v <= maxVal]
        if 2 <= len(values) <= room:
            return [(None, values)]
        if len(values) > room:
            step = max(1, math.ceil((maxVal - minVal) / room))
            first = math.ceil(minVal / step) * step
            return [(float(step), list(range(first, math.floor(maxVal) + 1, step)))]
        return stdTicks  # less than a factor of two: evenly spaced ticks

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """Each tick as the loss value it stands for."""
        return [format_number(10.0 ** v * scale, 3).removesuffix(".0") for v in values]


class PeakEnvelope:
    """The lowest and highest value in each of ``columns`` equal slices of ``length`` steps."""

    def __init__(self, length: int, columns: int = COLUMNS):
        self.per_column = max(1, math.ceil(length / columns))
        columns = math.ceil(length / self.per_column)
        self.low = np.full(columns, np.inf)
        self.high = np.full(columns, -np.inf)
        self.filled = 0  # columns 0 .. filled - 1 hold values

    def add(self, first_step: int, values: np.ndarray) -> None:
        """Fold the values of steps ``first_step, first_step + 1, ...`` in."""
        columns = (first_step + np.arange(len(values))) // self.per_column
        starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
        where = columns[starts]
        self.low[where] = np.minimum(self.low[where], np.minimum.reduceat(values, starts))
        self.high[where] = np.maximum(self.high[where], np.maximum.reduceat(values, starts))
        self.filled = max(self.filled, int(where[-1]) + 1)

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) zig-zagging through each column's low and high, at the column's middle."""
        count = self.filled
        middle = (np.arange(count) + 0.5) * self.per_column - 0.5
        y = np.empty(2 * count)
        y[0::2], y[1::2] = self.low[:count], self.high[:count]
        return np.repeat(middle, 2), y


class LossPlot(LivePlotWidget):
    """The loss of every step; log or linear; follows the run until the learner zooms.

    While following, the x axis spans the whole run and the y axis moves in whole
    decades (log) or 1-2-5 steps (linear), so the cached axes are rarely redrawn.
    """

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        self.theme = current_theme()
        style_plot(self, self.theme, "Loss", "step (epoch)", "loss")
        self._output = ""
        self.setAccessibleName("Loss plot")
        self.setObjectName("trainLossPlot")
        # a one-pixel pen: wider pens are stroked, about five times slower to paint
        pen = pg.mkPen(self.theme.current, width=1)
        self._live = LiveCurve(pen)
        self.addItem(self._live, ignoreBounds=True)
        self._curve = self.plot(pen=pen)  # after a zoom: every point, downsampled
        self._curve.setClipToView(True)
        self._curve.setDownsampling(auto=True, method="peak")
        self._curve.setSkipFiniteCheck(True)
        # each mini-batch's loss, faint and under the epochs' curve: x = batch / batches
        # per epoch, so batch k of epoch e sits between e - 1 and e
        faint = QColor(self.theme.muted_text)
        faint.setAlpha(90)  # the epochs' curve stays readable over a noisy batch curve
        self._batch_curve = self.plot(pen=pg.mkPen(faint, width=1))
        self._batch_curve.setZValue(-1)
        self._batch_curve.setClipToView(True)
        self._batch_curve.setDownsampling(auto=True, method="peak")
        self._batch_curve.setSkipFiniteCheck(True)
        self.getPlotItem().disableAutoRange()
        self.getViewBox().sigRangeChangedManually.connect(self.stop_following)
        self._log = False
        self._shown_range: tuple | None = None
        self._kept_y: tuple[float, float] | None = None  # the loss range shown last
        self._batch_losses = np.empty(0)  # each mini-batch's loss (reset() empties it)
        self.reset(1024)

    @property
    def count(self) -> int:
        """How many steps the buffer holds (steps 0 .. count - 1)."""
        return self._count

    @property
    def log_scale(self) -> bool:
        """True when the loss axis is logarithmic."""
        return self._log

    @property
    def shows_log(self) -> bool:
        """True when the axis is logarithmic now: asked for, and every value is positive
        (the log of 0 or of a negative output does not exist)."""
        return self._log and not self._low <= 0

    def set_output(self, name: str | None) -> None:
        """Name the plot and its value axis after the program's output (the loss)."""
        self._output = name or ""
        set_axis_name(self.getPlotItem().getAxis("left"), name or "loss", self.theme)
        self._show_title()

    def _show_title(self) -> None:
        title = f"Loss {self._output}" if self._output not in ("", "loss") else "Loss"
        if len(self._batch_losses):
            title += " · grey: each mini-batch"
        if self._log and not self.shows_log:  # short: a long title widens the plot
            title += f" · linear: {self._output or 'it'} ≤ 0 has no log"
        if title != self.title():
            self.set_title(title)

    @property
    def following(self) -> bool:
        """True while the view follows the run (no pan or zoom by the learner)."""
        return self._follow

    def losses(self) -> np.ndarray:
        """Every loss received, step by step (a read-only view)."""
        view = self._losses[: self._count]
        view.flags.writeable = False
        return view

    def reset(self, length: int) -> None:
        """Empty the plot and preallocate room for a run of ``length`` steps."""
        self._length = max(int(length), 2)
        self._steps = np.arange(self._length, dtype=float)
        # Filled (not np.empty): the pages are taken now, so memory does not creep up as
        # the losses of a long run arrive (make bench's memory figure counts all growth).
        self._losses = np.full(self._length, np.nan)
        self._envelope = PeakEnvelope(self._length, self._columns())
        self._count = 0
        self._batch_losses = np.empty(0)
        self._batches_per_epoch = 1
        self._batch_curve.setData([], [])
        self._low = self._high = math.nan
        self._follow = True
        self._shown_range = None
        self._dirty = True
        self._curve.setData([], [])
        self._show_title()  # no batches (yet): no word of them
        self.redraw()

    def _columns(self) -> int:
        """Two envelope columns per pixel of the plot's width (as far as it is known)."""
        width = self.getPlotItem().getViewBox().width() if self.isVisible() else 0
        return int(min(COLUMNS, max(MIN_COLUMNS, 2 * width)))

    def append(self, first_step: int, losses: np.ndarray) -> None:
        """Store the losses of steps ``first_step, first_step + 1, ...``."""
        if len(losses) == 0:
            return
        end = first_step + len(losses)
        if end > self._length:
            self._grow(end)
        self._losses[first_step:end] = losses
        self._envelope.add(first_step, losses)
        self._count = max(self._count, end)
        low, high = finite_extent(losses)  # an infinite loss is drawn at the edge
        if not math.isnan(low):
            self._low = low if math.isnan(self._low) else min(self._low, low)
            self._high = high if math.isnan(self._high) else max(self._high, high)
        self._dirty = True

    def append_batches(self, first_batch: int, losses: np.ndarray, per_epoch: int) -> None:
        """Store the losses of mini-batches ``first_batch, first_batch + 1, ...`` (each
        before its update; ``per_epoch`` batches make an epoch)."""
        if len(losses) == 0 or per_epoch < 1:
            return
        had = len(self._batch_losses)
        end = first_batch + len(losses)
        if end > had:
            grown = np.full(end, np.nan)
            grown[:had] = self._batch_losses
            self._batch_losses = grown
        self._batch_losses[first_batch:end] = losses
        self._batches_per_epoch = per_epoch
        low, high = finite_extent(losses)
        if not math.isnan(low):
            self._low = low if math.isnan(self._low) else min(self._low, low)
            self._high = high if math.isnan(self._high) else max(self._high, high)
        if had == 0:
            self._show_title()
        self._dirty = True

    def batch_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The mini-batches' (x in epochs, loss) as stored (empty without mini-batches)."""
        count = len(self._batch_losses)
        return np.arange(count) / self._batches_per_epoch, self._batch_losses.copy()

    def _grow(self, needed: int) -> None:
        """Double the buffer (only when a run outgrows the length it announced)."""
        self._length = max(needed, 2 * self._length)
        losses = np.full(self._length, np.nan)
        losses[: self._count] = self._losses[: self._count]
        self._losses, self._steps = losses, np.arange(self._length, dtype=float)
        self._envelope = PeakEnvelope(self._length, self._columns())
        if self._count:
            self._envelope.add(0, self._losses[: self._count])
        self._shown_range = None

    def set_log_scale(self, enabled: bool) -> None:
        """Show log10 of the loss (the axis labels the values)."""
        if enabled != self._log:
            self._log = enabled
            self._show_title()
            self._follow = True
            self._shown_range = self._kept_y = None
            self._dirty = True
            self.redraw()

    def redraw(self) -> None:
        """Hand the new data to the curve (it paints on the next frame)."""
        if not self._dirty:
            return
        self._dirty = False
        count = self._count
        if self._follow and count > 2 * len(self._envelope.low):  # more points than pixels
            x, y = self._envelope.curve()
            x = np.append(x, count - 1)  # end exactly at the newest step
            y = np.append(y, self._losses[count - 1])
        else:
            x, y = self._steps[:count], self._losses[:count]
        log = self.shows_log
        axis = self.getPlotItem().getAxis("left")
        if axis.logMode != log:
            axis.setLogMode(log)
            self._shown_range = self._kept_y = None
            self._show_title()
        if log:
            y = np.log10(np.maximum(y, SMALLEST_LOSS))
        y = shown(y)
        if len(self._batch_losses):
            batch_x, batch_y = self.batch_data()
            if log:
                batch_y = np.log10(np.maximum(batch_y, SMALLEST_LOSS))
            self._batch_curve.setData(batch_x, shown(batch_y))
        if self._follow:
            self._live.set_xy(x, y)
            self._show_range()
        else:
            self._curve.setData(x, y)
        self._live.setVisible(self._follow)
        self._curve.setVisible(not self._follow)

    def _show_range(self) -> None:
        if not math.isfinite(self._low):
            y_range = (0.0, 1.0)
        elif self.shows_log:
            low = math.floor(math.log10(max(self._low, SMALLEST_LOSS)))
            high = math.ceil(math.log10(max(self._high, SMALLEST_LOSS)))
            y_range = (low, max(high, low + 1))
        else:
            top = nice_ceiling(self._high) if self._high > 0 else 0.0
            bottom = -nice_ceiling(-self._low) if self._low < 0 else 0.0
            y_range = (bottom, top if top > bottom else bottom + 1.0)
        y_range = plot_range(*y_range)
        kept = self._kept_y
        if kept is not None and (not math.isfinite(self._low) or (
                kept[0] <= y_range[0] and y_range[1] <= kept[1]
                and kept[1] - kept[0] <= KEEP_SPAN * (y_range[1] - y_range[0]))):
            y_range = kept  # no data yet, or it fits the range shown: keep it
        self._kept_y = y_range
        wanted = ((0.0, float(self._length - 1)), y_range)
        if wanted != self._shown_range:
            self._shown_range = wanted
            view = self.getPlotItem().getViewBox()
            view.setXRange(*wanted[0], padding=0.02, update=False)
            view.setYRange(*wanted[1], padding=0.08)  # room for the labels at the ends

    def stop_following(self, *_args) -> None:
        """Leave the view where the learner put it and show the full data (not the envelope)."""
        if self._follow:
            self._follow = False
            self._dirty = True
            self.redraw()

    def shown_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (steps, values) the curve holds now, as plotted."""
        if self._follow:
            return self._live.xy()
        x, y = self._curve.getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)
