"""A program's last training run, kept while the learner is in another lesson.

Going to another lesson and back must not blank the Train tab while the walkthrough
still shows that run's values (and offers the way back from them): the panel keeps,
per program, the settled run's final snapshot, the values and settings it started
from, its loss history, its landscape and path, and its message, and draws them again
when the learner comes back. A session file keeps the path and the landscape's bounds;
:class:`LandscapeRedraw` computes that landscape again, off the GUI thread, when the
file is opened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from gui_backprop.core.training import Trainer, TrainingSettings, TrainingSnapshot
from gui_backprop.core.training_landscape import Bounds, LossLandscape
from gui_backprop.ui.training.worker import LANDSCAPE_RESOLUTION

MAX_KEPT_RUNS = 32  # programs whose run is kept (the oldest goes first)


@dataclass(frozen=True)
class KeptRun:
    """What the Train tab showed at the end (or pause) of a run."""

    snapshot: TrainingSnapshot
    run_values: dict
    run_settings: TrainingSettings
    losses: np.ndarray
    path: tuple[np.ndarray, np.ndarray]
    landscape: LossLandscape | None
    message: str


class KeptRuns:
    """Kept runs by the key of the program they trained (see ``TrainPanel.set_source``)."""

    def __init__(self) -> None:
        self._runs: dict[tuple, KeptRun] = {}

    def keep(self, key: tuple | None, run: KeptRun | None) -> None:
        """Keep ``run`` for ``key`` (nothing for a missing key or run)."""
        if key is None or run is None:
            return
        self._runs.pop(key, None)
        self._runs[key] = run
        while len(self._runs) > MAX_KEPT_RUNS:
            self._runs.pop(next(iter(self._runs)))

    def take(self, key: tuple | None) -> KeptRun | None:
        """The run kept for ``key``, handed over (it is no longer kept)."""
        return None if key is None else self._runs.pop(key, None)

    def clear(self) -> None:
        """Forget every kept run (a session file replaces the work)."""
        self._runs.clear()


class LandscapeRedraw(QObject):
    """A reopened run's loss landscape, computed again on a pool thread.

    ``ready(LossLandscape)`` follows :meth:`compute` unless :meth:`cancel` (or a newer
    :meth:`compute`) came first: the trainer is used only on that thread from then on.
    """

    ready = Signal(object)
    _computed = Signal(int, object)  # from the pool thread: queued to this object's

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._trainer: Trainer | None = None
        self._computed.connect(self._deliver)

    def compute(self, trainer: Trainer, bounds: Bounds) -> None:
        """Compute ``trainer``'s landscape over ``bounds``; ``ready`` follows."""
        self.cancel()
        generation = self._generation
        self._trainer = trainer

        def run() -> None:
            self._computed.emit(generation, trainer.landscape(bounds, LANDSCAPE_RESOLUTION))

        self._pool.start(QRunnable.create(run))

    def cancel(self) -> None:
        """Drop the landscape being computed (a new run, program or file came)."""
        self._generation += 1
        if self._trainer is not None:
            self._trainer.request_stop()  # the grid stops between its chunks
            self._trainer = None

    def wait(self) -> None:
        """Wait until no landscape is being computed (tests, closing)."""
        self._pool.waitForDone()

    @Slot(int, object)
    def _deliver(self, generation: int, landscape: LossLandscape | None) -> None:
        if generation == self._generation and landscape is not None:
            self._trainer = None
            self.ready.emit(landscape)
