"""The questions' scores while the app runs: one :class:`ScoreBook`, shared by the
Questions tab (which records answers), the session files (which save and restore it)
and File › Export scores… (which writes it as CSV)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui_backprop.core.question_scores import AnswerRecord, ScoreBook, SeedScores


class QuestionScores(QObject):
    """Holds the score book; ``changed`` fires after every change to it."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.book = ScoreBook()

    def use(self, lesson: str, seed: int, student: str) -> SeedScores:
        """Make ``seed`` the current learner of ``lesson``."""
        entry = self.book.use(lesson, seed, student)
        self.changed.emit()
        return entry

    def record(self, lesson: str, seed: int, answer: AnswerRecord) -> SeedScores:
        """Keep a graded answer (the first one to a question counts)."""
        entry = self.book.record(lesson, seed, answer)
        self.changed.emit()
        return entry

    def replace(self, book: ScoreBook) -> None:
        """Take the scores of an opened session (a copy: the session stays as read)."""
        self.book = book.copy()
        self.changed.emit()
