"""Render the window with a predict-the-gradient question answered, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/exercise_screenshot.py [out.png] [--ask]

Uses the real window offscreen: opens the one-training-step lesson, walks to the
backward pass, turns the exercise on, presses Next and types an answer with the
keyboard, then checks it (with ``--ask``: stops at the question, nothing typed).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from screenshot_window import open_window, save_and_close

LESSON, POSITION, ANSWER = "one-training-step", 9, "-2"


def main(argv: list[str]) -> int:
    """Write the screenshot; returns the exit status."""
    ask_only = "--ask" in argv
    paths = [a for a in argv if not a.startswith("--")]
    out = Path(paths[0] if paths else "docs/screenshots/exercise.png")
    window = open_window(LESSON, POSITION - 1)
    window.exercise_panel.switch.click()
    window.controls.next_button.click()
    if not ask_only:
        QTest.keyClicks(window.exercise_panel.answer, ANSWER)
        QTest.keyClick(window.exercise_panel.answer, Qt.Key.Key_Return)
    return save_and_close(window, out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
