"""Render the window with the Questions tab in use, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/questions_screenshot.py [out.png]
        [--size WxH] [--text-size POINTS] [--dark]

Uses the real window offscreen: opens the one-training-step lesson, brings up the
Questions tab, types a student id (the whole window then shows that learner's values)
and answers the first questions with the keyboard, one right and one wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from screenshot_window import open_window, save_and_close

from gui_backprop.core.formatting import format_value
from gui_backprop.ui.app import application

LESSON, STUDENT = "one-training-step", "ana.souza"


def _dark() -> None:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.Button, "#303134"),
                         (QPalette.ColorRole.ButtonText, "#e8eaed"),
                         (QPalette.ColorRole.Text, "#e8eaed"),
                         (QPalette.ColorRole.WindowText, "#e8eaed")):
        palette.setColor(role, QColor(colour))
    QApplication.setPalette(palette)


def _option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv[:-1] else None


def main(argv: list[str]) -> int:
    """Write the screenshot; returns the exit status."""
    application()
    if "--dark" in argv:
        _dark()
    options = {_option(argv, "--size"), _option(argv, "--text-size")}
    paths = [a for a in argv if not a.startswith("--") and a not in options]
    out = Path(paths[0] if paths else "docs/screenshots/questions.png")
    window = open_window(LESSON, 0)
    size = _option(argv, "--size")
    if size:
        window.resize(*map(int, size.split("x")))
    points = _option(argv, "--text-size")
    if points:
        window.set_text_size(int(points))
    window.show_questions()
    panel = window.questions_panel
    QTest.keyClicks(panel.seed_field, STUDENT)
    QTest.keyClick(panel.seed_field, Qt.Key.Key_Return)
    window.model.jump(3)  # the forward pass done: the gradients are still to be found
    first, second = panel.rows[0], panel.rows[1]
    QTest.keyClicks(first.answer, format_value(panel.questions[0].expected))
    QTest.keyClick(first.answer, Qt.Key.Key_Return)
    QTest.keyClicks(second.answer, "1")
    QTest.keyClick(second.answer, Qt.Key.Key_Return)
    return save_and_close(window, out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
