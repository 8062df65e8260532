"""Gradient check: autograd's gradient beside a finite-difference estimate, per parameter."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.formatting import format_number, format_value
from gui_backprop.core.gradient_check import GradientCheck, check_gradients
from gui_backprop.core.values import elements
from gui_backprop.ui.lesson_model import LessonModel

# The verdict beside the name: long vectors widen the number columns, never hide it.
# Short headings, so that the five columns fit the side column at 1280 wide; each
# heading's tooltip says it in full.
COLUMNS = ("Name", "Agree?", "Autograd", "Estimate", "Difference")
COLUMN_TIPS = ("The parameter", "Do the two agree within the tolerance?",
               "The gradient autograd computed (backward pass)",
               "The finite-difference estimate (f(p + h) − f(p − h)) / 2h",
               "The largest difference between the two")


class GradientCheckPanel(QWidget):
    """A button, a table of results and a sentence on what was compared."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradientCheckPanel")
        self.model = model
        self.result: GradientCheck | None = None
        intro = QLabel(
            "Does autograd's gradient match a direct measurement? Each parameter is nudged "
            "by a tiny h up and down and the output recomputed: the estimate is "
            "(f(p + h) − f(p − h)) / 2h.", objectName="gradientCheckIntro", wordWrap=True)
        intro.setProperty("role", "hint")
        self.check_button = QPushButton("Check gradients", objectName="checkGradientsButton")
        self.check_button.setAccessibleName("Check gradients with finite differences")
        self.check_button.clicked.connect(self.run_check)
        self.table = QTableWidget(0, len(COLUMNS), objectName="gradientCheckTable")
        self.table.setAccessibleName("Gradient check results")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for column, tip in enumerate(COLUMN_TIPS):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel(objectName="gradientCheckSummary", wordWrap=True)
        self.summary.setAccessibleName("Gradient check summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        model.traced.connect(self._clear)
        self._clear()

    def _clear(self) -> None:
        self.result = None
        self.table.setRowCount(0)
        self.summary.setText("Press Check gradients to compare.")

    def run_check(self) -> GradientCheck:
        """Check the iteration currently shown and fill the table."""
        model = self.model
        result = check_gradients(model.walkthrough.trace, model.state.iteration)
        self.result = result
        self.table.setRowCount(len(result.parameters))
        for row, check in enumerate(result.parameters):
            cells = (check.name, "✓ yes" if check.agrees else "✗ no",
                     format_value(check.autograd, 10), format_value(check.estimate, 10),
                     format_number(check.difference, 3))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column > 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.summary.setText(self._summary(result))
        return result

    def _summary(self, result: GradientCheck) -> str:
        iterations = len(self.model.walkthrough.trace.iterations)
        where = f" (iteration {result.iteration + 1})" if iterations > 1 else ""
        if not result.parameters:
            return "There is no parameter with a gradient to check."
        if result.all_agree:
            verdict = "Autograd and the finite differences agree"
        elif any(not math.isfinite(v) for check in result.parameters
                 for v in elements(check.autograd)):
            verdict = ("Some gradients are infinite or not a number: the slope is unbounded "
                       "there (such as sqrt or log at 0), which finite differences cannot "
                       "measure")
        else:
            verdict = ("Some gradients do not match their estimate (this happens at a kink, "
                       "such as relu or abs at 0)")
        text = (f"{verdict}{where}: tolerance {result.atol:g} + {result.rtol:g} × |gradient|, "
                f"h = {result.relative_step:g} × max(1, |p|).")
        stale = [c for c in result.parameters
                 if c.stored_grad is not None and c.stored_grad != c.autograd]
        for check in stale:
            text += (f" Note: {check.name}.grad holds {format_value(check.stored_grad)}, not "
                     f"{format_value(check.autograd)}, because an earlier gradient was not "
                     "zeroed.")
        return text
