"""A lesson's texts quote its own numbers: beside other values (an edit, a training
result) they are shown below a line saying so, with the way back to the lesson's values."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from gui_backprop.core.formatting import format_value
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.walkthrough.explanation import LESSON_VALUES_URL
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window, type_into

pytestmark = IGNORE_OFFSCREEN_NOISE

NOTES_LINE = "The lesson's notes below were written for its own values"




def shown_text(window) -> str:
    return " ".join(window.explanation.toPlainText().split())


def click_link(qtbot, panel, href: str) -> None:
    """Click the link ``href`` in the explanation as a learner does, with the mouse."""
    block = panel.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(panel.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                panel.setTextCursor(cursor)
                panel.ensureCursorVisible()
                point = panel.cursorRect(cursor).center()
                qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link {href} in the explanation")


def test_after_a_value_edit_the_notes_are_not_shown_as_current(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "two-layer-network")
    window.resize(1280, 800)
    panel, model = window.explanation, window.model
    assert panel.explanation().notes_describe_shown_values
    assert NOTES_LINE not in shown_text(window) and "against the targets" in shown_text(window)
    with qtbot.waitSignal(model.traced):
        type_into(qtbot, window.values_panel.field("b2"), "0.5")
    assert not panel.explanation().notes_describe_shown_values
    loss = format_value(model.walkthrough.trace.first.loss, 4)
    assert f"{NOTES_LINE} (loss = 1.043); the walkthrough now shows loss = {loss}" \
        in shown_text(window)
    assert shown_text(window).index(NOTES_LINE) < shown_text(window).index("Two layers make")
    model.jump_to_stage(Stage.FORWARD)  # a step: its stage text below the same line
    assert "the second's [4, 4, 5]" in shown_text(window)
    assert shown_text(window).index(NOTES_LINE) < shown_text(window).index("the second's")
    position = model.position
    with qtbot.waitSignal(model.traced):
        click_link(qtbot, panel, LESSON_VALUES_URL)
    assert model.values["b2"] == 0.0 and window.values_panel.field("b2").text() == "0.0"
    assert model.position == position  # kept
    assert panel.explanation().notes_describe_shown_values
    assert NOTES_LINE not in shown_text(window) and "the second's [4, 4, 5]" in shown_text(window)


def test_a_learning_rate_of_its_own_is_named_beside_the_lessons(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump_to_stage(Stage.UPDATE)
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field(window.values_panel.LEARNING_RATE), "0.5")
    text = shown_text(window)
    assert f"{NOTES_LINE} (lr = 0.1); the walkthrough now shows lr = 0.5" in text \
        or f"{NOTES_LINE} (lr = 0.01); the walkthrough now shows lr = 0.5" in text


def test_other_values_with_the_same_loss_are_not_called_a_different_loss(qtbot, tmp_path):
    # lesson 7: loss = sum((y - t)²); t = [-0.8, 0.0] for [1.0, 0.0] gives the same 3.37
    window = open_window(qtbot, tmp_path, "layer-as-matrix")
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field("t"), "[-0.8, 0.0]")
    text = shown_text(window)
    assert "now shows other values (with the same loss = 3.37)" in text
    assert "now shows loss = 3.37" not in text


def test_a_playgrounds_notes_name_no_numbers_and_stay(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    with qtbot.waitSignal(window.model.traced):
        type_into(qtbot, window.values_panel.field("w"), "2")
    assert window.explanation.explanation().notes_describe_shown_values
    assert NOTES_LINE not in shown_text(window)


def test_an_adopted_training_run_is_not_described_by_the_notes(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    panel, model = window.train_panel, window.model
    window.centre_tabs.setCurrentWidget(panel)
    panel.form.epochs.setValue(200)
    try:
        with qtbot.waitSignal(model.traced, timeout=60_000):
            qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert model.trained_note is not None
        assert not window.explanation.explanation().notes_describe_shown_values
        trace = model.walkthrough.trace
        loss = format_value(trace.first.loss, 4)
        assert f"{NOTES_LINE} (J = 57.22); the walkthrough now shows {trace.output_name} = " \
            f"{loss}" in shown_text(window)
        with qtbot.waitSignal(model.traced):
            qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
        assert window.explanation.explanation().notes_describe_shown_values
        assert NOTES_LINE not in shown_text(window)
    finally:
        panel.shutdown()
