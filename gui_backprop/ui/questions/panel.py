"""The Questions tab: a lesson's questions with the learner's own numbers.

The learner types a student id (or the number a teacher handed out): it becomes a seed,
the seed draws their values from the lesson's ranges, and the whole window shows the
lesson at those values (the model re-traces: canvas, Values, code and these questions
all read one autograd trace). Each question is graded once against autograd's answer,
with the exercise mode's tolerance; text that is not an answer is one message and
costs nothing. The tab is there only for a lesson that has questions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.exercise import Question, check_answer
from gui_backprop.core.formatting import format_value
from gui_backprop.core.lessons import Lesson
from gui_backprop.core.question_scores import AnswerRecord, ScoreError, seed_from_text
from gui_backprop.core.questions import pose_questions
from gui_backprop.core.tracer import resolve_parameters
from gui_backprop.core.values import Value, short_text
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.questions.rows import QuestionRow
from gui_backprop.ui.questions.scores import QuestionScores

INTRO = ("Type your student id, or the number your teacher gave you: it is your seed, "
         "and gives you your own values (the same every time). Each answer is checked "
         "once, against autograd, within 2 %.")


class QuestionsPanel(QWidget):
    """The seed field, the learner's values, their score and a row per question.

    ``available(bool)`` says whether the open lesson has questions (the window shows
    or hides the tab).
    """

    available = Signal(bool)

    def __init__(self, model: LessonModel, scores: QuestionScores, parent=None):
        super().__init__(parent)
        self.setObjectName("questionsPanel")
        self.model, self.scores = model, scores
        self.lesson: Lesson | None = None
        self.seed: int | None = None
        self.values: dict[str, Value] = {}
        self.questions: list[Question] = []
        self.rows: list[QuestionRow] = []
        self.intro = intro = QLabel(INTRO, objectName="questionsIntro", wordWrap=True)
        intro.setProperty("role", "hint")
        self.seed_field = QLineEdit(objectName="seedField")
        self.seed_field.setToolTip(INTRO)
        self.seed_field.setMinimumWidth(60)  # the tab fits a narrow column at 28 pt
        self.seed_field.setAccessibleName("Student id or seed number")
        self.seed_field.setPlaceholderText("student id or seed number")
        self.seed_field.setMaxLength(200)
        self.seed_field.returnPressed.connect(self.use_seed)
        self.use_button = QPushButton("Use", objectName="useSeedButton")
        self.use_button.setAccessibleName("Use this student id or seed")
        self.use_button.clicked.connect(lambda _checked=False: self.use_seed())
        self.message = QLabel(objectName="seedMessage", wordWrap=True)
        self.message.setProperty("role", "error")
        self.seed_label = QLabel(objectName="seedLabel", wordWrap=True)
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mismatch = QLabel("The walkthrough shows other values than your seed's: "
                               "answer with your numbers on screen.",
                               objectName="seedMismatch", wordWrap=True)
        self.show_button = QPushButton("Show my numbers", objectName="showMyNumbersButton")
        self.show_button.clicked.connect(lambda _checked=False: self.show_my_numbers())
        self.score_label = QLabel(objectName="questionsScore", wordWrap=True)
        self.score_label.setAccessibleName("Questions score")
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        self._arrange(intro)
        model.lesson_opened.connect(self._lesson_opened)
        model.traced.connect(lambda _walkthrough: self._refresh())
        scores.changed.connect(self._follow_scores)

    def _arrange(self, intro: QLabel) -> None:
        seed_row = QHBoxLayout()
        seed_row.setSpacing(6)
        seed_row.addWidget(self.seed_field, 1)
        seed_row.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        for part in (intro, seed_row, self.message, self.seed_label, self.mismatch,
                     self.show_button, self.score_label, self.rows_box):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        layout.addStretch(1)
        self.message.hide()

    # -- the seed --------

    def use_seed(self, text: str | None = None) -> bool:
        """Take the seed typed (or ``text``), and show the lesson at its values; False
        with one message (nothing changed) when it cannot be used."""
        text = self.seed_field.text() if text is None else text
        try:
            seed, student = seed_from_text(text)
            values, questions = pose_questions(self.lesson, seed)
        except ScoreError as exc:
            return self._say(str(exc))
        except ProgramError as exc:  # a range that the program cannot take (a teacher's)
            return self._say(f"this seed's values do not run: {exc.message}")
        refused = self.model.show_lesson_at(values)
        if refused is not None:
            return self._say(f"this seed's values do not run: {refused}")
        self.message.hide()
        self.seed, self.values, self.questions = seed, values, questions
        self.scores.use(self.lesson.id, seed, student)  # refreshes the rows
        return True

    def show_my_numbers(self) -> None:
        """Show the lesson at the seed's values again (after an edit or a training run)."""
        if self.seed is not None:
            self.model.show_lesson_at(self.values)

    def _say(self, message: str) -> bool:
        self.message.setText(message[:1].upper() + message[1:] + ".")
        self.message.show()
        return False

    # -- following the model and the scores --------

    def _lesson_opened(self, lesson: Lesson) -> None:
        if lesson is self.lesson:
            return
        self.lesson = lesson
        self.seed, self.values, self.questions = None, {}, []  # another lesson's
        self.message.hide()
        self._rebuild_rows(len(lesson.questions))
        self._follow_scores()
        self.available.emit(bool(lesson.questions))

    def _follow_scores(self) -> None:
        """Show the lesson's current learner as the scores have it (after a session was
        opened, the file's)."""
        lesson = self.lesson
        latest = self.scores.book.latest(lesson.id) if lesson and lesson.questions else None
        if latest is None:
            self.seed, self.values, self.questions = None, {}, []
        elif latest.seed != self.seed or not self.questions:
            try:
                self.values, self.questions = pose_questions(lesson, latest.seed)
                self.seed = latest.seed
            except ProgramError:  # a saved seed this version's lesson cannot take
                self.seed, self.values, self.questions = None, {}, []
        self.seed_field.setText("" if self.seed is None else
                                latest.student or str(latest.seed))
        self._refresh()

    def _rebuild_rows(self, count: int) -> None:
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = [QuestionRow(number, self) for number in range(count)]
        for row in self.rows:
            row.check_requested.connect(self.check)
            self.rows_box.addWidget(row)

    def screen_agrees(self) -> bool:
        """True when the window shows the lesson at the seed's values, with its own
        program, parameters and learning rate (the numbers the questions ask about)."""
        model, lesson = self.model, self.lesson
        if self.seed is None or model.walkthrough is None or model.lesson is not lesson:
            return False
        trace = model.walkthrough.trace
        return (model.program.source == lesson.program.source
                and model.learning_rate == lesson.learning_rate
                and trace.parameters == resolve_parameters(lesson.program, lesson.parameters)
                and model.trained_note is None
                and all(model.values.get(name) == value for name, value in self.values.items()))

    def _refresh(self) -> None:
        has_seed = self.seed is not None
        agrees = self.screen_agrees()
        entry = self.scores.book.of(self.lesson.id, self.seed) if has_seed else None
        self.intro.setVisible(not has_seed)  # then the seed's line says what it is
        self.seed_label.setVisible(has_seed)
        self.score_label.setVisible(has_seed)
        self.mismatch.setVisible(has_seed and not agrees)
        self.show_button.setVisible(has_seed and not agrees)
        if has_seed:
            who = f"{short_text(entry.student, 40)}, " if entry and entry.student else ""
            values = ", ".join(f"{name} = {format_value(value)}"
                               for name, value in self.values.items())
            self.seed_label.setText(f"Your values ({who}seed {self.seed}): {values}")
            right = entry.right if entry else 0
            answered = len(entry.answers) if entry else 0
            self.score_label.setText(f"Score: {right} of {len(self.questions)} right"
                                     + (f" ({len(self.questions) - answered} to answer)"
                                        if answered < len(self.questions) else ""))
        for row, question in zip(self.rows, self.questions, strict=False):
            row.show_question(question, entry.answer_to(row.number) if entry else None,
                              agrees)
        for number, row in enumerate(self.rows):
            row.setVisible(number < len(self.questions))

    # -- answering --------

    def check(self, number: int, text: str) -> None:
        """Grade the answer to question ``number`` (once; text that is not an answer is
        refused with its reason and costs nothing)."""
        if self.seed is None or not self.screen_agrees() or number >= len(self.questions):
            return
        question = self.questions[number]
        verdict = check_answer(question, text)
        if not verdict.valid:
            self.rows[number].show_refusal(verdict)
            return
        self.scores.record(self.lesson.id, self.seed, AnswerRecord(
            number, question.prompt, short_text(text, 100), format_value(question.expected),
            verdict.correct))
