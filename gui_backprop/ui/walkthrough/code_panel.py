"""The lesson's PyTorch code, with the line the current step runs highlighted."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.widgets.code_view import CodeView


class CodePanel(QWidget):
    """Shows :attr:`LessonModel.code_text` and follows the model's position."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codePanel")
        self.model = model
        self.heading = QLabel("PyTorch code", objectName="codeHeading")
        self.heading.setProperty("heading", True)
        self.view = CodeView(self, read_only=True)
        self.view.setObjectName("codeView")
        self.view.setAccessibleName("PyTorch code of the lesson")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        model.traced.connect(self._show_code)
        model.moved.connect(self._follow_step)

    def _show_code(self) -> None:
        model = self.model
        self.heading.setText("Your program" if model.is_playground else "PyTorch code")
        if self.view.toPlainText() != model.code_text:
            self.view.set_code(model.code_text)

    def _follow_step(self) -> None:
        self.view.set_current_line(self.model.code_line())
        step = self.model.step
        if step is None:
            self.view.setAccessibleDescription("")
        else:
            line = self.view.current_line()
            self.view.setAccessibleDescription(
                f"Line {line} is running." if line else "No line of code for this step.")

    def highlighted_line(self) -> int | None:
        """The highlighted line (1-based), if any."""
        return self.view.current_line()

    def highlighted_text(self) -> str | None:
        """The text of the highlighted line, if any."""
        line = self.view.current_line()
        if line is None:
            return None
        return self.view.document().findBlockByNumber(line - 1).text()
