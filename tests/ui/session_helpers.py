"""Helpers for the session and export tests: dialogs that never open, what a window shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.window_helpers import shown


class Dialogs:
    """Stands in for the file dialogs and message boxes; records what would have been shown.

    ``save_to`` / ``open_from`` are what the file dialogs return (None: cancelled);
    ``answer`` is the button QMessageBox.question returns.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.save_to = None
        self.open_from = None
        self.answer = QMessageBox.StandardButton.Cancel
        self.warnings: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.file_dialogs: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save_name)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._open_name)
        monkeypatch.setattr(QMessageBox, "warning", self._warning)
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _save_name(self, parent, caption, start, file_filter):
        self.file_dialogs.append(caption)
        return (str(self.save_to) if self.save_to else "", "")

    def _open_name(self, parent, caption, start, file_filter):
        self.file_dialogs.append(caption)
        return (str(self.open_from) if self.open_from else "", "")

    def _warning(self, parent, title, text, *args):
        self.warnings.append((title, text))
        return QMessageBox.StandardButton.Ok

    def _question(self, parent, title, text, *args):
        self.questions.append(text)
        return self.answer


def press(qtbot, window, key: Qt.Key, modifiers=Qt.KeyboardModifier.ControlModifier) -> None:
    """A shortcut pressed on the window (Ctrl+S, Ctrl+O, ...)."""
    qtbot.keyClick(window, key, modifiers)


def type_value(qtbot, window, name: str, text: str) -> None:
    """Type ``text`` into the Values field ``name`` and press Enter, as a learner does."""
    field = window.values_panel.field(name)
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def run_program(qtbot, window, text: str) -> None:
    """Type a program into the playground's editor (Return between lines) and press Run."""
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)
    qtbot.mouseClick(window.playground_panel.run_button, Qt.MouseButton.LeftButton)


def work_of(window) -> dict:
    """The model's state and everything the window shows, for before/after compares."""
    model = window.model
    return {
        "lesson": model.lesson.id,
        "program": model.program.source,
        "values": dict(model.values),
        "parameters": model.parameters,
        "learning_rate": model.learning_rate,
        "title": window.windowTitle(),
        "modified": window.isWindowModified(),
        "editor": window.playground_panel.editor.toPlainText(),
        "shown": shown(window),
    }
