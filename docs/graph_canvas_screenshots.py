"""Render the graph canvas offscreen to PNG files, to look at it while changing it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/graph_canvas_screenshots.py [out-dir] [--dark]

Writes one picture per (lesson, step) below at 900x600, as a learner first sees it
(readable zoom, scrolled to the current step), plus the linear-regression lesson
fitted to the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import find_lesson  # noqa: E402
from gui_backprop.ui.canvas.view import GraphView  # noqa: E402

SHOTS = [("one-training-step", 9), ("one-training-step", 24), ("linear-regression", 0),
         ("linear-regression", 14), ("value-used-twice", 12), ("chain-rule", 5),
         ("playground", 11)]


def render(app: QApplication, out: Path, lesson_id: str, position: int, fit: bool) -> Path:
    """Save the canvas for one lesson after ``position`` steps; return the file."""
    walkthrough = find_lesson(lesson_id).walkthrough()
    state = walkthrough.state_at(position)
    view = GraphView()
    view.resize(900, 600)
    view.show()
    view.show_iteration(walkthrough.trace.iterations[state.iteration], state)
    if fit:
        view.fit_to_window()
    app.processEvents()
    path = out / f"{lesson_id}-{position}{'-fit' if fit else ''}-{view.theme().name}.png"
    view.grab().save(str(path))
    view.close()
    return path


def main(argv: list[str]) -> None:
    """Render every shot into the folder given (default: the current folder)."""
    app = QApplication([])
    if "--dark" in argv:
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
        app.setPalette(palette)
    folders = [a for a in argv if not a.startswith("--")]
    out = Path(folders[0] if folders else ".")
    out.mkdir(parents=True, exist_ok=True)
    for lesson_id, position in SHOTS:
        print(render(app, out, lesson_id, position, fit=False))
    print(render(app, out, "linear-regression", 22, fit=True))


if __name__ == "__main__":
    main(sys.argv[1:])
