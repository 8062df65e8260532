"""The training loop: forward, backward, update, zero the gradients, repeat.

:class:`Trainer` runs the tutorial's loop on a program's parameters, either with the
manual update ``w -= lr * w.grad`` inside ``torch.no_grad()`` followed by
``w.grad.zero_()``, or with a ``torch.optim`` optimizer (SGD, with momentum, Adam), on
all the points at once or in seeded mini-batches (:mod:`.training_optimizers`).
:meth:`Trainer.run` is a generator: it trains at full speed and yields an immutable
:class:`TrainingSnapshot` at most once per ``snapshot_interval`` (time-based), and
always a final one. Tensors are
copied only when a snapshot is made, never on every step. It never touches Qt: the
UI runs it on a worker thread, a test runs it directly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import torch

from gui_backprop.core.classifier import accuracy, classifier_setup, labelled_arrays
from gui_backprop.core.classifier_spec import ClassifierSpec
from gui_backprop.core.datasets import ClassificationData
from gui_backprop.core.decision_boundary import BoundaryGrid, DecisionBoundary
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.forward import make_leaf, plain
from gui_backprop.core.graph import Trace
from gui_backprop.core.network import NetworkSettings
from gui_backprop.core.program import Program
from gui_backprop.core.tracer import resolve_parameters, resolve_values
from gui_backprop.core.tracer import trace_program as _validate_by_tracing
from gui_backprop.core.training_data import (
    SEED_RANGE,
    DataSettings,
    LearnerPoints,
    RegressionRoles,
    find_regression_roles,
    synthetic_points,
)
from gui_backprop.core.training_divergence import (
    GROWTH_FACTOR,
    RISING_STEPS,
    divergence_message,
)
from gui_backprop.core.training_landscape import LossLandscape, compute_landscape
from gui_backprop.core.training_optimizers import MiniBatches, UpdateRule, make_optimizer
from gui_backprop.core.training_program import CompiledProgram
from gui_backprop.core.training_stability import StabilityLimit, stability_limit
from gui_backprop.core.values import Value, check_learning_rate

EPOCHS_RANGE = (1, 1_000_000)
SNAPSHOTS_PER_SECOND = 60
BOUNDARIES_PER_SECOND = 10  # the decision boundary: a forward pass over a grid each
CURVE_POINTS = 200


class TrainingStatus(StrEnum):
    """Where a training run is; the last four end a :meth:`Trainer.run`."""

    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    DIVERGED = "diverged"


FINAL_STATUSES = frozenset({TrainingStatus.FINISHED, TrainingStatus.STOPPED,
                            TrainingStatus.DIVERGED})


@dataclass(frozen=True)
class TrainingSettings:
    """Epochs, learning rate, update rule, data, batch size and the seed of the batches.

    An epoch is one step over all the points: one update with the full batch (the
    default, ``batch_size`` ``None``), else one update per mini-batch. ``data`` is
    synthetic points, the learner's own points, or ``None`` for the program's values.
    """

    epochs: int = 1000
    learning_rate: float = 0.05
    update_rule: UpdateRule = UpdateRule.MANUAL
    data: DataSettings | LearnerPoints | None = None
    snapshot_interval: float = 1.0 / SNAPSHOTS_PER_SECOND
    batch_size: int | None = None
    seed: int = 0

    def __post_init__(self):
        low, high = EPOCHS_RANGE
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) \
                or not low <= self.epochs <= high:
            raise ProgramError(f"the number of epochs must be a whole number from {low} "
                               f"to {high:,}")
        object.__setattr__(self, "learning_rate", check_learning_rate(self.learning_rate))
        object.__setattr__(self, "update_rule", UpdateRule(self.update_rule))
        if self.batch_size is not None and (
                isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int)
                or self.batch_size < 1):
            raise ProgramError("the batch size must be a whole number of at least 1")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) \
                or not SEED_RANGE[0] <= self.seed <= SEED_RANGE[1]:
            raise ProgramError(f"the seed must be a whole number from {SEED_RANGE[0]} "
                               f"to {SEED_RANGE[1]}")


@dataclass(frozen=True)
class TrainingProblem:
    """What to train: a program, its parameters, its leaf values and its output."""

    program: Program
    parameters: tuple[str, ...]
    values: Mapping[str, Value]
    output: str
    learning_rate: float = 0.05
    roles: RegressionRoles | None = None
    classifier: ClassifierSpec | None = None
    network: NetworkSettings | None = None

    @classmethod
    def create(cls, program: Program, parameters=None, values=None, output=None,
               learning_rate: float = 0.05) -> TrainingProblem:
        """Validate (by tracing once) and build a problem; raise :class:`ProgramError`."""
        leaf_values = resolve_values(program, values)
        params = resolve_parameters(program, parameters)
        output_name = output or program.output
        _validate_by_tracing(program, leaf_values, params, 0.01, output_name)
        roles = find_regression_roles(CompiledProgram(program), params, output_name)
        return cls(program, params, MappingProxyType(dict(leaf_values)), output_name,
                   float(learning_rate), roles)

    @classmethod
    def from_trace(cls, trace: Trace) -> TrainingProblem:
        """The problem of a program that was just traced with these settings: a trace
        that succeeded validates it, so this traces nothing again."""
        roles = find_regression_roles(CompiledProgram(trace.program), trace.parameters,
                                      trace.output_name)
        return cls(trace.program, trace.parameters, MappingProxyType(dict(trace.values)),
                   trace.output_name, float(trace.learning_rate), roles)

    @classmethod
    def from_lesson(cls, lesson, values=None) -> TrainingProblem:
        """The problem of a :class:`~gui_backprop.core.lessons.Lesson` (values override)."""
        return cls.create(lesson.program, lesson.parameters, values, lesson.output,
                          lesson.learning_rate)

    @classmethod
    def for_classifier(cls, lesson, network: NetworkSettings | None,
                       data: ClassificationData | LearnerPoints) -> TrainingProblem:
        """A lesson's ``[classifier]`` training program on 2-D points with labels.

        ``network`` chooses the hidden units, activation and the seed of the initial
        parameters (``None``: the lesson's defaults, seed 0); ``data`` is generated
        (:mod:`.datasets`) or the learner's own (two input columns, whole-number labels).
        Raises :class:`ProgramError` (one message) for data the lesson cannot classify,
        such as more classes than it has.
        """
        setup = classifier_setup(lesson, network, data)
        return cls(setup.program, setup.parameters, MappingProxyType(setup.values),
                   setup.spec.loss, setup.learning_rate, None, setup.spec, setup.network)

    @property
    def accepts_data(self) -> bool:
        """True when the input and target are vectors that synthetic points can replace."""
        roles = self.roles
        return roles is not None and isinstance(self.values[roles.input], tuple) \
            and isinstance(self.values[roles.target], tuple)

    def values_for(self, data: DataSettings | LearnerPoints | None) -> dict[str, Value]:
        """The leaf values to train on: the learner's points, or synthetic points, when
        ``data`` is given and fits."""
        values = dict(self.values)
        if isinstance(data, LearnerPoints):
            if not self.accepts_data or data.columns != 1:
                raise ProgramError("this program cannot train on the learner's points: it "
                                   "needs an input x and a target of one value per point")
            values[self.roles.input], values[self.roles.target] = data.inputs, data.targets
        elif isinstance(data, DataSettings) and self.accepts_data:
            # spread like the program's own data, not like what a run left in the values
            # (else each run's points would drift from the last, at the same seed)
            roles, own = self.roles, self.program.leaves
            values[roles.input], values[roles.target] = synthetic_points(
                own.get(roles.input, values[roles.input]),
                own.get(roles.target, values[roles.target]), data)
        return values


@dataclass(frozen=True)
class TrainingRun:
    """What a run trained: the program from ``values`` (its data included) with
    ``settings``, and how many steps it took (``steps``: the epoch it ended or paused at)."""

    program: Program
    values: Mapping[str, Value]
    parameters: tuple[str, ...]
    output: str
    settings: TrainingSettings
    steps: int


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class TrainingSnapshot:
    """The state after ``step`` updates: parameters, the loss at them and its gradients.

    ``losses`` holds the loss of steps ``first_loss_step, first_loss_step + 1, ...``
    that no earlier snapshot of the run carried (so a plot can append them).
    ``curve_x``/``curve_y`` are the prediction over the data's range (regressions only).
    For a classifier, ``accuracy`` is the fraction of the training points classified
    right at these parameters, and ``boundary`` the class probabilities over a grid
    (computed at most :data:`BOUNDARIES_PER_SECOND` times a second, and always in the
    snapshot that ends a run; else ``None``). With mini-batches, ``batch_losses`` holds
    the loss of each batch (before its update) numbered ``first_batch, first_batch + 1,
    ...`` that no earlier snapshot carried; batch ``k`` is in epoch
    ``k // batches_per_epoch + 1``. Without mini-batches it is ``None``.
    """

    step: int
    epochs: int
    loss: float
    parameters: Mapping[str, Value]
    gradients: Mapping[str, Value | None]
    losses: np.ndarray
    first_loss_step: int
    steps_per_second: float
    status: TrainingStatus = TrainingStatus.RUNNING
    message: str = ""
    curve_x: np.ndarray | None = field(default=None, repr=False)
    curve_y: np.ndarray | None = field(default=None, repr=False)
    stability: StabilityLimit | None = field(default=None, repr=False)
    accuracy: float | None = None
    boundary: DecisionBoundary | None = field(default=None, repr=False)
    batch_losses: np.ndarray | None = field(default=None, repr=False)
    first_batch: int = 0
    batches_per_epoch: int = 0

    @property
    def is_final(self) -> bool:
        """True for the last snapshot of a training run (finished, stopped or diverged)."""
        return self.status in FINAL_STATUSES


class Trainer:
    """Trains one problem; keeps its state between :meth:`run` calls (pause, step)."""

    def __init__(self, problem: TrainingProblem, settings: TrainingSettings,
                 clock=time.perf_counter):
        self.problem = problem
        self.settings = settings
        self._clock = clock
        self.values = problem.values_for(settings.data)
        self._leaves = {name: make_leaf(value, name in problem.parameters)
                        for name, value in self.values.items()}
        self._params = [self._leaves[name] for name in problem.parameters]
        compiled = CompiledProgram(problem.program)
        self._loss_of = compiled.function_of(problem.output)
        self._prediction_of = (compiled.function_of(problem.roles.prediction)
                               if problem.roles else None)
        self._curve_x = self._curve_grid()
        spec = problem.classifier
        self._labelled = labelled_arrays(spec, self.values) if spec else None
        self._scores_of = compiled.function_of(spec.scores) if spec else None
        self._grid = BoundaryGrid(self._labelled[0]) if spec else None
        self._next_boundary = -math.inf
        self._batch_losses: list[float] = []
        self._batches_sent = 0
        self._optimizer = make_optimizer(settings.update_rule, self._params,
                                         settings.learning_rate)
        self._batches = self._mini_batches()
        self._losses = np.zeros(settings.epochs + 1)
        self._sent = 0
        self.step = 0
        self.status = TrainingStatus.PAUSED
        self._started = False
        self._last: TrainingSnapshot | None = None
        self._pause_requested = False
        self._stop_requested = False
        self.stability: StabilityLimit | None = None
        # The parameters before the latest update, so that a diverged run keeps its last
        # finite step exactly (no update undone by arithmetic; its gradients recomputed).
        self._kept = [torch.zeros_like(p) for p in self._params]

    # control (safe to call from another thread: each sets one attribute)
    def request_pause(self) -> None:
        """Make the running :meth:`run` end after the current step, as paused."""
        self._pause_requested = True

    def request_stop(self) -> None:
        """Make the running (or next) :meth:`run` end after the current step, as stopped."""
        self._stop_requested = True

    @property
    def dataset(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The (input, target) points trained on, for a regression; else ``None``."""
        roles = self.problem.roles
        if roles is None:
            return None
        x = np.atleast_1d(np.array(self.values[roles.input], dtype=float))
        y = np.atleast_1d(np.array(self.values[roles.target], dtype=float))
        return _readonly(x), _readonly(y)

    @property
    def labelled_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """A classifier's training points: inputs (N×2, float) and labels (N, int),
        read-only; ``None`` for a program that does not classify points."""
        return self._labelled

    @property
    def stop_requested(self) -> bool:
        """True once :meth:`request_stop` was called."""
        return self._stop_requested

    def landscape(self, bounds, resolution: int = 100) -> LossLandscape | None:
        """The loss over a grid of the two parameters.

        ``None`` unless there are exactly two scalar parameters, or when a stop is
        requested while it is computed.
        """
        if len(self._params) != 2 or any(p.dim() != 0 for p in self._params):
            return None
        return compute_landscape(self._loss_of, self._leaves, self.problem.parameters,
                                 bounds, resolution, cancelled=lambda: self._stop_requested)

    def run(self, until: int | None = None) -> Iterator[TrainingSnapshot]:
        """Train up to step ``until`` (default: all epochs), yielding snapshots.

        The last snapshot yielded has status PAUSED (a pause was requested or ``until``
        was reached), FINISHED, STOPPED or DIVERGED. A finished run yields nothing more.
        """
        if self.status in FINAL_STATUSES:
            return
        epochs = self.settings.epochs
        target = epochs if until is None else max(self.step, min(until, epochs))
        self.status = TrainingStatus.RUNNING
        clock = self._clock
        interval = self.settings.snapshot_interval
        self._run_start = (clock(), self.step)
        if not self._started:
            self._started = True
            loss = self._loss_of(self._leaves)
            value = loss.item()
            if not math.isfinite(value):
                yield self._diverged(value, loss_snapshot=True)
                return
            self._losses[0] = value
            self.stability = self._stability()
            self._lowest = value
            self._rising = 0
            loss.backward()
            yield self._snapshot()
        next_emit = clock() + interval
        losses, loss_of, leaves = self._losses, self._loss_of, self._leaves
        update = self._update if self._batches is None else self._batched_epoch
        step = self.step  # a local in the hot loop; self.step follows at every yield
        lowest, rising, falling = self._lowest, self._rising, 0
        scale = GROWTH_FACTOR * max(abs(losses[0]), 1e-12)
        while step < target and not (self._stop_requested or self._pause_requested):
            update()
            step += 1
            loss = loss_of(leaves)
            value = loss.item()
            if not math.isfinite(value):
                self.step = step
                yield self._diverged(value)
                return
            losses[step] = value
            loss.backward()
            rising = rising + 1 if value > losses[step - 1] else 0
            if value < lowest:
                lowest = value
                falling = falling + 1 if value < losses[step - 1] else 0
                if falling >= RISING_STEPS and losses[0] - value > scale:
                    self.step = step  # the output has no minimum: it falls for ever
                    yield self._diverged(value)
                    return
            elif rising >= RISING_STEPS and value - lowest > scale:
                self.step = step
                yield self._diverged(value)
                return
            now = clock()
            if now >= next_emit:
                next_emit = now + interval
                self.step = step
                yield self._snapshot()
        self.step = step
        self._lowest, self._rising = lowest, rising
        if self._stop_requested:
            self.status = TrainingStatus.STOPPED
        elif self.step >= epochs:
            self.status = TrainingStatus.FINISHED
        else:
            self.status = TrainingStatus.PAUSED
            self._pause_requested = False  # this pause is done; a new request pauses again
        yield self._snapshot()

    def _mini_batches(self) -> MiniBatches | None:
        """The epoch's batches when the batch size is smaller than the data, else ``None``."""
        size = self.settings.batch_size
        if size is None:
            return None
        names = self._data_names()
        if names is None:
            raise ProgramError("mini-batches need a program with data: an input x and a "
                               "target of one value per point")
        points = len(self.values[names[1]])
        if len(self.values[names[0]]) != points:
            raise ProgramError(f"mini-batches need as many values of {names[0]} as of "
                               f"{names[1]}")
        return MiniBatches(points, size, self.settings.seed) if size < points else None

    def _data_names(self) -> tuple[str, str] | None:
        """The names of the input and the target (or labels) that batches split."""
        spec, roles = self.problem.classifier, self.problem.roles
        if spec is not None:
            return spec.input, spec.labels
        return (roles.input, roles.target) if self.problem.accepts_data else None

    def _batched_epoch(self) -> None:
        """One epoch of mini-batches: a forward, backward and update on each batch.

        The state before the epoch is kept (a diverged run goes back a whole epoch, to
        a state whose full-data loss is known); the loop then computes the full-data
        loss and its gradients, as after a full-batch update.
        """
        with torch.no_grad():
            for kept, param in zip(self._kept, self._params, strict=True):
                kept.copy_(param)
        (input_name, target_name), leaves = self._data_names(), self._leaves
        params, batch_losses = self._params, self._batch_losses
        inputs, targets = leaves[input_name], leaves[target_name]
        batch = dict(leaves)
        for indices in self._batches.epoch():
            for param in params:
                if param.grad is not None:
                    param.grad.zero_()
            batch[input_name], batch[target_name] = inputs[indices], targets[indices]
            loss = self._loss_of(batch)
            batch_losses.append(loss.item())
            loss.backward()
            self._update(keep=False)

    def _update(self, keep: bool = True) -> None:
        # The hot loop's update: one no_grad block, no per-call lookups beyond the
        # parameters' own (a tiny model spends as long in Python here as in torch).
        params, rate = self._params, self.settings.learning_rate
        with torch.no_grad():
            if keep:  # the state before this update, kept exactly for a diverging run
                for kept, param in zip(self._kept, params):  # noqa: B905 (same length)
                    kept.copy_(param)
            if self._optimizer is None:
                for param in params:
                    grad = param.grad
                    if grad is not None:
                        param -= rate * grad
                        grad.zero_()
                return
        self._optimizer.step()
        self._optimizer.zero_grad()

    def _loss_chunk(self, end: int) -> tuple[np.ndarray, int]:
        first = self._sent
        chunk = _readonly(self._losses[first:end].copy())
        self._sent = max(first, end)
        return chunk, first

    def _snapshot(self) -> TrainingSnapshot:
        chunk, first = self._loss_chunk(self.step + 1)
        start_time, start_step = self._run_start
        elapsed = self._clock() - start_time
        rate = (self.step - start_step) / elapsed if elapsed > 0 else 0.0
        params = {name: plain(leaf) for name, leaf in zip(self.problem.parameters, self._params,
                                                          strict=True)}
        grads = {name: plain(leaf.grad) for name, leaf in zip(self.problem.parameters,
                                                              self._params, strict=True)}
        curve_y = self._curve()
        batches, first_batch = self._batch_chunk()
        self._last = TrainingSnapshot(
            self.step, self.settings.epochs, float(self._losses[self.step]),
            MappingProxyType(params), MappingProxyType(grads), chunk, first, rate,
            self.status, "", self._curve_x if curve_y is not None else None, curve_y,
            self.stability, self._accuracy(), self._boundary(), batches, first_batch,
            self._batches.per_epoch if self._batches is not None else 0)
        return self._last

    def _batch_chunk(self) -> tuple[np.ndarray | None, int]:
        if self._batches is None:
            return None, 0
        first = self._batches_sent
        chunk = _readonly(np.array(self._batch_losses, dtype=float))
        self._batch_losses.clear()
        self._batches_sent += len(chunk)
        return chunk, first

    def _accuracy(self) -> float | None:
        spec = self.problem.classifier
        if spec is None:
            return None
        with torch.no_grad():
            scores = self._scores_of(self._leaves)
        return accuracy(scores, self._leaves[spec.labels], spec.output)

    def _boundary(self) -> DecisionBoundary | None:
        """The boundary when one is due: at most 10 a second, and when a run ends."""
        if self._grid is None:
            return None
        now = self._clock()
        if self.status is TrainingStatus.RUNNING and now < self._next_boundary:
            return None
        self._next_boundary = now + 1.0 / BOUNDARIES_PER_SECOND
        spec = self.problem.classifier
        return self._grid.evaluate(self._scores_of, self._leaves, spec.input, spec.output)

    def _stability(self) -> StabilityLimit | None:
        """The Hessian's stability limit at the current parameters (see
        :mod:`~gui_backprop.core.training_stability`)."""
        try:
            return stability_limit(self._loss_of, self._leaves, self.problem.parameters)
        except (RuntimeError, ValueError, NotImplementedError):
            return None  # such as an operation without a second derivative: no limit to give

    def _diverged(self, value: float, loss_snapshot: bool = False) -> TrainingSnapshot:
        """The final snapshot of a diverged run: its last finite step, exactly, and why."""
        self.status = TrainingStatus.DIVERGED
        rate = self.settings.learning_rate
        if loss_snapshot:  # not even the starting values are good
            self._sent = 1
            self._losses[0] = math.nan
            message = divergence_message(0, value, rate)
            return replace(self._snapshot(), loss=value, message=message)
        failed_at = self.step
        if not math.isfinite(value):  # back to the state before the last update
            with torch.no_grad():
                for kept, param in zip(self._kept, self._params, strict=True):
                    param.copy_(kept)
                    param.grad = None
            self._loss_of(self._leaves).backward()  # the same calls: the same gradients
            self.step -= 1
        kept_loss = float(self._losses[self.step])
        stability = self._stability() or self.stability
        message = divergence_message(failed_at, value, rate, stability, self.step, kept_loss)
        return replace(self._snapshot(), message=message)

    def _curve_grid(self) -> np.ndarray | None:
        dataset = self.dataset
        if dataset is None:
            return None
        x = dataset[0]
        low, high = float(x.min()), float(x.max())
        margin = (high - low) * 0.05 if high > low else 1.0
        return _readonly(np.linspace(low - margin, high + margin, CURVE_POINTS))

    def _curve(self) -> np.ndarray | None:
        if self._prediction_of is None or self._curve_x is None:
            return None
        leaves = dict(self._leaves)
        leaves[self.problem.roles.input] = torch.from_numpy(self._curve_x.copy())
        with torch.no_grad():
            predicted = self._prediction_of(leaves)
        if predicted.dim() == 0:
            predicted = predicted.expand(CURVE_POINTS)
        if predicted.shape != (CURVE_POINTS,):
            return None
        return _readonly(predicted.detach().numpy().astype(float, copy=True))
