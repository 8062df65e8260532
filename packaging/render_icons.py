"""Render the app icon (gui_backprop/resources/icons/gui-backprop.svg) for Windows and macOS.

    python packaging/render_icons.py OUT_DIR

Writes ``gui-backprop.png`` (1024 px), ``gui-backprop.ico`` (16-256 px, for the .exe and
the Inno Setup installer) and ``gui-backprop.icns`` (for the macOS .app). Runs in the
build venv: Qt's SVG renderer draws the icon, Pillow (a matplotlib dependency) writes the
.ico and .icns containers. build.py calls it before freezing on Windows and macOS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "gui_backprop" / "resources" / "icons" / "gui-backprop.svg"


def render_png(svg: Path, png: Path, size: int) -> None:
    """Draw ``svg`` into a transparent ``size`` x ``size`` PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png)):
        raise OSError(f"could not write {png}")
    del app


def main(argv: list[str]) -> int:
    """Write the PNG, ICO and ICNS icons into the folder ``argv[0]``."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    from PIL import Image

    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    png = out / "gui-backprop.png"
    render_png(SVG, png, 1024)
    with Image.open(png) as image:
        image.save(out / "gui-backprop.ico",
                   sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
        image.save(out / "gui-backprop.icns")
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
