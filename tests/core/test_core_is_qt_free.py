"""gui_backprop.core is the Qt-free model: importing it must not load Qt or pyqtgraph."""

import pathlib
import subprocess
import sys

CORE = pathlib.Path(__file__).resolve().parents[2] / "gui_backprop" / "core"
MODULES = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")


def test_importing_every_core_module_loads_no_qt():
    imports = "; ".join(f"import gui_backprop.core.{name}" for name in MODULES)
    check = (
        "import sys; "
        + imports
        + "; bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, f"core loaded Qt modules: {result.stdout} {result.stderr}"
    assert len(MODULES) >= 5


def test_no_core_source_mentions_a_qt_import():
    for path in CORE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("PySide6", "pyqtgraph", "PyQt", "shiboken"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, path
