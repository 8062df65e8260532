"""Render the real window with a big playground program, zoomed out and in, to PNG files.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/big_graph_screenshots.py [out-dir] [--dark]
        [--statements N]

Writes ``big-fitted-THEME.png`` (as the graph opens: fitted whole, plain boxes, the
overview in the corner) and ``big-zoomed-THEME.png`` (1:1 on the output, with text).
The program is the benchmark's (``benchmarks.big_programs``): 185 statements make about
1,000 graph nodes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screenshot_window import open_window, save_and_close

from benchmarks.big_programs import big_program


def main(argv: list[str]) -> int:
    """Render both pictures into the folder given (default: the current folder)."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    statements = int(argv[argv.index("--statements") + 1]) if "--statements" in argv else 185
    folders = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    out = Path(folders[0] if folders else ".")
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for zoomed in (False, True):
        window = open_window("playground")
        if "--dark" in argv:
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
            QApplication.instance().setPalette(palette)
        window.playground_panel.editor.setPlainText(big_program(statements))
        window.playground_panel.run()
        QApplication.processEvents()
        view = window.graph_view
        if zoomed:
            view.reset_zoom()
            view.centerOn(view.node_item(view.iteration.output).pos())
        name = f"big-{'zoomed' if zoomed else 'fitted'}-{view.theme().name}.png"
        status |= save_and_close(window, out / name)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
