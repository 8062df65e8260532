"""File › Save as lesson…: the program on screen, with texts a teacher types, as a lesson
file that ``gui-backprop check-lesson`` accepts; it joins the lesson list at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from gui_backprop.core.lesson_schema import LessonError
from gui_backprop.core.lesson_writer import DEFAULT_STAGE_TEXTS, lesson_file_text, lesson_id_for
from gui_backprop.core.lessons import load_lesson
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.lesson_model import LessonModel

FOLDER_KEY = "lessons/save_folder"


class LessonTextsDialog(QDialog):
    """Title, summary, introduction and a text per stage (each stage prefilled)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonTextsDialog")
        self.setWindowTitle("Save as lesson")
        form = QFormLayout(self)
        self.title = QLineEdit(title, objectName="lessonTitle")
        self.summary = QLineEdit(objectName="lessonSummary")
        self.summary.setPlaceholderText("One line for the lesson list")
        self.intro = QPlainTextEdit(objectName="lessonIntro")
        self.intro.setPlaceholderText("What the learner reads before the first step")
        self.intro.setTabChangesFocus(True)
        form.addRow("&Title", self.title)
        form.addRow("S&ummary", self.summary)
        form.addRow("&Introduction", self.intro)
        self.stage_texts: dict[Stage, QPlainTextEdit] = {}
        for stage in Stage:
            edit = QPlainTextEdit(DEFAULT_STAGE_TEXTS[stage], objectName=f"stage_{stage.value}")
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 4)
            self.stage_texts[stage] = edit
            form.addRow(stage.title, edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.buttons = buttons

    def texts(self) -> dict:
        """What was typed: ``title``, ``summary``, ``intro`` and ``stage_texts``."""
        return {"title": self.title.text(), "summary": self.summary.text(),
                "intro": self.intro.toPlainText(),
                "stage_texts": {stage: edit.toPlainText()
                                for stage, edit in self.stage_texts.items()}}


class LessonSaver(QObject):
    """Writes the model's program (its values, parameters and learning rate) as a
    lesson file; the saved lesson is added to the lesson list."""

    def __init__(self, window: QMainWindow, model: LessonModel,
                 settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.model = model
        self.settings = settings

    def save_as_lesson(self, texts: dict | None = None, path: Path | None = None) -> Path | None:
        """Ask for the texts and the file (unless given); the saved file, or None."""
        if texts is None:
            dialog = LessonTextsDialog(self._suggested_title(), self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            texts = dialog.texts()
        text = lesson_file_text(self.model.walkthrough.trace, texts["title"],
                                texts["summary"], texts["intro"], texts["stage_texts"])
        if path is None:
            path = self._ask(lesson_id_for(texts["title"]))
            if path is None:
                return None
        try:
            path.write_text(text, encoding="utf-8")
            lesson = load_lesson(path, folder=path.parent.name)
        except (OSError, LessonError) as exc:
            QMessageBox.warning(self.window, "Cannot save the lesson", str(exc))
            return None
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(path.parent))
        if self.model.add_lessons([lesson]):
            message = (f"Saved the lesson to {path}; its id '{lesson.id}' is taken in the "
                       "list, so it shows after a rename")
        else:
            message = f"Saved the lesson to {path}"
        self.window.statusBar().showMessage(message, 10_000)
        return path

    def _suggested_title(self) -> str:
        lesson = self.model.lesson
        return "My lesson" if lesson.playground else f"{lesson.title} (my version)"

    def _ask(self, stem: str) -> Path | None:
        folder = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        start = Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path.home()
        name, _ = QFileDialog.getSaveFileName(self.window, "Save as lesson",
                                              str(start / f"{stem}.toml"),
                                              "Lessons (*.toml)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".toml")
