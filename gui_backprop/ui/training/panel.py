"""The Train panel: trains the open program on a worker thread and shows it live.

Training runs on a worker thread (:class:`~gui_backprop.ui.training.controller.
TrainingController`); the panel stores each snapshot it receives and redraws the
plots from a timer, so the GUI thread never draws once per training step.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QWidget,
)

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.training import (
    Trainer,
    TrainingProblem,
    TrainingRun,
    TrainingSettings,
    TrainingSnapshot,
    TrainingStatus,
)
from gui_backprop.core.training_data import LearnerPoints
from gui_backprop.ui.training.classifier_view import ClassifierView
from gui_backprop.ui.training.controller import TrainingController, TrainingState
from gui_backprop.ui.training.controls import TrainControls
from gui_backprop.ui.training.kept_run import KeptRun, KeptRuns
from gui_backprop.ui.training.learner_data import LearnerData
from gui_backprop.ui.training.optimizer_state_view import OptimizerStateView
from gui_backprop.ui.training.plots.data_plot import DataPlot
from gui_backprop.ui.training.plots.landscape_plot import LandscapePlot
from gui_backprop.ui.training.plots.live_plot import FramePacer
from gui_backprop.ui.training.plots.loss_plot import LossPlot

NARROW_PLOTS = 620  # below this width the data plot and the landscape stack up
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
CRAMPED_PLOTS = 320  # plots narrower than this beside the controls go under them
CONTROLS_SHARE_CRAMPED = 0.3  # of the height, for the controls above the plots
SIDE_BY_SIDE_CRAMPED = 380  # under the controls, the lower plots side by side from here
NO_LESSON = "Open a lesson to train its program."
NO_ZERO_GRAD = ("This lesson's loop leaves out zero_grad, and so does its training here: "
                "each backward() adds to .grad, so every update uses the sum of all the "
                "gradients so far. Watch the loss swing instead of settling.")
ACCUMULATING = "no zero_grad: the gradients accumulate"


class TrainPanel(QWidget):
    """Trains the current program and shows the loss, the fit and the loss landscape.

    ``parameters_trained(dict)`` fires when a run ends (finished, stopped or diverged)
    with the parameters of its last snapshot; ``settled`` when a run pauses or ends
    (its result, :meth:`latest_values`, is ready to be shown); ``starting`` just before
    a run starts (whoever shows a result goes back to the starting values, and the
    learning rate typed here is committed); ``learning_rate_entered(str)`` when the
    learner has typed a learning rate; ``back_requested`` when the learner asks for the
    starting values again; ``problem_changed`` when it trains something else from now
    on (the plots and the loss history were cleared).
    """

    status_text_changed = Signal(str)
    parameters_trained = Signal(dict)
    settled = Signal()
    starting = Signal()
    learning_rate_entered = Signal(str)
    back_requested = Signal()
    training_active_changed = Signal(bool)
    problem_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainPanel")
        self.setAccessibleName("Train")
        self.problem: TrainingProblem | None = None
        self._source_key: tuple | None = None
        self._latest: TrainingSnapshot | None = None
        self._shown: TrainingSnapshot | None = None
        self._plots_sized = False
        self._keep_view = False
        self._run_values: dict = {}
        self._run_settings: TrainingSettings | None = None
        self.controller = TrainingController(self)
        self.learner_data = LearnerData(self)
        self.kept_runs = KeptRuns()
        self.controls = c = TrainControls()
        self.form = c.form
        self.start_button, self.stop_button = c.start_button, c.stop_button
        self.pause_button, self.resume_button = c.pause_button, c.resume_button
        self.step_button, self.back_button = c.step_button, c.back_button
        self.log_scale, self.message, self.progress_label = c.log_scale, c.message, \
            c.progress_label
        self.loss_plot = LossPlot()
        self.data_plot = DataPlot()
        self.landscape_plot = LandscapePlot()
        # A classifier lesson's plane, accuracy and settings (shown instead of the above)
        self.classifier = ClassifierView(self.learner_data, self)
        self.classifier.plots.hide()
        self.classifier.form.hide()
        c.layout().insertWidget(1, self.classifier.form)
        self._lower = QSplitter(Qt.Orientation.Horizontal)
        self._lower.addWidget(self.data_plot)
        self._lower.addWidget(self.landscape_plot)
        self.optimizer_view = OptimizerStateView()  # shown after the step button
        self._plots = plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.optimizer_view)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self._lower)
        plots.setStretchFactor(1, 2)
        plots.setStretchFactor(2, 3)
        scroller = QScrollArea()  # a small window scrolls the controls, not the window
        scroller.setWidget(self.controls)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setObjectName("trainControlsScroller")
        scroller.setMinimumWidth(120)  # the window's own minimum size must not grow
        scroller.setMaximumWidth(self.controls.maximumWidth() + 16)
        self._scroller = scroller
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroller)
        layout.addWidget(plots, 1)
        layout.addWidget(self.classifier.plots, 1)
        # a frame per snapshot, at most FRAMES_PER_SECOND; none while the tab is hidden
        self.frames = FramePacer(self._refresh, self, hidden_draw=self._show_progress)
        self._connect()
        self.set_problem(None, NO_LESSON)

    def _connect(self) -> None:
        c = self.controls
        for button, slot in ((c.start_button, self.start), (c.stop_button, self.stop),
                             (c.pause_button, self.controller.pause),
                             (c.resume_button, self.controller.resume),
                             (c.step_button, self.step_epoch),
                             (c.back_button, self.back_requested.emit)):
            button.clicked.connect(slot)
        self.form.learning_rate.editingFinished.connect(
            lambda: self.learning_rate_entered.emit(self.form.learning_rate.text()))
        c.log_scale.toggled.connect(self.loss_plot.set_log_scale)
        self.loss_plot.set_log_scale(c.log_scale.isChecked())
        self.form.data_changed.connect(self._show_data_preview)
        self.learner_data.changed.connect(self._learner_points_changed)
        self.form.forget_button.clicked.connect(
            lambda: self.learner_data.set_points(None, "", "Use the lesson's points"))
        plot = self.data_plot
        plot.point_added.connect(self._add_point)
        plot.point_removed.connect(self._remove_point)
        plot.undo_requested.connect(self.learner_data.undo_stack.undo)
        plot.redo_requested.connect(self.learner_data.undo_stack.redo)
        self.controller.snapshot_received.connect(self._on_snapshot)
        self.controller.landscape_received.connect(self.landscape_plot.set_landscape)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.state_changed.connect(self._update_buttons)
        self.controller.optimizer_step_received.connect(self.optimizer_view.show_step)
        self.controller.resumed.connect(self.optimizer_view.clear)
        self.classifier.message.connect(self.message.setText)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Stack the data plot and the landscape when there is no room side by side."""
        super().resizeEvent(event)
        self._arrange_plots(event.size().width(), event.size().height())

    def _arrange_plots(self, width: int, height: int, again: bool = False) -> None:
        """Orient the lower plots for ``width``; share the height out when the
        orientation changes, the first time, or ``again`` (the learner's sizes stay
        otherwise)."""
        beside = self.controls.sizeHint().width() + 16
        cramped = width - beside < CRAMPED_PLOTS  # a small window: controls above plots
        self._layout.setDirection(QBoxLayout.Direction.TopToBottom if cramped
                                  else QBoxLayout.Direction.LeftToRight)
        self._scroller.setMaximumWidth(QWIDGETSIZE_MAX if cramped else beside)
        self._scroller.setMaximumHeight(int(height * CONTROLS_SHARE_CRAMPED) if cramped
                                        else QWIDGETSIZE_MAX)
        narrow = width < SIDE_BY_SIDE_CRAMPED if cramped \
            else width - self.controls.width() < NARROW_PLOTS
        orientation = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if orientation != self._lower.orientation() or not self._plots_sized or again:
            self._plots_sized = True
            self._lower.setOrientation(orientation)
            height = max(height, 300)
            share = height // 3 if narrow else 2 * height // 5  # the loss plot's part
            self._plots.setSizes([share, share, height - share])
            self._lower.setSizes([1000, 1000])

    @Slot()
    def _share_height_again(self) -> None:
        self._arrange_plots(self.width(), self.height(), again=True)

    # -- what to train ---------------------------------------------------------------
    def set_lesson(self, lesson, values=None) -> None:
        """Train ``lesson``'s program from ``values`` (the lesson's own by default)."""
        if lesson is None:
            self._source_key = None
            self.set_problem(None, NO_LESSON)
            return
        try:
            problem = TrainingProblem.from_lesson(lesson, values)
        except ProgramError as exc:
            self._source_key = None
            self.set_problem(None, f"Nothing to train: {exc}")
            return
        self.set_source(lesson.id, problem)

    def set_source(self, name: str, problem: TrainingProblem, lesson=None) -> None:
        """Train ``problem`` (of the lesson or program ``name``); a ``lesson`` with a
        ``[classifier]`` trains that instead, on 2-D points (:class:`ClassifierView`).

        Another program (or lesson, or choice of parameters, or output) stops any
        training and clears the plots; new values or a new learning rate for the same
        one apply to the next start and leave the plots as they are.
        """
        classifier = lesson is not None and getattr(lesson, "classifier", None) is not None
        key = (name, "classifier") if classifier else \
            (name, problem.program.source, problem.parameters, problem.output)
        same = key == self._source_key and (self.problem is not None or classifier)
        if classifier and same:
            return  # the walkthrough's values changed: the classifier trains on its own
        if not same:
            self.kept_runs.keep(self._source_key, self._kept_run())
            self._source_key = key
            if classifier or self.classifier.active:  # the plane in, or out again
                self.classifier.show_in(self._plots, self.loss_plot, self.form,
                                        lesson if classifier else None)
                problem = self.classifier.open(lesson) if classifier else problem
            self.set_problem(problem)
            self._bring_back(self.kept_runs.take(key))
            return
        self._source_key = key
        if not self.is_active and self.form.typed_learning_rate() != problem.learning_rate:
            self.form.set_defaults(problem.learning_rate)  # one learning rate: the model's
        self.problem = problem

    def set_problem(self, problem: TrainingProblem | None, message: str = "") -> None:
        """Train ``problem`` from now on (``None``: nothing to train, ``message`` says why)."""
        self._discard_run()
        self.problem = problem
        self._latest = self._shown = None
        self.optimizer_view.clear()
        self.loss_plot.reset(self.form.epochs.value() + 1)
        self.loss_plot.set_output(problem.output if problem else None)
        self.landscape_plot.reset(self._landscape_names())
        self.message.setText(message or self._loop_note())
        self.controls.clear_progress()
        roles = problem.roles if problem else None
        if problem is not None:
            self.form.set_defaults(problem.learning_rate)
        self.form.set_data_available(problem is not None and problem.accepts_data,
                                     (roles.input, roles.target) if roles else None,
                                     batches=self.classifier.active or None)
        self.data_plot.set_editable(problem is not None and problem.accepts_data)
        self.learner_data.forget()  # the learner's points were this program's
        had_lower = self.data_plot.isVisibleTo(self) or self.landscape_plot.isVisibleTo(self)
        self.data_plot.setVisible(roles is not None)
        self.landscape_plot.setVisible(self._landscape_names() is not None)
        if not had_lower and roles is not None:  # hidden plots got no share: give them one
            QTimer.singleShot(0, self, self._share_height_again)  # once they are laid out
        self._show_data_preview()
        self.classifier.show_preview()
        self._update_buttons()
        self.problem_changed.emit()

    def _loop_note(self) -> str:
        """What the Train tab says of a lesson whose loop does not zero the gradients."""
        return NO_ZERO_GRAD if self.problem is not None and not self.problem.zero_grad else ""

    def _landscape_names(self) -> tuple[str, str] | None:
        problem = self.problem
        if problem is None or len(problem.parameters) != 2:
            return None
        if not all(isinstance(problem.values[n], float) for n in problem.parameters):
            return None
        return problem.parameters

    def _show_data_preview(self, keep_view: bool = False) -> None:
        """Show the points the next run will train on."""
        if self.problem is None or self.problem.roles is None or self.is_active:
            return
        try:
            values = self.problem.values_for(self._data())
        except ProgramError:
            return
        roles = self.problem.roles
        self.data_plot.set_points(_as_array(values[roles.input]),
                                  _as_array(values[roles.target]), roles.target, keep_view)

    def _data(self):
        """What the next run trains on: the learner's points, else the form's choice."""
        return self.learner_data.points or self.form.data_settings()

    # -- the learner's points --------------------------------------------------------
    def shown_points(self) -> LearnerPoints | None:
        """The points the next run trains on, as the learner's points would hold them
        (``None`` when the program has no data the learner can edit)."""
        if self.learner_data.points is not None:
            return self.learner_data.points
        if self.problem is None or not self.problem.accepts_data:
            return None
        try:
            values = self.problem.values_for(self.form.data_settings())
            roles = self.problem.roles
            return LearnerPoints(values[roles.input], values[roles.target])
        except ProgramError:
            return None

    def _may_edit_points(self) -> LearnerPoints | None:
        if self.is_active:
            self.message.setText("Stop training to change the points.")
            return None
        self.message.setText("")
        return self.shown_points()

    @Slot(float, float)
    def _add_point(self, x: float, y: float) -> None:
        shown = self._may_edit_points()
        if shown is not None:
            self._keep_view = True
            try:
                self.learner_data.add(shown, x, y)
            except ProgramError as exc:
                self.message.setText(f"Cannot add the point: {exc}.")
            finally:
                self._keep_view = False

    @Slot(float, float, float, float)
    def _remove_point(self, x: float, y: float, x_scale: float, y_scale: float) -> None:
        shown = self._may_edit_points()
        if shown is not None:
            self._keep_view = True
            try:
                self.learner_data.remove_nearest(shown, x, y, x_scale, y_scale)
            except ProgramError as exc:
                self.message.setText(f"Cannot remove a point: {exc}.")
            finally:
                self._keep_view = False

    @Slot()
    def _learner_points_changed(self) -> None:
        points = self.learner_data.points
        own = points is not None and not self.classifier.active  # it says so itself
        self.form.show_own_points(len(points.targets) if own else None,
                                  self.learner_data.origin)
        if self.classifier.active:
            self.classifier.points_changed()
            return
        self._show_data_preview(keep_view=self._keep_view)

    # -- commands -------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        """True while a worker runs or waits paused."""
        return self.controller.state is not TrainingState.IDLE

    @Slot()
    def start(self, stepping: bool = False) -> None:
        """Start training from the starting values (stopping any current run)."""
        if self.problem is None:
            return
        try:
            settings = self.form.settings()
        except ProgramError as exc:
            self.message.setText(f"Cannot start: {exc}.")
            return
        self._discard_run()
        self.starting.emit()  # the problem now holds the starting values (and this rate)
        if self.problem is None:
            return
        if self.classifier.active:
            try:  # the data and the network as the form says now
                self.problem = self.classifier.problem()
            except ProgramError as exc:
                self.message.setText(f"Cannot start: {exc}.")
                return
        elif self.learner_data.points is not None:
            settings = replace(settings, data=self.learner_data.points)
        try:
            trainer = Trainer(self.problem, settings)
        except ProgramError as exc:
            self.message.setText(f"Cannot start: {exc}.")
            return
        self._run_values = dict(trainer.values)
        self._run_settings = settings
        self.message.setText(self._loop_note())
        self._latest = self._shown = None
        self.optimizer_view.clear()
        self.loss_plot.reset(settings.epochs + 1)
        self.landscape_plot.reset(self._landscape_names())
        if trainer.dataset is not None:
            self.data_plot.set_points(*trainer.dataset, self.problem.roles.target)
        if self.classifier.active:
            self.classifier.start(self.problem, settings.epochs)
        self.controls.clear_progress()
        self.controller.start(trainer, stepping=stepping)
        self.training_active_changed.emit(True)

    @Slot()
    def step_epoch(self) -> None:
        """Train one epoch: from a pause, or as the first epoch of a new run."""
        if self.controller.state is TrainingState.PAUSED:
            self.controller.step()
        elif not self.is_active:
            self.start(stepping=True)

    @Slot()
    def stop(self) -> None:
        """Stop training now; the plots end where it stopped (waits for the worker)."""
        if self.is_active:
            self.controller.stop(discard=False)

    def _discard_run(self) -> None:
        """Stop training without reporting its result (restart, new lesson, closing)."""
        if self.is_active:
            self.controller.stop(discard=True)
            self.frames.cancel()
            self.training_active_changed.emit(False)

    def shutdown(self) -> None:
        """Stop any training; call before the window closes."""
        self._discard_run()
        self.frames.cancel()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Stop training when the panel itself is closed as a window."""
        self.shutdown()
        super().closeEvent(event)

    def _kept_run(self) -> KeptRun | None:
        """The settled run shown now, to keep while another program is trained."""
        if self._latest is None or self._run_settings is None or self.is_active:
            return None
        return KeptRun(self._latest, dict(self._run_values), self._run_settings,
                       self.loss_plot.losses().copy(),
                       tuple(np.array(a, copy=True) for a in self.landscape_plot.path_data()),
                       self.landscape_plot.landscape, self.message.text())

    def _bring_back(self, kept: KeptRun | None) -> None:
        """Show a kept run again, as it was left."""
        if kept is None:
            return
        self._latest, self._shown = kept.snapshot, None
        self._run_values, self._run_settings = dict(kept.run_values), kept.run_settings
        self.loss_plot.reset(max(len(kept.losses), self.form.epochs.value() + 1))
        if len(kept.losses):
            self.loss_plot.append(0, kept.losses)
        if kept.landscape is not None:
            self.landscape_plot.set_landscape(kept.landscape)
        for first, second in zip(*kept.path, strict=True):
            self.landscape_plot.add_point(float(first), float(second), exact=True)
        self._refresh()
        self.message.setText(kept.message)
        self._update_buttons()

    def show_current_fit(self) -> None:
        """Draw the fitted line of the values the program holds now, with no run behind
        it (a reopened session's trained values: its plots agree with its Values)."""
        if self.problem is None or self.problem.roles is None or self.is_active:
            return
        try:
            settings = self.form.settings()
            if self.learner_data.points is not None:
                settings = replace(settings, data=self.learner_data.points)
            start = next(Trainer(self.problem, settings).run(until=0))
        except (ProgramError, StopIteration):
            return
        self.data_plot.set_curve(start.curve_x, start.curve_y, exact=True)

    def set_can_go_back(self, can: bool) -> None:
        """Offer the way back to the starting values (while a training result is shown)."""
        self.controls.back_button.setEnabled(can)

    def last_run(self) -> TrainingRun | None:
        """What the last run trained (from which values, how) and how far it went."""
        if self._latest is None or self._run_settings is None or self.problem is None:
            return None
        return TrainingRun(self.problem.program, dict(self._run_values),
                           self.problem.parameters, self.problem.output,
                           self._run_settings, self._latest.step, self.problem.zero_grad)

    def latest_values(self) -> dict:
        """The leaf values of the newest snapshot: the run's data and its parameters."""
        if self._latest is None:
            return {}
        return {**self._run_values, **self._latest.parameters}

    # -- results --------------------------------------------------------------------
    @property
    def latest_snapshot(self) -> TrainingSnapshot | None:
        """The newest snapshot received (immutable; ``None`` before any training)."""
        return self._latest

    @Slot(object)
    def _on_snapshot(self, snapshot: TrainingSnapshot) -> None:
        self._latest = snapshot
        self.loss_plot.append(snapshot.first_loss_step, snapshot.losses)
        if snapshot.batch_losses is not None:
            self.loss_plot.append_batches(snapshot.first_batch, snapshot.batch_losses,
                                          snapshot.batches_per_epoch)
        if self.classifier.active:
            self.classifier.add_snapshot(snapshot)
        names = self._landscape_names()
        if names is not None:
            first, second = (snapshot.parameters[n] for n in names)
            self.landscape_plot.add_point(first, second,
                                          exact=snapshot.status is not TrainingStatus.RUNNING)
        if names is not None and snapshot.stability is not None and snapshot.step == 0:
            self.landscape_plot.show_steepest(snapshot.parameters, snapshot.stability)
        if snapshot.status is TrainingStatus.PAUSED:
            self._refresh()
            self.settled.emit()
        else:
            self.frames.request()

    @Slot(object)
    def _on_finished(self, snapshot: TrainingSnapshot | None) -> None:
        self._finish(snapshot or self._latest)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.message.setText(message)
        self._finish(self._latest)

    def _finish(self, snapshot: TrainingSnapshot | None) -> None:
        self.frames.cancel()
        if snapshot is not None:
            self._latest = snapshot
            self._refresh()
            if snapshot.message:
                self.message.setText(snapshot.message)
            self.parameters_trained.emit(dict(snapshot.parameters))
        self._update_buttons()
        self.training_active_changed.emit(False)
        if snapshot is not None:
            self.settled.emit()

    @Slot()
    def _refresh(self) -> None:
        """Redraw the plots and the progress from the newest snapshot."""
        self.loss_plot.redraw()
        self.landscape_plot.redraw()
        snapshot = self._latest
        if self.classifier.active:
            self.classifier.redraw(snapshot)
        if snapshot is None or snapshot is self._shown:
            return
        self._shown = snapshot
        running = snapshot.status is TrainingStatus.RUNNING
        self.data_plot.set_curve(snapshot.curve_x, snapshot.curve_y, exact=not running)
        # With every redraw, not less often: the epoch in the progress line and the status
        # bar is the one the plots show (a slower line lagged hundreds of epochs behind).
        self._show_progress()

    def _show_progress(self) -> None:
        """The progress line and the status bar at the newest snapshot (also while the
        tab is hidden: the status bar is on screen)."""
        if self._latest is not None:
            accumulating = self.problem is not None and not self.problem.zero_grad
            self.status_text_changed.emit(self.controls.show_progress(
                self._latest, ACCUMULATING if accumulating else ""))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Draw what arrived while the tab was hidden."""
        super().showEvent(event)
        if self._latest is not None:
            self._refresh()

    @Slot()
    def _update_buttons(self, *_args) -> None:
        self.controls.show_state(self.controller.state, self.problem is not None,
                                 self._latest is not None)
        self.classifier.set_busy(self.is_active)


def _as_array(value) -> np.ndarray:
    return np.atleast_1d(np.array(value, dtype=float))
