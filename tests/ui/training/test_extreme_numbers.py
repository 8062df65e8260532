"""Issue 12: extreme numbers never make a plot raise; values beyond the bound are refused
beside their field, and the largest allowed ones plot."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gui_backprop.cli import main
from gui_backprop.core.session_file import Session
from gui_backprop.ui.training.plots.data_plot import DataPlot
from gui_backprop.ui.training.plots.loss_plot import LossPlot
from tests.ui.session_helpers import type_value
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

LOSSES = [[1e308, 1.0, 1.7e308], [np.inf, 1.0], [np.nan, -1e308, 1e308], [-np.inf],
          [5e-324, 1e-320], [np.nan]]


@pytest.mark.parametrize("losses", LOSSES, ids=str)
@pytest.mark.parametrize("log", [False, True])
def test_the_loss_plot_draws_any_floats(qtbot, losses, log):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    plot.set_log_scale(log)
    plot.reset(len(losses))
    plot.append(0, np.array(losses))
    plot.redraw()
    plot.grab()
    plot.stop_following()
    plot.grab()
    x_range, y_range = plot.getViewBox().viewRange()
    assert np.all(np.isfinite(x_range + y_range))


@pytest.mark.parametrize("points", [[1e308, 1e308], [-1e308, 1e308], [1e15, -1e15],
                                    [np.inf, 0.0], [np.nan, np.nan]], ids=str)
def test_the_data_plot_draws_any_floats(qtbot, points):
    plot = DataPlot()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    plot.set_points(np.array(points), np.array(points))
    plot.set_curve(np.array(points), np.array([np.inf, -np.inf]))
    plot.grab()
    assert np.all(np.isfinite(plot.getViewBox().viewRange()))


@IGNORE_OFFSCREEN_NOISE
def test_a_value_beyond_the_bound_is_refused_and_the_largest_allowed_plots(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    type_value(qtbot, window, "x", "[1e308, 2, 3, 4, 5]")
    assert "at most 1e15" in window.values_panel.error_text("x")
    assert window.model.values["x"] == (1.0, 2.0, 3.0, 4.0, 5.0)
    type_value(qtbot, window, "x", "[1e15, -1e15, 3, 4, 5]")
    assert window.model.values["x"][0] == 1e15
    window.centre_tabs.setCurrentWidget(window.train_panel)
    window.train_panel.form.points.setValue(60)  # new synthetic points over that range
    window.train_panel.form.points.setValue(3)
    qtbot.wait(50)  # let the plots' timer run: a slot raising here fails the test
    assert np.all(np.isfinite(window.train_panel.data_plot.getViewBox().viewRange()))


def test_a_session_with_the_largest_losses_makes_a_screenshot(tmp_path, capsys):
    session = Session("x = [1.0, 2.0]\nw = 0.5\nloss = mean((w * x) ** 2)\n",
                      {"x": (1.0, 2.0), "w": 0.5}, ("w",), 0.05, None, 0, {},
                      (1.0,))
    path = tmp_path / "big.bplab"
    data = json.loads(session.to_json())
    data["loss_history"] = [1.7e308, 1.0, None, -1e308]
    path.write_text(json.dumps(data))
    assert main(["--screenshot", str(tmp_path / "shot.png"), str(path)]) == 0, \
        capsys.readouterr().err
