"""The Train tab of a lesson that trains as a classifier on 2-D points (its ``[classifier]``).

Instead of the regression's fitted line and loss landscape it shows the plane: the
points coloured by class, the model's decision boundary as an image behind them, and
beside it the loss and the accuracy. Its settings (:class:`.NetworkForm`) choose the
data (a seeded data set or the learner's own points) and, for a network, the hidden
units, activation and initial seed; each Start builds the core's problem from them
(:meth:`TrainingProblem.for_classifier`). Clicks add points of a class, Delete removes
one, Ctrl+Z undoes (the same :class:`.LearnerData` as the regression's points); Enter
asks for the ringed example's backward pass (``example_requested``).

Everything drawn comes from the core: the points from the data the problem holds, the
boundary and the accuracy from the worker's snapshots (numpy arrays; no torch here).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QSplitter, QWidget

from gui_backprop.core.datasets import make_dataset
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.network import NetworkSettings
from gui_backprop.core.training import TrainingProblem, TrainingSnapshot
from gui_backprop.core.training_data import LearnerPoints
from gui_backprop.ui.training.learner_data import LearnerData
from gui_backprop.ui.training.network_form import MY_POINTS, NetworkForm
from gui_backprop.ui.training.plots.accuracy_plot import AccuracyPlot
from gui_backprop.ui.training.plots.class_plot import ClassPlot

YOUR_POINTS = "your points"


def points_of(problem: TrainingProblem) -> tuple[np.ndarray, np.ndarray]:
    """A classifier problem's points (``n × 2``) and labels (``n``, whole numbers)."""
    spec = problem.classifier
    inputs = np.array(problem.values[spec.input], dtype=float).reshape(-1, 2)
    labels = np.array(problem.values[spec.labels], dtype=float).astype(int)
    return inputs, labels


class PlanePlots(QSplitter):
    """The plane beside the loss and accuracy plots (in a wide space), or above them
    (in a tall one), the plane as nearly square as the room allows."""

    PLANE_SHARE = 0.62  # at most, of the length the two share

    def __init__(self, plane: QWidget, side: QSplitter):
        super().__init__(Qt.Orientation.Horizontal)
        self.setObjectName("trainClassifierPlots")
        self.setChildrenCollapsible(False)
        self.addWidget(plane)
        self.addWidget(side)
        self._side = side
        self._arranged: tuple | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Arrange for the new size (the learner's own split stays until it changes)."""
        super().resizeEvent(event)
        width, height = event.size().width(), event.size().height()
        wide = width >= 1.2 * height
        if self._arranged == (wide, width, height):
            return
        self._arranged = (wide, width, height)
        self.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        self._side.setOrientation(Qt.Orientation.Vertical if wide
                                  else Qt.Orientation.Horizontal)
        length, across = (width, height) if wide else (height, width)
        plane = int(min(across, self.PLANE_SHARE * length))
        self.setSizes([plane, length - plane])
        self._side.setSizes([across // 2, across - across // 2])  # loss and accuracy alike


class ClassifierView(QObject):
    """The classification plane, the accuracy plot and the data and network settings.

    ``message(str)`` asks the panel to show a line (a refused click or setting);
    ``example_requested(int)`` asks to walk through the example at that index of the
    points the last run trained on (or the points shown, before any run).
    """

    message = Signal(str)
    example_requested = Signal(int)

    def __init__(self, learner_data: LearnerData, parent: QObject | None = None):
        super().__init__(parent)
        self.learner_data = learner_data
        self.lesson = None
        self.form = NetworkForm()
        self.form.setObjectName("trainNetworkForm")
        self.class_plot = ClassPlot()
        self.accuracy_plot = AccuracyPlot()
        self.side = QSplitter(Qt.Orientation.Vertical)  # the loss plot goes on top
        self.side.addWidget(self.accuracy_plot)
        self.plots = PlanePlots(self.class_plot, self.side)
        self._drawn_boundary = None
        self._busy = False
        self._keep_view = False  # a click or Delete: the view stays under the pointer
        plot = self.class_plot
        plot.point_added.connect(self._add_point)
        plot.point_removed.connect(self._remove_point)
        plot.undo_requested.connect(learner_data.undo_stack.undo)
        plot.redo_requested.connect(learner_data.undo_stack.redo)
        plot.example_requested.connect(self.example_requested)
        self.form.data_changed.connect(self._data_set_changed)

    def show_in(self, regression_plots: QSplitter, loss_plot: QWidget, form, lesson) -> None:
        """Show the plane, the accuracy and the settings in the Train tab for a
        classifier ``lesson`` (with its epochs and optimizer), else the regression's
        plots again; the loss plot moves to whichever is shown."""
        on = lesson is not None
        if on:
            spec = lesson.classifier
            self.side.insertWidget(0, loss_plot)
            if spec.epochs:
                form.epochs.setValue(spec.epochs)
            if spec.optimizer:
                form.rule.setCurrentIndex(max(form.rule.findData(spec.optimizer), 0))
        else:
            self.open(None)
            regression_plots.insertWidget(0, loss_plot)
        regression_plots.setVisible(not on)
        self.plots.setVisible(on)
        self.form.setVisible(on)

    @property
    def active(self) -> bool:
        """True while the open lesson trains as a classifier."""
        return self.lesson is not None

    def open(self, lesson) -> TrainingProblem | None:
        """Train ``lesson`` (``None``: no classifier lesson) with the lesson's defaults;
        returns the problem of the settings shown (``None`` if refused or no lesson)."""
        self.lesson = lesson
        if lesson is None:
            return None
        spec = lesson.classifier
        self.form.set_lesson(spec.classes, spec.has_network_settings,
                             spec.hidden_units, spec.activation,
                             "spirals" if spec.classes > 2 else "moons")
        self.class_plot.set_classes(spec.classes)
        self.class_plot.set_editable(True)
        self.class_plot.clear_boundary()
        self.accuracy_plot.reset(spec.epochs or 1000)
        self._drawn_boundary = None
        try:
            return self.problem()
        except ProgramError as exc:
            self.message.emit(f"Nothing to train: {exc}")
            return None

    # -- what the next run trains on ----------------------------------------------------
    def data(self):
        """The learner's points, else the data set chosen (raises :class:`ProgramError`)."""
        if self.learner_data.points is not None:
            return self.learner_data.points
        choice = self.form.data_choice()
        name = "moons" if choice.name == MY_POINTS else choice.name
        return make_dataset(name, choice.points, choice.noise, choice.seed,
                            self.lesson.classifier.classes)

    def network(self) -> NetworkSettings:
        """The network's settings as chosen (raises :class:`ProgramError`)."""
        hidden, activation, seed = self.form.network_values()
        spec = self.lesson.classifier
        if not spec.has_network_settings:
            return NetworkSettings(None, None, seed)
        return NetworkSettings(hidden, activation if spec.activation else None, seed)

    def problem(self) -> TrainingProblem:
        """The core's problem for the settings shown; raises :class:`ProgramError`."""
        return TrainingProblem.for_classifier(self.lesson, self.network(), self.data())

    def shown_points(self) -> LearnerPoints:
        """The points shown, as the learner's points would hold them."""
        if self.learner_data.points is not None:
            return self.learner_data.points
        inputs, labels = self.data().as_lists()
        return LearnerPoints(tuple(tuple(float(v) for v in row) for row in inputs),
                             tuple(float(label) for label in labels))

    def show_preview(self, keep_view: bool = False) -> None:
        """Show the points the next run trains on (before it starts)."""
        if not self.active or self._busy:
            return
        try:
            points = self.shown_points()
        except ProgramError as exc:
            self.message.emit(f"Cannot show the data: {exc}.")
            return
        inputs = np.array(points.inputs, dtype=float).reshape(-1, 2)
        self.class_plot.set_points(inputs, np.array(points.targets, dtype=int),
                                   keep_view=keep_view)

    @Slot()
    def _data_set_changed(self) -> None:
        mine = self.form.data_choice().name == MY_POINTS
        if mine and self.learner_data.points is None:
            try:
                shown = self.shown_points()
            except ProgramError as exc:
                self.message.emit(f"Cannot use these points: {exc}.")
                return
            self.learner_data.set_points(shown, YOUR_POINTS, "Use these points as yours")
        elif not mine and self.learner_data.points is not None:
            self.learner_data.set_points(None, "", "Use a data set")
        else:
            self.show_preview()

    def points_changed(self) -> None:
        """The learner's points changed (a click, Delete, an import, undo)."""
        self.form.show_mine(self.learner_data.points is not None)
        self.show_preview(keep_view=self._keep_view)

    # -- clicks -------------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """While training, the points and settings stay as they are."""
        self._busy = busy
        self.form.set_enabled_while(not busy)

    def _editable_points(self) -> LearnerPoints | None:
        if self._busy:
            self.message.emit("Stop training to change the points.")
            return None
        try:
            return self.shown_points()
        except ProgramError as exc:
            self.message.emit(f"Cannot change the points: {exc}.")
            return None

    @Slot(float, float, int)
    def _add_point(self, x1: float, x2: float, label: int) -> None:
        shown = self._editable_points()
        if shown is None:
            return
        self.message.emit("")
        self._keep_view = True
        try:
            self.learner_data.set_points(
                LearnerPoints((*shown.inputs, (float(x1), float(x2))),
                              (*shown.targets, float(label))),
                YOUR_POINTS, f"Add a class-{label} point")
        except ProgramError as exc:
            self.message.emit(f"Cannot add the point: {exc}.")
        finally:
            self._keep_view = False

    @Slot(float, float, float, float)
    def _remove_point(self, x1: float, x2: float, x_scale: float, y_scale: float) -> None:
        shown = self._editable_points()
        if shown is None:
            return
        if len(shown.targets) <= 2:
            self.message.emit("Cannot remove a point: at least two must stay, training "
                              "needs them.")
            return
        xy = np.array(shown.inputs, dtype=float).reshape(-1, 2)
        distance = ((xy[:, 0] - x1) / x_scale) ** 2 + ((xy[:, 1] - x2) / y_scale) ** 2
        index = int(np.argmin(distance))
        self.message.emit("")
        self._keep_view = True
        try:
            self.learner_data.set_points(shown.without(index), YOUR_POINTS, "Remove a point")
        finally:
            self._keep_view = False

    # -- a run --------------------------------------------------------------------------
    def start(self, problem: TrainingProblem, epochs: int) -> None:
        """A run of ``problem`` starts: show its points, no boundary yet."""
        inputs, labels = points_of(problem)
        self.class_plot.set_points(inputs, labels, keep_view=True)
        self.class_plot.clear_boundary()
        self._drawn_boundary = None
        self.accuracy_plot.reset(epochs)

    def add_snapshot(self, snapshot: TrainingSnapshot) -> None:
        """Keep a snapshot's accuracy (drawn at :meth:`redraw`)."""
        self.accuracy_plot.add(snapshot.step, snapshot.accuracy)

    def redraw(self, snapshot: TrainingSnapshot | None) -> None:
        """Redraw the accuracy, and the boundary when the snapshot carries a new one (the
        worker computes it at most ten times a second)."""
        self.accuracy_plot.redraw()
        boundary = None if snapshot is None else snapshot.boundary
        if boundary is not None and boundary is not self._drawn_boundary:
            self._drawn_boundary = boundary
            self.class_plot.set_boundary(boundary.xs, boundary.ys, boundary.probabilities)

    def accuracy_text(self) -> str:
        """The newest accuracy as shown (``"97.5 %"``), or an empty string."""
        return self.accuracy_plot.latest_text()

    def plot_widgets(self) -> list[QWidget]:
        """The plots it shows (for pictures and exports)."""
        return [self.class_plot, self.accuracy_plot]
