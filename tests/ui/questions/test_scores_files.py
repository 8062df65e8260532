"""Scores go into the session file and come back from it, and File › Export scores…
writes them as CSV for the teacher."""

import csv
import json

from PySide6.QtCore import Qt

from gui_backprop.core.formatting import format_value
from gui_backprop.core.question_scores import CSV_COLUMNS
from tests.ui.questions.helpers import LESSON, answer, node_on_screen, open_questions, use_seed
from tests.ui.session_helpers import press
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def _answered(qtbot, tmp_path):
    """Ana answers two questions (one right, one wrong), Ben one (right)."""
    window = open_window(qtbot, tmp_path, LESSON)
    open_questions(qtbot, window)
    use_seed(qtbot, window, "ana.souza")
    answer(qtbot, window, 0, format_value(node_on_screen(window, "y_pred").value))
    answer(qtbot, window, 1, format_value(node_on_screen(window, "loss").value + 1))
    use_seed(qtbot, window, "ben")
    answer(qtbot, window, 4, format_value(node_on_screen(window, "w").grad))
    use_seed(qtbot, window, "ana.souza")
    return window


def test_scores_are_work_saved_in_the_session_and_reopened(qtbot, tmp_path, dialogs):
    window = _answered(qtbot, tmp_path / "a")
    assert window.isWindowModified()  # answers are work, even without a file
    score = window.questions_panel.score_label.text()
    assert score == "Score: 1 of 5 right (3 to answer)"
    dialogs.save_to = tmp_path / "class.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    assert not window.isWindowModified()
    data = json.loads((tmp_path / "class.bplab").read_text())
    assert data["version"] == 2
    assert [entry["student"] for entry in data["scores"][LESSON]] == ["ben", "ana.souza"]
    other = open_window(qtbot, tmp_path / "b")
    dialogs.open_from = tmp_path / "class.bplab"
    press(qtbot, other, Qt.Key.Key_O)
    assert other.model.lesson.id == LESSON
    panel = other.questions_panel
    assert panel.seed_field.text() == "ana.souza"
    assert panel.score_label.text() == score
    assert panel.rows[0].verdict_text().startswith("✓ Right")
    assert panel.rows[1].answer.isReadOnly()
    assert panel.screen_agrees() and not other.isWindowModified()
    open_questions(qtbot, other)
    answer(qtbot, other, 2, format_value(node_on_screen(other, "y_pred").grad))
    assert other.isWindowModified()


def test_a_session_without_answers_is_what_older_versions_wrote(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, LESSON)
    dialogs.save_to = tmp_path / "plain.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    assert "scores" not in json.loads((tmp_path / "plain.bplab").read_text())


def test_export_scores_writes_every_answer_as_csv(qtbot, tmp_path, dialogs):
    window = _answered(qtbot, tmp_path)
    dialogs.save_to = tmp_path / "scores"
    window.menus.actions["export_scores"].trigger()
    with open(tmp_path / "scores.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == CSV_COLUMNS
    seed_ben = next(e.seed for e in window.question_scores.book.lessons[LESSON]
                    if e.student == "ben")
    ben = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:] if row[1] == "ben"]
    assert ben == [{"lesson": LESSON, "student": "ben", "seed": str(seed_ben), "question": "5",
                    "prompt": "What is ∂loss/∂w?", "answer": ben[0]["answer"],
                    "expected": ben[0]["answer"], "correct": "yes", "points": "1"}]
    ana = [row for row in rows[1:] if row[1] == "ana.souza"]
    assert [(row[3], row[7], row[8]) for row in ana] == [("1", "yes", "1"), ("2", "no", "0")]
    assert "scores.csv" in window.statusBar().currentMessage()


def test_export_scores_without_answers_says_so(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, LESSON)
    window.menus.actions["export_scores"].trigger()
    assert dialogs.file_dialogs == []
    assert dialogs.warnings and "no answers yet" in dialogs.warnings[0][1]


def test_export_scores_to_a_folder_that_cannot_be_written_is_one_message(qtbot, tmp_path,
                                                                        dialogs):
    window = _answered(qtbot, tmp_path)
    dialogs.save_to = tmp_path / "missing" / "scores.csv"
    window.menus.actions["export_scores"].trigger()
    assert len(dialogs.warnings) == 1 and "could not write scores.csv" in dialogs.warnings[0][1]
