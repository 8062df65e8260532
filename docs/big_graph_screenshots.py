"""Render the real window with a big playground program to PNG files: folded, expanded.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/big_graph_screenshots.py [out-dir]
        [--dark] [--statements N] [--size WxH]

Writes, for the program of ``benchmarks.big_programs`` (200 statements: about 1,100
graph nodes, opened folded into 200 boxes):

- ``big-fitted-THEME-WxH.png``: as the graph opens, fitted whole (plain boxes when too
  small to read, the overview in the corner);
- ``big-folded-THEME-WxH.png``: 1:1 on a statement's box (``h100``), its neighbours
  folded too;
- ``big-expanded-THEME-WxH.png``: the same spot after a click on that box: its
  operations drawn in a frame whose tab folds them back, the box's spot kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screenshot_window import open_window, save_and_close

from benchmarks.big_programs import big_program

KINDS = ("fitted", "folded", "expanded")


def _option(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def main(argv: list[str]) -> int:
    """Render the three pictures into the folder given (default: the current folder)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    statements = int(_option(argv, "--statements", "200"))
    width, height = (int(x) for x in _option(argv, "--size", "1280x800").split("x"))
    values = {_option(argv, name, "") for name in ("--statements", "--size")}
    folders = [a for a in argv if not a.startswith("--") and a not in values]
    out = Path(folders[0] if folders else ".")
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for kind in KINDS:
        window = open_window("playground")
        window.resize(width, height)
        if "--dark" in argv:
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
            QApplication.instance().setPalette(palette)
        window.playground_panel.editor.setPlainText(big_program(statements))
        window.playground_panel.run()
        window.model.background.wait()  # a big program is traced on a pool thread
        QApplication.processEvents()
        view = window.graph_view
        if kind != "fitted":
            box = view.node_item(view.iteration.node_named("h100").id)
            view.reset_zoom()
            view.centerOn(box.pos())
        if kind == "expanded":
            loop = QEventLoop()
            view.folding.changed.connect(loop.quit)
            view.folding.expand(box.node_id)
            QTimer.singleShot(20_000, loop.quit)
            loop.exec()
        name = f"big-{kind}-{view.theme().name}-{width}x{height}.png"
        status |= save_and_close(window, out / name)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
