"""The playground: the learner's own program, its parameters as checkboxes, Run.

A program that does not parse is not run: the error is underlined in the editor at
its position and explained under it; the graph keeps showing the last good program.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.lessons import Lesson
from gui_backprop.core.program import parse_program
from gui_backprop.core.values import is_matrix
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.widgets.code_view import CodeView
from gui_backprop.ui.widgets.flow_layout import FlowLayout
from gui_backprop.ui.widgets.panel_layout import heading


class PlaygroundPanel(QWidget):
    """Editor, parameter checkboxes, Run button and the error message."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playgroundPanel")
        self.model = model
        self.editor = CodeView(self, read_only=False)
        self.editor.setObjectName("playgroundEditor")
        self.editor.setAccessibleName("Your program")
        self.editor.setPlaceholderText("y = x * w + b\nloss = (y - t) ** 2")
        self.editor.setToolTip("One assignment per line; the last line is the output. "
                               "Ctrl+Enter runs it.")
        self.error_label = QLabel(objectName="playgroundError", wordWrap=True)
        self.error_label.setProperty("role", "error")
        self.error_label.setAccessibleName("Problem with the program")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.parameters_label = QLabel("Parameters (requires_grad=True):",
                                       objectName="playgroundParametersLabel")
        self.parameters_label.setWordWrap(True)  # a narrow column at a large text size
        self.checkbox_area = QWidget(objectName="playgroundParameters")
        # Rows that wrap: a long name is never cut, a narrow column takes more rows.
        self.checkbox_flow = FlowLayout(self.checkbox_area, spacing=10)
        self.checkbox_flow.setContentsMargins(0, 0, 0, 0)
        self.checkboxes: dict[str, QCheckBox] = {}
        self._kinds: dict[str, bool] = {}  # each box's value: a list (True) or a number
        self.run_button = QPushButton("Run", objectName="runButton")
        self.run_button.setAccessibleName("Run the program")
        self.run_button.setToolTip("Trace the program through PyTorch (Ctrl+Enter)")
        self.run_button.clicked.connect(self.run)
        self.status_label = QLabel(objectName="playgroundStatus", wordWrap=True)
        self.status_label.setProperty("role", "hint")
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.parameters_label)
        layout.addWidget(self.checkbox_area)
        layout.addLayout(run_row)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.run)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.heading = heading("Your program", "playgroundHeading")
        layout.insertWidget(0, self.heading)
        self.editor.textChanged.connect(self._text_changed)
        model.lesson_opened.connect(self._lesson_opened)
        model.traced.connect(self._follow_program)
        model.moved.connect(self._follow_step)
        model.tracing.connect(self._tracing)

    def _lesson_opened(self, lesson: Lesson) -> None:
        if not lesson.playground:
            return
        program = self.model.program  # the lesson's, or a saved session's program
        with QSignalBlocker(self.editor):
            self.editor.set_code(program.source)
        self._set_checkboxes(tuple(program.leaves), self.model.parameters)
        self._kinds = _kinds(program)
        if self.model.draft is not None:  # what the learner was writing, not run yet
            self.editor.setPlainText(self.model.draft)
        self._show_error(None)
        self.status_label.clear()

    def _follow_program(self) -> None:
        """Show the program that ran, with the values it ran at (a Values edit or a
        training result rewrites its literals), unless the learner is writing a new one."""
        source = self.model.program.source
        if self.model.is_playground and self.model.draft is None \
                and self.editor.toPlainText() != source:
            with QSignalBlocker(self.editor):
                self.editor.set_code(source)

    def _follow_step(self) -> None:
        """Highlight the line the step computes, while the text is the program that ran."""
        model = self.model
        ran = self.editor.toPlainText() == model.program.source
        self.editor.set_current_line(model.program_line() if ran and model.is_playground
                                     else None, move_cursor=False)

    # -- parameters ------------------------------------------------------------------

    def _text_changed(self) -> None:
        text = self.editor.toPlainText()
        self.model.draft = None if text == self.model.program.source else text
        self.editor.clear_error()
        if self.editor.current_line() is not None:
            self.editor.set_current_line(None, move_cursor=False)  # the text no longer ran
        try:
            program = parse_program(text)
        except ProgramError:
            return  # keep the boxes of the last program that parsed; Run reports the error
        leaves = program.leaves
        checked = {name for name, box in self.checkboxes.items() if box.isChecked()}
        kinds = _kinds(program)
        # A new number or matrix is ticked (a weight, most likely), a new list is not
        # (data), nor are class labels, and so is a name that changed between the two;
        # the learner can change either.
        self._set_checkboxes(tuple(leaves), tuple(
            name for name, is_list in kinds.items()
            if (name in checked if self._kinds.get(name) == is_list else not is_list)))
        self._kinds = kinds

    def _set_checkboxes(self, names: tuple[str, ...], checked: tuple[str, ...]) -> None:
        if tuple(self.checkboxes) == names:
            for name, box in self.checkboxes.items():
                with QSignalBlocker(box):
                    box.setChecked(name in checked)
            return
        for box in self.checkboxes.values():
            self.checkbox_flow.removeWidget(box)
            box.deleteLater()
        self.checkboxes = {}
        for name in names:
            box = QCheckBox(name, objectName=f"parameterBox_{name}")
            box.setAccessibleName(f"{name} is a parameter")
            box.setToolTip(f"Tick to make {name} a parameter: requires_grad=True")
            box.setChecked(name in checked)
            self.checkbox_flow.addWidget(box)
            self.checkboxes[name] = box
        self.parameters_label.setVisible(bool(names))

    def chosen_parameters(self) -> list[str]:
        """The ticked names, in program order."""
        return [name for name, box in self.checkboxes.items() if box.isChecked()]

    # -- running -------------------------------------------------------------------------

    def run(self) -> bool:
        """Trace the editor's program; show the error in place if it is refused."""
        text = self.editor.toPlainText()
        error = self.model.set_program(text, self.chosen_parameters())
        self._show_error(error)
        if error is None and not self.model.background.busy:
            self._say_ran()
        elif error is not None:
            self.status_label.clear()
        return error is None

    def _say_ran(self) -> None:
        count = self.model.step_count
        self.status_label.setText(f"Ran: {count} steps. Press Next to walk through them.")

    def _tracing(self, busy: bool) -> None:
        """A big program is traced off the GUI thread: say so until it is shown."""
        if busy:
            self.status_label.setText("Tracing… (a big program; the window stays usable)")
        elif self.model.program.source == self.editor.toPlainText():
            self._say_ran()
        else:  # refused or replaced: the refusal is said in the status bar
            self.status_label.clear()

    def _show_error(self, error: ProgramError | None) -> None:
        if error is None:
            self.editor.clear_error()
            self.error_label.hide()
            self.error_label.clear()
            return
        where = ""
        if error.line is not None:
            where = f"Line {error.line}"
            where += f", column {error.column}: " if error.column is not None else ": "
        self.error_label.setText(f"{where}{error.message}")
        self.error_label.show()
        self.editor.set_error(error.line, error.column)

    def error_text(self) -> str:
        """The message under the editor ('' when the program ran)."""
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""


def _kinds(program) -> dict[str, bool]:
    """For each leaf, True when it is most likely data (a vector or class labels), not a
    weight (a number or a matrix)."""
    labels = program.label_names
    return {name: name in labels or (isinstance(value, tuple) and not is_matrix(value))
            for name, value in program.leaves.items()}
