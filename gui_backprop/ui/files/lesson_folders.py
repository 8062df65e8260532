"""File › Open lesson folder…: a teacher's folder of lessons, added to the list and
remembered for the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from gui_backprop.core.lessons import LessonProblem, id_taken, load_lesson_folder
from gui_backprop.ui.lesson_model import LessonModel

FOLDERS_KEY = "lessons/folders"
SHOWN_PROBLEMS = 8  # in the warning; the rest are summed up


class LessonFolders(QObject):
    """Opens teachers' lesson folders into ``model`` and remembers them in ``settings``
    (``None``: nothing is remembered)."""

    def __init__(self, window: QMainWindow, model: LessonModel,
                 settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.model = model
        self.settings = settings

    def remembered(self) -> list[Path]:
        """The folders opened before (those that still exist)."""
        if self.settings is None:
            return []
        value = self.settings.value(FOLDERS_KEY) or []
        names = [value] if isinstance(value, str) else list(value)
        return [Path(name) for name in names if Path(name).is_dir()]

    def open_remembered(self) -> None:
        """Add the lessons of every remembered folder (a broken file: a status line)."""
        problems = []
        for folder in self.remembered():
            problems += self._add(folder)
        if problems:
            self.window.statusBar().showMessage(
                f"Skipped {len(problems)} lesson file(s): {problems[0]}", 15_000)

    def open_folder(self, folder: Path | None = None) -> int:
        """Add a folder's lessons (asking which when ``folder`` is None); the number of
        lessons added. A file that cannot be used is named, with its line, in a warning;
        the folder's other lessons are added all the same."""
        if folder is None:
            name = QFileDialog.getExistingDirectory(self.window, "Open lesson folder",
                                                    str(Path.home()))
            if not name:
                return 0
            folder = Path(name)
        before = len(self.model.lessons)
        problems = self._add(folder)
        added = len(self.model.lessons) - before
        self._remember(folder)
        message = f"{added} lesson(s) from {folder.name or folder}"
        self.window.statusBar().showMessage(message, 8000)
        if problems:
            lines = [str(p) for p in problems[:SHOWN_PROBLEMS]]
            if len(problems) > SHOWN_PROBLEMS:
                lines.append(f"… and {len(problems) - SHOWN_PROBLEMS} more")
            QMessageBox.warning(self.window, "Some lessons were skipped",
                                f"{message}. These files were skipped (check them with "
                                "gui-backprop check-lesson):\n\n" + "\n".join(lines))
        return added

    def _add(self, folder: Path) -> list[LessonProblem]:
        lessons, problems = load_lesson_folder(folder)
        return problems + [id_taken(lesson) for lesson in self.model.add_lessons(lessons)]

    def _remember(self, folder: Path) -> None:
        if self.settings is None:
            return
        names = [str(path) for path in self.remembered()]
        resolved = str(folder.resolve())
        if resolved not in names:
            self.settings.setValue(FOLDERS_KEY, [*names, resolved])
