"""The lessons, in order; choosing one opens it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from gui_backprop.core.lessons import Lesson
from gui_backprop.ui.lesson_model import LessonModel

LESSON_ROLE = Qt.ItemDataRole.UserRole


class LessonList(QListWidget):
    """One row per lesson: number and title, the summary as tooltip."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonList")
        self.setAccessibleName("Lessons")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Whole names, wrapped onto more lines where the column is narrow (never "…").
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.model = model
        for number, lesson in enumerate(model.lessons, start=1):
            item = QListWidgetItem(f"{number}. {lesson.title}")
            item.setData(LESSON_ROLE, lesson.id)
            item.setToolTip(lesson.summary)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, lesson.summary)
            self.addItem(item)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        model.lesson_opened.connect(self._select)
        self.currentItemChanged.connect(self._open)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the lessons need (no empty space, no scroll bar), wrapped rows too."""
        self.doItemsLayout()
        rows = sum(max(self.visualItemRect(self.item(row)).height(), self.sizeHintForRow(row))
                   if self.isVisible() else self.sizeHintForRow(row)
                   for row in range(self.count()))
        self.setMaximumHeight(rows + 2 * self.frameWidth() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """A narrower column wraps more titles: refit the height."""
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Refit the height when the text size changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    def _select(self, lesson: Lesson) -> None:
        for row in range(self.count()):
            if self.item(row).data(LESSON_ROLE) == lesson.id:
                with QSignalBlocker(self):
                    self.setCurrentRow(row)
                return

    def _open(self, current: QListWidgetItem | None) -> None:
        if current is not None and current.data(LESSON_ROLE) != self.model.lesson.id:
            self.model.open_lesson(current.data(LESSON_ROLE))

    def current_lesson_id(self) -> str | None:
        """The id of the selected lesson."""
        item = self.currentItem()
        return None if item is None else item.data(LESSON_ROLE)
