"""Predict the gradient: Next first asks, then reveals.

When the mode is on, Next on a forward, local-gradient or backward step does not move
the walkthrough: it poses the core's question for that step, so the canvas cannot
show the number yet. The learner checks an answer (scored per lesson), asks for a
hint, or asks to be shown; a second Next (or Show me) then takes the step. A step
once asked is not asked again (going back and forth) until the numbers change or the
mode is switched off and on. A backward step whose gradient is a tensor asks its shape
first; once that is answered (right or wrong) it asks the numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui_backprop.core.exercise import (
    Question,
    Scoreboard,
    Verdict,
    check_answer,
    check_shape,
    question_for,
)
from gui_backprop.ui.lesson_model import LessonModel


class ExerciseMode(QObject):
    """The exercise state: on or off, the open question, its verdict, the scores.

    ``changed`` fires after anything a view shows changed; ``asked(Question)`` when a
    question is posed (the view puts the cursor in the answer field).
    """

    changed = Signal()
    asked = Signal(object)

    def __init__(self, model: LessonModel, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.enabled = False
        self.scoreboard = Scoreboard()
        self.question: Question | None = None
        self.verdict: Verdict | None = None
        self.shape_verdict: Verdict | None = None  # the shape question's, when asked
        self.hint_shown = False
        self._settled: set[int] = set()  # steps of this walkthrough asked and then revealed
        model.next_gate = self._gate
        model.traced.connect(self._new_walkthrough)
        model.moved.connect(self._moved)

    # -- what the views show --------

    @property
    def answered(self) -> bool:
        """True once a number was given for the open question (right or wrong)."""
        return self.verdict is not None and self.verdict.valid

    @property
    def asking_shape(self) -> bool:
        """True while the open question asks the gradient's shape (before its numbers)."""
        return self.question is not None and self.question.shape is not None \
            and not (self.shape_verdict is not None and self.shape_verdict.valid)

    def score(self) -> tuple[int, int]:
        """(right, answered) for the open lesson."""
        return self.scoreboard.score(self.model.lesson.id)

    def score_text(self) -> str:
        """``Score: 3 / 4`` for the open lesson."""
        right, total = self.score()
        return f"Score: {right} / {total}"

    # -- the learner's actions ---------------------------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        """Turn the mode on or off (off drops an open question)."""
        enabled = bool(enabled)
        if enabled == self.enabled:
            return
        self.enabled = enabled
        self._settled.clear()
        self._clear_question()
        self.changed.emit()

    def check(self, text: str) -> Verdict | None:
        """Judge a typed answer to the open question; a valid one counts once."""
        if self.question is None:
            return None
        if self.answered:
            return self.verdict
        if self.asking_shape:
            verdict = self.shape_verdict = check_shape(self.question, text)
            if verdict.valid:  # on to the numbers, with a hint of their own
                self.hint_shown = False
            self.scoreboard.record(self.model.lesson.id, verdict)
            self.changed.emit()
            return verdict
        self.verdict = check_answer(self.question, text)
        self.scoreboard.record(self.model.lesson.id, self.verdict)
        self.changed.emit()
        return self.verdict

    def show_hint(self) -> None:
        """Show the open question's hint."""
        if self.question is not None and not self.hint_shown:
            self.hint_shown = True
            self.changed.emit()

    def reveal(self) -> bool:
        """Take the asked step, so the graph shows its number (Show me, or Next)."""
        return self.model.next()

    # -- following the walkthrough --------

    def _gate(self, position: int) -> bool:
        """Whether Next may take step ``position`` now; poses its question if not."""
        if not self.enabled:
            return True
        if self.question is not None and self.question.step == position:
            self._settle()  # the second Next reveals
            return True
        if position in self._settled:
            return True
        walkthrough = self.model.walkthrough
        question = question_for(walkthrough, walkthrough.steps[position])
        if question is None:
            return True
        self.question, self.verdict, self.hint_shown = question, None, False
        self.shape_verdict = None
        self.asked.emit(question)
        self.changed.emit()
        return False

    def _settle(self) -> None:
        self._settled.add(self.question.step)
        self._clear_question()
        self.changed.emit()

    def _clear_question(self) -> None:
        self.question, self.verdict, self.hint_shown = None, None, False
        self.shape_verdict = None

    def _new_walkthrough(self) -> None:
        """New numbers (another lesson, an edit): every question is new."""
        self._settled.clear()
        if self.question is not None:
            self._clear_question()
        self.changed.emit()

    def _moved(self, position: int) -> None:
        if self.question is not None and self.question.step != position:
            self._clear_question()  # Back or a jump withdraws the question
            self.changed.emit()
