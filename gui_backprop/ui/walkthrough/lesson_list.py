"""The lessons, in order, a section per teacher's folder; choosing one opens it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from gui_backprop.core.lessons import Lesson
from gui_backprop.ui.lesson_model import LessonModel

LESSON_ROLE = Qt.ItemDataRole.UserRole
MOST_ROWS = 12


class LessonList(QListWidget):
    """One row per lesson: number and title, the summary as tooltip. The lessons of a
    teacher's folder follow under a heading row with the folder's name."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonList")
        self.setAccessibleName("Lessons")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.model = model
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill()
        model.lessons_changed.connect(self._fill)
        model.lesson_opened.connect(self._select)
        self.currentItemChanged.connect(self._open)

    def _fill(self) -> None:
        with QSignalBlocker(self):
            self.clear()
            folder = ""
            for number, lesson in enumerate(self.model.lessons, start=1):
                if lesson.folder != folder:
                    folder = lesson.folder
                    self.addItem(self._heading(folder))
                item = QListWidgetItem(f"{number}. {lesson.title}")
                item.setData(LESSON_ROLE, lesson.id)
                item.setToolTip(lesson.summary)
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, lesson.summary)
                self.addItem(item)
        if self.model.walkthrough is not None:
            self._select(self.model.lesson)
        self._fit_height()

    @staticmethod
    def _heading(folder: str) -> QListWidgetItem:
        item = QListWidgetItem(folder)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable, not a lesson
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip(f"Lessons from the folder {folder}")
        return item

    def _fit_height(self) -> None:
        """As tall as the lessons need (no empty space, no scroll bar), up to
        :data:`MOST_ROWS` rows: a long course scrolls, the steps keep their room."""
        rows = sum(self.sizeHintForRow(row) for row in range(min(self.count(), MOST_ROWS)))
        self.setMaximumHeight(rows + 2 * self.frameWidth() + 4)

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
        lesson_id = None if current is None else current.data(LESSON_ROLE)
        if lesson_id is not None and lesson_id != self.model.lesson.id:
            self.model.open_lesson(lesson_id)

    def current_lesson_id(self) -> str | None:
        """The id of the selected lesson."""
        item = self.currentItem()
        return None if item is None else item.data(LESSON_ROLE)

    def headings(self) -> list[str]:
        """The folder headings shown, top to bottom."""
        return [self.item(row).text() for row in range(self.count())
                if self.item(row).data(LESSON_ROLE) is None]
