"""Pictures of the Train tab of the classifier lessons, a live decision boundary, light
and dark, at two sizes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/network_screenshot.py [out-dir]
        [--only NAME] [--size WxH] [--dark]

Scenes: ``moons`` (two-layer network on two moons), ``spirals`` (the softmax classifier
on three spiral arms) and ``clicked`` (the two-layer network on ten points of two classes, as
if clicked). Each opens the real window offscreen, trains for a moment and
pauses part way, so the picture shows a run under way. Writes
``network-SCENE-WxH-light.png`` (and ``-dark``); the README's picture is
``docs/screenshots/network-moons.png`` (``--readme``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from matrix_screenshot import _palette
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication
from screenshot_window import open_window

SIZES = [(1280, 800), (1024, 700)]
TRAIN_FOR_MS = 4000
CLICKED = [((-1.0, 1.0), 0), ((-0.6, 0.4), 0), ((-1.2, -0.2), 0), ((0.2, 1.2), 0),
           ((1.0, -0.8), 1), ((0.6, -0.2), 1), ((1.3, 0.3), 1), ((0.0, -1.1), 1),
           ((-0.2, 0.1), 0), ((0.3, 0.2), 1)]


def wait(ms: int) -> None:
    """Let the window (and the worker) run for ``ms`` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def scene(window, name: str) -> None:
    """Set the Train tab up for scene ``name`` and train part way."""
    panel = window.train_panel
    window.centre_tabs.setCurrentWidget(panel)
    view = panel.classifier
    form = view.form
    if name == "moons":
        form.data_set.setCurrentIndex(form.data_set.findData("moons"))
    elif name == "spirals":
        form.points.setValue(300)
    else:  # clicked points: the learner's own
        from gui_backprop.core.training_data import LearnerPoints

        panel.learner_data.set_points(
            LearnerPoints(tuple(point for point, _ in CLICKED),
                          tuple(float(label) for _, label in CLICKED)),
            "your points", "Clicked points")
    QApplication.processEvents()
    panel.start_button.click()
    wait(TRAIN_FOR_MS)
    panel.pause_button.click()
    wait(400)  # the paused snapshot (with its boundary) arrives and is drawn
    plot = view.class_plot
    if len(plot.points_data()[1]):  # the ring, as the pointer would put it
        plot._mark(3)


def shoot(out: Path, name: str, size: tuple[int, int], dark: bool) -> None:
    """One picture."""
    app = QApplication.instance() or QApplication([])
    light = app.palette()
    app.setPalette(_palette(dark, light))
    lesson = "softmax-classifier" if name == "spirals" else "two-layer-network"
    window = open_window(lesson)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*size)
    QApplication.processEvents()
    scene(window, name)
    QApplication.processEvents()
    saved = window.grab().save(str(out), "PNG")
    print(out if saved else f"could not write {out}")
    window.train_panel.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    app.setPalette(light)


def main(argv: list[str]) -> int:
    """Write the pictures; returns the exit status."""
    args = [a for a in argv if not a.startswith("--")]
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    if only in args:
        args.remove(only)
    if "--readme" in argv:
        shoot(Path("docs/screenshots/network-moons.png"), "moons", (1280, 800), False)
        return 0
    sizes = SIZES
    if "--size" in argv:
        text = argv[argv.index("--size") + 1]
        args.remove(text)
        sizes = [tuple(int(v) for v in text.split("x"))]
    out_dir = Path(args[0] if args else "/tmp/network-shots")
    out_dir.mkdir(parents=True, exist_ok=True)
    themes = [True] if "--dark" in argv else [False, True]
    for name in [only] if only else ["moons", "spirals", "clicked"]:
        for width, height in sizes:
            for dark in themes:
                theme = "dark" if dark else "light"
                shoot(out_dir / f"network-{name}-{width}x{height}-{theme}.png", name,
                      (width, height), dark)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
