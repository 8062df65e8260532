"""The decision boundary: a classifier's class probabilities over a grid covering the data.

The grid is fixed for a run (the data do not move): ``GRID_SIZE`` × ``GRID_SIZE`` points
over the data's bounding box widened by ``MARGIN`` of its size on each side. The model
is evaluated there with one batched call of the training program's own torch
functions under ``torch.no_grad()``, so the picture costs one forward pass of a few
thousand points and records no graph.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import torch

from gui_backprop.core.classifier_spec import OutputKind
from gui_backprop.core.forward import DTYPE

GRID_SIZE = 80
MARGIN = 0.1
MIN_SPAN = 1e-6  # a box of one point (or a line) is widened to this, so the grid has an area


@dataclass(frozen=True)
class DecisionBoundary:
    """Class probabilities on a grid: ``probabilities[j, i, c]`` is the probability of
    class ``c`` at (``xs[i]``, ``ys[j]``). Read-only numpy arrays."""

    xs: np.ndarray = field(repr=False)
    ys: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)

    @property
    def classes(self) -> int:
        """How many classes the probabilities are of."""
        return self.probabilities.shape[2]


def probabilities_from_scores(scores: torch.Tensor, output: OutputKind) -> torch.Tensor:
    """(N, classes) probabilities from the scores: (1 − p, p) for one probability per
    point, softmax over the last dimension for logits."""
    if output is OutputKind.PROBABILITY:
        return torch.stack([1.0 - scores, scores], dim=-1)
    return torch.softmax(scores, dim=-1)


def predicted_classes(scores: torch.Tensor, output: OutputKind) -> torch.Tensor:
    """The class each point is given: p ≥ 0.5 for one probability, else the largest logit."""
    if output is OutputKind.PROBABILITY:
        return (scores >= 0.5).long()
    return torch.argmax(scores, dim=-1)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class BoundaryGrid:
    """The grid of one run and the model evaluated on it."""

    def __init__(self, inputs: np.ndarray, size: int = GRID_SIZE, margin: float = MARGIN):
        low, high = inputs.min(axis=0), inputs.max(axis=0)
        span = np.maximum(high - low, MIN_SPAN)
        low, high = low - margin * span, high + margin * span
        self.xs = _readonly(np.linspace(low[0], high[0], size))
        self.ys = _readonly(np.linspace(low[1], high[1], size))
        grid_x, grid_y = np.meshgrid(self.xs, self.ys)  # [j, i]: row j is ys[j]
        self.points = torch.from_numpy(np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)
                                       ).to(DTYPE)

    def evaluate(self, scores_of: Callable[[Mapping[str, torch.Tensor]], torch.Tensor],
                 leaves: Mapping[str, torch.Tensor], input_name: str,
                 output: OutputKind) -> DecisionBoundary:
        """The boundary at the leaves' current parameters (the grid in place of the input)."""
        scope = dict(leaves)
        scope[input_name] = self.points
        with torch.no_grad():
            probabilities = probabilities_from_scores(scores_of(scope), output)
        shape = (len(self.ys), len(self.xs), probabilities.shape[-1])
        array = probabilities.numpy().reshape(shape).copy()
        return DecisionBoundary(self.xs, self.ys, _readonly(array))
