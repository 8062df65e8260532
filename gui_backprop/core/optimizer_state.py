"""An update rule's state per parameter, read from the optimizer's own ``state``.

``torch.optim.SGD`` with momentum keeps a ``momentum_buffer`` per parameter;
``torch.optim.Adam`` keeps ``step``, the first moment ``exp_avg`` and the second moment
``exp_avg_sq``; the manual update ``w -= lr * w.grad`` keeps nothing. The numbers here
are copies of those tensors (never recomputed by hand), with each parameter's value and
gradient at the same moment, so that the Train tab can show them before and after one
step. The formulas of :func:`update_formulas` are labels; the tests check them against
these numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import torch

from gui_backprop.core.formatting import format_number
from gui_backprop.core.forward import plain
from gui_backprop.core.training_optimizers import MOMENTUM, UpdateRule
from gui_backprop.core.values import Value

RULE_NAMES = {
    UpdateRule.MANUAL: "the manual update",
    UpdateRule.SGD: "torch.optim.SGD",
    UpdateRule.MOMENTUM: f"torch.optim.SGD(momentum={MOMENTUM})",
    UpdateRule.ADAM: "torch.optim.Adam",
}
"""How the screen names each update rule."""

STATE_LABELS = {
    "step": "step t",
    "momentum_buffer": "momentum_buffer b",
    "exp_avg": "exp_avg m",
    "exp_avg_sq": "exp_avg_sq v",
}
"""The optimizer's own key of each state, with the letter the formulas use for it."""


@dataclass(frozen=True)
class ParameterState:
    """One parameter at one moment: its value, its ``.grad`` and its optimizer state
    (the optimizer's keys, in its order; empty before the first step or without one)."""

    name: str
    value: Value
    grad: Value | None
    state: Mapping[str, Value]


@dataclass(frozen=True)
class OptimizerState:
    """Every parameter's state under ``rule``, and the rule's settings (``lr``, and
    ``betas``/``eps`` or ``momentum`` as the optimizer's ``param_groups`` hold them)."""

    rule: UpdateRule
    settings: Mapping[str, object]
    parameters: tuple[ParameterState, ...]

    def parameter(self, name: str) -> ParameterState:
        """The state of parameter ``name``."""
        return next(p for p in self.parameters if p.name == name)


@dataclass(frozen=True)
class OptimizerStep:
    """The states before and after one press of the step button: epoch ``step`` - 1 to
    ``step``, made of ``updates`` updates (one with the full batch)."""

    before: OptimizerState
    after: OptimizerState
    step: int
    updates: int = 1


def read_optimizer_state(rule: UpdateRule, optimizer: torch.optim.Optimizer | None,
                         names: tuple[str, ...], params: list[torch.Tensor],
                         learning_rate: float) -> OptimizerState:
    """Copy what ``optimizer.state`` holds for each parameter now (call it while the
    parameters are not being updated: between two runs of a trainer)."""
    settings: dict[str, object] = {"lr": learning_rate}
    if optimizer is not None:
        group = optimizer.param_groups[0]
        settings["lr"] = float(group["lr"])
        for key in ("momentum", "dampening", "nesterov", "betas", "eps", "weight_decay"):
            if key in group:
                settings[key] = group[key]
    rows = []
    for name, param in zip(names, params, strict=True):
        held = optimizer.state.get(param, {}) if optimizer is not None else {}
        state = {key: plain(value) if isinstance(value, torch.Tensor) else float(value)
                 for key, value in held.items() if value is not None}
        rows.append(ParameterState(name, plain(param), plain(param.grad),
                                   MappingProxyType(state)))
    return OptimizerState(UpdateRule(rule), MappingProxyType(settings), tuple(rows))


def updates_per_epoch(points: int | None, batch_size: int | None) -> int:
    """How many updates one epoch makes: one with the full batch, else one per batch."""
    if points is None or batch_size is None or batch_size >= points:
        return 1
    return math.ceil(points / batch_size)


def _number(value) -> str:
    return format_number(float(value), 6)


def update_formulas(state: OptimizerState) -> tuple[str, ...]:
    """The update rule of ``state`` as formulas, one line each, with its own numbers
    (w a parameter, g its gradient). A label: the tests check it against the state."""
    settings, rule = state.settings, state.rule
    rate = _number(settings["lr"])
    if rule is UpdateRule.MANUAL:
        return ("No optimizer state: the update is w − lr·grad,",
                f"w ← w − {rate}·g (then g is zeroed)")
    if rule is UpdateRule.SGD:
        return ("No state without momentum:", f"w ← w − {rate}·g")
    if rule is UpdateRule.MOMENTUM:
        momentum = _number(settings["momentum"])
        damped = 1 - float(settings.get("dampening", 0.0))
        gradient = "g" if damped == 1 else f"{_number(damped)}·g"
        return (f"b = {momentum}·b + {gradient} (the first step: b = g)",
                f"w ← w − {rate}·b")
    beta1, beta2 = (float(b) for b in settings["betas"])
    return ("t = t + 1",
            f"m = {_number(beta1)}·m + {_number(1 - beta1)}·g",
            f"v = {_number(beta2)}·v + {_number(1 - beta2)}·g²",
            # m′, v′: the bias-corrected moments (a combining hat, m̂, was drawn a line
            # too high by common fonts, so the rule read wrong)
            f"m′ = m/(1 − {_number(beta1)}^t),  v′ = v/(1 − {_number(beta2)}^t)",
            f"w ← w − {rate}·m′/(√v′ + {_number(settings['eps'])})")
