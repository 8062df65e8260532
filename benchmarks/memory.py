"""Memory over a long run with the canvas following it: RSS growth per 10^6 training steps.

The window shows the Walkthrough tab while a run of the linear-regression lesson trains,
so the canvas re-traces the newest snapshot four times a second (``ui/training/
live_graph.py``). Resident memory is read from ``/proc/self/statm`` twice a second;
the growth counts from the end of a warm-up (caches, allocator pools, the loss
plot's buffer) to the end of the run, and is scaled to 10^6 steps.

    python -m benchmarks.memory [--epochs N] [--warmup N]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import tempfile
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.common import LESSON
from gui_backprop.core.lessons import load_lessons
from gui_backprop.ui.window.main_window import MainWindow

SAMPLE_MS = 500


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


@dataclass
class MemoryRun:
    """What one long run with the canvas following it did to resident memory."""

    steps: int  # training steps after the warm-up
    traces: int  # times the canvas showed a new snapshot
    after_warmup: float  # MB
    at_end: float
    after_gc: float

    @property
    def growth_per_million(self) -> float:
        """MB of RSS growth per 10^6 steps after the warm-up: all of it (the loss plot's
        buffer is filled when a run starts, so the history itself does not count here)."""
        return (self.at_end - self.after_warmup) / max(self.steps, 1) * 1e6

    @property
    def kb_per_trace(self) -> float:
        """kB of growth per canvas trace."""
        return (self.at_end - self.after_warmup) / max(self.traces, 1) * 1e3


def following_run(epochs: int, warmup: int) -> MemoryRun:
    """Train ``epochs`` steps with the Walkthrough tab (the canvas) on screen."""
    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="bplab-bench-")
    window = MainWindow(load_lessons(), QSettings(os.path.join(folder, "settings.ini"),
                                                  QSettings.Format.IniFormat))
    window.model.open_lesson(LESSON)
    window.resize(1280, 800)
    window.show()
    window.centre_tabs.setCurrentIndex(0)  # the Walkthrough tab: the canvas follows
    traces = [0]
    show_training = window.graph_panel.show_training

    def counted(*args):
        traces[0] += 1
        show_training(*args)

    window.graph_panel.show_training = counted
    panel = window.train_panel
    panel.form.epochs.setValue(epochs)
    marks: dict = {}

    def sample():
        snapshot = panel.latest_snapshot
        if snapshot is not None and snapshot.step >= warmup and "step" not in marks:
            gc.collect()
            marks.update(step=snapshot.step, rss=rss_mb(), traces=traces[0])

    timer = QTimer(interval=SAMPLE_MS, timeout=sample)
    loop = QEventLoop()
    panel.parameters_trained.connect(loop.quit)
    timer.start()
    panel.start_button.click()
    loop.exec()
    timer.stop()
    app.processEvents()
    at_end = rss_mb()
    end_step = panel.latest_snapshot.step
    panel.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    gc.collect()
    marks.setdefault("step", end_step)
    marks.setdefault("rss", at_end)
    marks.setdefault("traces", traces[0])
    return MemoryRun(end_step - marks["step"], traces[0] - marks["traces"], marks["rss"],
                     at_end, rss_mb())


def main(argv=None) -> int:
    """Run one long following run and print its figure."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__)
    parser.add_argument("--epochs", type=int, default=1_100_000)
    parser.add_argument("--warmup", type=int, default=100_000)
    args = parser.parse_args(argv)
    run = following_run(args.epochs, args.warmup)
    print(describe(run))
    return 0


def describe(run: MemoryRun) -> str:
    """The figure's measured part, as one line."""
    return (f"{run.growth_per_million:+.1f} MB per 10^6 steps ({run.kb_per_trace:+.1f} kB "
            f"per canvas trace; {run.steps:,} steps and {run.traces:,} traces after the warm-up; "
            f"RSS {run.after_warmup:.0f} -> {run.at_end:.0f} MB, {run.after_gc:.0f} MB after "
            "closing and gc)")


if __name__ == "__main__":
    raise SystemExit(main())
