"""File > Open, Open Recent, Save and Save As for session files (``.bplab``).

A session holds the whole workspace: every lesson's program, values, parameters,
learning rate and position, and the Train tab of the open one. What counts as unsaved
is an edit to any lesson, or the training; where the learner stands does not (stepping,
or going to another lesson, is navigation inside the workspace: the position and the
open lesson are saved, but never nag). Without a file, the lessons as they come count
as nothing to save.

A file that cannot be read gives one message and leaves the open work as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from gui_backprop.core.session_file import (
    SUFFIX,
    LessonWork,
    Session,
    SessionError,
    load_session,
    save_session,
)
from gui_backprop.core.tracer import resolve_parameters
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.questions.scores import QuestionScores
from gui_backprop.ui.training.panel_state import TrainPanelState, history_key

APP_TITLE = "Backprop Lab"
RECENT_KEY = "sessions/recent"
LAST_FOLDER_KEY = "sessions/folder"
MAX_RECENT = 8
FILE_FILTER = f"Backprop Lab sessions (*{SUFFIX});;All files (*)"


class SessionFiles(QObject):
    """Keeps the window's session file: its name, whether the work changed since, the
    recent files; asks before work would be lost.

    The Train panel's settings and loss history are part of the work too, and so are
    the questions' graded answers (``scores``; the window passes the Questions tab's).
    """

    file_changed = Signal(object)
    """The window's file (a Path, or None for unsaved work)."""

    def __init__(self, window: QMainWindow, model: LessonModel, training: TrainPanelState,
                 settings: QSettings | None = None, scores: QuestionScores | None = None):
        super().__init__(window)
        self.window = window
        self.model = model
        self.training = training
        self.scores = scores if scores is not None else QuestionScores(self)
        self.settings = settings
        self.path: Path | None = None
        self._saved: tuple | None = None  # the work as last saved or opened (None: no file)
        self.recent_menu: QMenu | None = None
        # The app's window offers to save on close; a window made by a test or for a
        # screenshot closes without asking (nothing would answer a dialog there).
        self.ask_before_closing = False
        model.lesson_opened.connect(self.update_title)
        # Either may come first after a new trace: the Train panel reports its own
        # change (a cleared history) with ``changed``, so the last call sees it all.
        model.traced.connect(self.update_modified)
        training.changed.connect(self.update_modified)
        self.scores.changed.connect(self.update_modified)

    # -- the work --------

    def current(self) -> Session:
        """The open work as a session (the other lessons' work included)."""
        model, training = self.model, self.training
        path, bounds = training.landscape()
        return Session(model.program.source, dict(model.values), tuple(model.parameters),
                       model.learning_rate, model.lesson.id, model.position,
                       training.settings(), training.history(), dict(model.kept),
                       self.scores.book.copy(), learner_points=training.learner_points(),
                       trained_note=model.trained_note if model.starting_values else None,
                       starting_values=model.starting_values,
                       landscape_path=path, landscape_bounds=bounds)

    def _edits(self, workspace: dict[str, LessonWork]) -> tuple:
        """The lessons whose work differs from the lesson as it comes (positions aside:
        stepping, and going from lesson to lesson, is not a change)."""
        lessons = {lesson.id: lesson for lesson in self.model.lessons}
        edits = []
        for lesson_id, work in sorted(workspace.items()):
            lesson = lessons.get(lesson_id)
            key = (work.program, tuple(sorted(work.values.items())), tuple(work.parameters),
                   work.learning_rate)
            if lesson is None or key != self._untouched(lesson):
                edits.append((lesson_id, key))
        return tuple(edits)

    @staticmethod
    def _untouched(lesson) -> tuple:
        program = lesson.program
        return (program.source, tuple(sorted(program.leaves.items())),
                resolve_parameters(program, lesson.parameters), lesson.learning_rate)

    def _work_now(self) -> tuple:
        """What counts for 'unsaved changes': every lesson's edits, and the Train tab
        (whose settings and loss history belong to the open lesson)."""
        model, training = self.model, self.training
        return (self._edits(model.workspace()), model.lesson.id,
                tuple(sorted(training.settings().items())), training.history_key(),
                self.scores.book.key(), training.learner_points())

    def _work(self, saved: Session) -> tuple:
        workspace = {**saved.workspace, saved.lesson: LessonWork(
            saved.program, saved.values, saved.parameters, saved.learning_rate)}
        return (self._edits(workspace), saved.lesson, tuple(sorted(saved.training.items())),
                history_key(saved.loss_history), saved.scores.key(), saved.learner_points)

    def is_modified(self) -> bool:
        """True when closing now would lose work."""
        edits, lesson, settings, history, answers, points = self._work_now()
        if self._saved is None:  # without a file: edits, runs, answers and points are work
            return bool(edits) or history[0] > 0 or bool(answers) or points is not None
        (saved_edits, saved_lesson, saved_settings, saved_history, saved_answers,
         saved_points) = self._saved
        if edits != saved_edits or answers != saved_answers:
            return True
        if lesson == saved_lesson:
            return (settings, history, points) != (saved_settings, saved_history,
                                                   saved_points)
        # In another lesson the Train tab is that lesson's: a run is lost (the file's)
        # or new (this lesson's); its settings are the lesson's own.
        return saved_history[0] > 0 or history[0] > 0

    def update_modified(self) -> None:
        """Show the modified marker in the title when the work changed."""
        self.window.setWindowModified(self.is_modified())

    def update_title(self) -> None:
        """``name.bplab[*] — Lesson — Backprop Lab`` (without a file: ``Lesson[*] — ...``)."""
        parts = [self.model.lesson.title, APP_TITLE]
        if self.path is not None:
            parts.insert(0, self.path.name.replace("[*]", "[**]"))  # no stray placeholder
        parts[0] += "[*]"
        self.window.setWindowTitle(" — ".join(parts))
        self.update_modified()

    # -- saving --------

    def save(self) -> bool:
        """Save to the window's file (asking for a name the first time)."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Save under a name the learner chooses."""
        suggested = self.path or self._folder() / f"{self.model.lesson.id}{SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(self.window, "Save session", str(suggested),
                                              FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(SUFFIX)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        session = self.current()
        try:
            save_session(session, path)
        except SessionError as exc:
            self._warn("Cannot save the session", f"{exc}. The previous file, if any, is "
                                                  "unchanged.")
            return False
        self._adopt(path, session)
        self._status(f"Saved {path.name}")
        return True

    # -- opening --------

    def open_file(self, path: str | os.PathLike | None = None) -> bool:
        """Open a session file (asking which when ``path`` is None); False if not opened."""
        if not self.maybe_save("opening another session"):
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Open session",
                                                  str(self._folder()), FILE_FILTER)
            if not name:
                return False
            path = name
        return self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Open ``path`` without asking about unsaved work; a bad file changes nothing."""
        try:
            saved = load_session(path)
        except SessionError as exc:
            self._warn("Cannot open the session", str(exc))
            return False
        message = self.open_loaded(path, saved)
        if message is not None:
            self._warn("Cannot open the session", f"{path.name}: {message}")
            return False
        self._status(f"Opened {path.name}")
        return True

    def open_loaded(self, path: Path, saved: Session) -> str | None:
        """Show a session already read from ``path``; the message if it cannot be shown
        (then nothing changed)."""
        message = self.training.check(saved.training) or self.model.restore(saved)
        if message is not None:
            return message
        self.training.restore(dict(saved.training), tuple(saved.loss_history),
                              saved.learner_points, saved.landscape_path,
                              saved.landscape_bounds)
        self.scores.replace(saved.scores)
        self._adopt(path, self.current())
        return None

    def open_recent(self, path: str) -> bool:
        """Open an entry of Open Recent; a file that is gone leaves the list, with a message."""
        if not Path(path).is_file():
            self._forget_recent(path)
            self._warn("Cannot open the session", f"{Path(path).name} no longer exists "
                                                  f"(it was in {Path(path).parent}); it has "
                                                  "been removed from the recent files.")
            return False
        return self.open_file(path)

    # -- asking before work is lost --------

    def maybe_save(self, doing: str = "closing") -> bool:
        """Offer to save unsaved work: True to go on (saved or discarded), False to stay."""
        if not self.is_modified():
            return True
        name = self.path.name if self.path else "your work"
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"Save the changes to {name} before {doing}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- recent files --------

    def recent_files(self) -> list[str]:
        """The recently saved or opened files, newest first."""
        if self.settings is None:
            return []
        stored = self.settings.value(RECENT_KEY, [])
        if isinstance(stored, str):
            stored = [stored]
        return [str(item) for item in (stored or []) if str(item)][:MAX_RECENT]

    def _set_recent(self, paths: list[str]) -> None:
        if self.settings is not None:
            self.settings.setValue(RECENT_KEY, paths[:MAX_RECENT])
        self._fill_recent_menu()

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        self._set_recent([text] + [p for p in self.recent_files() if p != text])
        if self.settings is not None:
            self.settings.setValue(LAST_FOLDER_KEY, str(path.resolve().parent))

    def _forget_recent(self, path: str) -> None:
        self._set_recent([p for p in self.recent_files() if p != path])

    def attach_recent_menu(self, menu: QMenu) -> None:
        """Fill ``menu`` (File > Open Recent) now and whenever the list changes."""
        self.recent_menu = menu
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        paths = self.recent_files()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number}  {Path(path).name}")
            action.setObjectName(f"action_recent_{number}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, path=path: self.open_recent(path))
        if paths:
            menu.addSeparator()
        clear = menu.addAction("&Clear the list")
        clear.setObjectName("action_recent_clear")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(lambda _checked=False: self._set_recent([]))
        menu.setToolTipsVisible(True)

    # -- helpers --------

    def _adopt(self, path: Path, session: Session) -> None:
        self.path = path
        self._saved = self._work(session)
        self._remember(path)
        self.update_title()
        self.file_changed.emit(path)

    def _folder(self) -> Path:
        if self.path is not None:
            return self.path.parent
        stored = self.settings.value(LAST_FOLDER_KEY) if self.settings is not None else None
        if stored and Path(str(stored)).is_dir():
            return Path(str(stored))
        return Path.home()

    def _warn(self, title: str, message: str) -> None:
        self._status(message)
        QMessageBox.warning(self.window, title, message)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)
