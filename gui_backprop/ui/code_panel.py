"""The lesson's PyTorch code, with the line the current step runs highlighted."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui_backprop.ui.code_view import CodeView
from gui_backprop.ui.lesson_session import LessonSession


class CodePanel(QWidget):
    """Shows :attr:`LessonSession.code_text` and follows the session's position."""

    def __init__(self, session: LessonSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codePanel")
        self.session = session
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
        session.traced.connect(self._show_code)
        session.moved.connect(self._follow_step)

    def _show_code(self) -> None:
        session = self.session
        self.heading.setText("Your program" if session.is_playground else "PyTorch code")
        if self.view.toPlainText() != session.code_text:
            self.view.set_code(session.code_text)

    def _follow_step(self) -> None:
        self.view.set_current_line(self.session.code_line())
        step = self.session.step
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
