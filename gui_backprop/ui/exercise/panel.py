"""The exercise bar under the explanation: the switch, the score, and the open question.

Off, it is one slim row (the switch). On, a question appears when Next is pressed on
a step whose number the learner can predict: a field for the answer (Enter checks,
Enter again shows it on the graph), Check, Hint and Show me.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.exercise import SHAPE_HINT
from gui_backprop.ui.exercise.mode import ExerciseMode
from gui_backprop.ui.looks.style_sheet import colours_for
from gui_backprop.ui.looks.theme import current_theme

SWITCH_TEXT = "Predict the gradient"
SWITCH_TIP = ("Exercise: before a value or gradient is shown, type what you expect "
              "and check it (Ctrl+E)")


class ExercisePanel(QFrame):
    """Shows an :class:`ExerciseMode`; its buttons and field call the mode.

    ``return_focus`` gets the keyboard focus back when a question closes, so Space steps
    on (and does not toggle the switch).
    """

    def __init__(self, mode: ExerciseMode, return_focus: QWidget | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exercisePanel")
        self.mode = mode
        self.return_focus = return_focus
        self.switch = QCheckBox(SWITCH_TEXT, objectName="exerciseSwitch")
        self.switch.setAccessibleName("Predict the gradient exercise")
        self.switch.setToolTip(SWITCH_TIP)
        self.switch.toggled.connect(mode.set_enabled)
        self.score_label = QLabel(objectName="exerciseScore")
        self.score_label.setAccessibleName("Exercise score")
        self.prompt = QLabel(objectName="exercisePrompt", wordWrap=True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.answer = QLineEdit(objectName="exerciseAnswer")
        self.answer.setAccessibleName("Your answer")
        self.answer.setPlaceholderText("Your answer, such as -2.0")
        self.answer.setToolTip("Type a number and press Enter to check it")
        self.answer.returnPressed.connect(self._enter)
        self.check_button = self._button("exerciseCheck", "Check", "Check your answer (Enter)",
                                         self.check)
        self.hint_button = self._button("exerciseHint", "Hint", "A hint for this question",
                                        mode.show_hint)
        self.show_button = self._button("exerciseShowMe", "Show me",
                                        "Show the number on the graph", self._reveal)
        self.message = QLabel(objectName="exerciseMessage", wordWrap=True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAccessibleName("Exercise feedback")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question_box = QWidget(objectName="exerciseQuestion")
        self._arrange()
        mode.changed.connect(self._refresh)
        mode.asked.connect(lambda _question: self._focus_answer())
        self._refresh()

    def _button(self, name: str, text: str, accessible: str, slot) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _arrange(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.switch)
        top.addStretch(1)
        top.addWidget(self.score_label)
        answer_row = QHBoxLayout()
        answer_row.setContentsMargins(0, 0, 0, 0)
        answer_row.setSpacing(6)
        answer_row.addWidget(self.answer, 1)
        for button in (self.check_button, self.hint_button, self.show_button):
            answer_row.addWidget(button)
        box = QVBoxLayout(self.question_box)
        box.setContentsMargins(0, 2, 0, 4)
        box.setSpacing(6)
        box.addWidget(self.prompt)
        # The feedback above the answer row: the bar grows upwards from the bottom of
        # the column, so a hint or a verdict never moves the field and its buttons.
        box.addWidget(self.message)
        box.addLayout(answer_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.question_box)

    # -- actions --------

    def check(self) -> None:
        """Check the typed answer."""
        verdict = self.mode.check(self.answer.text())
        if verdict is not None and not verdict.valid:
            self.answer.selectAll()
            self.answer.setFocus()

    def _enter(self) -> None:
        if self.mode.answered:
            self._reveal()
        else:
            self.check()

    def _reveal(self) -> None:
        had_focus = self.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.mode.reveal()
        if had_focus and self.return_focus is not None:
            self.return_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_answer(self) -> None:
        self.answer.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- showing the mode --------

    def _refresh(self) -> None:
        mode = self.mode
        with QSignalBlocker(self.switch):
            self.switch.setChecked(mode.enabled)
        self.score_label.setVisible(mode.enabled)
        self.score_label.setText(mode.score_text())
        question = mode.question
        if question is None:
            focus_here = self.question_box.isAncestorOf(self.focusWidget()) \
                if self.focusWidget() else False
            self.question_box.hide()
            self.answer.clear()
            if focus_here and self.return_focus is not None:
                self.return_focus.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        shape = mode.asking_shape
        shape_answered = mode.shape_verdict is not None and mode.shape_verdict.valid
        if shape_answered and self.prompt.text() == question.shape_prompt:
            self.answer.clear()  # the shape was answered: the field is for the numbers
        self.prompt.setText(question.shape_prompt if shape else question.prompt)
        self.answer.setPlaceholderText("A shape, such as 4×5" if shape
                                       else "Your answer, such as -2.0")
        answered = mode.answered
        self.answer.setReadOnly(answered)
        self.check_button.setVisible(not answered)
        self.hint_button.setVisible(not answered)
        self.hint_button.setEnabled(not mode.hint_shown)
        self.show_button.setText("Show it on the graph  ▶" if answered else "Show me")
        self.show_button.setToolTip("Take the step: the graph shows the number (Enter)"
                                    if answered else "Show the number without answering")
        self.message.setText(self._message_html())
        self.message.setVisible(bool(self.message.text()))
        self.question_box.show()

    def _message_html(self) -> str:
        mode, theme, colours = self.mode, current_theme(), colours_for(self.palette())
        verdict, shape = mode.verdict, mode.shape_verdict
        parts = []
        if shape is not None and shape.valid:  # the shape, answered: stays above
            mark, colour = ("✓", theme.positive) if shape.correct else ("✗", theme.negative)
            parts.append(f"<b style='color:{colour}'>{mark} {html.escape(shape.message)}</b>")
        if mode.hint_shown and not mode.answered:
            hint = SHAPE_HINT if mode.asking_shape else mode.question.hint
            parts.append(f"<span style='color:{colours['muted']}'>Hint: "
                         f"{html.escape(hint)}</span>")
        if mode.asking_shape and shape is not None:  # not a shape: say how to type one
            parts.append(f"<span style='color:{colours['error']}'>"
                         f"{html.escape(shape.message)}</span>")
        if verdict is not None:
            if not verdict.valid:
                parts.append(f"<span style='color:{colours['error']}'>"
                             f"{html.escape(verdict.message)}</span>")
            else:
                mark, colour = ("✓", theme.positive) if verdict.correct else ("✗", theme.negative)
                parts.append(f"<b style='color:{colour}'>{mark} "
                             f"{html.escape(verdict.headline or verdict.message)}</b>")
                parts.append(f"Working: {html.escape(mode.question.working)}")
        return "<br>".join(parts)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Recolour the feedback when the system switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()

    # -- for tests and screen readers --------

    def message_text(self) -> str:
        """The feedback shown, as plain text ('' when none)."""
        if not self.message.isVisibleTo(self):
            return ""
        text = QTextDocumentFragment.fromHtml(self.message.text()).toPlainText()
        return text.replace("\u2028", "\n")

    def question_shown(self) -> bool:
        """True while a question is on screen."""
        return self.question_box.isVisibleTo(self)


def explanation_with_exercise(explanation: QWidget, panel: ExercisePanel) -> QWidget:
    """The explanation with the exercise bar under it, as one part of the centre column."""
    area = QWidget(objectName="explanationArea")
    layout = QVBoxLayout(area)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(explanation, 1)
    layout.addWidget(panel, 0)
    return area
