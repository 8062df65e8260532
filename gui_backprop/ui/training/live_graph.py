"""Shows training's newest snapshot on the graph canvas: every value and gradient, live.

While a run goes on, the Walkthrough tab's canvas shows the graph traced at the newest
snapshot's parameters and the run's data: forward values, local gradients and the
gradients of the backward pass, all from autograd, as they stand before that step's
update. It is re-traced a few times a second, and only while the canvas is on screen
(a trace holds the GIL the training thread needs). When the run pauses or ends, the
whole walkthrough adopts its result (see ``lesson_link``): the model moves, and the
canvas shows the model again, like every other panel, until the run goes on.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Slot

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.training import TrainingSnapshot, TrainingStatus
from gui_backprop.core.training_optimizers import UpdateRule
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.canvas.panel import TITLE, GraphPanel
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.training.lesson_link import result_note, run_rule
from gui_backprop.ui.training.panel import TrainPanel

LIVE_INTERVAL_MS = 250  # four traces a second: numbers changing faster cannot be read


class LiveTrainingGraph(QObject):
    """Keeps ``graph_panel`` on the newest snapshot of ``panel``'s run while following it."""

    def __init__(self, panel: TrainPanel, model: LessonModel, graph_panel: GraphPanel):
        super().__init__(graph_panel)
        self.panel = panel
        self.model = model
        self.graph_panel = graph_panel
        self._following = False
        self._shown: TrainingSnapshot | None = None
        self._program = None
        self._timer = QTimer(self)
        self._timer.setInterval(LIVE_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh)
        panel.training_active_changed.connect(self._training_active)
        panel.controller.resumed.connect(lambda: self._training_active(True))
        model.moved.connect(self._stop_following)

    @property
    def following(self) -> bool:
        """True while the canvas shows (or will show) the training's newest snapshot."""
        return self._following

    @Slot(bool)
    def _training_active(self, active: bool) -> None:
        if active:
            self._following = True
            self._shown = None
            self._program = self.model.program  # what the run trains
            self._timer.start()
        else:
            self._timer.stop()
            self.refresh()  # the run's last snapshot

    @Slot()
    def _stop_following(self, *_args) -> None:
        self._following = False
        self._timer.stop()

    @Slot()
    def refresh(self) -> None:
        """Show the newest snapshot if the canvas is on screen and it is not shown yet."""
        snapshot = self.panel.latest_snapshot
        if self.model.program is not self._program:  # other work opened: the run is gone
            self._stop_following()
        if not self._following or snapshot is None or snapshot is self._shown \
                or not self.graph_panel.isVisible() or self.panel.classifier.active:
            return  # (a classifier's batch is walked one example at a time, on request)
        try:
            walkthrough = self.model.trace_with(self.panel.latest_values())
        except ProgramError:
            return  # the open work changed under the run: nothing of it to show
        self._shown = snapshot
        update = walkthrough.first_of(Stage.UPDATE, 0)  # the position just after it
        state = walkthrough.state_at(len(walkthrough) if update is None else update - 1)
        self.graph_panel.show_training(walkthrough.trace.iterations[0],
                                       replace(state, step=None),
                                       caption(snapshot, run_rule(self.panel)))


def caption(snapshot: TrainingSnapshot, rule: UpdateRule = UpdateRule.MANUAL) -> str:
    """The canvas heading for a snapshot: which epoch, and whether training goes on; a
    settled run is named as the walkthrough names it once it adopts the values."""
    if snapshot.status is TrainingStatus.RUNNING:
        return f"{TITLE} · training, epoch {snapshot.step:,} of {snapshot.epochs:,}"
    return f"{TITLE} · {result_note(snapshot, rule)}"
