"""The GUI side of training: starts, pauses, steps and stops one worker thread at a time."""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal, Slot

from gui_backprop.core.training import Trainer
from gui_backprop.ui.training.worker import (
    _LIVE_THREADS,
    STOP_TIMEOUT_MS,
    TrainingWorker,
    _TrainingThread,
    install_quit_hook,
)

log = logging.getLogger(__name__)


class TrainingState(StrEnum):
    """What the controller's worker is doing, as far as the GUI thread knows."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSING = "pausing"
    PAUSED = "paused"


class TrainingController(QObject):
    """Owns the training thread; re-emits its signals on the GUI thread.

    Signals from a worker that has since been stopped or replaced are dropped (each
    worker carries a generation number), so a stale snapshot never reaches the view.
    """

    snapshot_received = Signal(object)
    landscape_received = Signal(object)
    paused = Signal(int)
    resumed = Signal()
    finished = Signal(object)
    failed = Signal(str)
    state_changed = Signal(str)
    optimizer_step_received = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._worker: TrainingWorker | None = None
        self._thread: _TrainingThread | None = None
        self._state = TrainingState.IDLE
        install_quit_hook()

    @property
    def state(self) -> TrainingState:
        """IDLE, RUNNING, PAUSING or PAUSED."""
        return self._state

    def start(self, trainer: Trainer, stepping: bool = False) -> None:
        """Stop any current run, then train ``trainer`` (one epoch only when ``stepping``)."""
        self.stop()
        self._generation += 1
        worker = TrainingWorker(trainer, self._generation, stepping)
        worker.snapshot_ready.connect(self._on_snapshot)
        worker.landscape_ready.connect(self._on_landscape)
        worker.paused.connect(self._on_paused)
        worker.resumed.connect(self._on_resumed)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.optimizer_step_ready.connect(self._on_optimizer_step)
        thread = _TrainingThread(worker)
        self._worker, self._thread = worker, thread
        _LIVE_THREADS.add(thread)
        self._set_state(TrainingState.PAUSING if stepping else TrainingState.RUNNING)
        thread.start()

    def pause(self) -> None:
        """Ask the worker to pause after its current step."""
        if self._worker is not None and self._state is TrainingState.RUNNING:
            self._worker.request_pause()
            self._set_state(TrainingState.PAUSING)

    def resume(self) -> None:
        """Continue after a pause."""
        if self._worker is not None and self._state in (TrainingState.PAUSED,
                                                         TrainingState.PAUSING):
            self._worker.request_resume()
            self._set_state(TrainingState.RUNNING)

    def step(self) -> None:
        """Train one more epoch while paused."""
        if self._worker is not None and self._state is TrainingState.PAUSED:
            self._worker.request_step()
            self._set_state(TrainingState.PAUSING)

    def stop(self, discard: bool = True) -> None:
        """Stop the worker and wait for its thread to end (no-op when idle).

        With ``discard`` nothing more is emitted for this run. Otherwise what the worker
        sent before it ended is delivered now, in order, ending with ``finished`` and
        the STOPPED snapshot, so the views end exactly where training stopped.
        """
        worker, thread = self._worker, self._thread
        if worker is None:
            return
        if discard:
            self._generation += 1
        worker.request_stop()
        if thread.wait(STOP_TIMEOUT_MS):
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        if self._thread is thread:  # discarded, or the thread did not end in time
            self._generation += 1
            self._release(thread)
            self._set_state(TrainingState.IDLE)
            if not discard:
                self.finished.emit(None)

    def _release(self, thread: _TrainingThread) -> None:
        if thread.wait(STOP_TIMEOUT_MS):
            _LIVE_THREADS.discard(thread)
        else:  # still held in _LIVE_THREADS, so it is never destroyed while running
            log.warning("the training thread did not stop within %d ms", STOP_TIMEOUT_MS)
        self._worker = self._thread = None

    def _set_state(self, state: TrainingState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    def _current(self, generation: int) -> bool:
        return generation == self._generation and self._worker is not None

    @Slot(int, object)
    def _on_snapshot(self, generation: int, snapshot) -> None:
        if self._current(generation):
            self.snapshot_received.emit(snapshot)

    @Slot(int, object)
    def _on_optimizer_step(self, generation: int, step) -> None:
        if self._current(generation):
            self.optimizer_step_received.emit(step)

    @Slot(int, object)
    def _on_landscape(self, generation: int, landscape) -> None:
        if self._current(generation):
            self.landscape_received.emit(landscape)

    @Slot(int, int)
    def _on_paused(self, generation: int, step: int) -> None:
        # a pause that Resume has already overtaken is not reported
        if self._current(generation) and self._state is TrainingState.PAUSING:
            self._set_state(TrainingState.PAUSED)
            self.paused.emit(step)

    @Slot(int)
    def _on_resumed(self, generation: int) -> None:
        if self._current(generation):
            self.resumed.emit()

    @Slot(int, object)
    def _on_finished(self, generation: int, snapshot) -> None:
        if self._current(generation):
            self._release(self._thread)
            self._set_state(TrainingState.IDLE)
            self.finished.emit(snapshot)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if self._current(generation):
            self._release(self._thread)
            self._set_state(TrainingState.IDLE)
            self.failed.emit(message)
