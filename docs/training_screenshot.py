"""Render the window training the linear-regression lesson, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/training_screenshot.py [out.png] [--graph]

Uses the real window offscreen: opens the lesson, shows the Train tab, sets a long run
with a small learning rate (so the path has a way to go), presses Start and, after a
moment of training, Pause; the picture is of that paused run, part way. With
``--graph`` it then switches to the Walkthrough tab, whose canvas shows the snapshot.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from screenshot_window import open_window, save_and_close

LESSON, EPOCHS, LEARNING_RATE = "linear-regression", 20_000, 0.002
TRAIN_FOR_MS = 2000


def main(argv: list[str]) -> int:
    """Write the screenshot; returns the exit status."""
    graph = "--graph" in argv
    paths = [a for a in argv if not a.startswith("--")]
    default = "docs/screenshots/training-graph.png" if graph else "docs/screenshots/training.png"
    out = Path(paths[0] if paths else default)
    window = open_window(LESSON)
    window.centre_tabs.setCurrentWidget(window.train_panel)
    panel = window.train_panel
    panel.form.epochs.setValue(EPOCHS)
    panel.form.learning_rate.setText(str(LEARNING_RATE))
    panel.start_button.click()
    loop = QEventLoop()
    QTimer.singleShot(TRAIN_FOR_MS, loop.quit)
    loop.exec()
    panel.pause_button.click()
    QTimer.singleShot(300, loop.quit)  # the paused snapshot arrives and is drawn
    loop.exec()
    if graph:
        window.centre_tabs.setCurrentIndex(0)
    return save_and_close(window, out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
