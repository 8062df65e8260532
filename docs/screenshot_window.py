"""What the README's screenshot scripts share: the real window offscreen, saved as a PNG.

The scripts run as ``python docs/<script>.py``, so this module is imported beside them.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_backprop.core.lessons import load_lessons  # noqa: E402
from gui_backprop.ui.app import application  # noqa: E402
from gui_backprop.ui.window.main_window import MainWindow  # noqa: E402

SIZE = (1280, 800)


def open_window(lesson: str, position: int = 0) -> MainWindow:
    """The main window at ``SIZE``, never on a screen, showing ``lesson`` at ``position``."""
    application()
    window = MainWindow(load_lessons(), settings=None)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*SIZE)
    window.model.open_lesson(lesson)
    if position:
        window.model.jump(position)
    window.show()
    QApplication.processEvents()
    return window


def save_and_close(window: MainWindow, out: Path) -> int:
    """Write the window to the PNG ``out``, close it; the exit status (prints the path)."""
    QApplication.processEvents()
    saved = window.grab().save(str(out), "PNG")
    window.train_panel.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    print(out if saved else f"could not write {out}")
    return 0 if saved else 1
