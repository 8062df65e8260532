"""The plots on their own: the loss envelope, the log axis, the data and landscape views."""

import numpy as np
import pytest

from gui_backprop.core.training_landscape import compute_landscape
from gui_backprop.ui.training.plots.data_plot import DataPlot
from gui_backprop.ui.training.plots.landscape_plot import LandscapePlot
from gui_backprop.ui.training.plots.live_plot import nice_ceiling
from gui_backprop.ui.training.plots.loss_plot import COLUMNS, LogAxis, LossPlot, PeakEnvelope


def test_the_envelope_holds_the_lowest_and_highest_loss_of_each_slice():
    rng = np.random.default_rng(1)
    values = rng.random(100_000)
    envelope = PeakEnvelope(100_000)
    for start in range(0, 100_000, 777):  # chunks that do not line up with the slices
        envelope.add(start, values[start:start + 777])
    per = envelope.per_column
    slices = [values[i:i + per] for i in range(0, 100_000, per)]
    assert envelope.filled == len(slices) <= COLUMNS
    assert np.array_equal(envelope.low[: envelope.filled], [s.min() for s in slices])
    assert np.array_equal(envelope.high[: envelope.filled], [s.max() for s in slices])


def test_a_long_run_is_drawn_as_its_envelope_ending_at_the_newest_step(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.reset(1_000_000)
    losses = np.linspace(10.0, 1.0, 600_000)
    plot.append(0, losses)
    plot.redraw()
    x, y = plot.shown_data()
    assert len(x) <= 2 * COLUMNS + 1
    assert x[-1] == 599_999 and y[-1] == np.log10(1.0) if plot.log_scale else y[-1] == 1.0
    assert plot.losses()[123_456] == losses[123_456]
    plot.stop_following()
    x, y = plot.shown_data()
    assert len(x) == 600_000 and not plot.following


def test_the_log_axis_labels_plain_numbers_that_do_not_crowd():
    axis = LogAxis("left")
    ticks = axis.logTickValues(0.0, 2.0, 300, [])
    assert [axis.logTickStrings(v, 1.0, s) for s, v in ticks] == [
        ["1", "2", "5", "10", "20", "50", "100"]]
    many = axis.logTickValues(-12.0, 2.0, 150, [])
    assert len(many[0][1]) <= 150 // LogAxis.MIN_LABEL_SPACING + 1
    assert axis.logTickStrings([-3.0], 1.0, 1.0) == ["0.001"]


@pytest.mark.parametrize(("value", "ceiling"), [(0.7, 1.0), (1.0, 1.0), (1.3, 2.0), (61, 100)])
def test_nice_ceiling_rounds_up_to_one_two_or_five(value, ceiling):
    assert nice_ceiling(value) == pytest.approx(ceiling)


CURVE_X = np.linspace(-0.25, 5.25, 200)


@pytest.fixture
def data_plot(qtbot):
    """A data plot with 20 points on y = 2x + 1 and a first, flat curve (y = 0)."""
    plot = DataPlot()
    qtbot.addWidget(plot)
    x = np.linspace(0.0, 5.0, 20)
    plot.set_points(x, 2 * x + 1)
    plot.set_curve(CURVE_X, 0 * CURVE_X)  # the first curve widens the view to include it
    return plot


def test_the_data_plot_keeps_its_view_and_skips_moves_below_a_pixel(data_plot):
    plot, curve_x = data_plot, CURVE_X
    (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
    assert y0 < 0 and y1 > 11
    plot.set_curve(curve_x, 2 * curve_x + 1)
    plot.set_curve(curve_x, 2 * curve_x + 1 + 1e-6)  # too small to see: not redrawn
    assert np.array_equal(plot.curve_data()[1], 2 * curve_x + 1)
    plot.set_curve(curve_x, 2 * curve_x + 1 + 1e-6, exact=True)
    assert np.array_equal(plot.curve_data()[1], 2 * curve_x + 1 + 1e-6)


def test_the_landscape_plot_shows_the_grid_and_follows_the_path(qtbot):
    import torch

    plot = LandscapePlot()
    qtbot.addWidget(plot)
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    y = 2 * x + 1

    def loss(leaves):
        return torch.mean((leaves["y"] - (leaves["w"] * leaves["x"] + leaves["b"])) ** 2)

    landscape = compute_landscape(loss, {"x": x, "y": y}, ("w", "b"), (0.0, 4.0, -1.0, 3.0), 41)
    plot.reset(("w", "b"))
    plot.set_landscape(landscape)
    for point in [(0.0, 0.0), (1.0, 0.5), (1.9, 1.0), (1.9 + 1e-9, 1.0), (1.9 + 2e-9, 1.0),
                  (1.9 + 3e-9, 1.0)]:
        plot.add_point(*point)
    plot.redraw()
    assert plot.current_point() == (1.9 + 3e-9, 1.0)
    path_x, _ = plot.path_data()
    assert list(path_x) == [0.0, 1.0, 1.9, 1.9 + 3e-9]  # moves below a pixel are not kept
    assert landscape.lowest[:2] == pytest.approx((2.0, 1.0), abs=0.1)
    assert plot.getPlotItem().getAxis("bottom").labelText == "w"


def test_a_new_run_on_the_same_points_keeps_the_data_view(data_plot):
    plot, curve_x = data_plot, CURVE_X
    x = np.linspace(0.0, 5.0, 20)
    widened = plot.getPlotItem().viewRange()
    plot.set_points(x, 2 * x + 1)  # Start again: same points, the last run's view stays
    assert plot.getPlotItem().viewRange() == widened and len(plot.curve_data()[0]) == 0
    plot.set_curve(curve_x, 0 * curve_x + 40)  # starting values far off: it still widens
    assert plot.getPlotItem().viewRange()[1][1] > 40


# -- issue 11, items 10-12: what the axes say, and each run framed on its own ------------


def _left_ticks(plot):
    axis = plot.getPlotItem().getAxis("left")
    (low, high) = plot.getPlotItem().viewRange()[1]
    ticks = axis.tickValues(low, high, 200)
    return [text for spacing, values in ticks for text in axis.tickStrings(values, 1.0, spacing)]


def test_the_loss_axis_is_named_after_the_output_and_log_needs_positive_values(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.set_output("z")
    plot.set_log_scale(True)
    assert plot.getPlotItem().getAxis("left").labelText == "z"
    plot.reset(101)
    plot.append(0, np.sin(np.linspace(0.0, 3.0, 100)) ** 2 - 0.5)  # goes below zero
    plot.redraw()
    assert plot.log_scale and not plot.shows_log  # asked for, but log of <= 0 does not exist
    assert not plot.getPlotItem().getAxis("left").logMode
    assert "linear: z ≤ 0 has no log" in plot.title()
    _, y = plot.shown_data()
    assert y.min() < 0  # the values themselves, not a log of them
    plot.reset(101)  # a new run with a positive loss may be drawn on a log axis again
    plot.append(0, np.linspace(10.0, 0.1, 100))
    plot.redraw()
    assert plot.shows_log and plot.getPlotItem().getAxis("left").logMode
    assert "linear" not in plot.title()


def test_ticks_are_plain_numbers_without_a_scale_factor(data_plot):
    plot = data_plot
    x = np.linspace(0.0, 5.0, 20)
    plot.set_points(x * 1e27, x * 1e27)
    for name in ("left", "bottom"):
        axis = plot.getPlotItem().getAxis(name)
        assert "×" not in axis.labelString() and "e+" not in axis.labelString()
        assert axis.autoSIPrefixScale == 1.0
    ticks = _left_ticks(plot)
    assert ticks and all(float(text) == 0 or 1e26 <= abs(float(text)) < 1e28
                         for text in ticks), ticks  # each is the number itself
    plot.set_points(x * 1e-3, x * 1e-3)
    assert all(float(text) < 0.01 for text in _left_ticks(plot))


def test_a_run_after_a_diverged_one_frames_its_own_data(data_plot):
    plot = data_plot
    x = np.linspace(0.0, 5.0, 20)
    plot.set_points(x, 2 * x + 1)
    plot.set_curve(CURVE_X, -5e58 * CURVE_X)  # a fit that diverged at once
    assert plot.getPlotItem().viewRange()[1][0] < -1e58
    plot.set_points(x, 2 * x + 1)  # the next run, on the same data
    (y0, y1) = plot.getPlotItem().viewRange()[1]
    assert -2 < y0 < 1 and 11 < y1 < 13


def test_a_path_after_a_diverged_run_is_framed_not_a_dot(qtbot):
    plot = LandscapePlot()
    qtbot.addWidget(plot)
    plot.reset(("w", "b"))
    for point in [(0.0, 0.0), (1e30, -1e30)]:
        plot.add_point(*point)
    plot.redraw()
    plot.reset(("w", "b"))  # the same parameters: the last view would be kept
    for point in [(0.0, 0.0), (1.0, 0.5), (2.0, 1.0)]:
        plot.add_point(*point)
    plot.redraw()
    (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
    assert x1 - x0 < 10 and y1 - y0 < 10


def test_the_train_tabs_loss_axis_names_each_lessons_output(qtbot, tmp_path):
    from tests.ui.window_helpers import open_window

    window = open_window(qtbot, tmp_path, "chain-rule", show=False)
    for lesson in ("chain-rule", "linear-regression"):
        window.model.open_lesson(lesson)
        output = window.model.walkthrough.trace.output_name
        axis = window.train_panel.loss_plot.getPlotItem().getAxis("left")
        assert axis.labelText == output
        assert output in window.train_panel.loss_plot.title()
