"""The Train panel's left column: settings, buttons, progress and messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training import TrainingSnapshot, TrainingStatus
from gui_backprop.ui.training.controller import TrainingState
from gui_backprop.ui.training.settings_form import TrainSettingsForm

_ENDINGS = {TrainingStatus.PAUSED: "Paused at", TrainingStatus.FINISHED: "Finished:",
            TrainingStatus.STOPPED: "Stopped at", TrainingStatus.DIVERGED: "Diverged; kept"}


def progress_text(snapshot: TrainingSnapshot) -> str:
    """One line for the status bar: epoch k of n, loss, steps per second."""
    epoch = f"epoch {snapshot.step:,} of {snapshot.epochs:,}"
    loss = f"loss {format_number(snapshot.loss, 5)}"
    if snapshot.status is TrainingStatus.RUNNING:
        return f"Training: {epoch} · {loss} · {snapshot.steps_per_second:,.0f} steps/s"
    return f"{_ENDINGS[snapshot.status]} {epoch} · {loss}"


class TrainControls(QWidget):
    """Settings form, Start / Stop / Pause / Resume / Step, the way back, progress.

    The Alt+letter mnemonics are unique here and leave F, W, V and H to the menus.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = TrainSettingsForm()
        self.start_button = QPushButton("&Start")
        self.stop_button = QPushButton("St&op")
        self.pause_button = QPushButton("P&ause")
        self.resume_button = QPushButton("&Resume")
        self.step_button = QPushButton("Ste&p one epoch")
        # A paused or ended run's result is what the whole walkthrough shows; this is the
        # one way back to the values it started from.
        self.back_button = QPushButton("Bac&k to the starting values")
        self.back_button.setToolTip("The walkthrough shows the trained values: show the "
                                    "values training started from again")
        self.back_button.setEnabled(False)
        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.stop_button, 0, 1)
        buttons.addWidget(self.pause_button, 1, 0)
        buttons.addWidget(self.resume_button, 1, 1)
        buttons.addWidget(self.step_button, 2, 0, 1, 2)
        buttons.addWidget(self.back_button, 3, 0, 1, 2)
        self.log_scale = QCheckBox("Lo&g scale for the loss")
        self.log_scale.setChecked(True)  # the loss falls over orders of magnitude
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setAccessibleName("Training progress")
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("trainMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.log_scale)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setMinimumWidth(230)
        self.setMaximumWidth(320)
        for widget, name in ((self.start_button, "trainStartButton"),
                             (self.stop_button, "trainStopButton"),
                             (self.pause_button, "trainPauseButton"),
                             (self.resume_button, "trainResumeButton"),
                             (self.step_button, "trainStepButton"),
                             (self.back_button, "trainBackButton"),
                             (self.log_scale, "trainLogScale")):
            widget.setObjectName(name)
            widget.setAccessibleName(widget.text().replace("&", ""))

    def show_state(self, state: TrainingState, can_train: bool, has_result: bool) -> None:
        """Enable what applies: settings only while idle, Pause while running, and so on."""
        idle = state is TrainingState.IDLE
        self.start_button.setEnabled(can_train)
        self.start_button.setText("&Start" if idle else "Re&start")
        self.pause_button.setEnabled(state is TrainingState.RUNNING)
        self.resume_button.setEnabled(state is TrainingState.PAUSED)
        self.stop_button.setEnabled(not idle)
        self.step_button.setEnabled(can_train and state in (TrainingState.IDLE,
                                                            TrainingState.PAUSED))
        for widget in (self.form.epochs, self.form.learning_rate, self.form.rule,
                       self.form.data_group):
            widget.setEnabled(idle)

    def show_progress(self, snapshot: TrainingSnapshot, note: str = "") -> str:
        """Show a snapshot's progress (and ``note``, after it); returns the line for the
        status bar."""
        # whole percents: QProgressBar repaints at once on every visible change
        self.progress.setValue(100 * snapshot.step // max(snapshot.epochs, 1))
        text = progress_text(snapshot) + (f" · {note}" if note else "")
        self.progress_label.setText(text)
        return text

    def clear_progress(self) -> None:
        """Empty the progress bar and line."""
        self.progress.setValue(0)
        self.progress_label.setText("")
