"""Data for training: which names are the input, target and prediction; synthetic points.

A program is a *regression* when it has a data leaf named ``x`` (the input), exactly
one other data leaf that the output uses (the target), and a computed name that
depends on ``x`` and the parameters but not on the target (the prediction, such as
``y_hat = w * x + b``). For such programs the Train panel plots the points and the
fitted curve; when ``x`` and the target are vectors it can replace them with
synthetic points, drawn with a seeded :class:`torch.Generator` so that the same
settings always give the same points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import DTYPE
from gui_backprop.core.training_program import CompiledProgram
from gui_backprop.core.values import Value, check_number, value_shape

INPUT_NAME = "x"
POINTS_RANGE = (2, 1_000)
NOISE_RANGE = (0.0, 100.0)
SEED_RANGE = (0, 2**31 - 1)


@dataclass(frozen=True)
class DataSettings:
    """How many synthetic points, how much noise (standard deviation), which seed."""

    points: int = 50
    noise: float = 1.0
    seed: int = 0

    def __post_init__(self):
        low, high = POINTS_RANGE
        if isinstance(self.points, bool) or not isinstance(self.points, int) \
                or not low <= self.points <= high:
            raise ProgramError(f"the number of points must be a whole number from {low} to {high}")
        try:
            check_number("noise", self.noise, *NOISE_RANGE)
        except ProgramError:
            raise ProgramError(f"the noise must be a number from {NOISE_RANGE[0]:g} "
                               f"to {NOISE_RANGE[1]:g}") from None
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) \
                or not SEED_RANGE[0] <= self.seed <= SEED_RANGE[1]:
            raise ProgramError(f"the seed must be a whole number from {SEED_RANGE[0]} "
                               f"to {SEED_RANGE[1]}")


MAX_LEARNER_POINTS = 100_000


@dataclass(frozen=True)
class LearnerPoints:
    """The learner's own data: imported from a CSV file or clicked into the data plot.

    ``inputs`` holds one number per point (one input column) or a tuple of ``columns``
    numbers per point; ``targets`` one number per point.
    """

    inputs: tuple
    targets: tuple[float, ...]

    def __post_init__(self):
        count = len(self.targets)
        if len(self.inputs) != count:
            raise ProgramError("the inputs and the targets need one value per point each")
        if not 2 <= count <= MAX_LEARNER_POINTS:
            raise ProgramError(f"the data need from 2 to {MAX_LEARNER_POINTS:,} points, "
                               f"not {count:,}")
        widths = {len(row) if isinstance(row, tuple) else 0 for row in self.inputs}
        if len(widths) != 1 or 1 in widths:  # 0: one number per point; k >= 2: k numbers
            raise ProgramError("every point needs the same number of inputs: one number, "
                               "or a row of two or more")
        flat = [v for row in self.inputs for v in (row if isinstance(row, tuple) else (row,))]
        if not all(isinstance(v, float) and math.isfinite(v) for v in [*flat, *self.targets]):
            raise ProgramError("every value of the data must be a finite number")

    @property
    def columns(self) -> int:
        """How many input columns: 1 for a vector of inputs, k for an N×k matrix."""
        first = self.inputs[0]
        return len(first) if isinstance(first, tuple) else 1

    def added(self, x: float, y: float) -> LearnerPoints:
        """These points and (x, y) (one input column)."""
        return LearnerPoints((*self.inputs, float(x)), (*self.targets, float(y)))

    def without(self, index: int) -> LearnerPoints:
        """These points without the one at ``index``."""
        return LearnerPoints(self.inputs[:index] + self.inputs[index + 1:],
                             self.targets[:index] + self.targets[index + 1:])

    def nearest(self, x: float, y: float, x_scale: float = 1.0, y_scale: float = 1.0) -> int:
        """The index of the point nearest (x, y), distances measured in the given scales
        (a plot's width and height, so that "nearest" is what the eye sees)."""
        xs = np.array(self.inputs, dtype=float).reshape(len(self.targets), -1)[:, 0]
        ys = np.array(self.targets, dtype=float)
        distance = ((xs - x) / x_scale) ** 2 + ((ys - y) / y_scale) ** 2
        return int(np.argmin(distance))


@dataclass(frozen=True)
class RegressionRoles:
    """The names that play input, target and prediction in a regression program."""

    input: str
    target: str
    prediction: str


def find_regression_roles(compiled: CompiledProgram, parameters: tuple[str, ...],
                          output: str) -> RegressionRoles | None:
    """The input, target and prediction of a regression program, else ``None``."""
    program = compiled.program
    data = [name for name in program.leaves if name not in parameters]
    if INPUT_NAME not in data:
        return None
    used = compiled.depends_on(output)
    targets = [name for name in data if name != INPUT_NAME and name in used]
    if len(targets) != 1:
        return None
    target = targets[0]
    shape = value_shape(program.leaves[INPUT_NAME])
    if len(shape) > 1 or value_shape(program.leaves[target]) != shape:
        return None  # not one (x, y) point per element: a neuron's features, a matrix
    predictions = []
    for name in program.names:
        if name in program.leaves or name == output or name not in used:
            continue
        sources = compiled.depends_on(name)
        leaves = {s for s in sources if s in program.leaves}
        if INPUT_NAME in leaves and leaves & set(parameters) and target not in leaves:
            predictions.append(name)
    if not predictions:
        return None
    return RegressionRoles(INPUT_NAME, target, predictions[-1])


def least_squares_line(x, y) -> tuple[float, float]:
    """The closed-form least-squares slope and intercept of the points (x, y)."""
    xs = torch.from_numpy(np.array(x, dtype=float)).flatten()
    ys = torch.from_numpy(np.array(y, dtype=float)).flatten()
    if xs.numel() != ys.numel() or xs.numel() == 0:
        raise ValueError("x and y need the same, non-zero number of values")
    dx = xs - xs.mean()
    spread = float((dx * dx).sum())
    slope = float((dx * (ys - ys.mean())).sum()) / spread if spread > 0 else 0.0
    return slope, float(ys.mean()) - slope * float(xs.mean())


def synthetic_points(x: Value, y: Value, settings: DataSettings) -> tuple[Value, Value]:
    """``settings.points`` points spread like the lesson's (x, y), with Gaussian noise.

    The new x are uniform over the lesson's range of x (sorted); the new y follow the
    lesson data's least-squares line plus ``noise`` times a standard normal draw.
    """
    xs = x if isinstance(x, tuple) else (x,)
    ys = y if isinstance(y, tuple) else (y,)
    slope, intercept = least_squares_line(xs, ys) if len(xs) == len(ys) else (1.0, 0.0)
    low, high = min(xs), max(xs)
    if high - low < 1e-12:
        low, high = low - 1.0, high + 1.0
    generator = torch.Generator().manual_seed(settings.seed)
    new_x = low + (high - low) * torch.rand(settings.points, generator=generator, dtype=DTYPE)
    new_x, _ = torch.sort(new_x)
    noise = torch.randn(settings.points, generator=generator, dtype=DTYPE)
    new_y = slope * new_x + intercept + settings.noise * noise
    return tuple(new_x.tolist()), tuple(new_y.tolist())
