"""The graph canvas under a heading with zoom and fit buttons, following the session."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from gui_backprop.core.graph import Iteration
from gui_backprop.core.walkthrough import WalkState
from gui_backprop.ui.graph_view import GraphView
from gui_backprop.ui.lesson_session import LessonSession
from gui_backprop.ui.panel_layout import heading

TITLE = "Computational graph"


class GraphPanel(QWidget):
    """Hosts the :class:`GraphView`; shows the session's iteration and state on it."""

    def __init__(self, session: LessonSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphPanel")
        self.session = session
        self.view = GraphView(self)
        self.title = heading(TITLE, "graphHeading")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.title)
        row.addStretch(1)
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
        session.traced.connect(self._forget_shown)
        session.moved.connect(self._show)
        self.view.node_activated.connect(session.jump_to_node)

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
        session = self.session
        state = session.state
        self.title.setText(TITLE)
        shown = (id(session.walkthrough), state.iteration)
        if shown != self._shown:
            self._shown = shown
            self.view.show_iteration(session.iteration, state)
        else:
            self.view.show_state(state)
