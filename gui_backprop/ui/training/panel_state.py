"""What a session file keeps of the Train panel: its settings and the loss history.

Reads them from the panel for saving, checks a file's values before anything is
restored (so a bad one changes nothing), and puts them back: the settings into the
form, the losses into the loss plot, the path into the loss landscape (whose heat map
is computed again off the GUI thread).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.training import EPOCHS_RANGE, Trainer, TrainingRun, UpdateRule
from gui_backprop.core.training_data import DataSettings, LearnerPoints
from gui_backprop.core.training_landscape import Bounds, bounds_around
from gui_backprop.core.values import check_learning_rate, parse_learning_rate
from gui_backprop.ui.training.classifier_state import (
    check_classifier_settings,
    classifier_fits,
    classifier_settings,
    restore_classifier_settings,
)
from gui_backprop.ui.training.kept_run import LandscapeRedraw
from gui_backprop.ui.training.panel import TrainPanel
from gui_backprop.ui.training.settings_form import MAX_BATCH


def history_key(history) -> tuple[int, str]:
    """A short fingerprint of a loss history (NaNs equal to each other)."""
    values = np.asarray(history, dtype=float)
    nans = np.isnan(values)
    digest = hashlib.blake2b(np.where(nans, 0.0, values).tobytes() + nans.tobytes(),
                             digest_size=16).hexdigest()
    return len(values), digest


class TrainPanelState(QObject):
    """The Train panel as seen by session files and exports.

    ``changed`` fires when something a session file keeps may have changed (a setting,
    the loss history at the end of a run, or a new program that cleared it).
    """

    changed = Signal()

    def __init__(self, panel: TrainPanel, parent: QObject | None = None):
        super().__init__(parent or panel)
        self.panel = panel
        form = panel.form
        for signal in (form.epochs.valueChanged, form.learning_rate.textChanged,
                       form.rule.currentIndexChanged, form.data_changed,
                       panel.controls.log_scale.toggled, panel.training_active_changed,
                       panel.problem_changed, form.batch_size.valueChanged,
                       panel.learner_data.changed, panel.classifier.form.data_changed,
                       panel.classifier.form.network_changed):
            signal.connect(lambda *_args: self.changed.emit())
        self.landscape_redraw = LandscapeRedraw(self)
        self.landscape_redraw.ready.connect(self._show_landscape)
        for signal in (panel.training_active_changed, panel.problem_changed):
            signal.connect(lambda *_args: self.landscape_redraw.cancel())

    # -- reading --------

    def settings(self) -> dict:
        """The form's settings as plain values (a learning rate that is not a number is
        left out)."""
        form = self.panel.form
        training = {"epochs": form.epochs.value(), "update_rule": form.rule.currentData(),
                    "points": form.points.value(), "noise": form.noise.value(),
                    "seed": form.seed.value(), "synthetic": form.data_group.isChecked(),
                    "log_scale": self.panel.controls.log_scale.isChecked(),
                    "batch_size": form.batch_size.value()}
        with contextlib.suppress(ProgramError):
            training["learning_rate"] = parse_learning_rate(form.learning_rate.text())
        return training | classifier_settings(self.panel.classifier.form)

    def learner_points(self) -> LearnerPoints | None:
        """The learner's own points (imported or clicked), if any."""
        return self.panel.learner_data.points

    def run(self) -> TrainingRun | None:
        """What the last run trained and how far (``None`` before any run)."""
        return self.panel.last_run()

    def history(self) -> tuple[float, ...]:
        """The loss of every step so far (step 0 is the loss at the starting values)."""
        return tuple(float(v) for v in self.panel.loss_plot.losses())

    def landscape(self) -> tuple[tuple[tuple[float, float], ...], Bounds | None]:
        """The loss landscape's path as drawn and the bounds of the landscape shown
        (``()`` and ``None`` where there is none)."""
        plot = self.panel.landscape_plot
        if plot.isHidden():
            return (), None
        path = tuple((float(a), float(b)) for a, b in zip(*plot.path_data(), strict=True)
                     if math.isfinite(a) and math.isfinite(b))
        shown = plot.landscape
        return path, None if shown is None else tuple(float(v) for v in shown.bounds)

    def history_key(self) -> tuple[int, str]:
        """The fingerprint of :meth:`history` (without copying a long history)."""
        return history_key(self.panel.loss_plot.losses())

    def plots(self) -> list[QWidget]:
        """The plots the panel shows (the loss, and the fit and landscape where they apply)."""
        panel = self.panel
        plots = (panel.loss_plot, panel.data_plot, panel.landscape_plot,
                 *panel.classifier.plot_widgets())
        return [plot for plot in plots if not plot.isHidden() and plot.isVisibleTo(panel)]

    # -- restoring --------

    @staticmethod
    def check(training: dict) -> str | None:
        """Why a file's training settings cannot be used (None when they can)."""
        try:
            epochs = training.get("epochs", 1000)
            low, high = EPOCHS_RANGE
            if isinstance(epochs, bool) or not isinstance(epochs, int) \
                    or not low <= epochs <= high:
                raise ProgramError(f"the number of epochs must be a whole number from {low} "
                                   f"to {high:,}")
            if "learning_rate" in training:
                check_learning_rate(training["learning_rate"])
            rule = training.get("update_rule", UpdateRule.MANUAL.value)
            if rule not in {item.value for item in UpdateRule}:
                raise ProgramError(f"'{rule}' is not an update rule")
            DataSettings(training.get("points", 50), training.get("noise", 1.0),
                         training.get("seed", 0))
            batch = training.get("batch_size", 0)
            if isinstance(batch, bool) or not isinstance(batch, int) \
                    or not 0 <= batch <= MAX_BATCH:
                raise ProgramError(f"the batch size must be a whole number from 0 to "
                                   f"{MAX_BATCH:,}")
            for key in ("log_scale", "synthetic"):
                if not isinstance(training.get(key, False), bool):
                    raise ProgramError(f"{key} must be true or false")
            check_classifier_settings(training)
        except ProgramError as exc:
            return f"training settings: {exc.message}"
        return None

    def restore(self, training: dict, history: tuple[float, ...],
                learner_points: LearnerPoints | None = None,
                landscape_path: tuple[tuple[float, float], ...] = (),
                landscape_bounds: Bounds | None = None) -> None:
        """Put checked settings into the form, the losses into the loss plot, the
        learner's points into the Train tab and the path into the loss landscape, whose
        landscape follows (any training that runs is stopped first)."""
        panel = self.panel
        self.landscape_redraw.cancel()
        panel.shutdown()
        panel.kept_runs.clear()  # the file's work replaces the runs of this one
        form = panel.form
        form.epochs.setValue(training.get("epochs", form.epochs.value()))
        if panel.problem is not None:  # one learning rate: the walkthrough's
            form.set_defaults(panel.problem.learning_rate)
        elif "learning_rate" in training:
            form.set_defaults(training["learning_rate"])
        # files from before "synthetic" existed trained on synthetic points
        form.data_group.setChecked(bool(training.get("synthetic", "points" in training)))
        rule = form.rule.findData(training.get("update_rule", form.rule.currentData()))
        form.rule.setCurrentIndex(max(rule, 0))
        for box, key in ((form.points, "points"), (form.noise, "noise"), (form.seed, "seed")):
            if key in training:
                box.setValue(training[key])
        panel.controls.log_scale.setChecked(bool(training.get("log_scale", False)))
        form.batch_size.setValue(training.get("batch_size", 0))
        fits = panel.problem is not None and panel.problem.accepts_data \
            and learner_points is not None and learner_points.columns == 1
        if panel.classifier.active:
            restore_classifier_settings(panel.classifier.form, training)
            fits = learner_points is not None and classifier_fits(
                learner_points, panel.classifier.lesson.classifier.classes)
        panel.learner_data.restore(learner_points if fits else None)
        plot = panel.loss_plot
        plot.reset(max(len(history), form.epochs.value() + 1))
        if history:
            plot.append(0, np.array(history, dtype=float))
            last = history[-1]
            shown = "not a number" if math.isnan(last) else f"{last:.6g}"
            panel.message.setText(f"The loss history from the session: {len(history) - 1} "
                                  f"steps, the last loss {shown}.")
        plot.redraw()
        if history:  # a run was made: the line fitted by the values on screen, as after it
            panel.show_current_fit()
        if landscape_path:
            self._restore_landscape(landscape_path, landscape_bounds)
        self.changed.emit()

    def _restore_landscape(self, path: tuple[tuple[float, float], ...],
                           bounds: Bounds | None) -> None:
        """Draw the path and compute the landscape again (on a pool thread)."""
        panel = self.panel
        plot = panel.landscape_plot
        if plot.isHidden() or panel.problem is None:
            return  # not a two-parameter program (the file was edited by hand)
        for first, second in path:
            plot.add_point(first, second, exact=True)
        plot.redraw()
        bounds = bounds or bounds_around(path, margin=0.4, min_half_span=0.5)
        try:
            settings = panel.form.settings()
            if panel.learner_data.points is not None:
                settings = replace(settings, data=panel.learner_data.points)
            trainer = Trainer(panel.problem, settings)
        except ProgramError:
            return
        if bounds is not None:
            self.landscape_redraw.compute(trainer, bounds)

    def _show_landscape(self, landscape) -> None:
        plot = self.panel.landscape_plot
        plot.set_landscape(landscape)
        plot.redraw()
