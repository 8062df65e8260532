"""Render the window training the linear-regression lesson, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/training_screenshot.py [out.png] [--graph]

Uses the real window offscreen: opens the lesson, shows the Train tab, sets a long run
with a small learning rate (so the path has a way to go), presses Start and, after a
moment of training, Pause; the picture is of that paused run, part way. With
``--graph`` it then switches to the Walkthrough tab, whose canvas shows the snapshot.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import load_lessons  # noqa: E402
from gui_backprop.ui.app import application  # noqa: E402
from gui_backprop.ui.main_window import MainWindow  # noqa: E402

LESSON, EPOCHS, LEARNING_RATE = "linear-regression", 20_000, 0.002
TRAIN_FOR_MS = 2000
SIZE = (1280, 800)


def main(argv: list[str]) -> int:
    """Write the screenshot; returns the exit status."""
    graph = "--graph" in argv
    paths = [a for a in argv if not a.startswith("--")]
    default = "docs/screenshots/training-graph.png" if graph else "docs/screenshots/training.png"
    out = Path(paths[0] if paths else default)
    application()
    window = MainWindow(load_lessons(), settings=None)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*SIZE)
    window.session.open_lesson(LESSON)
    window.show()
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
        QApplication.processEvents()
    saved = window.grab().save(str(out), "PNG")
    panel.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    print(out if saved else f"could not write {out}")
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
