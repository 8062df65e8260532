"""gui_backprop.core is the Qt-free model: importing it must not load Qt or pyqtgraph.

So are the canvas's content records (``ui/canvas/content.py``, and ``tensor_cells.py``
that it draws grids with): what a node and an edge show is decided without Qt, so it
can be tested and reused without a window.
"""

import pathlib
import subprocess
import sys

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "gui_backprop"
CORE = PACKAGE / "core"
QT_FREE = sorted(CORE.rglob("*.py")) + [PACKAGE / "ui" / "canvas" / name
                                         for name in ("content.py", "tensor_cells.py")]
MODULES = sorted(
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    for path in QT_FREE)
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def test_importing_every_qt_free_module_loads_no_qt():
    imports = "; ".join(f"import {name}" for name in MODULES)
    check = (
        "import sys; "
        + imports
        + "; bad = sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {QT_PACKAGES!r}); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, f"loaded Qt modules: {result.stdout} {result.stderr}"
    assert "gui_backprop.core.values" in MODULES and "gui_backprop.ui.canvas.content" in MODULES


def test_no_qt_free_source_mentions_a_qt_import():
    for path in QT_FREE:
        text = path.read_text(encoding="utf-8")
        for banned in ("PySide6", "pyqtgraph", "PyQt", "shiboken"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, path
