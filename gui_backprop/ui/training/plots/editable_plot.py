"""What the Train tab's editable plots share: clicks add points, Delete removes, undo.

The regression data plot (:mod:`.data_plot`) and the classification plane
(:mod:`.class_plot`) both let the learner edit the points they show. This base class
tracks the pointer, turns a click into :meth:`EditablePlot._click` (each plot decides
what a click adds), turns Delete or Backspace into ``point_removed`` at the pointer,
and Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) into ``undo_requested`` / ``redo_requested``.
The plots only report; the Train panel decides.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence

from gui_backprop.ui.training.plots.live_plot import LivePlotWidget


class EditablePlot(LivePlotWidget):
    """A live plot whose points the learner may edit when :meth:`set_editable` is on.

    ``point_removed(x, y, x_scale, y_scale)``: Delete with the pointer at (x, y), the
    scales being the view's width and height (so that "nearest" is what the eye sees);
    ``undo_requested`` and ``redo_requested``: Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y).
    """

    point_removed = Signal(float, float, float, float)
    undo_requested = Signal()
    redo_requested = Signal()

    EDIT_TIP = ("Click to add a point; Delete removes the one nearest the pointer; "
                "Ctrl+Z undoes")

    def __init__(self, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._editable = False
        self._pointer: QPointF | None = None
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._moved)

    def set_editable(self, editable: bool) -> None:
        """Let clicks add points and Delete remove them (the tip says how)."""
        self._editable = editable
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable
                            else Qt.FocusPolicy.NoFocus)
        self.setToolTip(self.EDIT_TIP if editable else "")

    @property
    def editable(self) -> bool:
        """True when clicks and keys edit the points."""
        return self._editable

    def data_position(self, scene_position: QPointF) -> QPointF | None:
        """The data coordinates at a scene position (``None`` outside the plot's area)."""
        box = self.getPlotItem().vb
        if not box.sceneBoundingRect().contains(scene_position):
            return None
        return box.mapSceneToView(scene_position)

    def pointer(self) -> QPointF:
        """Where the pointer was last seen over the plot, in data coordinates (the
        view's centre before it was seen at all)."""
        if self._pointer is not None:
            return self._pointer
        (x0, x1), (y0, y1) = self.getPlotItem().vb.viewRange()
        return QPointF((x0 + x1) / 2, (y0 + y1) / 2)

    def view_scales(self) -> tuple[float, float]:
        """The view's width and height in data units (never zero)."""
        (x0, x1), (y0, y1) = self.getPlotItem().vb.viewRange()
        return x1 - x0 or 1.0, y1 - y0 or 1.0

    def _moved(self, scene_position: QPointF) -> None:
        self._pointer = self.data_position(scene_position)
        self._pointer_moved()

    def _pointer_moved(self) -> None:
        """Called after the pointer moved over the plot (a plot may mark what is under it)."""

    def _clicked(self, event) -> None:
        if not self._editable or event.double():
            return
        position = self.data_position(event.scenePos())
        if position is not None and self._click(position, event.button(), event.modifiers()):
            self._pointer = position
            event.accept()

    def _click(self, position: QPointF, button: Qt.MouseButton,
               modifiers: Qt.KeyboardModifier) -> bool:
        """Report a click at ``position`` (data coordinates); True when it was taken."""
        raise NotImplementedError

    def _edit_key(self, event) -> bool:
        return self._editable and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
            or (event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier)
            or event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace))

    def event(self, event) -> bool:
        """Claim the editing keys from the window's shortcuts (Backspace steps back)."""
        if event.type() == QEvent.Type.ShortcutOverride and self._edit_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Delete/Backspace, Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) while editing."""
        if not self._edit_key(event):
            super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            self.redo_requested.emit()
        else:  # Delete or Backspace
            pointer = self.pointer()
            self.point_removed.emit(pointer.x(), pointer.y(), *self.view_scales())
        event.accept()
