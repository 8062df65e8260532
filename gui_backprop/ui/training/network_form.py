"""The Train tab's settings for a classification lesson: the data set and the network.

The data: two moons, circles, XOR or spirals (seeded, :mod:`~gui_backprop.core.datasets`)
with their number of points, noise and seed, or "my points" (clicked or imported).
The network (for a lesson with a hidden layer): hidden units, activation and the seed
of the initial parameters. Every field is a bounded spin box or a fixed choice, and
:meth:`NetworkForm.network_settings` / :meth:`NetworkForm.data_choice` let the core
check them once more, raising one :class:`ProgramError` that says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui_backprop.core.datasets import NOISE_RANGE, POINTS_RANGE
from gui_backprop.core.training_data import SEED_RANGE
from gui_backprop.ui.training.settings_form import LARGE_TEXT_POINTS

DATA_SETS = (("moons", "Two moons"), ("circles", "Circles"), ("xor", "XOR"),
             ("spirals", "Spirals"), ("mine", "My points"))
MY_POINTS = "mine"
ACTIVATIONS = ("relu", "tanh", "sigmoid")
HIDDEN_RANGE = (1, 64)
DEFAULT_NOISE = {"moons": 0.1, "circles": 0.05, "xor": 0.0, "spirals": 0.1}
DEFAULT_POINTS = 200
MAX_FORM_POINTS = 5_000  # more is possible from a CSV file; the form stays quick


@dataclass(frozen=True)
class DataChoice:
    """Which data set, how many points, how much noise, which seed (``name`` is a key of
    :data:`DATA_SETS`; "mine" means the learner's points)."""

    name: str
    points: int
    noise: float
    seed: int


class NetworkForm(QWidget):
    """Data set, points, noise, data seed; hidden units, activation, initial seed.

    Its Alt+letter mnemonics (T, N, I, C) are free of the Train tab's other ones in a
    network lesson (where the regression form's Points and Noise are hidden) and of the
    menus' F, W, V and H; the other fields are reached with Tab.

    ``data_changed`` fires when the data the next run trains on may have changed;
    ``network_changed`` when the network's settings did.
    """

    data_changed = Signal()
    network_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_set = QComboBox()
        for key, text in DATA_SETS:
            self.data_set.addItem(text, key)
        self.data_set.setToolTip("Seeded 2-D data sets, or your own points: click in the "
                                 "plot or use File › Import data…")
        self.points = QSpinBox()
        self.points.setRange(POINTS_RANGE[0], MAX_FORM_POINTS)
        self.points.setValue(DEFAULT_POINTS)
        self.points.setToolTip(f"From {POINTS_RANGE[0]} to {MAX_FORM_POINTS:,} points, shared "
                               "evenly between the classes")
        self.noise = QDoubleSpinBox()
        self.noise.setRange(*NOISE_RANGE)
        self.noise.setDecimals(2)
        self.noise.setSingleStep(0.05)
        self.noise.setValue(DEFAULT_NOISE["moons"])
        self.noise.setToolTip("The standard deviation of the Gaussian noise added to "
                              "each coordinate")
        self.data_seed = QSpinBox()
        self.data_seed.setRange(*SEED_RANGE)
        self.data_seed.setToolTip("The same seed always draws the same points")
        self.hidden = QSpinBox()
        self.hidden.setRange(*HIDDEN_RANGE)
        self.hidden.setValue(8)
        self.hidden.setToolTip(f"Units in the hidden layer, {HIDDEN_RANGE[0]} to "
                               f"{HIDDEN_RANGE[1]}: W1 is 2×hidden, W2 hidden×classes")
        self.activation = QComboBox()
        self.activation.addItems(ACTIVATIONS)
        self.activation.setToolTip("The hidden layer's function: relu, tanh or sigmoid")
        self.init_seed = QSpinBox()
        self.init_seed.setRange(*SEED_RANGE)
        self.init_seed.setToolTip("The seed of the initial weights (drawn as nn.Linear "
                                  "draws them): the same seed, the same start")
        self.classes_note = QLabel()
        self.classes_note.setWordWrap(True)
        self.classes_note.setObjectName("trainClassesNote")
        for widget, name, accessible in (
                (self.data_set, "trainDataSet", "Data set"),
                (self.points, "trainDataPoints", "Number of points"),
                (self.noise, "trainDataNoise", "Noise"),
                (self.data_seed, "trainDataSeed", "Data seed"),
                (self.hidden, "trainHiddenUnits", "Hidden units"),
                (self.activation, "trainActivation", "Activation"),
                (self.init_seed, "trainInitSeed", "Initial weights seed")):
            widget.setObjectName(name)
            widget.setAccessibleName(accessible)
        self.data_group = QGroupBox("Data")
        data = QFormLayout(self.data_group)
        data.addRow("Data se&t", self.data_set)
        data.addRow("Points", self.points)
        data.addRow("&Noise", self.noise)
        data.addRow("Data seed", self.data_seed)
        data.addRow(self.classes_note)
        self.network_group = QGroupBox("Network")
        network = QFormLayout(self.network_group)
        network.addRow("H&idden units", self.hidden)
        network.addRow("A&ctivation", self.activation)
        network.addRow("Initial seed", self.init_seed)
        self._forms = (data, network)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.data_group)
        layout.addWidget(self.network_group)
        self.data_set.currentIndexChanged.connect(self._data_set_chosen)
        for box in (self.points, self.noise, self.data_seed):
            box.valueChanged.connect(self.data_changed)
        for box in (self.hidden, self.init_seed):
            box.valueChanged.connect(self.network_changed)
        self.activation.currentIndexChanged.connect(self.network_changed)
        self._classes = 2
        self._generated = "moons"  # the data set shown when the learner's points go

    def set_lesson(self, classes: int, network: bool, hidden: int, activation: str | None,
                   data_set: str = "moons") -> None:
        """Show the settings that apply to a lesson with ``classes`` classes and (when
        ``network``) a hidden layer of ``hidden`` units; its own data set first."""
        self._classes = classes
        self.network_group.setVisible(network)
        for box in (self.hidden, self.activation, self.data_set):
            box.blockSignals(True)
        self.hidden.setValue(hidden)
        self.activation.setCurrentText(activation or "tanh")
        self.activation.setEnabled(activation is not None)
        self.data_set.setCurrentIndex(self.data_set.findData(data_set))
        self._generated = data_set
        for box in (self.hidden, self.activation, self.data_set):
            box.blockSignals(False)
        self._describe()

    def _data_set_chosen(self) -> None:
        name = self.data_set.currentData()
        if name != MY_POINTS:
            self._generated = name
        if name in DEFAULT_NOISE:
            self.noise.blockSignals(True)
            self.noise.setValue(DEFAULT_NOISE[name])
            self.noise.blockSignals(False)
        self._describe()
        self.data_changed.emit()

    def _describe(self) -> None:
        name = self.data_set.currentData()
        mine = name == MY_POINTS
        for box in (self.points, self.noise, self.data_seed):
            box.setEnabled(not mine)
        if mine:
            text = ("Click: class 0; right or Shift+click: class 1"
                    + ("; Ctrl+click: class 2" if self._classes > 2 else "") + ".")
        elif name == "spirals":
            text = f"{self._classes} arms, one per class."
        elif self._classes > 2:
            text = f"Classes 0 and 1 only (the lesson has {self._classes}): try spirals."
        else:
            text = ""
        self.classes_note.setText(text)
        self.classes_note.setVisible(bool(text))

    def show_mine(self, mine: bool) -> None:
        """Show "My points" as the data set (the learner's points are in use) or leave it."""
        if mine == (self.data_set.currentData() == MY_POINTS):
            return
        self.data_set.blockSignals(True)
        self.data_set.setCurrentIndex(self.data_set.findData(MY_POINTS if mine
                                                             else self._generated))
        self.data_set.blockSignals(False)
        self._describe()

    def data_choice(self) -> DataChoice:
        """The data the next run trains on, as chosen."""
        return DataChoice(self.data_set.currentData(), self.points.value(),
                          float(self.noise.value()), self.data_seed.value())

    def network_values(self) -> tuple[int, str, int]:
        """Hidden units, activation and initial seed as chosen."""
        return self.hidden.value(), self.activation.currentText(), self.init_seed.value()

    def set_enabled_while(self, idle: bool) -> None:
        """Settings change only while no run is on."""
        self.data_group.setEnabled(idle)
        self.network_group.setEnabled(idle)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """At a large text size (a projector) each field goes under its label, as in the
        Train tab's other settings."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            wrapped = self.font().pointSizeF() >= LARGE_TEXT_POINTS
            for form in self._forms:
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if wrapped
                                      else QFormLayout.RowWrapPolicy.DontWrapRows)
