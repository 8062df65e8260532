"""Pictures of the code panel's "Idiomatic PyTorch" tab in the real window: 1280×800 and
1024×700, light and dark, and at 28 pt.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python docs/idiomatic_screenshot.py [out-dir]

Writes ``idiomatic-WxH-light.png`` / ``-dark.png`` (layer-as-matrix at its backward step
through @) and ``idiomatic-1280x800-28pt.png`` (two-layer-network, the longest).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matrix_screenshot import SIZES, _palette  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import load_lessons  # noqa: E402
from gui_backprop.ui.app import application  # noqa: E402
from gui_backprop.ui.window.main_window import MainWindow  # noqa: E402


def shoot(path: Path, size: tuple[int, int], lesson: str, step: int, points: int = 0) -> None:
    """The window at ``size`` with the idiomatic tab in front, saved as ``path``."""
    window = MainWindow(load_lessons(), settings=None)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*size)
    window.model.open_lesson(lesson)
    window.model.jump(step)
    if points:
        window.set_text_size(points)
    window.show()
    window.code_panel.show_idiomatic()
    QApplication.processEvents()
    window.grab().save(str(path), "PNG")
    print(path)
    window.train_panel.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()


def main(argv: list[str]) -> None:
    """Every size in light and dark, and 28 pt, into the folder given (default: here)."""
    out = Path(argv[0] if argv else ".")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    light = QPalette(app.palette())
    for dark in (False, True):
        app.setPalette(_palette(dark, light))
        for size in SIZES:
            name = f"idiomatic-{size[0]}x{size[1]}-{'dark' if dark else 'light'}.png"
            shoot(out / name, size, "layer-as-matrix", 20)
    app.setPalette(light)
    shoot(out / "idiomatic-1280x800-28pt.png", (1280, 800), "two-layer-network", 5, 28)


if __name__ == "__main__":
    main(sys.argv[1:])
