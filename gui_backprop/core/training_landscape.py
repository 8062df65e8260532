"""The loss landscape: the loss over a grid of two parameters, computed by torch.

The program's own torch calls are evaluated for every grid point at once with
:func:`torch.func.vmap` (in chunks, so that large data sets stay within memory),
under ``torch.no_grad()``: a landscape is values only, no derivatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import contourpy
import numpy as np
import torch

from gui_backprop.core.forward import DTYPE

MAX_CHUNK_ELEMENTS = 2_000_000
CHUNK_POINTS = 1_000  # grid points per chunk: how often a computation can be cancelled
MIN_HALF_SPAN = 0.5
MAX_SPAN = 1e6
CONTOURS = 9
SMALLEST_LOSS = 1e-300  # a loss of exactly 0 sits at this floor on a log scale

Bounds = tuple[float, float, float, float]
"""(first_low, first_high, second_low, second_high)."""


@dataclass(frozen=True)
class LossLandscape:
    """``loss[i, j]`` is the loss at ``names[0] = first[j]``, ``names[1] = second[i]``.

    ``contours`` are lines of equal log10 loss: (level, points) where ``points`` is an
    (n, 2) array of (first, second) with a NaN row between separate lines.
    """

    names: tuple[str, str]
    first: np.ndarray
    second: np.ndarray
    loss: np.ndarray
    contours: tuple[tuple[float, np.ndarray], ...] = ()

    @property
    def log_loss(self) -> np.ndarray:
        """log10 of the loss (a loss of 0 at the floor 1e-300; NaN where not finite)."""
        with np.errstate(invalid="ignore"):
            return np.log10(np.maximum(self.loss, SMALLEST_LOSS))

    @property
    def bounds(self) -> Bounds:
        """The grid's extent."""
        return (float(self.first[0]), float(self.first[-1]),
                float(self.second[0]), float(self.second[-1]))

    def contains(self, first: float, second: float, inset: float = 0.0) -> bool:
        """True when the point lies inside the grid, at least ``inset`` (a fraction of
        each side's length) away from its edges."""
        a0, a1, b0, b1 = self.bounds
        da, db = (a1 - a0) * inset, (b1 - b0) * inset
        return a0 + da <= first <= a1 - da and b0 + db <= second <= b1 - db

    @property
    def lowest(self) -> tuple[float, float, float] | None:
        """The grid point with the smallest finite loss: (first, second, loss)."""
        finite = np.isfinite(self.loss)
        if not finite.any():
            return None
        index = np.nanargmin(np.where(finite, self.loss, np.nan))
        i, j = np.unravel_index(index, self.loss.shape)
        return float(self.first[j]), float(self.second[i]), float(self.loss[i, j])


def bounds_around(points: Iterable[tuple[float, float]], margin: float = 0.25,
                  min_half_span: float = MIN_HALF_SPAN) -> Bounds | None:
    """A box holding every finite point, widened by ``margin`` of its size on each side.

    ``None`` when there is no finite point or the box would be absurdly large.
    """
    finite = [(a, b) for a, b in points if math.isfinite(a) and math.isfinite(b)]
    if not finite:
        return None
    first = [a for a, _ in finite]
    second = [b for _, b in finite]
    result = []
    for values in (first, second):
        low, high = min(values), max(values)
        half = max((high - low) * (0.5 + margin), min_half_span)
        centre = (low + high) / 2
        result += [centre - half, centre + half]
    if result[1] - result[0] > MAX_SPAN or result[3] - result[2] > MAX_SPAN:
        return None
    return tuple(result)


def compute_landscape(loss_of: Callable[[Mapping[str, torch.Tensor]], torch.Tensor],
                      leaves: Mapping[str, torch.Tensor], names: tuple[str, str],
                      bounds: Bounds, resolution: int = 100,
                      cancelled: Callable[[], bool] | None = None) -> LossLandscape | None:
    """Evaluate ``loss_of`` on a ``resolution`` x ``resolution`` grid of the two parameters.

    ``leaves`` supplies every other leaf (the data); the two named leaves are replaced
    by the grid's values. Points where the loss is not finite hold NaN. The grid is
    evaluated in chunks; ``cancelled`` is asked between them, and ``None`` is returned
    as soon as it says yes.
    """
    a0, a1, b0, b1 = bounds
    first = torch.linspace(a0, a1, resolution, dtype=DTYPE)
    second = torch.linspace(b0, b1, resolution, dtype=DTYPE)
    grid_second, grid_first = torch.meshgrid(second, first, indexing="ij")
    fixed = {name: leaf.detach() for name, leaf in leaves.items() if name not in names}
    size = max([leaf.numel() for leaf in fixed.values()] + [1])
    name_a, name_b = names

    def loss_at(value_a: torch.Tensor, value_b: torch.Tensor) -> torch.Tensor:
        return loss_of({**fixed, name_a: value_a, name_b: value_b})

    batched = torch.func.vmap(loss_at)
    flat_a, flat_b = grid_first.flatten(), grid_second.flatten()
    chunk = max(1, min(CHUNK_POINTS, MAX_CHUNK_ELEMENTS // size))
    parts = []
    with torch.no_grad():
        for start in range(0, flat_a.numel(), chunk):
            if cancelled is not None and cancelled():
                return None
            parts.append(batched(flat_a[start:start + chunk], flat_b[start:start + chunk]))
    loss = torch.cat(parts).reshape(resolution, resolution).numpy().astype(float, copy=True)
    loss[~np.isfinite(loss)] = np.nan
    arrays = [first.numpy().copy(), second.numpy().copy(), loss]
    for array in arrays:
        array.setflags(write=False)
    landscape = LossLandscape((name_a, name_b), *arrays)
    return replace(landscape, contours=_contours(landscape))


def _contours(landscape: LossLandscape, count: int = CONTOURS) -> tuple:
    """Lines of equal log10 loss at ``count`` levels spread over its finite range."""
    heat = landscape.log_loss
    finite = heat[np.isfinite(heat)]
    if finite.size == 0 or finite.max() <= finite.min():
        return ()
    generator = contourpy.contour_generator(
        landscape.first, landscape.second, heat, line_type=contourpy.LineType.ChunkCombinedNan)
    result = []
    for level in np.linspace(finite.min(), finite.max(), count + 2)[1:-1]:
        chunks = generator.lines(float(level))[0]
        points = [chunk for chunk in chunks if chunk is not None]
        if points:
            line = np.concatenate(points)
            line.setflags(write=False)
            result.append((float(level), line))
    return tuple(result)
