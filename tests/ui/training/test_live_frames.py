"""What every live plot shares: frames paced by snapshots, none drawn while the Train tab
is hidden, and text that follows the window's text size."""

from PySide6.QtCore import Qt

from gui_backprop.core.training import TrainingStatus
from gui_backprop.ui.training.plots.live_plot import (
    MAX_TEXT_POINTS,
    TICK_SHARE,
    FramePacer,
)
from gui_backprop.ui.training.plots.loss_plot import LossPlot
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE

pytestmark = IGNORE_OFFSCREEN_NOISE


def test_requests_within_a_frame_are_drawn_once(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.show()
    frames = []
    pacer = FramePacer(lambda: frames.append(1), plot, rate=5)
    pacer.request()  # the first request draws at once
    assert frames == [1]
    for _ in range(10):  # more data within the same fifth of a second: one later frame
        pacer.request()
    assert frames == [1]
    with qtbot.waitSignal(pacer.drawn, timeout=2_000):
        pass
    assert frames == [1, 1]


def test_a_hidden_train_tab_draws_no_frame_but_keeps_the_status_bar_current(qtbot, window):
    panel = window.train_panel
    panel.form.epochs.setValue(1_000_000)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.loss_plot.count > 1, timeout=20_000)
    window.centre_tabs.tabBar().setCurrentIndex(0)  # the Walkthrough tab: plots hidden
    assert not panel.isVisible()
    with qtbot.waitSignal(panel.frames.drawn, timeout=5_000):
        pass
    drawn_x, _ = panel.loss_plot.shown_data()
    drawn_to = drawn_x[-1]
    statuses = []
    panel.status_text_changed.connect(statuses.append)
    qtbot.waitUntil(lambda: len(statuses) >= 3, timeout=20_000)
    assert panel.loss_plot.shown_data()[0][-1] == drawn_to  # no redraw while hidden
    snapshot = panel.latest_snapshot
    assert snapshot.status is TrainingStatus.RUNNING
    assert f"epoch {snapshot.step:,} of" in window.statusBar().currentMessage()
    window.centre_tabs.setCurrentWidget(panel)  # back: the plots catch up at once
    assert panel.loss_plot.shown_data()[0][-1] == panel.loss_plot.count - 1 > drawn_to
    panel.stop()


def test_the_plots_text_follows_the_windows_text_size(qtbot, window):
    plot = window.train_panel.loss_plot
    axis = plot.getPlotItem().getAxis("bottom")
    window.set_text_size(14)
    assert plot.text_points == 14
    assert axis.style["tickFont"].pointSizeF() == 14 * TICK_SHARE
    assert axis.labelStyle["font-size"] == f"{14 * TICK_SHARE:g}pt"
    assert plot.getPlotItem().titleLabel.opts["size"] == "14pt"
    window.set_text_size(28)  # a projector: the plots stop at a size that leaves them room
    assert plot.text_points == MAX_TEXT_POINTS
    assert plot.minimumHeight() >= 8 * MAX_TEXT_POINTS
    plot.set_output("J")  # renaming an axis keeps its size
    assert plot.getPlotItem().getAxis("left").labelStyle["font-size"] \
        == f"{MAX_TEXT_POINTS * TICK_SHARE:g}pt"
