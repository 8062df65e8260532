"""The code panel's second tab, "Idiomatic PyTorch": shown for a tensor lesson, clicked
to, following the Values panel, gone for a lesson without one; and its export runs and
prints the trace's numbers."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui_backprop.core.idiomatic_code import close, printed_numbers
from gui_backprop.ui.walkthrough.code_panel import IDIOMATIC_TAB, TUTORIAL_TAB
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def _click_tab(qtbot, panel, title: str) -> None:
    bar = panel.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_a_tensor_lesson_has_the_idiomatic_tab_and_it_follows_the_values(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "layer-as-matrix")
    panel = window.code_panel
    bar = panel.tabs.tabBar()
    assert bar.isVisible()
    assert [bar.tabText(i) for i in range(bar.count())] == [TUTORIAL_TAB, IDIOMATIC_TAB]
    _click_tab(qtbot, panel, IDIOMATIC_TAB)
    assert panel.tabs.currentWidget() is panel.idiomatic_view
    assert panel.idiomatic_view.isVisible() and not panel.view.isVisible()
    text = panel.idiomatic_view.toPlainText()
    assert "layer = nn.Linear(3, 2)" in text and "torch.optim.SGD(" in text
    assert "W = torch.tensor([[0.5, -0.2, 0.2], [0.3, 0.4, -0.6]])" in text
    assert "learning_rate = 0.05" in text
    field = window.values_panel.field("W")
    field.setText("[[1, 2, 3], [4, 5, 6]]")
    with qtbot.waitSignal(window.model.traced):
        field.editingFinished.emit()
    assert "W = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])" in \
        panel.idiomatic_view.toPlainText()
    _click_tab(qtbot, panel, TUTORIAL_TAB)
    assert panel.view.isVisible()


def test_tab_moves_through_the_code_tabs_and_on(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "layer-as-matrix")
    panel = window.code_panel
    panel.view.setFocus()
    reached = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached[0] is panel.tabs.tabBar()  # the tabs: arrow keys switch them
    assert not any(panel.isAncestorOf(widget) for widget in reached[1:])  # and on


def test_a_lesson_without_idiomatic_code_shows_no_second_tab(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "softmax-classifier")
    panel = window.code_panel
    panel.show_idiomatic()
    assert window.menus.actions["export_idiomatic"].isEnabled()
    window.model.open_lesson(next(lesson for lesson in window.model.lessons
                                  if lesson.id == "chain-rule"))
    assert not panel.has_idiomatic_tab()
    assert not panel.tabs.tabBar().isVisible()
    assert panel.view.isVisible()
    assert not window.menus.actions["export_idiomatic"].isEnabled()
    window.exports.idiomatic_script()  # asked anyway: one message, no file dialog
    assert dialogs.file_dialogs == [] and "no idiomatic version" in dialogs.warnings[0][1]


@pytest.mark.slow
def test_the_idiomatic_export_runs_and_prints_the_numbers_shown(qtbot, tmp_path, dialogs):
    import subprocess
    import sys

    window = open_window(qtbot, tmp_path, "two-layer-network")
    field = window.values_panel.field("b2")
    field.setText("0.5")
    with qtbot.waitSignal(window.model.traced):
        field.editingFinished.emit()
    dialogs.save_to = tmp_path / "network.py"
    window.menus.actions["export_idiomatic"].trigger()
    assert dialogs.warnings == []
    path = tmp_path / "network.py"
    text = path.read_text()
    assert text.startswith('"""A two-layer network (Backprop Lab), in idiomatic PyTorch')
    assert text.endswith(window.code_panel.idiomatic_view.toPlainText() + "\n")
    stdout = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=120, check=True).stdout
    printed = printed_numbers(stdout)
    first = window.model.walkthrough.trace.first
    assert close(printed["loss"][0], first.loss)
    for update in first.updates:
        assert close(printed[f"{update.name}.grad"][0], update.grad), update.name
