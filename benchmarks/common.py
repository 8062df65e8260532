"""What every benchmark shares: the model and data, percentiles, the result lines."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gui_backprop.core.lessons import find_lesson  # noqa: E402
from gui_backprop.core.training import TrainingProblem, TrainingSettings  # noqa: E402
from gui_backprop.core.training_data import DataSettings  # noqa: E402

LESSON = "linear-regression"
POINTS = 50
LEARNING_RATE = 0.05


def problem() -> TrainingProblem:
    """The linear-regression lesson: y_hat = w * x + b, J = mean((y - y_hat) ** 2)."""
    return TrainingProblem.from_lesson(find_lesson(LESSON))


def settings(epochs: int) -> TrainingSettings:
    """The same settings for every run: 50 synthetic points, seed 0, lr 0.05."""
    return TrainingSettings(epochs=epochs, learning_rate=LEARNING_RATE,
                            data=DataSettings(points=POINTS, noise=1.0, seed=0))


def percentile(values, q: float) -> float:
    """The q-th percentile of ``values`` (NaN when empty)."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


@dataclass
class Figure:
    """One measured figure with its goal."""

    name: str
    measured: str
    goal: str
    met: bool

    def line(self) -> str:
        """The figure as one printed line."""
        verdict = "met" if self.met else "NOT met"
        return f"{self.name}: {self.measured}  (goal {self.goal}: {verdict})"
