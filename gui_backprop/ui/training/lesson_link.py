"""Keeps the Train panel and the window's lesson model showing one state.

The panel trains what the lesson model shows: its program (a lesson's, or the
playground's), its parameters, values and learning rate (one learning rate: typed in
the Train tab, it is the model's). Opening another lesson or program stops any
training; new values apply to the next run. When a run pauses or ends, the whole
walkthrough adopts its result (values, steps, explanation, code, gradient check); the
Train tab's "Back to the starting values" and the next Start return to the values it
started from. The panel's progress goes to the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar

from gui_backprop.core.optimizer_state import RULE_NAMES
from gui_backprop.core.training import TrainingProblem, TrainingSnapshot, TrainingStatus
from gui_backprop.core.training_optimizers import UpdateRule
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.training.panel import TrainPanel

STATUS_TIMEOUT_MS = 10_000


def result_note(snapshot: TrainingSnapshot, rule: UpdateRule = UpdateRule.MANUAL) -> str:
    """How a heading names the values of a run's paused or final snapshot (and the
    optimizer that trained them, unless it was the manual update)."""
    where = f"epoch {snapshot.step:,} of {snapshot.epochs:,}"
    if rule is not UpdateRule.MANUAL:
        where += f" with {RULE_NAMES[rule]}"
    if snapshot.status is TrainingStatus.PAUSED:
        return f"trained values, paused at {where}"
    if snapshot.status is TrainingStatus.DIVERGED:
        return f"diverged: the values kept at {where}"
    if snapshot.status is TrainingStatus.STOPPED:
        return f"trained values, stopped at {where}"
    return f"trained to {where}"


def run_rule(panel: TrainPanel) -> UpdateRule:
    """The update rule of the panel's last run (the manual one when there is none)."""
    run = panel.last_run()
    return UpdateRule.MANUAL if run is None else run.settings.update_rule


class TrainLessonLink(QObject):
    """Wires a :class:`TrainPanel` to a :class:`LessonModel` and a status bar."""

    def __init__(self, panel: TrainPanel, model: LessonModel,
                 status_bar: QStatusBar | None = None):
        super().__init__(panel)
        self.panel = panel
        self.model = model
        self.status_bar = status_bar
        model.traced.connect(self._follow)
        panel.settled.connect(self._adopt_result)
        panel.starting.connect(self._back_to_start)
        panel.learning_rate_entered.connect(self._set_learning_rate)
        panel.back_requested.connect(model.back_to_starting_values)
        panel.status_text_changed.connect(self._show_status)
        if model.walkthrough is not None:
            self._follow()

    @Slot()
    def _follow(self, *_args) -> None:
        # The model's trace has just validated this program and these values: the
        # problem is built from it, not traced a second time.
        model = self.model
        self.panel.set_source(model.lesson.id,
                              TrainingProblem.from_trace(model.walkthrough.trace),
                              lesson=model.lesson)
        self.panel.set_can_go_back(model.starting_values is not None)

    @Slot()
    def _adopt_result(self) -> None:
        snapshot = self.panel.latest_snapshot
        if self.panel.classifier.active:
            return  # its own batched program: one example at a time goes to the walkthrough
        if snapshot is None or (snapshot.step == 0
                                and snapshot.status is TrainingStatus.DIVERGED):
            return  # not finite at the starting values: nothing was trained
        refused = self.model.adopt_trained(self.panel.latest_values(),
                                           result_note(snapshot, run_rule(self.panel)))
        if refused is not None:  # such as values too large for the walkthrough to show
            shown = self.panel.message.text()
            self.panel.message.setText(
                (shown + "\n\n" if shown else "") + "The walkthrough keeps showing the "
                f"values before this run: the run's values cannot be shown there ({refused}).")

    @Slot()
    def _back_to_start(self) -> None:
        self._set_learning_rate(self.panel.form.learning_rate.text())
        self.model.back_to_starting_values()

    @Slot(str)
    def _set_learning_rate(self, text: str) -> None:
        if self.panel.classifier.active:
            return  # the classifier's own rate: the lesson's walkthrough keeps its own
        rate = self.panel.form.typed_learning_rate()
        if rate is not None and rate != self.model.learning_rate:
            error = self.model.set_learning_rate(text)
            if error is not None:
                self.panel.message.setText(error)

    @Slot(str)
    def _show_status(self, text: str) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(text, STATUS_TIMEOUT_MS)
