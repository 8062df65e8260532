"""The optimizer's state before and after one press of the step button.

A small table under the Train tab's loss plot: for each parameter its value, its
gradient and what ``optimizer.state`` holds for it (the momentum buffer; Adam's step,
``exp_avg`` and ``exp_avg_sq``), before and after the step, with the update rule in
formulas beside it. The numbers are the optimizer's own, copied by the worker
(:class:`~gui_backprop.core.optimizer_state.OptimizerStep`); the formulas are labels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.formatting import format_value
from gui_backprop.core.optimizer_state import (
    RULE_NAMES,
    STATE_LABELS,
    OptimizerStep,
    update_formulas,
)
from gui_backprop.core.training_optimizers import UpdateRule

DIGITS = 8
COLUMNS = ("", "before", "after")
NO_STATE_YET = "—"
NO_STATE_TIP = ("The optimizer holds no state for this parameter yet: it makes it on its "
                "first step (a moment then starts from 0).")


def _cell(text: str, number: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class OptimizerStateView(QScrollArea):
    """Shows an :class:`OptimizerStep`; hidden until there is one to show.

    ``rows`` maps (parameter, key) to the table's row, where key is ``"value"``,
    ``"grad"`` or the optimizer's own state key (``"exp_avg"``…).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("optimizerStateView")
        self.setAccessibleName("Optimizer state")
        self.shown_step: OptimizerStep | None = None
        self.rows: dict[tuple[str, str], int] = {}
        self.heading = QLabel(objectName="optimizerStateHeading", wordWrap=True)
        self.formulas = QLabel(objectName="optimizerStateFormulas", wordWrap=True)
        self.formulas.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formulas.setAccessibleName("The update rule")
        self.table = QTableWidget(0, len(COLUMNS), objectName="optimizerStateTable")
        self.table.setAccessibleName("Optimizer state before and after the step")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        # one scroll for everything: at a large text size the rows do not hide behind
        # the heading in a table of their own that scrolls
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.formulas)
        layout.addWidget(self.table)
        layout.addStretch(1)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.hide()

    def clear(self) -> None:
        """Hide the view (a new run, another program, training going on)."""
        self.shown_step = None
        self.rows = {}
        self.table.setRowCount(0)
        self.hide()

    def show_step(self, step: OptimizerStep) -> None:
        """Show the states before and after ``step``."""
        self.shown_step = step
        before, after = step.before, step.after
        rule = before.rule
        heading = f"Epoch {step.step - 1:,} → {step.step:,}, {RULE_NAMES[rule]}: "
        heading += ("each parameter, its gradient and its optimizer.state."
                    if rule in (UpdateRule.MOMENTUM, UpdateRule.ADAM)
                    else "each parameter and its gradient (this rule keeps no state).")
        if step.updates > 1:
            heading += (f" This epoch made {step.updates:,} mini-batch updates, each with "
                        "its batch's gradient; the gradient shown is the full data's.")
        self.heading.setText(heading)
        self.formulas.setText("\n".join(update_formulas(before)))
        keys = [key for key in STATE_LABELS
                if any(key in p.state for p in (*before.parameters, *after.parameters))]
        self.rows = {}
        rows: list[tuple[str, str, str, str]] = []
        for old in before.parameters:
            new, name = after.parameter(old.name), old.name
            rows.append((name, "value", format_value(old.value, DIGITS),
                         format_value(new.value, DIGITS)))
            rows.append((name, "grad", format_value(old.grad, DIGITS),
                         format_value(new.grad, DIGITS)))
            for key in keys:
                rows.append((name, key, _state_text(old.state, key),
                             _state_text(new.state, key)))
        self.table.setRowCount(len(rows))
        for row, (name, key, old_text, new_text) in enumerate(rows):
            self.rows[(name, key)] = row
            label = {"value": name, "grad": f"{name}.grad  g"}.get(
                key, f"  {STATE_LABELS.get(key, key)}")
            self.table.setItem(row, 0, _cell(label, number=False))
            for column, text in ((1, old_text), (2, new_text)):
                item = _cell(text)
                if text == NO_STATE_YET:
                    item.setToolTip(NO_STATE_TIP)
                self.table.setItem(row, column, item)
        self.show()
        self._claim_room()

    def _claim_room(self, share: float = 0.45) -> None:
        """In a splitter, take ``share`` of its height from the others (once shown)."""
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter):
            return
        sizes = splitter.sizes()
        mine = splitter.indexOf(self)
        total = sum(sizes)
        wanted = int(total * share)
        if total <= 0 or sizes[mine] >= wanted:
            return
        rest = total - sizes[mine]
        scale = (total - wanted) / rest if rest else 0.0
        splitter.setSizes([wanted if i == mine else int(size * scale)
                           for i, size in enumerate(sizes)])

    def text_at(self, parameter: str, key: str, column: str) -> str:
        """The text shown for ``parameter``'s ``key`` in column ``"before"``/``"after"``."""
        row = self.rows[(parameter, key)]
        return self.table.item(row, COLUMNS.index(column)).text()


def _state_text(state, key: str) -> str:
    if key not in state:
        return NO_STATE_YET
    value = state[key]
    if key == "step":
        return f"{value:g}"
    return format_value(value, DIGITS)
