"""The learner's own points for the Train tab, with undo.

Every change (an import, a click that adds a point, Delete that removes one, going back
to the lesson's points) is a command on a :class:`QUndoStack`, Qt's own undo history,
so Ctrl+Z and Ctrl+Shift+Z step through them. The points themselves are the core's
immutable :class:`~gui_backprop.core.training_data.LearnerPoints`; a command only
swaps one value for another.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.training_data import LearnerPoints


class _Change(QUndoCommand):
    """Swap the learner's points (and where they came from) for others."""

    def __init__(self, data: LearnerData, points: LearnerPoints | None, origin: str,
                 text: str):
        super().__init__(text)
        self._data = data
        self._before = (data.points, data.origin)
        self._after = (points, origin)

    def redo(self) -> None:  # noqa: D102 - QUndoCommand's
        self._data._show(*self._after)

    def undo(self) -> None:  # noqa: D102 - QUndoCommand's
        self._data._show(*self._before)


class LearnerData(QObject):
    """The learner's points (``None``: the lesson's own, or synthetic ones) and their
    undo history. ``changed`` fires after every change, undo and redo included."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.points: LearnerPoints | None = None
        self.origin = ""
        self.undo_stack = QUndoStack(self)

    def _show(self, points: LearnerPoints | None, origin: str) -> None:
        self.points, self.origin = points, origin
        self.changed.emit()

    def set_points(self, points: LearnerPoints | None, origin: str, text: str) -> None:
        """Use ``points`` from now on (undoably); ``origin`` says where they came from."""
        self.undo_stack.push(_Change(self, points, origin, text))

    def add(self, shown: LearnerPoints, x: float, y: float) -> None:
        """Add the point (x, y) to ``shown`` (the points on the plot) and use them."""
        self.set_points(shown.added(x, y), "your points", "Add a point")

    def remove_nearest(self, shown: LearnerPoints, x: float, y: float, x_scale: float,
                       y_scale: float) -> None:
        """Remove the point of ``shown`` nearest (x, y); raises :class:`ProgramError`
        when only two would be left (training needs at least two)."""
        if len(shown.targets) <= 2:
            raise ProgramError("at least two points must stay: training needs them")
        index = shown.nearest(x, y, x_scale, y_scale)
        self.set_points(shown.without(index), "your points", "Remove a point")

    def forget(self) -> None:
        """No learner points, and no undo history (another lesson or program)."""
        self.undo_stack.clear()
        self._show(None, "")

    def restore(self, points: LearnerPoints | None, origin: str = "your points") -> None:
        """Points from a session file: not undoable (the history starts with them)."""
        self.undo_stack.clear()
        self._show(points, origin if points is not None else "")
