"""After a run with torch.optim.Adam the screen says which rule trained the values and
which one the walkthrough's update step shows: heading, code listing, explanation."""

from PySide6.QtCore import Qt

from gui_backprop.core.code_listing import TRAINED_UPDATE
from gui_backprop.core.walkthrough import Stage
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, pick_rule

pytestmark = IGNORE_OFFSCREEN_NOISE




def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def comments(code: str) -> str:
    """The listing's comment lines as one text (a long comment wraps over lines)."""
    return " ".join(row.strip().removeprefix("# ") for row in code.splitlines()
                    if row.strip().startswith("#"))


def train(qtbot, window, rule, epochs):
    panel = window.train_panel
    pick_rule(qtbot, panel, rule)
    panel.form.epochs.setValue(epochs)
    with qtbot.waitSignal(window.model.traced, timeout=60_000):  # the result adopted
        click(qtbot, panel.start_button)


def test_an_adam_runs_values_are_named_and_the_update_step_says_it_is_manual(qtbot, window):
    train(qtbot, window, "adam", 50)
    note = "trained to epoch 50 of 50 with torch.optim.Adam"
    assert window.model.trained_note == note
    assert window.graph_panel.title.text().endswith(note)
    code = window.code_panel.view.toPlainText()
    assert f"Train tab: {note}" in comments(code) and TRAINED_UPDATE in comments(code)
    window.model.jump(window.model.walkthrough.first_of(Stage.UPDATE))
    assert window.code_panel.highlighted_text().strip() == "w -= 0.05 * w.grad"
    sentence = window.explanation.explanation().sentence
    assert note in sentence and "manual update" in sentence
    click(qtbot, window.train_panel.back_button)
    code = window.code_panel.view.toPlainText()
    assert "Train tab" not in code and TRAINED_UPDATE not in comments(code)
    assert "manual update" not in window.explanation.explanation().sentence


def test_a_manual_runs_values_name_no_optimizer(qtbot, window):
    train(qtbot, window, "manual", 30)
    note = "trained to epoch 30 of 30"
    assert window.model.trained_note == note
    assert "torch.optim" not in window.code_panel.view.toPlainText()
    assert f"Train tab: {note}" in comments(window.code_panel.view.toPlainText())


def test_the_listing_still_names_the_run_after_a_visit_to_another_lesson(qtbot, window):
    train(qtbot, window, "momentum", 20)
    note = "trained to epoch 20 of 20 with torch.optim.SGD(momentum=0.9)"
    window.model.open_lesson("chain-rule")
    assert "Train tab" not in window.code_panel.view.toPlainText()
    window.model.open_lesson("linear-regression")
    assert window.model.trained_note == note
    assert f"Train tab: {note}" in comments(window.code_panel.view.toPlainText())
