"""Keeps the Train panel in step with the window's lesson model.

The panel trains what the lesson model shows: its program (a lesson's, or the playground's),
its parameters, values and learning rate. Opening another lesson or program stops any
training; new values apply to the next run. The panel's progress goes to the status
bar, and "Walk through these values" re-traces the walkthrough at the last snapshot.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar

from gui_backprop.core.training import TrainingProblem
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.training.panel import TrainPanel

STATUS_TIMEOUT_MS = 10_000


class TrainLessonLink(QObject):
    """Wires a :class:`TrainPanel` to a :class:`LessonModel` and a status bar."""

    def __init__(self, panel: TrainPanel, model: LessonModel,
                 status_bar: QStatusBar | None = None):
        super().__init__(panel)
        self.panel = panel
        self.model = model
        self.status_bar = status_bar
        model.traced.connect(self._follow)
        panel.trained_values_requested.connect(self._walk_through)
        panel.status_text_changed.connect(self._show_status)
        if model.walkthrough is not None:
            self._follow()

    @Slot()
    def _follow(self, *_args) -> None:
        # The model's trace has just validated this program and these values: the
        # problem is built from it, not traced a second time.
        model = self.model
        self.panel.set_source(model.lesson.id,
                              TrainingProblem.from_trace(model.walkthrough.trace))

    @Slot(dict)
    def _walk_through(self, values: dict) -> None:
        self.model.set_values(values)

    @Slot(str)
    def _show_status(self, text: str) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(text, STATUS_TIMEOUT_MS)
