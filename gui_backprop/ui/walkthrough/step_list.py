"""The list of every step, grouped by stage: where you are, and a way to jump anywhere."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from gui_backprop.core.walkthrough import Walkthrough
from gui_backprop.ui.lesson_model import LessonModel

POSITION_ROLE = Qt.ItemDataRole.UserRole
FORMULA_ROLE = Qt.ItemDataRole.UserRole + 1
PENDING_TIP = "Not computed yet: click to jump here"


class StepList(QListWidget):
    """Row ``Start`` is position 0; each step's row is the position after taking it."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setAccessibleName("Steps of the walkthrough")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(False)
        # Whole names, wrapped onto more lines where the column is narrow (never "…").
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model = model
        self._rows: dict[int, int] = {}
        model.traced.connect(self._fill)
        model.moved.connect(self._select)
        self.currentItemChanged.connect(self._jump)

    def _fill(self, walkthrough: Walkthrough) -> None:
        with QSignalBlocker(self):
            self.clear()
            self._rows = {}
            self._add_step_row("Start: nothing computed yet", 0, "The lesson's introduction")
            iterations = len(walkthrough.trace.iterations)
            group = None
            for step in walkthrough.steps:
                if (step.iteration, step.stage) != group:
                    group = (step.iteration, step.stage)
                    heading = step.stage.title
                    if iterations > 1:
                        heading = f"{heading} · iteration {step.iteration + 1}"
                    self._add_heading(heading)
                self._add_step_row(f"{step.index + 1}. {_unbroken(step.title)}",
                                   step.index + 1,
                                   step.formula)

    def _add_heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: readable, not selectable
        item.setFont(self._heading_font())
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Stage: {text}")
        self.addItem(item)

    def _heading_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Headings follow the text size."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            font = self._heading_font()
            for row in range(self.count()):
                item = self.item(row)
                if item.data(POSITION_ROLE) is None:
                    item.setFont(font)

    def _add_step_row(self, text: str, position: int, tooltip: str) -> None:
        item = QListWidgetItem(text)
        item.setData(POSITION_ROLE, position)
        item.setData(FORMULA_ROLE, tooltip)
        item.setToolTip(tooltip if position == 0 else PENDING_TIP)
        self._rows[position] = self.count()
        self.addItem(item)

    def _reveal_tooltips(self, position: int) -> None:
        """A step's formula (with its numbers) shows only once the step is done, so a
        tooltip never gives away an answer the learner has not reached."""
        for step_position, row in self._rows.items():
            item = self.item(row)
            shown = item.data(FORMULA_ROLE) if step_position <= position else PENDING_TIP
            if item.toolTip() != shown:
                item.setToolTip(shown)

    def _select(self, position: int) -> None:
        self._reveal_tooltips(position)
        row = self._rows.get(position)
        if row is None:
            return
        with QSignalBlocker(self):
            self.setCurrentRow(row)
        self.scrollToItem(self.item(row), QAbstractItemView.ScrollHint.EnsureVisible)

    def _jump(self, current: QListWidgetItem | None) -> None:
        if current is not None and current.data(POSITION_ROLE) is not None:
            self.model.jump(int(current.data(POSITION_ROLE)))

    def current_position(self) -> int | None:
        """The position of the selected row."""
        item = self.currentItem()
        return None if item is None else item.data(POSITION_ROLE)

    def row_of(self, position: int) -> int:
        """The list row of ``position``."""
        return self._rows[position]


def _unbroken(title: str) -> str:
    """``title`` with the spaces inside parentheses made non-breaking, so that a wrapped
    row never breaks an expression such as ∂(y_pred - y) in two."""
    depth, out = 0, []
    for char in title:
        depth += (char == "(") - (char == ")")
        out.append("\u00a0" if char == " " and depth > 0 else char)
    return "".join(out)
