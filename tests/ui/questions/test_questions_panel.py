"""The Questions tab in the real window: a learner's seed gives the whole window their
own values, answers are graded once against autograd, bad text costs nothing."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from gui_backprop.core.formatting import format_value
from gui_backprop.core.lessons import load_lesson_folder
from gui_backprop.ui.window.main_window import MainWindow
from tests.ui.editing.test_playground_work import click_lesson
from tests.ui.questions.helpers import (
    LESSON,
    answer,
    node_on_screen,
    open_questions,
    use_seed,
    values_shown,
)
from tests.ui.session_helpers import type_value
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, LESSONS, open_window, shown

pytestmark = IGNORE_OFFSCREEN_NOISE


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, LESSON)
    open_questions(qtbot, window)
    return window


def test_the_tab_is_there_only_for_a_lesson_with_questions(qtbot, window):
    tabs = window.side_tabs
    assert tabs.isTabVisible(window.questions_tab)
    click_lesson(qtbot, window, "chain-rule")
    assert not tabs.isTabVisible(window.questions_tab)
    assert tabs.currentIndex() != window.questions_tab
    click_lesson(qtbot, window, LESSON)
    assert tabs.isTabVisible(window.questions_tab)


def test_a_seed_gives_its_own_numbers_every_time(qtbot, window):
    before = values_shown(window)
    use_seed(qtbot, window, "ana.souza")
    ana = values_shown(window), shown(window)["nodes"]
    assert ana[0] != before
    assert "ana.souza" in window.questions_panel.seed_label.text()
    use_seed(qtbot, window, "ben")
    assert values_shown(window) != ana[0]
    use_seed(qtbot, window, "  ANA.souza ")  # case and spaces around do not count
    assert (values_shown(window), shown(window)["nodes"]) == ana
    use_seed(qtbot, window, "42")
    seed_42 = values_shown(window)
    assert "(seed 42):" in window.questions_panel.seed_label.text()
    use_seed(qtbot, window, "43")
    assert values_shown(window) != seed_42


def test_the_answer_key_is_the_trace_on_screen(qtbot, window):
    use_seed(qtbot, window, "ana.souza")
    questions = window.questions_panel.questions
    it = window.model.walkthrough.trace.iterations[0]
    w_edge = next(e for e in it.edges if it.nodes[e.source].name == "w"
                  and it.nodes[e.target].name == "y_pred")
    assert [q.expected for q in questions] == [
        node_on_screen(window, "y_pred").value, node_on_screen(window, "loss").value,
        node_on_screen(window, "y_pred").grad, w_edge.local_grad,
        node_on_screen(window, "w").grad]
    x = float(values_shown(window)["x"])
    assert questions[3].expected == pytest.approx(x)  # ∂y_pred/∂w = x, as the rule says


def test_right_and_wrong_answers_are_graded_against_autograd(qtbot, window):
    use_seed(qtbot, window, "ana.souza")
    panel = window.questions_panel
    assert panel.score_label.text() == "Score: 0 of 5 right (5 to answer)"
    y_pred = node_on_screen(window, "y_pred").value
    assert answer(qtbot, window, 0, format_value(y_pred)).startswith("✓ Right")
    loss = node_on_screen(window, "loss").value
    verdict = answer(qtbot, window, 1, format_value(loss + 1.0))
    assert verdict.startswith("✗ Not quite") and format_value(loss) in verdict
    assert panel.score_label.text() == "Score: 1 of 5 right (3 to answer)"
    row = panel.rows[1]
    assert row.answer.isReadOnly() and not row.check_button.isVisible()
    answer(qtbot, window, 1, format_value(loss))  # graded once: a second try changes nothing
    assert panel.score_label.text() == "Score: 1 of 5 right (3 to answer)"
    grad = node_on_screen(window, "w").grad
    assert answer(qtbot, window, 4, format_value(grad * 1.005)).startswith("✓")  # within 1 %
    assert panel.score_label.text() == "Score: 2 of 5 right (2 to answer)"


@pytest.mark.parametrize(("text", "says"), [
    ("abc", "is not a number"),
    ("[1, 2]", "single number, not a list"),
    ("", "Enter a number"),
    ("__import__('os')", "is not a number"),
])
def test_text_that_is_not_an_answer_is_one_message_costing_nothing(qtbot, window, text,
                                                                     says):
    use_seed(qtbot, window, "ana.souza")
    panel = window.questions_panel
    before = values_shown(window), shown(window)
    verdict = answer(qtbot, window, 0, text)
    assert says in verdict and "no point lost" in verdict
    assert panel.score_label.text() == "Score: 0 of 5 right (5 to answer)"
    assert not panel.rows[0].answer.isReadOnly()
    assert (values_shown(window), shown(window)) == before
    y_pred = node_on_screen(window, "y_pred").value
    assert answer(qtbot, window, 0, format_value(y_pred)).startswith("✓ Right")


@pytest.mark.parametrize(("text", "says"), [
    ("   ", "Type your student id"),
    ("x" * 65, "at most 64 characters"),
    ("9" * 14, "at most 1,000,000,000,000"),
])
def test_a_bad_seed_is_one_message_and_changes_nothing(qtbot, window, text, says):
    use_seed(qtbot, window, "ben")
    before = values_shown(window), window.questions_panel.seed_label.text()
    use_seed(qtbot, window, text)
    message = window.questions_panel.message
    assert message.isVisible() and says in message.text()
    assert (values_shown(window), window.questions_panel.seed_label.text()) == before


def test_other_values_on_screen_close_the_answers_until_shown_again(qtbot, window):
    use_seed(qtbot, window, "ana.souza")
    ana = values_shown(window)
    panel = window.questions_panel
    window.side_tabs.setCurrentIndex(0)
    type_value(qtbot, window, "w", "7")
    open_questions(qtbot, window)
    assert panel.mismatch.isVisible() and not panel.rows[0].answer.isEnabled()
    answer(qtbot, window, 0, "1")
    assert panel.score_label.text() == "Score: 0 of 5 right (5 to answer)"
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert values_shown(window) == ana
    assert not panel.mismatch.isVisible() and panel.rows[0].answer.isEnabled()


def test_each_lesson_keeps_its_learner(qtbot, window):
    use_seed(qtbot, window, "ana.souza")
    answer(qtbot, window, 0, "0")
    click_lesson(qtbot, window, "chain-rule")
    click_lesson(qtbot, window, LESSON)
    panel = window.questions_panel
    assert panel.seed_field.text() == "ana.souza"
    assert panel.score_label.text() == "Score: 0 of 5 right (4 to answer)"


def test_a_teachers_folder_lesson_has_its_questions_too(qtbot, tmp_path):
    folder = Path(__file__).resolve().parents[3] / "examples" / "teacher-lessons"
    lessons, problems = load_lesson_folder(folder)
    assert problems == []
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LESSONS + lessons, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _click_titled(qtbot, window, "One neuron")
    open_questions(qtbot, window)
    use_seed(qtbot, window, "7")
    seven = values_shown(window)
    assert seven != {"x": "1.5", "w": "0.8", "b": "-0.5", "t": "1.0", "learning_rate": "0.5"}
    z = node_on_screen(window, "z").value
    assert answer(qtbot, window, 0, format_value(z)).startswith("✓ Right")
    _click_titled(qtbot, window, "Doubling")
    assert not window.side_tabs.isTabVisible(window.questions_tab)


def _click_titled(qtbot, window, title: str) -> None:
    """Click the lesson list's row that ends with ``title`` (a folder's section heading
    stands between the rows, so the list's rows are not the model's lessons)."""
    lessons = window.lesson_list
    row = next(r for r in range(lessons.count()) if lessons.item(r).text().endswith(title))
    rect = lessons.visualItemRect(lessons.item(row))
    qtbot.mouseClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.lesson.title == title
