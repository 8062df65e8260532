"""File › Save as lesson…: playground -> lesson file -> check-lesson -> the same walkthrough."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from gui_backprop.core.lesson_check import check_lesson_file
from gui_backprop.core.lessons import load_lesson
from tests.ui.editing.test_window_editing import run_program
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

PROGRAM = "x = [1.0, 2.0, 3.0]\nw = 0.5\nb = 0.25\ny = tanh(w * x + b)\nloss = mean(y ** 2)"


def numbers(walkthrough):
    """Every node's value and gradient and every update, iteration by iteration."""
    return [([(n.name, n.value, n.grad) for n in it.nodes],
             [(u.name, u.before, u.grad, u.after) for u in it.updates])
            for it in walkthrough.trace.iterations]


def test_a_playground_program_saved_as_a_lesson_passes_the_checker_and_opens_the_same(
        qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        run_program(qtbot, window, PROGRAM)
    expected = numbers(window.model.walkthrough)
    parameters = window.model.parameters
    target = tmp_path / "course" / "tanh-neuron.toml"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))

    def type_the_texts():
        dialog = QApplication.activeModalWidget()
        dialog.title.selectAll()
        qtbot.keyClicks(dialog.title, "A tanh neuron")
        qtbot.keyClicks(dialog.intro, "One neuron, three inputs.")
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, type_the_texts)
    with qtbot.waitSignal(window.model.lessons_changed):
        window.menus.actions["save_as_lesson"].trigger()
    assert check_lesson_file(target) == []
    saved = load_lesson(target)
    assert (saved.title, saved.intro, saved.parameters) == ("A tanh neuron",
                                                            "One neuron, three inputs.",
                                                            parameters)
    assert window.lesson_list.headings() == ["course"]
    window.model.open_lesson("tanh-neuron")
    assert numbers(window.model.walkthrough) == expected
    assert window.code_panel.view.toPlainText().startswith("import torch")
