"""Update rules and mini-batches for the training loop.

The rules: the tutorial's manual update ``w -= lr * w.grad`` under ``torch.no_grad()``
(the default), ``torch.optim.SGD`` without momentum (the same step), with momentum
(``MOMENTUM`` = 0.9, PyTorch's usual choice) and ``torch.optim.Adam`` (its defaults
but the learning rate). Mini-batches are the data's points in an order drawn each
epoch by a :class:`torch.Generator` seeded with the run's seed, so the same settings
give bit-identical parameters wherever they run (the window's worker, the CLI).
"""

from __future__ import annotations

from enum import StrEnum

import torch

MOMENTUM = 0.9


class UpdateRule(StrEnum):
    """How the parameters are updated after each backward pass."""

    MANUAL = "manual"
    SGD = "sgd"
    MOMENTUM = "momentum"
    ADAM = "adam"


def make_optimizer(rule: UpdateRule, parameters: list[torch.Tensor],
                   learning_rate: float) -> torch.optim.Optimizer | None:
    """The ``torch.optim`` optimizer of ``rule`` (``None`` for the manual update)."""
    if rule is UpdateRule.SGD:
        return torch.optim.SGD(parameters, lr=learning_rate)
    if rule is UpdateRule.MOMENTUM:
        return torch.optim.SGD(parameters, lr=learning_rate, momentum=MOMENTUM)
    if rule is UpdateRule.ADAM:
        return torch.optim.Adam(parameters, lr=learning_rate)
    return None


class MiniBatches:
    """The index tensors of one epoch's mini-batches of ``batch_size`` points.

    Every epoch draws a new order of the ``points`` (``torch.randperm`` with the seeded
    generator); the last batch holds what is left over.
    """

    def __init__(self, points: int, batch_size: int, seed: int):
        self.points = points
        self.batch_size = batch_size
        self._generator = torch.Generator().manual_seed(seed)

    @property
    def per_epoch(self) -> int:
        """How many batches an epoch has (the last may be smaller)."""
        return -(-self.points // self.batch_size)

    def epoch(self) -> list[torch.Tensor]:
        """The next epoch's batches."""
        order = torch.randperm(self.points, generator=self._generator)
        return list(torch.split(order, self.batch_size))
