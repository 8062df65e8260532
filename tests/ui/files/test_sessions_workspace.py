"""A session holds the whole workspace: every lesson's work comes back from the file, and
going from lesson to lesson is navigation inside it, not a change."""

import json

from PySide6.QtCore import Qt

from gui_backprop.core.session_file import VERSION, load_session
from tests.ui.editing.test_playground_work import click_lesson
from tests.ui.session_helpers import press, run_program, type_value
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

PROGRAM = "a = 2.0\nb = 0.5\nloss = (a * b - 1.0) ** 2"


def _workspace(qtbot, tmp_path):
    """A playground program and an edited lesson, the lesson open."""
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, PROGRAM)
    window.model.jump(4)
    click_lesson(qtbot, window, "one-training-step")
    type_value(qtbot, window, "w", "3")
    window.model.jump(6)
    return window


def test_every_lessons_work_comes_back_from_the_file(qtbot, tmp_path, dialogs):
    window = _workspace(qtbot, tmp_path / "a")
    dialogs.save_to = tmp_path / "work.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    data = json.loads((tmp_path / "work.bplab").read_text())
    assert data["version"] == VERSION == 2
    assert data["workspace"]["playground"]["program"] == PROGRAM
    other = open_window(qtbot, tmp_path / "b")
    dialogs.open_from = tmp_path / "work.bplab"
    press(qtbot, other, Qt.Key.Key_O)
    assert other.model.lesson.id == "one-training-step" and other.model.position == 6
    assert other.values_panel.field("w").text() == "3.0"
    click_lesson(qtbot, other, "playground")
    assert other.playground_panel.editor.toPlainText() == PROGRAM
    assert other.model.position == 4
    assert not other.isWindowModified()


def test_going_to_another_lesson_is_not_a_change(qtbot, tmp_path, dialogs):
    window = _workspace(qtbot, tmp_path)
    dialogs.save_to = tmp_path / "session1.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    assert not window.isWindowModified()
    click_lesson(qtbot, window, "chain-rule")
    assert not window.isWindowModified()
    press(qtbot, window, Qt.Key.Key_S)  # saves the workspace, the edited lesson in it
    saved = load_session(tmp_path / "session1.bplab")
    assert saved.lesson == "chain-rule"
    assert saved.workspace["one-training-step"].values["w"] == 3.0
    assert saved.workspace["playground"].program == PROGRAM
    type_value(qtbot, window, "x", "0.5")
    assert window.isWindowModified()  # an edit in any lesson is one


def test_a_version_1_file_still_opens(qtbot, tmp_path, dialogs):
    path = tmp_path / "old.bplab"
    path.write_text(json.dumps({
        "format": "backprop-lab-session", "version": 1, "program": PROGRAM,
        "values": {"a": 2.0, "b": 0.25}, "parameters": ["b"], "learning_rate": 0.1,
        "lesson": "playground", "position": 2}))
    window = open_window(qtbot, tmp_path)
    dialogs.open_from = path
    press(qtbot, window, Qt.Key.Key_O)
    assert dialogs.warnings == []
    assert window.model.values["b"] == 0.25 and window.model.position == 2
