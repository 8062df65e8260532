"""The Train panel's settings form: epochs, learning rate, update rule, batch size, seed,
data."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.formatting import format_number
from gui_backprop.core.training import EPOCHS_RANGE, TrainingSettings, UpdateRule
from gui_backprop.core.training_data import NOISE_RANGE, POINTS_RANGE, SEED_RANGE, DataSettings
from gui_backprop.core.values import parse_value
from gui_backprop.ui.training.plots.live_plot import FRAMES_PER_SECOND

SNAPSHOTS_PER_SECOND = FRAMES_PER_SECOND  # one snapshot, one frame: each snapshot costs the
# GUI thread work, holding the GIL the trainer needs, so more would slow training for nothing

RULES = (
    (UpdateRule.MANUAL, "w -= lr * w.grad (by hand)"),
    (UpdateRule.SGD, "torch.optim.SGD"),
    (UpdateRule.MOMENTUM, "SGD with momentum 0.9"),
    (UpdateRule.ADAM, "torch.optim.Adam"),
)
MAX_BATCH = 100_000


LARGE_TEXT_POINTS = 14  # from this size on, each field goes under its label


class TrainSettingsForm(QWidget):
    """Edits :class:`~gui_backprop.core.training.TrainingSettings`; refuses bad values."""

    data_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.epochs = QSpinBox()
        self.epochs.setRange(*EPOCHS_RANGE)
        self.epochs.setValue(1000)
        self.epochs.setGroupSeparatorShown(True)
        self.epochs.setAccessibleName("Epochs")
        self.learning_rate = QLineEdit("0.05")
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setToolTip("A number above 0 and at most 100, such as 0.05 or 1e-3")
        self.rule = QComboBox()
        for rule, text in RULES:
            self.rule.addItem(text, rule.value)
        self.rule.setAccessibleName("Update rule")
        self.rule.setToolTip("The tutorial's update inside torch.no_grad(); PyTorch's SGD "
                             "optimizer (the same step); SGD with momentum; or Adam")
        self.batch_size = QSpinBox()
        self.batch_size.setRange(0, MAX_BATCH)
        self.batch_size.setSpecialValueText("all points")
        self.batch_size.setAccessibleName("Batch size")
        self.batch_size.setToolTip("Points per update: all of them (one update an epoch), "
                                   "or mini-batches drawn in a new order each epoch")

        self.points = QSpinBox()
        self.points.setRange(*POINTS_RANGE)
        self.points.setValue(50)
        self.points.setAccessibleName("Number of points")
        self.noise = QDoubleSpinBox()
        self.noise.setRange(*NOISE_RANGE)
        self.noise.setSingleStep(0.1)
        self.noise.setDecimals(2)
        self.noise.setValue(1.0)
        self.noise.setAccessibleName("Noise")
        self.noise.setToolTip("The standard deviation of the noise added to each y")
        self._data_available = False
        self._batches = False
        self._names: tuple[str, str] | None = None
        self.seed = QSpinBox()
        self.seed.setRange(*SEED_RANGE)
        self.seed.setAccessibleName("Random seed")
        self.seed.setToolTip("The same seed and settings always give the same points and "
                             "the same order of mini-batches")
        self.own_note = QLabel()
        self.own_note.setObjectName("trainOwnPoints")
        self.own_note.setWordWrap(True)
        self.forget_button = QPushButton("Use the lesson's points")
        self.forget_button.setObjectName("trainForgetPoints")
        self.forget_button.setToolTip("Train on the lesson's points again (Ctrl+Z in the "
                                      "data plot brings yours back)")
        for box in (self.points, self.noise, self.seed):
            box.valueChanged.connect(self.data_changed)

        for widget, name in ((self.epochs, "trainEpochs"), (self.learning_rate,
                                                            "trainLearningRate"),
                             (self.rule, "trainUpdateRule"), (self.points, "trainPoints"),
                             (self.noise, "trainNoise"), (self.seed, "trainSeed"),
                             (self.batch_size, "trainBatchSize")):
            widget.setObjectName(name)
        training = QFormLayout()
        training.addRow("&Epochs", self.epochs)
        training.addRow("&Learning rate", self.learning_rate)
        training.addRow("&Update", self.rule)
        training.addRow("&Batch size", self.batch_size)
        training.addRow("See&d", self.seed)
        training.addRow(self.own_note)
        training.addRow(self.forget_button)
        # The lesson's own points by default: what the walkthrough shows is what is trained.
        self.data_group = QGroupBox("Train on synthetic points instead")
        self.data_group.setObjectName("trainSyntheticData")
        self.data_group.setCheckable(True)
        self.data_group.setChecked(False)
        self.data_group.setAccessibleName("Train on synthetic points instead of the lesson's")
        self.data_group.toggled.connect(self._synthetic_toggled)
        data = QFormLayout(self.data_group)
        self._forms = (training, data)
        data.addRow("Poin&ts", self.points)
        data.addRow("&Noise", self.noise)
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        data.addRow(self.data_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(training)
        layout.addWidget(self.data_group)
        self.show_own_points(None)

    def show_own_points(self, count: int | None, origin: str = "") -> None:
        """Say that the next run trains on the learner's ``count`` points (``None``: it
        does not), and offer the way back to the lesson's."""
        own = count is not None
        self.own_note.setText(f"Training on {origin}: {count:,} points." if own else "")
        self.own_note.setVisible(own)
        self.forget_button.setVisible(own)
        self.data_group.setEnabled(not own)
        if own:
            self.data_note.setText("Your points are used instead (above).")
        else:
            self._describe_data(self.data_group.isChecked())

    def set_defaults(self, learning_rate: float) -> None:
        """Show a lesson's learning rate."""
        self.learning_rate.setText(format_number(learning_rate, 6))

    def set_data_available(self, available: bool, names: tuple[str, str] | None,
                           batches: bool | None = None) -> None:
        """Offer synthetic points only where they can replace the data, and mini-batches
        where there are data points (``batches``; by default where synthetic points are)."""
        self._data_available = available
        self._batches = available if batches is None else batches
        self.data_group.setVisible(available)
        self.batch_size.setEnabled(self._batches)
        self._names = names
        self._synthetic_toggled(self.data_group.isChecked())

    @property
    def synthetic(self) -> bool:
        """True when the next run trains on synthetic points instead of the lesson's."""
        return self._data_available and self.data_group.isChecked()

    def _synthetic_toggled(self, checked: bool) -> None:
        self._describe_data(checked)
        self.data_changed.emit()

    def _describe_data(self, checked: bool) -> None:
        names = self._names
        if checked and names:
            self.data_note.setText(f"Replaces {names[0]} and {names[1]} with points around "
                                   "the trend of the lesson's data.")
        else:
            self.data_note.setText("Unchecked: training uses the lesson's own points.")

    def data_settings(self) -> DataSettings | None:
        """The synthetic data settings, or ``None`` to train on the lesson's own values."""
        if not self.synthetic:
            return None
        return DataSettings(self.points.value(), self.noise.value(), self.seed.value())

    def typed_learning_rate(self) -> float | None:
        """The learning rate as typed (``None`` when it is not a number)."""
        try:
            return parse_value(self.learning_rate.text().strip())
        except ProgramError:
            return None

    def settings(self) -> TrainingSettings:
        """The settings as entered; raises :class:`ProgramError` with a clear message."""
        text = self.learning_rate.text().strip()
        try:
            rate = parse_value(text)
        except ProgramError:
            raise ProgramError(f"the learning rate '{text}' is not a number") from None
        return TrainingSettings(epochs=self.epochs.value(), learning_rate=rate,
                                update_rule=UpdateRule(self.rule.currentData()),
                                data=self.data_settings(),
                                snapshot_interval=1.0 / SNAPSHOTS_PER_SECOND,
                                batch_size=(self.batch_size.value() or None)
                                if self._batches else None,
                                seed=self.seed.value())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """At a large text size (a projector) put each field under its label: side by
        side they would not fit the controls' column."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            large = self.font().pointSizeF() >= LARGE_TEXT_POINTS
            for form in self._forms:
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if large
                                      else QFormLayout.RowWrapPolicy.DontWrapRows)
