"""The window's menus and keyboard shortcuts (one QAction each), and the Help texts."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.canvas.view import GraphView
from gui_backprop.ui.exercise.mode import ExerciseMode
from gui_backprop.ui.files.data_import import DataImport
from gui_backprop.ui.files.exports import Exports
from gui_backprop.ui.files.lesson_folders import LessonFolders
from gui_backprop.ui.files.save_lesson import LessonSaver
from gui_backprop.ui.files.sessions import SessionFiles
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.walkthrough.controls import WalkthroughPlayer

TEXT_SIZES = (8, 9, 10, 11, 12, 14, 16, 18, 20, 24, 28)
# The keys of standard shortcuts some platforms leave unbound (Quit has none on Windows
# and offscreen): the action has this key there, and Help lists it.
UNBOUND_STANDARD_KEYS = {QKeySequence.StandardKey.Quit: "Ctrl+Q",
                         QKeySequence.StandardKey.HelpContents: "F1"}


def key_sequence(shortcut: str | QKeySequence.StandardKey) -> QKeySequence:
    """The key sequence of a shortcut's text or a standard key (its usual key where the
    platform binds it to none)."""
    sequence = QKeySequence(shortcut)
    if sequence.isEmpty() and shortcut in UNBOUND_STANDARD_KEYS:
        return QKeySequence(UNBOUND_STANDARD_KEYS[shortcut])
    return sequence


class WindowMenus(QObject):
    """Builds the menu bar of ``window``: File, Walkthrough, View, Help.

    The actions call the collaborators passed in. What only the window can do is asked
    for with a signal: ``text_size_requested(points)`` and ``gradient_check_requested``;
    the window reports the size in force through :meth:`show_text_size`, and
    ``lessons_column_requested(shown)`` shows or hides the lessons and steps column.
    """

    text_size_requested = Signal(int)
    gradient_check_requested = Signal()
    lessons_column_requested = Signal(bool)

    def __init__(self, window: QMainWindow, model: LessonModel, player: WalkthroughPlayer,
                 files: SessionFiles, exports: Exports, graph_view: GraphView,
                 exercise: ExerciseMode, lesson_folders: LessonFolders,
                 lesson_saver: LessonSaver, data_import: DataImport | None = None):
        super().__init__(window)
        self.window = window
        self.model, self.player, self.files, self.exports = model, player, files, exports
        self.graph_view, self.exercise = graph_view, exercise
        self.lesson_folders, self.lesson_saver = lesson_folders, lesson_saver
        self.data_import = data_import
        self._text_size = 0
        self.actions: dict[str, QAction] = {}
        bar = window.menuBar()
        bar.setObjectName("menuBar")
        bar.setAccessibleName("Menu bar")
        self.file_menu = bar.addMenu("&File")
        self.walkthrough_menu = bar.addMenu("&Walkthrough")
        self.view_menu = bar.addMenu("&View")
        self.help_menu = bar.addMenu("&Help")
        self._file()
        self._walkthrough()
        self._view()
        self._help()

    def _add(self, menu, key: str, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action_{key}")
        if shortcuts:
            action.setShortcuts([key_sequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.window.addAction(action)  # shortcuts work even while the menu bar is hidden
        self.actions[key] = action
        return action

    def _file(self) -> None:
        menu, files, exports = self.file_menu, self.files, self.exports
        self._add(menu, "open", "&Open session…", files.open_file, ["Ctrl+O"],
                  "Open a saved session (.bplab)")
        recent = menu.addMenu("Open &recent")
        recent.setObjectName("recentMenu")
        files.attach_recent_menu(recent)
        self._add(menu, "open_lesson_folder", "Open &lesson folder…",
                  self.lesson_folders.open_folder,
                  tip="Add a teacher's folder of lessons (remembered for the next start)")
        self._add(menu, "save", "&Save session", files.save, ["Ctrl+S"],
                  "Save the lesson, values, position and training")
        self._add(menu, "save_as", "Save session &as…", files.save_as, ["Ctrl+Shift+S"])
        self._add(menu, "save_as_lesson", "Save as &lesson…", self.lesson_saver.save_as_lesson,
                  tip="The program, its values and your texts as a lesson file to share")
        self._add(menu, "export_scores", "Export s&cores…", exports.scores_csv,
                  tip="The questions' answers, right or wrong, as CSV for the teacher")
        menu.addSeparator()
        if self.data_import is not None:
            self._add(menu, "import_data", "&Import data… (CSV)", self.data_import.import_csv,
                      tip="Train on your own points: the last column is the target, the "
                          "others the input; a header row is optional")
        export = menu.addMenu("&Export")
        export.setObjectName("exportMenu")
        self.export_menu = export
        self._add(export, "export_graph_png", "Graph as &PNG image…", exports.graph_png,
                  tip="The graph as shown, at twice its size")
        self._add(export, "export_graph_svg", "Graph as &SVG drawing…", exports.graph_svg,
                  tip="The graph as shown, as a drawing that scales")
        self._add(export, "export_plots_png", "Training p&lots as PNG image…",
                  exports.plots_png, tip="The Train tab's plots, at twice their size")
        self._add(export, "export_loss_csv", "Loss history as &CSV…", exports.loss_csv,
                  tip="Each training step's loss: step,loss")
        export.addSeparator()
        self._add(export, "export_script", "As PyTorch &script…", exports.pytorch_script,
                  tip="A Python script that computes the same numbers with PyTorch")
        idiomatic = self._add(export, "export_idiomatic", "As &idiomatic PyTorch script…",
                              exports.idiomatic_script,
                              tip="The lesson's model with nn.Linear, F and torch.optim")
        idiomatic.setEnabled(bool(self.model.lesson.idiomatic))  # only a lesson with one
        self.model.lesson_opened.connect(
            lambda lesson: idiomatic.setEnabled(bool(lesson.idiomatic)))
        menu.addSeparator()
        self._add(menu, "quit", "&Quit", self.window.close, [QKeySequence.StandardKey.Quit])

    def _walkthrough(self) -> None:
        menu, model, player = self.walkthrough_menu, self.model, self.player
        self._add(menu, "next", "&Next step", model.next, ["Space", "Right"])
        self._add(menu, "back", "&Back one step", model.back, ["Backspace", "Left"])
        self._add(menu, "play", "&Play / Pause", player.toggle, ["P"])
        self._add(menu, "reset", "&Reset to the start", model.reset, ["Home"])
        self._add(menu, "start_over", "Start the lesson &over…", self._start_over,
                  tip="The lesson's own program and values again (your edits to it go)")
        menu.addSeparator()
        for number, stage in enumerate(Stage, start=1):
            self._add(menu, f"stage_{stage.value}", f"Jump to {stage.title.lower()}",
                      lambda stage=stage: model.jump_to_stage(stage), [f"Ctrl+{number}"])
        menu.addSeparator()
        self._add(menu, "gradient_check", "&Gradient check", self.gradient_check_requested.emit,
                  ["Ctrl+G"], "Compare autograd's gradients with finite differences")
        exercise = self.exercise
        action = self._add(menu, "exercise", "P&redict the gradient (exercise)",
                           lambda: exercise.set_enabled(self.actions["exercise"].isChecked()),
                           ["Ctrl+E"], "Before a value or gradient is shown, type what "
                                       "you expect")
        action.setCheckable(True)
        exercise.changed.connect(lambda: action.setChecked(exercise.enabled))

    def _view(self) -> None:
        menu, graph = self.view_menu, self.graph_view
        self._add(menu, "fit", "&Fit graph to window", graph.fit_to_window, ["F"])
        self._add(menu, "zoom_in", "Zoom &in", graph.zoom_in, ["Ctrl++", "Ctrl+="])
        self._add(menu, "zoom_out", "Zoom &out", graph.zoom_out, ["Ctrl+-"])
        self._add(menu, "zoom_reset", "&Actual size", graph.reset_zoom, ["Ctrl+0"])
        menu.addSeparator()
        # At a projector's text size the graph and the explanation need the room more
        # than the lesson list; the jump buttons and Back/Next still move through steps.
        column = self._add(menu, "lessons_column", "&Lessons and steps",
                           lambda: self.lessons_column_requested.emit(column.isChecked()),
                           ["Ctrl+B"], "Show or hide the lessons and steps column")
        column.setCheckable(True)
        column.setChecked(True)
        sizes = menu.addMenu("&Text size")
        sizes.setObjectName("textSizeMenu")
        self._add(sizes, "text_larger", "&Larger", lambda: self._step_text_size(+1),
                  ["Ctrl+Shift++", "Ctrl+Shift+="])
        self._add(sizes, "text_smaller", "&Smaller", lambda: self._step_text_size(-1),
                  ["Ctrl+Shift+-", "Ctrl+Shift+_"])
        sizes.addSeparator()
        group = QActionGroup(self)
        self.size_actions: dict[int, QAction] = {}
        for size in TEXT_SIZES:
            action = self._add(sizes, f"text_{size}", f"{size} pt",
                               lambda size=size: self.text_size_requested.emit(size))
            action.setCheckable(True)
            group.addAction(action)
            self.size_actions[size] = action

    def _start_over(self) -> None:
        """Back to the open lesson's own program and values, once the learner agrees
        (the one way back from edits, a training result or a reopened session)."""
        title = self.model.lesson.title
        answer = QMessageBox.question(
            self.window, "Start the lesson over",
            f"Start “{title}” over with its own program and values? Your edits to this "
            "lesson go; the other lessons keep theirs.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.model.start_over()

    def _step_text_size(self, direction: int) -> None:
        current = self._text_size
        bigger = [s for s in TEXT_SIZES if s > current]
        smaller = [s for s in TEXT_SIZES if s < current]
        if direction > 0 and bigger:
            self.text_size_requested.emit(bigger[0])
        elif direction < 0 and smaller:
            self.text_size_requested.emit(smaller[-1])

    def show_text_size(self, size: int) -> None:
        """The window's text size is ``size``: tick its menu entry (none when it is not
        in the list)."""
        self._text_size = size
        for value, action in self.size_actions.items():
            action.setChecked(value == size)

    def _help(self) -> None:
        self._add(self.help_menu, "shortcuts", "&Keyboard shortcuts", self.show_shortcuts,
                  [QKeySequence.StandardKey.HelpContents])
        self._add(self.help_menu, "about", "&About Backprop Lab", self.show_about)

    # -- help texts ------------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every action with a shortcut, in menu order."""
        rows = []
        for action in self.actions.values():
            keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
            if keys:
                rows.append((" or ".join(keys), action.text().replace("&", "")))
        return rows

    def shortcuts_html(self) -> str:
        """The shortcut table as HTML, for the Help dialog."""
        rows = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
                       for keys, what in self.shortcut_rows())
        return (f"<table cellspacing='0' cellpadding='4'>{rows}</table>"
                "<p>The single keys do not act while you type in a field or the playground "
                "editor. Tab moves between all controls.</p>")

    def show_shortcuts(self) -> None:
        """The Help > Keyboard shortcuts dialog."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          self.shortcuts_html(), QMessageBox.StandardButton.Close,
                          self.window)
        box.setObjectName("shortcutsDialog")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        """The Help > About dialog."""
        QMessageBox.about(
            self.window, "About Backprop Lab",
            "<p><b>Backprop Lab</b> teaches backpropagation step by step. Every value and "
            "gradient on screen is computed by PyTorch's autograd.</p>")
