"""A program's last training run, kept while the learner is in another lesson.

Going to another lesson and back must not blank the Train tab while the walkthrough
still shows that run's values (and offers the way back from them): the panel keeps,
per program, the settled run's final snapshot, the values and settings it started
from, its loss history, its landscape and path, and its message, and draws them again
when the learner comes back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gui_backprop.core.training import TrainingSettings, TrainingSnapshot
from gui_backprop.core.training_landscape import LossLandscape

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
