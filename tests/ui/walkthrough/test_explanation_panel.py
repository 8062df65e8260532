"""The explanation panel shows each step once, with the code line it highlights."""

import pytest

from gui_backprop.core.walkthrough import Stage
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def _times_shown(window) -> int:
    panel = window.explanation
    return panel.toPlainText().count(panel.explanation().where)


@pytest.mark.parametrize("positions", [(3, 4, 5), (14, 15, 16, 17, 18)])
def test_an_explanation_that_overflows_is_shown_once(qtbot, tmp_path, positions):
    window = open_window(qtbot, tmp_path, "linear-regression")
    window.resize(1280, 800)
    for position in positions:
        window.model.jump(position)
        assert _times_shown(window) == 1, position
        assert window.explanation.toPlainText().count(window.model.step.title) == 1


def test_the_explanation_is_shown_once_after_the_text_size_changes(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    window.resize(1280, 800)
    window.model.jump(15)
    for points in (16, 9, 12):
        window.set_text_size(points)
        assert _times_shown(window) == 1, points


def test_the_explanation_names_the_highlighted_line_and_the_rule(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "computational-graph")
    window.model.jump_to_stage(Stage.LOCAL)
    note = window.explanation.explanation().code_note
    line = window.code_panel.highlighted_line()
    assert window.code_panel.highlighted_text().startswith("loss.backward()")  # not z = x * y
    assert note.startswith(f"Code: line {line}, loss.backward(). Local-gradient steps "
                           "highlight backward()")
    assert note in window.explanation.toPlainText().replace("\n", " ")


def test_backticks_in_a_lessons_text_are_set_as_code_and_html_stays_text():
    from gui_backprop.ui.walkthrough.rich_text import lesson_text_html
    assert lesson_text_html("Call `y.backward()` once,\nnot <b>twice</b>.") == \
        "<p>Call <code>y.backward()</code> once, not &lt;b&gt;twice&lt;/b&gt;.</p>"


def test_the_intro_asks_for_next_once(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    assert window.explanation.toPlainText().count("Press Next") == 1
