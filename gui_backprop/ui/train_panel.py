"""The Train panel: settings, Start / Pause / Resume / Stop / Step, progress and plots.

Training runs on a worker thread (:class:`~gui_backprop.ui.training_controller.
TrainingController`); the panel stores each snapshot it receives and redraws the
plots from a timer, so the GUI thread never draws once per training step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.formatting import format_number
from gui_backprop.core.program import ProgramError
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSnapshot, TrainingStatus
from gui_backprop.ui.train_landscape_plot import LandscapePlot
from gui_backprop.ui.train_loss_plot import LossPlot
from gui_backprop.ui.train_plots import DataPlot
from gui_backprop.ui.train_settings import TrainSettingsForm
from gui_backprop.ui.training_controller import TrainingController, TrainingState

REDRAW_INTERVAL_MS = 50  # 20 frames a second: painting holds the GIL the trainer needs


def progress_text(snapshot: TrainingSnapshot) -> str:
    """One line for the status bar: epoch k of n, loss, steps per second."""
    epoch = f"epoch {snapshot.step:,} of {snapshot.epochs:,}"
    loss = f"loss {format_number(snapshot.loss, 5)}"
    if snapshot.status is TrainingStatus.RUNNING:
        return f"Training: {epoch} · {loss} · {snapshot.steps_per_second:,.0f} steps/s"
    words = {TrainingStatus.PAUSED: "Paused at", TrainingStatus.FINISHED: "Finished:",
             TrainingStatus.STOPPED: "Stopped at", TrainingStatus.DIVERGED: "Diverged; kept"}
    return f"{words[snapshot.status]} {epoch} · {loss}"


class TrainPanel(QWidget):
    """Trains the current lesson's program and shows it live."""

    status_text_changed = Signal(str)
    parameters_trained = Signal(dict)
    snapshot_shown = Signal(object)
    training_active_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainPanel")
        self.problem: TrainingProblem | None = None
        self._lesson_id: str | None = None
        self._latest: TrainingSnapshot | None = None
        self._shown: TrainingSnapshot | None = None
        self.controller = TrainingController(self)
        self.form = TrainSettingsForm()
        self.form.data_changed.connect(self._show_data_preview)
        self.loss_plot = LossPlot()
        self.data_plot = DataPlot()
        self.landscape_plot = LandscapePlot()
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._refresh)
        self.controller.snapshot_received.connect(self._on_snapshot)
        self.controller.landscape_received.connect(self.landscape_plot.set_landscape)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.state_changed.connect(self._update_buttons)
        self.set_problem(None, "Open a lesson to train its program.")

    def _build(self) -> None:
        self.start_button = QPushButton("&Start")
        self.pause_button = QPushButton("&Pause")
        self.resume_button = QPushButton("&Resume")
        self.stop_button = QPushButton("S&top")
        self.step_button = QPushButton("Step one &epoch")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.controller.pause)
        self.resume_button.clicked.connect(self.controller.resume)
        self.stop_button.clicked.connect(self.stop)
        self.step_button.clicked.connect(self.step_epoch)
        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.stop_button, 0, 1)
        buttons.addWidget(self.pause_button, 1, 0)
        buttons.addWidget(self.resume_button, 1, 1)
        buttons.addWidget(self.step_button, 2, 0, 1, 2)
        self.log_scale = QCheckBox("&Log scale for the loss")
        self.log_scale.toggled.connect(self.loss_plot.set_log_scale)
        self.log_scale.setChecked(True)  # the loss falls over orders of magnitude
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("trainMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        side = QVBoxLayout()
        side.addWidget(self.form)
        side.addLayout(buttons)
        side.addWidget(self.log_scale)
        side.addWidget(self.progress)
        side.addWidget(self.progress_label)
        side.addWidget(self.message)
        side.addStretch(1)
        controls = QWidget()
        controls.setLayout(side)
        controls.setMinimumWidth(250)
        controls.setMaximumWidth(320)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.data_plot)
        lower.addWidget(self.landscape_plot)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.loss_plot)
        plots.addWidget(lower)
        plots.setStretchFactor(0, 2)
        plots.setStretchFactor(1, 3)
        layout = QHBoxLayout(self)
        layout.addWidget(controls)
        layout.addWidget(plots, 1)

    # -- what to train ---------------------------------------------------------------
    def set_lesson(self, lesson, values=None) -> None:
        """Train ``lesson``'s program from ``values`` (the lesson's own by default).

        Another lesson stops any training and clears the plots; new values for the same
        lesson apply to the next start and leave the plots as they are.
        """
        same = lesson is not None and lesson.id == self._lesson_id
        if not same:
            self.controller.stop(discard=True)
        self._lesson_id = lesson.id if lesson is not None else None
        if lesson is None:
            self.set_problem(None, "Open a lesson to train its program.")
            return
        try:
            problem = TrainingProblem.from_lesson(lesson, values)
        except ProgramError as exc:
            self.set_problem(None, f"Nothing to train: {exc}")
            return
        if same and self.problem is not None:
            self.problem = problem
            return
        self.set_problem(problem)

    def set_problem(self, problem: TrainingProblem | None, message: str = "") -> None:
        """Train ``problem`` from now on (``None``: nothing to train, ``message`` says why)."""
        self._discard_run()
        self.problem = problem
        self._latest = self._shown = None
        self.loss_plot.reset(self.form.epochs.value() + 1)
        self.landscape_plot.reset(problem.parameters if problem and
                                  len(problem.parameters) == 2 else None)
        self.message.setText(message)
        self.progress.setValue(0)
        self.progress_label.setText("")
        if problem is not None:
            self.form.set_defaults(problem.learning_rate)
            roles = problem.roles
            self.form.set_data_available(problem.accepts_data,
                                         (roles.input, roles.target) if roles else None)
        else:
            self.form.set_data_available(False, None)
        self.data_plot.setVisible(problem is not None and problem.roles is not None)
        self.landscape_plot.setVisible(problem is not None and self._has_landscape(problem))
        self._show_data_preview()
        self._update_buttons()

    @staticmethod
    def _has_landscape(problem: TrainingProblem) -> bool:
        names = problem.parameters
        return len(names) == 2 and all(isinstance(problem.values[n], float) for n in names)

    def _show_data_preview(self) -> None:
        """Show the points the next run will train on."""
        if self.problem is None or self.problem.roles is None or self.is_active:
            return
        try:
            values = self.problem.values_for(self.form.data_settings())
        except ProgramError:
            return
        roles = self.problem.roles
        self.data_plot.set_points(_as_array(values[roles.input]),
                                  _as_array(values[roles.target]), roles.target)

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
        trainer = Trainer(self.problem, settings)
        self.message.setText("")
        self._latest = self._shown = None
        self.loss_plot.reset(settings.epochs + 1)
        self.landscape_plot.reset(self.problem.parameters if len(self.problem.parameters) == 2
                                  else None)
        if trainer.dataset is not None:
            self.data_plot.set_points(*trainer.dataset, self.problem.roles.target)
        self.progress.setValue(0)
        self.controller.start(trainer, stepping=stepping)
        self._timer.start()
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
            self._timer.stop()
            self.training_active_changed.emit(False)

    def shutdown(self) -> None:
        """Stop any training; call before the window closes."""
        self._discard_run()
        self._timer.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Stop training when the panel itself is closed as a window."""
        self.shutdown()
        super().closeEvent(event)

    # -- results --------------------------------------------------------------------
    @property
    def latest_snapshot(self) -> TrainingSnapshot | None:
        """The newest snapshot received (immutable; ``None`` before any training)."""
        return self._latest

    def trained_parameters(self) -> dict:
        """The parameter values of the newest snapshot (empty before any training)."""
        return dict(self._latest.parameters) if self._latest else {}

    @Slot(object)
    def _on_snapshot(self, snapshot: TrainingSnapshot) -> None:
        self._latest = snapshot
        self.loss_plot.append(snapshot.first_loss_step, snapshot.losses)
        names = self.problem.parameters if self.problem else ()
        if len(names) == 2 and not self.landscape_plot.isHidden():
            first, second = (snapshot.parameters[n] for n in names)
            if isinstance(first, float) and isinstance(second, float):
                self.landscape_plot.add_point(first, second,
                                              exact=snapshot.status is not TrainingStatus.RUNNING)
        if snapshot.status is TrainingStatus.PAUSED:
            self._refresh()

    @Slot(object)
    def _on_finished(self, snapshot: TrainingSnapshot | None) -> None:
        self._finish(snapshot or self._latest)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.message.setText(message)
        self._finish(self._latest)

    def _finish(self, snapshot: TrainingSnapshot | None) -> None:
        self._timer.stop()
        if snapshot is not None:
            self._latest = snapshot
            self._refresh()
            if snapshot.message:
                self.message.setText(snapshot.message)
            self.parameters_trained.emit(dict(snapshot.parameters))
        self._update_buttons()
        self.training_active_changed.emit(False)

    @Slot()
    def _refresh(self) -> None:
        """Redraw the plots and the progress from the newest snapshot."""
        self.loss_plot.redraw()
        self.landscape_plot.redraw()
        snapshot = self._latest
        if snapshot is None or snapshot is self._shown:
            return
        self._shown = snapshot
        self.data_plot.set_curve(snapshot.curve_x, snapshot.curve_y,
                                 exact=snapshot.status is not TrainingStatus.RUNNING)
        # whole percents: QProgressBar repaints at once on every visible change
        self.progress.setValue(100 * snapshot.step // max(snapshot.epochs, 1))
        text = progress_text(snapshot)
        self.progress_label.setText(text)
        self.status_text_changed.emit(text)
        self.snapshot_shown.emit(snapshot)

    @Slot()
    def _update_buttons(self, *_args) -> None:
        state = self.controller.state
        has_problem = self.problem is not None
        self.start_button.setEnabled(has_problem)
        self.start_button.setText("Re&start" if state is not TrainingState.IDLE else "&Start")
        self.pause_button.setEnabled(state is TrainingState.RUNNING)
        self.resume_button.setEnabled(state is TrainingState.PAUSED)
        self.stop_button.setEnabled(state is not TrainingState.IDLE)
        self.step_button.setEnabled(has_problem and state in (TrainingState.IDLE,
                                                              TrainingState.PAUSED))
        for box in (self.form.epochs, self.form.learning_rate, self.form.rule,
                    self.form.data_group):
            box.setEnabled(state is TrainingState.IDLE)


def _as_array(value) -> np.ndarray:
    return np.atleast_1d(np.array(value, dtype=float))
