"""The Backprop Lab window: lessons and steps left, graph and explanation centre (with the
Train tab beside them), code (or the playground's editor) and tabs (values, gradient
check, and room for more) right.

Panels only talk to the :class:`LessonModel`; this class only builds and arranges
them, and remembers the window between runs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.lessons import Lesson
from gui_backprop.ui.canvas.panel import GraphPanel
from gui_backprop.ui.editing.gradient_check_panel import GradientCheckPanel
from gui_backprop.ui.editing.playground_panel import PlaygroundPanel
from gui_backprop.ui.editing.values_panel import ValuesPanel
from gui_backprop.ui.exercise.mode import ExerciseMode
from gui_backprop.ui.exercise.panel import ExercisePanel, explanation_with_exercise
from gui_backprop.ui.files.data_import import DataImport
from gui_backprop.ui.files.exports import Exports
from gui_backprop.ui.files.lesson_folders import LessonFolders
from gui_backprop.ui.files.save_lesson import LessonSaver
from gui_backprop.ui.files.sessions import SessionFiles
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.looks.style_sheet import window_style_sheet
from gui_backprop.ui.questions.panel import QuestionsPanel
from gui_backprop.ui.questions.scores import QuestionScores
from gui_backprop.ui.training.example_walk import ExampleWalk
from gui_backprop.ui.training.lesson_link import TrainLessonLink
from gui_backprop.ui.training.live_graph import LiveTrainingGraph
from gui_backprop.ui.training.panel import TrainPanel
from gui_backprop.ui.training.panel_state import TrainPanelState
from gui_backprop.ui.walkthrough.code_panel import CodePanel
from gui_backprop.ui.walkthrough.controls import WalkthroughControls, WalkthroughPlayer
from gui_backprop.ui.walkthrough.explanation import ExplanationPanel
from gui_backprop.ui.walkthrough.lesson_list import LessonList
from gui_backprop.ui.walkthrough.step_list import StepList
from gui_backprop.ui.widgets.panel_layout import headed, splitter
from gui_backprop.ui.window import settings_keys as keys
from gui_backprop.ui.window.menus import WindowMenus
from gui_backprop.ui.window.shortcut_guard import ShortcutGuard

WINDOW_TITLE = "Backprop Lab"
DEFAULT_SIZE = (1280, 800)
LEFT_WIDTH, CENTRE_WIDTH = 210, 680
SIDE_TABS_MINIMUM = 150  # px: the Values tab scrolls below its own size
LARGE_TEXT = 18  # points: from here on the text gets the larger share (see _share_columns)
RIGHT_WIDTHS = {False: 380, True: 290}  # the right column's width: code listing, playground


def scrolled(panel: QWidget) -> QScrollArea:
    """``panel`` in a scroll area: where it cannot fit (a large text size), it scrolls
    instead of squeezing its rows over each other."""
    area = QScrollArea(objectName=f"{panel.objectName()}Scroll")
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def _share(widget, shares: tuple[int, int]) -> None:
    """Divide a splitter's room by ``shares``."""
    total = sum(widget.sizes()) or sum(shares) * 50
    widget.setSizes([total * share // sum(shares) for share in shares])


class MainWindow(QMainWindow):
    """The main window. ``settings`` (None: nothing is remembered) holds geometry and
    the last lesson. ``text_size_changed(points)`` fires when View › Text size changes."""

    text_size_changed = Signal(int)

    def __init__(self, lessons: list[Lesson], settings: QSettings | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName(WINDOW_TITLE)
        self.settings = settings
        self._default_text_size = QApplication.font().pointSize()
        self._text_size = self._default_text_size
        self._right_shares: tuple[int, int] | None = None  # the right column's, in force
        self.model = LessonModel(lessons, self)
        self.player = WalkthroughPlayer(self.model, self)
        self._build_panels()
        self._arrange()
        self.train_state = TrainPanelState(self.train_panel)
        self.session_files = SessionFiles(self, self.model, self.train_state, settings,
                                          self.question_scores)
        self.exports = Exports(self, self.model, self.graph_view, self.train_state, settings,
                               self.question_scores)
        self.lesson_folders = LessonFolders(self, self.model, settings)
        self.lesson_saver = LessonSaver(self, self.model, settings)
        self.data_import = DataImport(self, self.train_panel, settings)
        self.data_import.imported.connect(
            lambda: self.centre_tabs.setCurrentWidget(self.train_panel))
        self.menus = WindowMenus(self, self.model, self.player, self.session_files,
                                 self.exports, self.graph_view, self.exercise,
                                 self.lesson_folders, self.lesson_saver, self.data_import)
        self.menus.text_size_requested.connect(self.set_text_size)
        self.menus.gradient_check_requested.connect(self.show_gradient_check)
        self.menus.lessons_column_requested.connect(self.show_lessons_column)
        self.text_size_changed.connect(self.menus.show_text_size)
        self.shortcut_guard = ShortcutGuard(self)
        self.model.lesson_opened.connect(self._lesson_opened)
        self.model.failed.connect(self._show_refusal)
        self.model.traced.connect(self._clear_refusal)
        self._refusal = ""
        self.train_link = TrainLessonLink(self.train_panel, self.model, self.statusBar())
        self.live_graph = LiveTrainingGraph(self.train_panel, self.model, self.graph_panel)
        self.centre_tabs.currentChanged.connect(lambda _index: self.live_graph.refresh())
        self.example_walk = ExampleWalk(self.train_panel, self.model,
                                        lambda: self.centre_tabs.setCurrentIndex(0))
        self.exercise.changed.connect(self._make_room_for_the_exercise)
        self.resize(*DEFAULT_SIZE)
        self._apply_style()
        self._restore()

    def _build_panels(self) -> None:
        model = self.model
        self.controls = WalkthroughControls(model, self.player)
        self.lesson_list = LessonList(model)
        self.step_list = StepList(model)
        self.graph_panel = GraphPanel(model)
        self.graph_view = self.graph_panel.view
        self.explanation = ExplanationPanel(model)
        self.exercise = ExerciseMode(model, self)
        self.exercise_panel = ExercisePanel(self.exercise, return_focus=self.graph_view)
        self.code_panel = CodePanel(model)
        self.values_panel = ValuesPanel(model)
        self.playground_panel = PlaygroundPanel(model)
        self.gradient_check_panel = GradientCheckPanel(model)
        self.question_scores = QuestionScores(self)
        self.questions_panel = QuestionsPanel(model, self.question_scores)
        # The playground's editor takes the code panel's place: it is the code there.
        self.code_stack = QStackedWidget(objectName="codeStack")
        self.code_stack.addWidget(self.code_panel)
        self.code_stack.addWidget(self.playground_panel)
        self.side_tabs = QTabWidget(objectName="sideTabs")
        # Its panels scroll: at a large text size the code above gets the room it needs.
        self.side_tabs.setMinimumHeight(SIDE_TABS_MINIMUM)
        self.side_tabs.setAccessibleName("Values, gradient check and questions")
        self.side_tabs.tabBar().setObjectName("sideTabBar")
        self.side_tabs.tabBar().setAccessibleName("Side panels")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(scrolled(self.values_panel), "Values")  # scrolls at 28 pt
        self.side_tabs.addTab(self.gradient_check_panel, "Gradient check")
        # Only a lesson with questions shows this tab (it scrolls: a row per question).
        self.questions_tab = self.side_tabs.addTab(scrolled(self.questions_panel), "Questions")
        self.side_tabs.setTabVisible(self.questions_tab, False)
        self.questions_panel.available.connect(
            lambda shown: self.side_tabs.setTabVisible(self.questions_tab, shown))
        self.side_tabs.currentChanged.connect(lambda _index: self._share_right_column())
        self.train_panel = TrainPanel()

    def _arrange(self) -> None:
        self.lessons_column = left = QWidget(objectName="leftColumn")
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(headed("Lessons", self.lesson_list), 0)
        column.addWidget(headed("Steps", self.step_list), 1)
        self.centre_splitter = centre = splitter(Qt.Orientation.Vertical, "centreSplitter",
                          (self.graph_panel, 3),
                          (explanation_with_exercise(self.explanation, self.exercise_panel), 2))
        self.right_splitter = right = splitter(Qt.Orientation.Vertical, "rightSplitter",
                         (self.code_stack, 1), (self.side_tabs, 1))
        # Train shares the centre with the walkthrough: its plots need the room.
        self.centre_tabs = QTabWidget(objectName="centreTabs")
        self.centre_tabs.setDocumentMode(True)
        self.centre_tabs.setAccessibleName("Walkthrough and training")
        self.centre_tabs.tabBar().setObjectName("centreTabBar")
        self.centre_tabs.tabBar().setAccessibleName("Walkthrough or Train")
        self.centre_tabs.addTab(centre, "Walkthrough")
        self.centre_tabs.addTab(self.train_panel, "Train")
        self.main_splitter = splitter(Qt.Orientation.Horizontal, "mainSplitter",
                                      (left, 0), (self.centre_tabs, 1), (right, 0))
        self.main_splitter.setSizes([LEFT_WIDTH, CENTRE_WIDTH, RIGHT_WIDTHS[False]])
        self._right_widths = dict(RIGHT_WIDTHS)
        centre.setSizes([450, 250])
        right.setSizes([400, 310])
        body = QWidget(objectName="centralWidget")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.controls)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(body)
        self.statusBar().setObjectName("statusBar")

    def _show_refusal(self, message: str) -> None:
        self._refusal = message
        self.statusBar().showMessage(message, 8000)

    def _clear_refusal(self) -> None:
        """A trace that went through makes the last refusal stale."""
        if self._refusal and self.statusBar().currentMessage() == self._refusal:
            self.statusBar().clearMessage()
        self._refusal = ""

    def add_side_tab(self, widget: QWidget, title: str) -> int:
        """Add a panel (such as Train) as a tab beside Values; returns its index."""
        return self.side_tabs.addTab(widget, title)

    # -- following the model ----------------------------------------------------------

    def _lesson_opened(self, lesson: Lesson) -> None:
        was_playground = self.code_stack.currentWidget() is self.playground_panel
        self.code_stack.setCurrentWidget(self.playground_panel if lesson.playground
                                         else self.code_panel)
        for page in (self.code_panel, self.playground_panel):  # only the page shown counts
            shown = page is self.code_stack.currentWidget()  # for the column's least width
            page.setSizePolicy(QSizePolicy.Policy.Preferred if shown
                               else QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if was_playground != lesson.playground:
            self._swap_right_width(was_playground, lesson.playground)
        if self.settings is not None:
            self.settings.setValue(keys.LAST_LESSON, lesson.id)

    def _swap_right_width(self, old: bool, new: bool) -> None:
        """The playground's short lines need a narrower right column than a code listing,
        and its graph the room: each keeps its own width (as the learner last left it)."""
        left, centre = self._left_width(LEFT_WIDTH + CENTRE_WIDTH + RIGHT_WIDTHS[old]), \
            CENTRE_WIDTH
        if self.main_splitter.isVisible():  # before that, sizes() are not the real ones
            left, centre, self._right_widths[old] = self.main_splitter.sizes()
        total = left + centre + self._right_widths[old]
        right = self._right_widths[new]
        self.main_splitter.setSizes([left, total - left - right, right])

    def shown_code_line(self) -> int | None:
        """The highlighted line of the code on screen (the editor's in the playground)."""
        if self.code_stack.currentWidget() is self.playground_panel:
            return self.playground_panel.editor.current_line()
        return self.code_panel.highlighted_line()

    def show_questions(self) -> None:
        """Bring up the Questions tab (when the open lesson has questions)."""
        if self.side_tabs.isTabVisible(self.questions_tab):
            self.side_tabs.setCurrentIndex(self.questions_tab)

    def show_gradient_check(self) -> None:
        """Bring up the Gradient check tab and run the check."""
        self.side_tabs.setCurrentWidget(self.gradient_check_panel)
        self.gradient_check_panel.run_check()

    def show_lessons_column(self, shown: bool) -> None:
        """Show or hide the lessons and steps column (View › Lessons and steps), and
        remember the choice."""
        self.lessons_column.setVisible(shown)
        self.menus.actions["lessons_column"].setChecked(shown)
        if self.settings is not None:
            self.settings.setValue(keys.LESSONS_COLUMN, shown)

    # -- text size ---------------------------------------------------------------------

    def text_size(self) -> int:
        """The window's text size in points."""
        return self._text_size

    def set_text_size(self, points: int) -> None:
        """Scale every text of the window (View > Text size), for a projector."""
        self._text_size = int(points)
        self._apply_style()
        self._widen_left_column()
        self._share_columns()
        self.text_size_changed.emit(int(points))
        if self.settings is not None:
            self.settings.setValue(keys.TEXT_SIZE, int(points))

    def _share_columns(self) -> None:
        """Large text needs its lines more than the graph and the side tabs need room:
        from :data:`LARGE_TEXT` points the explanation gets half the centre and the code
        (or the playground's editor) two thirds of the right column."""
        large = self._text_size >= LARGE_TEXT
        _share(self.centre_splitter, (1, 1) if large else (9, 5))
        self._share_right_column(again=True)

    def _share_right_column(self, again: bool = False) -> None:
        """The code (or editor) over the side tabs: by the text size (see
        :meth:`_share_columns`), except that the Questions tab, a row per question, gets
        two thirds while it is shown."""
        if self.side_tabs.currentIndex() == self.questions_tab:
            shares = (1, 2)
        else:
            shares = (2, 1) if self._text_size >= LARGE_TEXT else (40, 31)
        if again or shares != self._right_shares:
            self._right_shares = shares
            _share(self.right_splitter, shares)

    def _make_room_for_the_exercise(self) -> None:
        """With Predict the gradient on, the question and its working sit under the
        explanation: the lower part grows (never shrinks) so that about eight lines of
        the explanation stay in view beside them, the graph keeping a third at least."""
        if not self.exercise.enabled:
            return
        graph, lower = self.centre_splitter.sizes()
        total = graph + lower
        lines = self.explanation.fontMetrics().lineSpacing() * 8
        needed = min(self.exercise_panel.sizeHint().height() + lines, total * 2 // 3)
        if lower < needed:
            self.centre_splitter.setSizes([total - needed, needed])

    def _left_width(self, total: int) -> int:
        """The left column's width for the text size: grown with it, at most a quarter."""
        grown = round(LEFT_WIDTH * self._text_size / max(self._default_text_size, 1))
        return max(LEFT_WIDTH, min(grown, total // 4))

    def _widen_left_column(self) -> None:
        """The lessons and steps column grows with the text (up to a quarter of the
        window), so that their names stay readable at a projector's size."""
        sizes = self.main_splitter.sizes()
        if not self.main_splitter.isVisible():  # before that, sizes() are not the real ones
            playground = self.code_stack.currentWidget() is self.playground_panel
            sizes = [LEFT_WIDTH, CENTRE_WIDTH, self._right_widths[playground]]
        total = sum(sizes)
        left = self._left_width(total)
        centre = max(sizes[1] - (left - sizes[0]), 0)
        self.main_splitter.setSizes([left, centre, total - left - centre])

    # -- looks ---------------------------------------------------------------------------

    def _apply_style(self) -> None:
        sheet = window_style_sheet(self.palette(), self._text_size)
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow the system's switch between light and dark."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_style()

    # -- remembering ---------------------------------------------------------------------

    def _restore(self) -> None:
        settings = self.settings
        lesson = self.model.lessons[0].id
        size = self._default_text_size
        if settings is not None:
            self.lesson_folders.open_remembered()  # before the last lesson is looked for
            geometry = settings.value(keys.GEOMETRY)
            if geometry is not None:
                self.restoreGeometry(geometry)
            last = settings.value(keys.LAST_LESSON)
            if any(item.id == last for item in self.model.lessons):
                lesson = last
            if str(settings.value(keys.LESSONS_COLUMN, "true")).lower() == "false":
                self.show_lessons_column(False)
            stored = settings.value(keys.TEXT_SIZE)
            if stored is not None and str(stored).isdigit() and 6 <= int(stored) <= 48:
                size = int(stored)
        self.set_text_size(size)
        self.model.open_lesson(lesson)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Offer to save unsaved work (the app's window; see SessionFiles), stop playing
        and remember the window."""
        files = self.session_files
        if files.ask_before_closing and not files.maybe_save():
            event.ignore()
            return
        self.player.pause()
        self.train_panel.shutdown()
        self.model.background.cancel()  # a big program's trace: its result is not wanted
        self.model.background.wait()
        if self.settings is not None:
            self.settings.setValue(keys.GEOMETRY, self.saveGeometry())
            self.settings.sync()
        super().closeEvent(event)
