"""Scores of the questions per student: seeds from student ids, answers graded once,
kept in session files (an optional field: files without it still open), and CSV."""

import csv
import io
import json

import pytest

from gui_backprop.core.question_scores import (
    CSV_COLUMNS,
    AnswerRecord,
    ScoreBook,
    ScoreError,
    scores_csv_text,
    seed_from_text,
)
from gui_backprop.core.session_file import Session, SessionError, parse_session

PROGRAM = "w = 0.5\nloss = w * w\n"


def _book() -> ScoreBook:
    book = ScoreBook()
    book.use("doubling", 17, "")
    book.record("doubling", 17, AnswerRecord(1, "What is ∂y/∂w?", "2", "2.0", True))
    book.record("doubling", 17, AnswerRecord(0, "What is y?", "3", "3.0", True))
    book.use("doubling", seed_from_text("=cmd|calc")[0], "=cmd|calc")
    book.record("doubling", seed_from_text("=cmd|calc")[0],
                AnswerRecord(0, "What is y?", "-1.5", "2.5", False))
    return book


def test_a_student_id_gives_the_same_seed_everywhere_and_a_number_is_its_own():
    assert seed_from_text("Ana Souza") == seed_from_text("  ana   souza ")[0:1] + ("Ana Souza",)
    assert seed_from_text("ana")[0] != seed_from_text("ben")[0]
    assert seed_from_text("ana")[0] == 158187745112  # fixed forever: sha256, not hash()
    assert seed_from_text("0042") == (42, "")


@pytest.mark.parametrize(("text", "says"), [("", "student id"), ("a" * 65, "64"),
                                            ("1" * 13, "at most")])
def test_a_bad_seed_text_is_refused(text, says):
    with pytest.raises(ScoreError, match=says):
        seed_from_text(text)


def test_the_first_answer_to_a_question_is_the_one_that_counts():
    book = _book()
    entry = book.record("doubling", 17, AnswerRecord(1, "What is ∂y/∂w?", "5", "2.0", False))
    assert entry.right == 2 and len(entry.answers) == 2
    assert book.latest("doubling").student == "=cmd|calc"
    book.use("doubling", 17, "")
    assert book.latest("doubling").seed == 17  # the learner used last comes last


def test_scores_round_trip_through_a_session_file():
    session = Session(PROGRAM, {"w": 0.5}, ("w",), 0.1, scores=_book())
    assert parse_session(session.to_json().encode()).scores == _book()


def test_a_file_without_scores_still_opens_and_one_without_answers_has_none():
    data = json.loads(Session(PROGRAM, {"w": 0.5}, ("w",), 0.1).to_json())
    assert "scores" not in data
    assert parse_session(json.dumps(data).encode()).scores == ScoreBook()
    data["version"] = 1
    assert parse_session(json.dumps(data).encode()).scores == ScoreBook()


@pytest.mark.parametrize("scores", [
    [], {"doubling": {}}, {"doubling": [{"seed": -1}]}, {"doubling": [{"seed": True}]},
    {"doubling": [{"seed": 1, "answers": [{"question": 0, "correct": "yes"}]}]},
    {"doubling": [{"seed": 1, "answers": [{"question": 0, "correct": True,
                                           "answer": "x" * 301}]}]},
    {"doubling": [{"seed": 1, "student": 5}]},
    {"x" * 101: []},
])
def test_damaged_scores_are_one_message(scores):
    data = json.loads(Session(PROGRAM, {"w": 0.5}, ("w",), 0.1).to_json())
    data["scores"] = scores
    with pytest.raises(SessionError, match="damaged"):
        parse_session(json.dumps(data).encode(), "class.bplab")


def test_the_csv_has_a_row_per_answer_and_no_formulas():
    rows = list(csv.reader(io.StringIO(scores_csv_text(_book()))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1:] == [
        ["doubling", "", "17", "1", "What is y?", "3", "3.0", "yes", "1"],
        ["doubling", "", "17", "2", "What is ∂y/∂w?", "2", "2.0", "yes", "1"],
        ["doubling", "'=cmd|calc", str(seed_from_text("=cmd|calc")[0]), "1", "What is y?",
         "-1.5", "2.5", "no", "0"]]
