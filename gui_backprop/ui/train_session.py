"""Keeps the Train panel in step with the window's lesson session.

The panel trains what the session shows: its program (a lesson's, or the playground's),
its parameters, values and learning rate. Opening another lesson or program stops any
training; new values apply to the next run. The panel's progress goes to the status
bar, and "Walk through these values" re-traces the walkthrough at the last snapshot.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar

from gui_backprop.ui.lesson_session import LessonSession
from gui_backprop.ui.train_panel import TrainPanel

STATUS_TIMEOUT_MS = 10_000


class TrainSessionLink(QObject):
    """Wires a :class:`TrainPanel` to a :class:`LessonSession` and a status bar."""

    def __init__(self, panel: TrainPanel, session: LessonSession,
                 status_bar: QStatusBar | None = None):
        super().__init__(panel)
        self.panel = panel
        self.session = session
        self.status_bar = status_bar
        session.traced.connect(self._follow)
        panel.trained_values_requested.connect(self._walk_through)
        panel.status_text_changed.connect(self._show_status)
        if session.walkthrough is not None:
            self._follow()

    @Slot()
    def _follow(self, *_args) -> None:
        session = self.session
        lesson = session.lesson
        own_program = session.program is lesson.program
        self.panel.set_source(lesson.id, session.program, session.parameters,
                              session.values, lesson.output if own_program else None,
                              session.learning_rate)

    @Slot(dict)
    def _walk_through(self, values: dict) -> None:
        self.session.set_values(values)

    @Slot(str)
    def _show_status(self, text: str) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(text, STATUS_TIMEOUT_MS)
