"""The graph canvas under a heading with zoom and fit buttons, following the lesson model."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from gui_backprop.core.graph import Iteration
from gui_backprop.core.walkthrough import WalkState
from gui_backprop.ui.canvas.view import GraphView
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.widgets.panel_layout import heading

TITLE = "Computational graph"
TRACING = "Tracing…"


class GraphPanel(QWidget):
    """Hosts the :class:`GraphView`; shows the model's iteration and state on it."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphPanel")
        self.model = model
        self.view = GraphView(self)
        self.title = heading(TITLE, "graphHeading")
        self.title.setWordWrap(True)  # at a projector's text size it wraps, the buttons stay
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.title, 1)  # the free room: it wraps only when there is none
        for name, text, accessible, slot in (
                ("zoomOutButton", "−", "Zoom out (Ctrl+minus)", self.view.zoom_out),
                ("zoomInButton", "+", "Zoom in (Ctrl+plus)", self.view.zoom_in),
                ("fitButton", "Fit", "Fit the graph to the window (F)", self.view.fit_to_window)):
            button = QPushButton(text, objectName=name)
            button.setAccessibleName(accessible)
            button.setToolTip(accessible)
            button.setProperty("compact", True)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self._shown: tuple | None = None
        model.traced.connect(self._forget_shown)
        model.tracing.connect(self._show_tracing)
        model.moved.connect(self._show)
        self.view.node_activated.connect(model.jump_to_node)

    def _show_tracing(self, busy: bool) -> None:
        """A big program is being traced off the GUI thread: say so, quietly, in the
        heading (the graph shown is still the last one, as is everything else)."""
        title = TITLE if self.model.trained_note is None \
            else f"{TITLE} · {self.model.trained_note}"
        self.title.setText(f"{title} · {TRACING}" if busy else title)

    def _forget_shown(self) -> None:
        self._shown = None

    def show_training(self, iteration: Iteration, state: WalkState, title: str) -> None:
        """Show a graph traced outside the walkthrough (training's), under ``title``.

        The walkthrough's next move shows the walkthrough again.
        """
        self._shown = None
        self.title.setText(title)
        self.view.show_iteration(iteration, state)

    def _show(self) -> None:
        model = self.model
        state = model.state
        note = model.trained_note  # the values shown are a training run's result
        self.title.setText(TITLE if note is None else f"{TITLE} · {note}")
        shown = (id(model.walkthrough), state.iteration)
        if shown != self._shown:
            self._shown = shown
            self.view.show_iteration(model.iteration, state,
                                     model.layouts.get(state.iteration))
        else:
            self.view.show_state(state)
