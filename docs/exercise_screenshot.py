"""Render the window with a predict-the-gradient question answered, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/exercise_screenshot.py [out.png] [--ask]

Uses the real window offscreen: opens the one-training-step lesson, walks to the
backward pass, turns the exercise on, presses Next and types an answer with the
keyboard, then checks it (with ``--ask``: stops at the question, nothing typed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import load_lessons  # noqa: E402
from gui_backprop.ui.app import application  # noqa: E402
from gui_backprop.ui.main_window import MainWindow  # noqa: E402

LESSON, POSITION, ANSWER = "one-training-step", 9, "-2"
SIZE = (1280, 800)


def main(argv: list[str]) -> int:
    """Write the screenshot; returns the exit status."""
    ask_only = "--ask" in argv
    paths = [a for a in argv if not a.startswith("--")]
    out = Path(paths[0] if paths else "docs/screenshots/exercise.png")
    app = application()
    window = MainWindow(load_lessons(), settings=None)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*SIZE)
    window.session.open_lesson(LESSON)
    window.session.jump(POSITION - 1)
    window.show()
    app.processEvents()
    window.exercise_panel.switch.click()
    window.controls.next_button.click()
    if not ask_only:
        QTest.keyClicks(window.exercise_panel.answer, ANSWER)
        QTest.keyClick(window.exercise_panel.answer, Qt.Key.Key_Return)
    app.processEvents()
    saved = window.grab().save(str(out), "PNG")
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    print(out if saved else f"could not write {out}")
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
