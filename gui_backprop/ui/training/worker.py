"""Run a :class:`~gui_backprop.core.training.Trainer` on a ``QThread``.

The pattern follows superqt's generator worker: the worker iterates the core's
generator on its own thread, checks its commands between snapshots and sends every
snapshot, and any error, to the GUI thread through queued signals. It never touches
a widget. Unlike superqt's pool-based worker it owns a ``QThread`` that
:meth:`TrainingController.stop` can stop and join deterministically, it waits on a
condition rather than polling while paused, and it can step one epoch at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from gui_backprop.core.optimizer_state import (
    OptimizerState,
    OptimizerStep,
    updates_per_epoch,
)
from gui_backprop.core.training import Trainer, TrainingSnapshot, TrainingStatus
from gui_backprop.core.training_landscape import Bounds, bounds_around

log = logging.getLogger(__name__)

STOP_TIMEOUT_MS = 10_000
MAX_LANDSCAPE_UPDATES = 4
LANDSCAPE_RESOLUTION = 64  # drawn with smooth scaling; a finer grid costs training time
LANDSCAPE_DELAY = 0.25  # seconds of training before the first landscape
EDGE = 0.04  # a path this close to the landscape's edge (a fraction of it) widens it


class _Command(Enum):
    RUN = "run"
    STEP = "step"
    STOP = "stop"


class TrainingWorker(QObject):
    """Trains on the thread that calls :meth:`run`; every signal carries the worker's id."""

    snapshot_ready = Signal(int, object)
    landscape_ready = Signal(int, object)
    paused = Signal(int, int)
    resumed = Signal(int)
    finished = Signal(int, object)
    failed = Signal(int, str)
    optimizer_step_ready = Signal(int, object)

    def __init__(self, trainer: Trainer, generation: int, stepping: bool = False):
        super().__init__()
        self.trainer = trainer
        self.generation = generation
        self._first = _Command.STEP if stepping else _Command.RUN
        self._condition = threading.Condition()
        self._command: _Command | None = None
        self._landscape = None
        self._landscape_updates = 0
        self._started_at = 0.0
        self._extent: list[float] | None = None

    # Called from the GUI thread.
    def request_pause(self) -> None:
        """Pause after the current step."""
        self.trainer.request_pause()

    def request_resume(self) -> None:
        """Continue training after a pause."""
        self._send(_Command.RUN)

    def request_step(self) -> None:
        """Train one more epoch, then pause again."""
        self._send(_Command.STEP)

    def request_stop(self) -> None:
        """Stop after the current step; the run ends with a STOPPED snapshot."""
        self.trainer.request_stop()
        self._send(_Command.STOP)

    def _send(self, command: _Command) -> None:
        with self._condition:
            if self._command is not _Command.STOP:
                self._command = command
            self._condition.notify()

    def _wait_for_command(self) -> _Command:
        with self._condition:
            while self._command is None:
                self._condition.wait()
            command, self._command = self._command, None
            return command

    # Runs on the worker thread.
    @Slot()
    def run(self) -> None:
        """The worker thread's body: train until finished, stopped or diverged."""
        gen = self.generation
        try:
            self._started_at = time.perf_counter()
            command = self._first
            while True:
                last = None
                stepping = command is _Command.STEP
                start = self.trainer.step
                until = start + 1 if stepping else None
                # the optimizer's state is read only here, where the run is suspended (at
                # a yield, or between runs): nothing updates the parameters meanwhile
                before = self.trainer.optimizer_state() if stepping else None
                for snapshot in self.trainer.run(until):
                    last = snapshot
                    if stepping and snapshot.step == start:  # a new run's first gradients
                        before = self.trainer.optimizer_state()
                    self.snapshot_ready.emit(gen, snapshot)
                    self._follow(snapshot)
                if stepping and last is not None and last.step > start:
                    self._send_optimizer_step(before, last.step)
                if last is None or last.is_final:
                    break
                self.paused.emit(gen, last.step)
                command = self._wait_for_command()
                if command is _Command.RUN:
                    self.resumed.emit(gen)
            self._frame_path()
            self.finished.emit(gen, last)
        except Exception as exc:  # any failure goes back to the GUI thread
            log.exception("training failed")
            self.failed.emit(gen, f"Training failed: {exc}")

    def _send_optimizer_step(self, before: OptimizerState, step: int) -> None:
        trainer = self.trainer
        dataset = trainer.dataset
        updates = updates_per_epoch(None if dataset is None else len(dataset[1]),
                                    trainer.settings.batch_size)
        self.optimizer_step_ready.emit(self.generation, OptimizerStep(
            before, trainer.optimizer_state(), step, updates))

    def _point(self, values) -> tuple[float, float] | None:
        names = self.trainer.problem.parameters
        if len(names) != 2:
            return None
        point = (values[names[0]], values[names[1]])
        return point if all(isinstance(v, float) for v in point) else None

    def _show_landscape(self, bounds: Bounds | None) -> None:
        if bounds is None or self.trainer.stop_requested:
            return
        landscape = self.trainer.landscape(bounds, LANDSCAPE_RESOLUTION)
        if landscape is not None:
            self._landscape = landscape
            self.landscape_ready.emit(self.generation, landscape)

    def _follow(self, snapshot: TrainingSnapshot) -> None:
        """Compute the landscape once the path has taken shape; widen it when left.

        The first one waits until the path is known (a moment of training, or a
        pause), so that it frames the path instead of being recomputed at every turn.
        """
        point = self._point(snapshot.parameters)
        if point is None:
            return
        a, b = point
        if self._extent is None:
            self._extent = [a, a, b, b]
        extent = self._extent
        extent[:] = [min(extent[0], a), max(extent[1], a), min(extent[2], b), max(extent[3], b)]
        if self._landscape is None:
            waited = time.perf_counter() - self._started_at >= LANDSCAPE_DELAY
            if waited or snapshot.status is not TrainingStatus.RUNNING:
                self._show_landscape(self._path_bounds(margin=0.6))  # room to go on
            return
        if self._landscape.contains(a, b, inset=EDGE) \
                or self._landscape_updates >= MAX_LANDSCAPE_UPDATES:
            return
        self._landscape_updates += 1
        a0, a1, b0, b1 = self._landscape.bounds
        self._show_landscape(bounds_around([(a0, b0), (a1, b1), (a, b)], margin=0.75))

    def _path_bounds(self, margin: float = 0.4) -> Bounds | None:
        a0, a1, b0, b1 = self._extent
        return bounds_around([(a0, b0), (a1, b1)], margin=margin, min_half_span=0.5)

    def _frame_path(self) -> None:
        """At the end, fit the landscape to the whole path taken."""
        if self._extent is None or self._landscape is None:
            return
        bounds = self._path_bounds()
        if bounds is None:
            return
        a0, a1, b0, b1 = self._landscape.bounds
        c0, c1, d0, d1 = bounds
        inside = a0 <= c0 and c1 <= a1 and b0 <= d0 and d1 <= b1
        if not inside or (a1 - a0) * (b1 - b0) > 2 * (c1 - c0) * (d1 - d0):
            self._show_landscape(bounds)


class _TrainingThread(QThread):
    """A thread whose body is one worker's :meth:`TrainingWorker.run` (no event loop)."""

    def __init__(self, worker: TrainingWorker):
        super().__init__()
        self._worker = worker

    def run(self) -> None:
        self._worker.run()


_LIVE_THREADS: set[QThread] = set()
"""Threads that may still run; held here so that no running QThread is ever collected."""


def stop_all_training() -> None:
    """Stop and join every training thread (connected to ``aboutToQuit``)."""
    for thread in list(_LIVE_THREADS):
        thread._worker.request_stop()
        if thread.wait(STOP_TIMEOUT_MS):
            _LIVE_THREADS.discard(thread)


_HOOKED_APPS: list[QCoreApplication] = []


def install_quit_hook() -> None:
    """Make the application stop every training thread before it quits (once per app)."""
    app = QCoreApplication.instance()
    if app is not None and not any(hooked is app for hooked in _HOOKED_APPS):
        _HOOKED_APPS.append(app)
        app.aboutToQuit.connect(stop_all_training)
