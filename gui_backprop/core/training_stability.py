"""How large a learning rate gradient descent can take: the Hessian's stability limit.

Near a point, the loss is close to a quadratic whose curvature is its Hessian H (the
matrix of second derivatives with respect to the parameters). Gradient descent
``p -= lr * grad`` multiplies the distance to that quadratic's minimum along each of
H's eigenvectors by ``1 - lr * λ``; the steps shrink only when ``|1 - lr * λ| < 1``
for every eigenvalue, that is when ``lr < 2 / λmax``. Above it, each step overshoots
along the steepest direction (the eigenvector of λmax) by more than it corrects, and
the loss grows without bound. For a loss that is quadratic in its parameters (the
mean squared error of a line) H is the same everywhere and the limit is exact.

The Hessian is computed by autograd (:func:`torch.autograd.functional.hessian`),
for a handful of parameters only: it has one row per parameter element.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch

MAX_HESSIAN_SIZE = 16  # parameter elements: the Hessian has this many squared entries


@dataclass(frozen=True)
class StabilityLimit:
    """The largest eigenvalue of the loss's Hessian at some parameters, and what it allows.

    ``direction`` is the (unit) eigenvector of ``lambda_max`` over the flattened
    parameters: the direction of steepest curvature, along which steps too large
    overshoot first. ``limit`` is ``2 / lambda_max`` (``None`` when the curvature is not
    positive anywhere, or negative somewhere: ``lambda_min < 0`` is a saddle or a hilltop,
    where the loss curves down and gradient descent does not settle at any rate).
    """

    lambda_max: float
    direction: tuple[float, ...]
    names: tuple[str, ...]
    lambda_min: float = 0.0

    @property
    def limit(self) -> float | None:
        """The largest stable learning rate ``2 / λmax`` (``None`` without positive curvature)."""
        if not self.lambda_max > 0 or not math.isfinite(self.lambda_max) \
                or self.has_negative_curvature:
            return None
        return 2.0 / self.lambda_max

    @property
    def has_negative_curvature(self) -> bool:
        """True when the loss curves down along some direction (λmin < 0, beyond
        rounding): no learning rate makes gradient descent settle there."""
        return self.lambda_min < -1e-9 * max(abs(self.lambda_max), 1.0)

    def suggestion(self) -> float | None:
        """A learning rate safely below the limit (a rounded 80 % of it)."""
        limit = self.limit
        if limit is None:
            return None
        target = 0.8 * limit
        scale = 10 ** math.floor(math.log10(target))
        for step in (5, 2, 1):  # the largest "round" number not above 80 % of the limit
            if step * scale <= target:
                return step * scale
        return target  # pragma: no cover - step 1 always fits


def stability_limit(loss_of: Callable[[Mapping[str, torch.Tensor]], torch.Tensor],
                    leaves: Mapping[str, torch.Tensor],
                    names: Sequence[str]) -> StabilityLimit | None:
    """The Hessian's largest eigenvalue of ``loss_of`` in the parameters ``names`` at
    ``leaves``; ``None`` for too many parameter elements or a Hessian not finite."""
    params = [leaves[name].detach() for name in names]
    sizes = [p.numel() for p in params]
    if not params or sum(sizes) > MAX_HESSIAN_SIZE:
        return None
    fixed = {name: leaf.detach() for name, leaf in leaves.items() if name not in names}
    flat = torch.cat([p.reshape(-1) for p in params]).clone()

    def loss_at(vector: torch.Tensor) -> torch.Tensor:
        pieces = torch.split(vector, sizes)
        values = {name: piece.reshape(p.shape)
                  for name, piece, p in zip(names, pieces, params, strict=True)}
        return loss_of({**fixed, **values})

    hessian = torch.autograd.functional.hessian(loss_at, flat)
    hessian = hessian.reshape(flat.numel(), flat.numel())
    if not bool(torch.isfinite(hessian).all()):
        return None
    eigenvalues, eigenvectors = torch.linalg.eigh((hessian + hessian.T) / 2)
    direction = eigenvectors[:, -1]
    if float(direction[direction.abs().argmax()]) < 0:  # one sign, for a steady picture
        direction = -direction
    return StabilityLimit(float(eigenvalues[-1]), tuple(direction.tolist()), tuple(names),
                          float(eigenvalues[0]))
