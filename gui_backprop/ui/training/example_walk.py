"""One example's backward pass: a classifier's training program traced for one point.

The Train tab's plane rings the point nearest the pointer; Enter (a plain click adds a
point, so walking through one needs its own gesture) asks for that example. The
walkthrough then traces the classifier's *training program* with the input narrowed to
that point's row and the labels to its label (:func:`~gui_backprop.core.classifier.
one_example_values`), at the parameters of the run shown (or the initial ones, before
any run), so the canvas, the explanation, the code listing and the Values tab all show
that one example. The lesson's own prose describes its own program, so the model marks
the walkthrough as an example (:attr:`LessonModel.example`) and the explanation leaves
that prose out. The Train tab's "Back to the starting values" shows the lesson again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Slot

from gui_backprop.core.classifier import one_example_values
from gui_backprop.core.errors import ProgramError
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.training.classifier_view import points_of
from gui_backprop.ui.training.controller import TrainingState
from gui_backprop.ui.training.panel import TrainPanel


class ExampleWalk(QObject):
    """Opens the walkthrough on the example the Train tab's plane asks for;
    ``show_walkthrough`` brings the Walkthrough tab to the front."""

    def __init__(self, panel: TrainPanel, model: LessonModel,
                 show_walkthrough: Callable[[], None]):
        super().__init__(panel)
        self.panel = panel
        self.model = model
        self.show_walkthrough = show_walkthrough
        panel.classifier.example_requested.connect(self.walk)
        panel.back_requested.connect(self.back)

    def _problem_and_values(self):
        """The problem whose points are on the plane, and its values: the run's (its
        newest parameters) when the plane shows the run's points, else the problem of
        the settings shown, at its initial parameters."""
        panel = self.panel
        shown, labels = panel.classifier.class_plot.points_data()
        problem = panel.problem
        if problem is not None and problem.classifier is not None and panel.latest_values():
            inputs, run_labels = points_of(problem)
            if np.array_equal(inputs, shown) and np.array_equal(run_labels, labels):
                return problem, panel.latest_values(), panel.latest_snapshot
        problem = panel.classifier.problem()
        return problem, dict(problem.values), None

    @Slot(int)
    def walk(self, index: int) -> str | None:
        """Walk through example ``index``; the reason (also shown) if refused."""
        panel = self.panel
        if panel.controller.state is TrainingState.RUNNING:
            return self._refuse("Pause or stop training to walk through one example.")
        try:
            problem, values, snapshot = self._problem_and_values()
            example = one_example_values(problem, values, index)
        except ProgramError as exc:
            return self._refuse(f"Cannot walk through this example: {exc}.")
        spec = problem.classifier
        row, label = example[spec.input][0], int(example[spec.labels][0])
        where = "the initial parameters" if snapshot is None else \
            f"the parameters of epoch {snapshot.step:,}"
        note = (f"one example: point {index + 1} of {len(values[spec.labels]):,}, "
                f"({row[0]:.3g}, {row[1]:.3g}), class {label}, at {where}")
        refused = self.model.show_example(problem.program, example, problem.parameters,
                                          problem.output, note, self._learning_rate(problem))
        if refused is not None:
            return self._refuse(f"Cannot walk through this example: {refused}.")
        panel.message.setText(f"The Walkthrough shows {note}. \"Back\" shows the "
                              "lesson's own example again.")
        panel.set_can_go_back(True)
        self.show_walkthrough()
        return None

    def _learning_rate(self, problem) -> float:
        """The rate the shown parameters were trained with (the run's), else the one a
        run would start with."""
        run = self.panel.last_run()
        if run is not None and run.program is problem.program:
            return run.settings.learning_rate
        return problem.learning_rate

    @Slot()
    def back(self) -> None:
        """Show the lesson again as it was before the example (nothing if none is shown)."""
        if self.model.example is not None:
            self.model.open_lesson(self.model.lesson)

    def _refuse(self, message: str) -> str:
        self.panel.message.setText(message)
        return message
