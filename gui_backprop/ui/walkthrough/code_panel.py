"""The lesson's PyTorch code, with the line the current step runs highlighted; for a
lesson that has it, a second tab with the same model written the idiomatic way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.widgets.code_view import CodeView

TUTORIAL_TAB = "Tutorial style"
IDIOMATIC_TAB = "Idiomatic PyTorch"


class CodePanel(QWidget):
    """Shows :attr:`LessonModel.code_text` and follows the model's position; a lesson
    with idiomatic code (:attr:`LessonModel.idiomatic_text`) gets a second tab."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codePanel")
        self.model = model
        self.heading = QLabel("PyTorch code", objectName="codeHeading")
        self.heading.setProperty("heading", True)
        self.view = CodeView(self, read_only=True)
        self.view.setObjectName("codeView")
        self.view.setAccessibleName("PyTorch code of the lesson")
        self.idiomatic_view = CodeView(self, read_only=True)
        self.idiomatic_view.setObjectName("idiomaticCodeView")
        self.idiomatic_view.setAccessibleName("The same model in idiomatic PyTorch: "
                                              "nn.Linear, torch.nn.functional, torch.optim")
        self.idiomatic_view.hide()  # until a lesson with idiomatic code puts it in a tab
        self.tabs = QTabWidget(self, objectName="codeTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)  # one tab (no idiomatic code): no tab bar
        # Tab moves on from the code to the next panel: the tab widget itself is no stop
        # (with its bar hidden it would hand the focus back to the code, a loop)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a stop only when shown
        self.tabs.tabBar().setObjectName("codeTabBar")
        self.tabs.tabBar().setAccessibleName("Code style")
        self.tabs.addTab(self.view, TUTORIAL_TAB)
        self.tabs.setTabToolTip(0, "The code in the tutorial's style: the tensors, "
                                   "backward() and the update by hand")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        model.traced.connect(self._show_code)
        model.moved.connect(self._follow_step)

    def _show_code(self) -> None:
        model = self.model
        self.heading.setText("Your program" if model.is_playground else "PyTorch code")
        if self.view.toPlainText() != model.code_text:
            self.view.set_code(model.code_text)
        idiomatic = model.idiomatic_text
        shown = self.tabs.indexOf(self.idiomatic_view) >= 0
        if idiomatic and not shown:
            index = self.tabs.addTab(self.idiomatic_view, IDIOMATIC_TAB)
            self.tabs.setTabToolTip(index, "The same model the way PyTorch code is usually "
                                           "written: nn.Linear, F, torch.optim; it prints "
                                           "the loss and gradients of the walkthrough")
        elif not idiomatic and shown:
            self.tabs.removeTab(self.tabs.indexOf(self.idiomatic_view))
            self.idiomatic_view.hide()  # out of the tabs, still a child: not on screen
        # a hidden tab bar that takes focus would trap Tab in the code (Qt hands it back)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus if idiomatic
                                          else Qt.FocusPolicy.NoFocus)
        if self.idiomatic_view.toPlainText() != idiomatic:
            self.idiomatic_view.set_code(idiomatic)

    def has_idiomatic_tab(self) -> bool:
        """True when the open lesson shows the idiomatic tab."""
        return self.tabs.indexOf(self.idiomatic_view) >= 0

    def show_idiomatic(self, shown: bool = True) -> None:
        """Bring the idiomatic tab (or the tutorial's) to the front, if there is one."""
        if shown and self.has_idiomatic_tab():
            self.tabs.setCurrentWidget(self.idiomatic_view)
        else:
            self.tabs.setCurrentWidget(self.view)

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
