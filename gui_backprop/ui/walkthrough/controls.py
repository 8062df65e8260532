"""Back, Next, Play/Pause with a speed, Reset, and a jump to each stage."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.widgets.flow_layout import FlowLayout

SPEEDS = (("Slow", 2000), ("Normal", 1000), ("Fast", 500), ("Very fast", 200))
DEFAULT_SPEED = 1


class WalkthroughPlayer(QObject):
    """Presses Next on a timer until the end of the walkthrough (or Pause)."""

    playing_changed = Signal(bool)

    def __init__(self, model: LessonModel, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.timer = QTimer(self)
        self.timer.setInterval(SPEEDS[DEFAULT_SPEED][1])
        self.timer.timeout.connect(self._tick)
        model.lesson_opened.connect(self.pause)

    def is_playing(self) -> bool:
        """True while stepping on its own."""
        return self.timer.isActive()

    def set_interval(self, milliseconds: int) -> None:
        """Time between two steps."""
        self.timer.setInterval(milliseconds)

    def play(self) -> None:
        """Start stepping (from the start again when at the end)."""
        if self.is_playing():
            return
        if self.model.position >= self.model.step_count:
            self.model.reset()
        self.timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        """Stop stepping; the position stays."""
        if self.is_playing():
            self.timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        """Play when paused, pause when playing."""
        self.pause() if self.is_playing() else self.play()

    def _tick(self) -> None:
        if not self.model.next() or self.model.position >= self.model.step_count:
            self.pause()


class WalkthroughControls(QWidget):
    """The button bar above the graph. Buttons call the model; ``moved`` updates them."""

    def __init__(self, model: LessonModel, player: WalkthroughPlayer,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("walkthroughControls")
        self.model = model
        self.player = player
        self.back_button = self._button("backButton", "◀  Back", "Back one step",
                                        model.back)
        self.next_button = self._button("nextButton", "Next  ▶", "Next step", model.next)
        self.play_button = self._button("playButton", "Play", "Play or pause", player.toggle)
        self.speed_box = QComboBox(objectName="speedBox")
        self.speed_box.setAccessibleName("Play speed")
        self.speed_box.setToolTip("How fast Play steps through the walkthrough")
        for name, interval in SPEEDS:
            self.speed_box.addItem(name, interval)
        self.speed_box.setCurrentIndex(DEFAULT_SPEED)
        self.speed_box.currentIndexChanged.connect(
            lambda index: player.set_interval(self.speed_box.itemData(index)))
        self.reset_button = self._button("resetButton", "Reset", "Back to the start",
                                         model.reset)
        self.position_label = QLabel(objectName="positionLabel")
        self.position_label.setAccessibleName("Position in the walkthrough")
        self.stage_buttons: dict[Stage, QPushButton] = {}
        playback = QWidget(objectName="playbackGroup")
        row = QHBoxLayout(playback)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget in (self.back_button, self.next_button, self.play_button, self.speed_box,
                       self.reset_button):
            row.addWidget(widget)
        layout = FlowLayout(self, spacing=6)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(playback)
        jump = QLabel("Jump to:", objectName="jumpLabel")
        jump.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(jump)
        for stage in Stage:
            button = self._button(f"stageButton_{stage.value}", stage.title,
                                  f"Jump to the first step of the {stage.title.lower()}",
                                  lambda stage=stage: model.jump_to_stage(stage))
            button.setCheckable(True)
            button.setProperty("stage", stage.value)
            self.stage_buttons[stage] = button
            layout.addWidget(button)
        self.position_label.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.position_label)
        self.next_button.setDefault(True)
        model.traced.connect(self._update_stages)
        model.moved.connect(self._update_position)
        player.playing_changed.connect(self._update_play)
        self._update_play(False)

    def _button(self, name: str, text: str, accessible: str, slot) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _update_stages(self) -> None:
        for stage, button in self.stage_buttons.items():
            button.setEnabled(self.model.has_stage(stage))
            if not button.isEnabled():
                button.setToolTip(f"This lesson has no {stage.title.lower()} step")
            else:
                button.setToolTip(f"Jump to the first step of the {stage.title.lower()}")

    def _update_position(self, position: int) -> None:
        count = self.model.step_count
        self.back_button.setEnabled(position > 0)
        self.next_button.setEnabled(position < count)
        self.position_label.setText(f"Step {position} of {count}")
        step = self.model.step
        # Not a QButtonGroup: Tab would then reach only the checked button.
        for stage, button in self.stage_buttons.items():
            with QSignalBlocker(button):
                button.setChecked(step is not None and step.stage is stage)

    def _update_play(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setAccessibleName("Pause" if playing else "Play")
