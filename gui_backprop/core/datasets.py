"""Seeded 2-D classification data: two moons, circles, XOR and spirals.

Each generator draws from its own :class:`torch.Generator` seeded with ``seed``, so the
same arguments always give bit-identical points, in the window and on the command line
alike. The points are ``float64`` tensors of shape ``(n, 2)``; the labels are class
numbers ``0, 1, ...`` as ``float64`` of shape ``(n,)`` (a loss such as binary
cross-entropy takes them as they are; ``labels.long()`` gives cross-entropy's targets).
The shapes follow scikit-learn's ``make_moons`` and ``make_circles`` (and the classic
XOR and spiral data sets of TensorFlow Playground and CS231n) without depending on them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import DTYPE

POINTS_RANGE = (4, 100_000)
NOISE_RANGE = (0.0, 10.0)
CLASSES_RANGE = (2, 10)  # for spirals; the others have two classes


@dataclass(frozen=True)
class ClassificationData:
    """Points (``n × 2``) and their class numbers (``n``), both ``float64`` tensors."""

    inputs: torch.Tensor
    labels: torch.Tensor
    classes: int

    def as_lists(self) -> tuple[list[list[float]], list[int]]:
        """The points as nested lists and the labels as whole numbers (for JSON, a CSV)."""
        return self.inputs.tolist(), [int(label) for label in self.labels.tolist()]


def _check(points: int, noise: float) -> None:
    low, high = POINTS_RANGE
    if isinstance(points, bool) or not isinstance(points, int) or not low <= points <= high:
        raise ProgramError(f"the number of points must be a whole number from {low} to "
                           f"{high:,}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) \
            or not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ProgramError(f"the noise must be a number from {NOISE_RANGE[0]:g} to "
                           f"{NOISE_RANGE[1]:g}")


def _split(points: int, classes: int) -> list[int]:
    """How many points each class gets: as even as possible, the first ones one more."""
    return [points // classes + (1 if c < points % classes else 0) for c in range(classes)]


def _finish(parts: list[torch.Tensor], noise: float, generator: torch.Generator,
            classes: int) -> ClassificationData:
    inputs = torch.cat(parts)
    labels = torch.cat([torch.full((len(part),), float(c), dtype=DTYPE)
                        for c, part in enumerate(parts)])
    if noise > 0:
        inputs = inputs + noise * torch.randn(inputs.shape, generator=generator, dtype=DTYPE)
    return ClassificationData(inputs, labels, classes)


def two_moons(points: int = 200, noise: float = 0.1, seed: int = 0) -> ClassificationData:
    """Two interleaving half circles (class 0 on top, class 1 below and shifted)."""
    _check(points, noise)
    generator = torch.Generator().manual_seed(seed)
    outer, inner = _split(points, 2)
    a = torch.linspace(0.0, math.pi, outer, dtype=DTYPE)
    b = torch.linspace(0.0, math.pi, inner, dtype=DTYPE)
    top = torch.stack([torch.cos(a), torch.sin(a)], dim=1)
    bottom = torch.stack([1.0 - torch.cos(b), 0.5 - torch.sin(b)], dim=1)
    return _finish([top, bottom], noise, generator, 2)


def circles(points: int = 200, noise: float = 0.05, seed: int = 0,
            factor: float = 0.5) -> ClassificationData:
    """A ring (class 0, radius 1) around a smaller one (class 1, radius ``factor``)."""
    _check(points, noise)
    generator = torch.Generator().manual_seed(seed)
    outer, inner = _split(points, 2)
    rings = []
    for count, radius in ((outer, 1.0), (inner, factor)):
        angle = 2 * math.pi * torch.rand(count, generator=generator, dtype=DTYPE)
        rings.append(radius * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1))
    return _finish(rings, noise, generator, 2)


def xor(points: int = 200, noise: float = 0.0, seed: int = 0) -> ClassificationData:
    """Points in the square [-1, 1]²: class 1 where x₁·x₂ < 0, class 0 elsewhere.

    A margin of 0.05 around the axes keeps the classes apart (as TensorFlow
    Playground's XOR does), so a network can reach full accuracy without noise.
    """
    _check(points, noise)
    generator = torch.Generator().manual_seed(seed)
    raw = 2 * torch.rand((points, 2), generator=generator, dtype=DTYPE) - 1
    inputs = raw + 0.05 * torch.sign(raw)
    labels = (inputs[:, 0] * inputs[:, 1] < 0).to(DTYPE)
    order = torch.argsort(labels, stable=True)  # class 0 first, as the others
    data = _finish([inputs[order]], noise, generator, 2)
    return ClassificationData(data.inputs, labels[order], 2)


def spirals(points: int = 300, noise: float = 0.1, seed: int = 0,
            classes: int = 3) -> ClassificationData:
    """``classes`` arms of a spiral, one per class (CS231n's classic data)."""
    _check(points, noise)
    low, high = CLASSES_RANGE
    if isinstance(classes, bool) or not isinstance(classes, int) \
            or not low <= classes <= high:
        raise ProgramError(f"the number of classes must be a whole number from {low} to {high}")
    generator = torch.Generator().manual_seed(seed)
    arms = []
    for c, count in enumerate(_split(points, classes)):
        radius = torch.linspace(0.0, 1.0, count, dtype=DTYPE)
        start = c * 2 * math.pi / classes
        angle = torch.linspace(start, start + 4.0, count, dtype=DTYPE)
        arms.append(radius[:, None] * torch.stack([torch.sin(angle), torch.cos(angle)], dim=1))
    return _finish(arms, noise, generator, classes)


GENERATORS: dict[str, Callable[..., ClassificationData]] = {
    "moons": two_moons, "circles": circles, "xor": xor, "spirals": spirals}
"""The generators by the name the settings and the command line use."""


def make_dataset(name: str, points: int, noise: float, seed: int,
                 classes: int = 2) -> ClassificationData:
    """The data set ``name`` (a key of :data:`GENERATORS`); ``classes`` for spirals only."""
    if name not in GENERATORS:
        raise ProgramError(f"'{name[:40]}' is not a data set; choose one of "
                           f"{', '.join(GENERATORS)}")
    if name == "spirals":
        return spirals(points, noise, seed, classes)
    return GENERATORS[name](points, noise, seed)
