"""The window's first paint: the lesson list, the lesson's title, introduction and
program, painted before torch is imported (issue 13).

``import torch`` takes about two seconds and the real window cannot exist without a
trace, so ``gui-backprop`` first shows this light window (Qt and the lesson files only:
no torch, pyqtgraph or matplotlib), while :class:`WindowLoader` imports the rest and
traces the lessons on a thread of its own. The graph's place says "Tracing…"; the real
window takes this one's place (same geometry, same lesson) when it is built.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.lessons import Lesson, load_all_lessons
from gui_backprop.ui.looks.style_sheet import window_style_sheet
from gui_backprop.ui.widgets.code_view import CodeView
from gui_backprop.ui.widgets.panel_layout import headed, heading, splitter
from gui_backprop.ui.window import settings_keys as keys

TRACING = "Tracing…"
PAINT_WAIT = 500  # ms: load anyway when no paint came (a window opened minimized)
# What the loader imports besides the tracer: the real window and what it draws with
# (pyqtgraph, matplotlib). Importing modules on a thread is safe; no widget is made there.
WINDOW_MODULE = "gui_backprop.ui.window.main_window"


class WindowLoader(QThread):
    """Imports torch and the real window's modules and loads the lessons (each traced
    once, as the window needs them) off the GUI thread; never touches a widget.

    ``loaded(lessons, problems)`` when done; ``failed(exception)`` otherwise."""

    loaded = Signal(object, object)
    failed = Signal(object)

    def __init__(self, folders, parent=None):
        super().__init__(parent)
        self.folders = list(folders)

    def run(self) -> None:
        """Load, then report through a queued signal."""
        try:
            lessons, problems = load_all_lessons(self.folders)
            importlib.import_module(WINDOW_MODULE)
        except Exception as exc:  # reported on the GUI thread, like any failure there
            self.failed.emit(exc)
            return
        self.loaded.emit(lessons, problems)


class StartWindow(QMainWindow):
    """The lessons left, "Tracing…" where the graph goes with the lesson's title and
    introduction under it, the lesson's program right: readable while torch loads.

    Choosing another lesson here shows it here and is the one the real window opens.
    ``painted`` fires once, after the first paint (or after :data:`PAINT_WAIT` ms when
    nothing gets painted, such as a window opened minimized)."""

    painted = Signal()

    def __init__(self, lessons: list[Lesson], lesson: Lesson | None = None,
                 settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("startWindow")
        self.setWindowTitle("Backprop Lab")
        self.lessons = list(lessons)
        self.lesson_list = QListWidget(objectName="lessonList")
        self.lesson_list.setAccessibleName("Lessons")
        self.lesson_list.setWordWrap(True)
        for number, item_lesson in enumerate(self.lessons, start=1):
            item = QListWidgetItem(f"{number}. {item_lesson.title}")
            item.setToolTip(item_lesson.summary)
            self.lesson_list.addItem(item)
        self.placeholder = QLabel(TRACING, objectName="tracingPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)  # quiet: the disabled (grey) text colour
        self.title = QLabel(objectName="startTitle")
        self.title.setProperty("heading", True)
        self.title.setWordWrap(True)
        self.intro = QLabel(objectName="startIntro")
        self.intro.setWordWrap(True)
        self.intro.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.code = CodeView()
        self.code.setObjectName("startCode")
        self._arrange()
        self.setStyleSheet(window_style_sheet(self.palette(), QApplication.font().pointSize()))
        self.lesson = lesson or self._remembered(settings) or self.lessons[0]
        self.lesson_list.setCurrentRow(self.lessons.index(self.lesson))
        self._show_lesson(self.lesson)
        self.lesson_list.currentRowChanged.connect(
            lambda row: self._show_lesson(self.lessons[row]) if row >= 0 else None)
        geometry = settings.value(keys.GEOMETRY) if settings is not None else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._painted = False
        self.placeholder.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT, self._report_painted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        """The placeholder's first paint: the window is on screen."""
        if event.type() == QEvent.Type.Paint and not self._painted:
            QTimer.singleShot(0, self._report_painted)  # after this paint is done
        return False

    def _report_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.placeholder.removeEventFilter(self)
            self.painted.emit()

    def _arrange(self) -> None:
        explanation = QWidget(objectName="startExplanation")
        column = QVBoxLayout(explanation)
        column.addWidget(self.title)
        column.addWidget(self.intro, 1)
        centre = splitter(Qt.Orientation.Vertical, "startCentre",
                          (headed("Computational graph", self.placeholder), 3),
                          (explanation, 2))
        centre.setSizes([450, 250])  # as the full window's centre
        code = QWidget(objectName="startCodeBox")
        right = QVBoxLayout(code)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(heading("Code"))
        right.addWidget(self.code, 1)
        body = splitter(Qt.Orientation.Horizontal, "startSplitter",
                        (headed("Lessons", self.lesson_list), 0), (centre, 1), (code, 0))
        body.setSizes([210, 680, 380])
        body.setContentsMargins(6, 6, 6, 6)
        self.setCentralWidget(body)

    def _remembered(self, settings: QSettings | None) -> Lesson | None:
        last = settings.value(keys.LAST_LESSON) if settings is not None else None
        return next((item for item in self.lessons if item.id == last), None)

    def _show_lesson(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.title.setText(lesson.title)
        self.intro.setText(lesson.intro)
        self.code.set_code(lesson.program.source)
