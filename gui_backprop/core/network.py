"""A network's settings (hidden units, activation, seed) and what they make of a lesson:
its training program and seeded initial parameters.

The program is the lesson's ``[classifier]`` program with the activation's name
replaced in its text and parsed again (:func:`~.classifier_spec.program_with_leaves`);
the parameters are drawn as ``nn.Linear`` draws its weight and bias, uniformly from
±1/√fan_in, by a :class:`torch.Generator` seeded with the settings' seed, so the same
settings give bit-identical starting parameters in the window and on the command line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gui_backprop.core.classifier_spec import (
    ACTIVATIONS,
    HIDDEN_RANGE,
    ClassifierSpec,
    program_with_leaves,
)
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import DTYPE, plain
from gui_backprop.core.program import Program
from gui_backprop.core.training_data import SEED_RANGE
from gui_backprop.core.values import Value

DEFAULT_HIDDEN = 8
DEFAULT_ACTIVATION = "tanh"


@dataclass(frozen=True)
class NetworkSettings:
    """Hidden units (1–64), the hidden layer's activation (relu, tanh or sigmoid) and the
    seed of the initial parameters. ``None`` hidden units or activation: the lesson's
    own default (``[classifier] hidden_units``, ``activation``)."""

    hidden: int | None = DEFAULT_HIDDEN
    activation: str | None = DEFAULT_ACTIVATION
    seed: int = 0

    def __post_init__(self):
        low, high = HIDDEN_RANGE
        if self.hidden is not None and (isinstance(self.hidden, bool)
                                        or not isinstance(self.hidden, int)
                                        or not low <= self.hidden <= high):
            raise ProgramError(f"the number of hidden units must be a whole number from "
                               f"{low} to {high}")
        if self.activation is not None and self.activation not in ACTIVATIONS:
            raise ProgramError(f"the activation must be one of {', '.join(ACTIVATIONS)}, "
                               f"not '{str(self.activation)[:20]}'")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) \
                or not SEED_RANGE[0] <= self.seed <= SEED_RANGE[1]:
            raise ProgramError(f"the seed must be a whole number from {SEED_RANGE[0]} "
                               f"to {SEED_RANGE[1]}")

    @classmethod
    def lesson_default(cls, spec: ClassifierSpec, seed: int = 0) -> NetworkSettings:
        """The lesson's own defaults (what the Train tab starts with)."""
        return cls(spec.hidden_units, spec.activation or DEFAULT_ACTIVATION, seed)

    def hidden_for(self, spec: ClassifierSpec) -> int:
        """The hidden units to use for ``spec``."""
        return spec.hidden_units if self.hidden is None else self.hidden

    def activation_for(self, spec: ClassifierSpec) -> str | None:
        """The activation to use for ``spec`` (``None`` when it has none to choose)."""
        if spec.activation is None:
            return None
        return spec.activation if self.activation is None else self.activation


def training_program(spec: ClassifierSpec, settings: NetworkSettings) -> Program:
    """The lesson's batched training program with these settings' activation and width."""
    return program_with_leaves(spec, settings.hidden_for(spec), settings.activation_for(spec))


def initial_parameters(spec: ClassifierSpec, settings: NetworkSettings) -> dict[str, Value]:
    """Each parameter drawn uniformly from ±1/√fan_in (``nn.Linear``'s rule), in the
    declared order, from a generator seeded with ``settings.seed``."""
    generator = torch.Generator().manual_seed(settings.seed)
    hidden, classes = settings.hidden_for(spec), spec.classes
    values: dict[str, Value] = {}
    for name, shape in spec.parameters.items():
        bound = 1.0 / math.sqrt(shape.fan_in_size(hidden, classes))
        sizes = shape.sizes(hidden, classes)
        draw = torch.rand(sizes, generator=generator, dtype=DTYPE)
        values[name] = plain(bound * (2.0 * draw - 1.0))
    return values
