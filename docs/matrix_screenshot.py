"""Pictures of matrix nodes on the canvas of the real window, light and dark, two sizes.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python docs/matrix_screenshot.py [out-dir]
    ... docs/matrix_screenshot.py out --lesson layer-as-matrix --step 30

Without ``--lesson`` the window opens the linear-regression lesson and its canvas is
then given a hand-built graph with a 3×2 and a 10×10 matrix (and a 12-vector) and
their gradients, from real torch autograd (``tests/ui/canvas/matrix_graphs.py``): only
the canvas shows that graph, the other panels still show the lesson. Once the program
language has matrices (issue #14), ``--lesson ID --step N`` shows a real lesson in the
whole window. Writes ``matrix-WxH-light.png`` and ``-dark.png`` for 1280×800 and
1024×700 as the canvas first shows it, and the canvas alone fitted to its
window (``-canvas-fit``); and ``matrix-canvas.png`` (``-dark``), the graph on a
1100×640 canvas of its own, as in the README.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import load_lessons  # noqa: E402
from gui_backprop.ui.app import application  # noqa: E402
from gui_backprop.ui.window.main_window import MainWindow  # noqa: E402

SIZES = [(1280, 800), (1024, 700)]
DARK_COLOURS = {"Window": "#202124", "WindowText": "#e8eaed", "Base": "#17181b",
                "AlternateBase": "#26272b", "Text": "#e8eaed", "Button": "#2d2e31",
                "ButtonText": "#e8eaed", "ToolTipBase": "#2d2e31", "ToolTipText": "#e8eaed",
                "Highlight": "#8ab4f8", "HighlightedText": "#202124"}


def _palette(dark: bool, light: QPalette) -> QPalette:
    if not dark:
        return light
    palette = QPalette(light)
    for role, colour in DARK_COLOURS.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


def _save(widget, path: Path) -> None:
    widget.grab().save(str(path), "PNG")
    print(path)


def shoot(out: Path, size: tuple[int, int], dark: bool, lesson: str | None,
          step: int) -> None:
    """Save the window and its canvas at ``size`` in one theme."""
    window = MainWindow(load_lessons(), settings=None)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*size)
    window.model.open_lesson(lesson or "linear-regression")
    if lesson and step:
        window.model.jump(step)
    window.show()
    QApplication.processEvents()
    if lesson is None:
        from tests.ui.canvas.matrix_graphs import matrix_iteration, revealed_state
        iteration = matrix_iteration()
        view = window.graph_view
        view.show_iteration(iteration, revealed_state(iteration))
        QApplication.processEvents()
        # at the readable zoom, look at the matrices (W, A and T) rather than the loss
        left = view.node_item(0).sceneBoundingRect().united(
            view.node_item(4).sceneBoundingRect())
        view.centerOn(left.center())
    QApplication.processEvents()
    name = f"matrix-{size[0]}x{size[1]}-{'dark' if dark else 'light'}"
    _save(window, out / f"{name}.png")
    window.graph_view.fit_to_window()
    QApplication.processEvents()
    _save(window.graph_view, out / f"{name}-canvas-fit.png")
    window.train_panel.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()


def canvas_alone(out: Path, dark: bool) -> None:
    """The hand-built graph on a canvas of its own, fitted (the README's picture)."""
    from gui_backprop.ui.canvas.view import GraphView
    from tests.ui.canvas.matrix_graphs import matrix_iteration, revealed_state
    view = GraphView()
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.resize(1100, 640)
    view.show()
    iteration = matrix_iteration()
    view.show_iteration(iteration, revealed_state(iteration))
    QApplication.processEvents()
    view.fit_to_window()
    QApplication.processEvents()
    _save(view, out / f"matrix-canvas{'-dark' if dark else ''}.png")
    view.close()
    view.deleteLater()


def main(argv: list[str]) -> None:
    """Every size in light and dark, into the folder given (default: the current one)."""
    lesson = argv[argv.index("--lesson") + 1] if "--lesson" in argv else None
    step = int(argv[argv.index("--step") + 1]) if "--step" in argv else 0
    flags = {"--lesson", "--step", lesson, str(step)}
    folders = [a for a in argv if a not in flags]
    out = Path(folders[0] if folders else ".")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    light = QPalette(app.palette())
    for dark in (False, True):
        app.setPalette(_palette(dark, light))
        for size in SIZES:
            shoot(out, size, dark, lesson, step)
        if lesson is None:
            canvas_alone(out, dark)


if __name__ == "__main__":
    main(sys.argv[1:])
