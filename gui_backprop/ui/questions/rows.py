"""One question of the Questions tab: its prompt, the answer field, Check, the verdict."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from gui_backprop.core.exercise import Question, Verdict
from gui_backprop.core.question_scores import AnswerRecord
from gui_backprop.ui.looks.style_sheet import colours_for
from gui_backprop.ui.looks.theme import current_theme


class QuestionRow(QFrame):
    """Shows question ``number``; ``check_requested(number, text)`` asks for the typed
    answer to be graded (Check, or Enter in the field)."""

    check_requested = Signal(int, str)

    def __init__(self, number: int, parent=None):
        super().__init__(parent)
        self.number = number
        self.setObjectName(f"questionRow{number + 1}")
        self.prompt = QLabel(objectName="questionPrompt", wordWrap=True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.answer = QLineEdit(objectName="questionAnswer")
        self.answer.setAccessibleName(f"Answer to question {number + 1}")
        self.answer.setPlaceholderText("a number, such as -2.0")
        self.answer.setMinimumWidth(60)  # the tab fits a narrow column at 28 pt
        self.answer.returnPressed.connect(self._check)
        self.check_button = QPushButton("Check", objectName="questionCheck")
        self.check_button.setAccessibleName(f"Check the answer to question {number + 1}")
        self.check_button.clicked.connect(lambda _checked=False: self._check())
        self.verdict = QLabel(objectName="questionVerdict", wordWrap=True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setAccessibleName(f"Verdict on question {number + 1}")
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.answer, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(self.prompt)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        self.verdict.hide()

    def _check(self) -> None:
        if not self.answer.isReadOnly():
            self.check_requested.emit(self.number, self.answer.text())

    def show_question(self, question: Question, record: AnswerRecord | None,
                      open_to_answer: bool) -> None:
        """``question`` with its graded answer (then final) or an empty field; the
        field takes answers only while ``open_to_answer``."""
        self.prompt.setText(f"{self.number + 1}. {question.prompt}")
        if record is not None:
            self.answer.setText(record.answer)
            mark, colour = ("✓ Right", current_theme().positive) if record.correct else \
                ("✗ Not quite", current_theme().negative)
            self.verdict.setText(f"<b style='color:{colour}'>{mark}</b>: "
                                 f"{html.escape(question.working)}")
            self.verdict.show()
        else:
            self.answer.clear()
            self.verdict.clear()
            self.verdict.hide()
        final = record is not None
        self.answer.setReadOnly(final)
        self.answer.setEnabled(open_to_answer or final)
        self.check_button.setVisible(not final)
        self.check_button.setEnabled(open_to_answer)

    def show_refusal(self, verdict: Verdict) -> None:
        """Text that is not an answer: why, and the field ready for another try."""
        colour = colours_for(self.palette())["error"]
        message = verdict.message[:1].upper() + verdict.message[1:]
        self.verdict.setText(f"<span style='color:{colour}'>{html.escape(message)} "
                             "(no point lost)</span>")
        self.verdict.show()
        self.answer.selectAll()
        self.answer.setFocus(Qt.FocusReason.OtherFocusReason)

    def verdict_text(self) -> str:
        """The verdict as plain text ('' when none is shown)."""
        if not self.verdict.isVisibleTo(self):
            return ""
        return QTextDocumentFragment.fromHtml(self.verdict.text()).toPlainText()
