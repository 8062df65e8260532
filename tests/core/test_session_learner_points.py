"""The learner's points in a session file: an optional field, checked as an import is."""

import json

import pytest

from gui_backprop.core.session_file import Session, SessionError, parse_session
from gui_backprop.core.training_data import LearnerPoints

POINTS = LearnerPoints((1.0, 2.5, 3.0), (2.0, 6.0, 7.0))


def _session(points=None) -> Session:
    return Session("x = [1.0, 2.0]\ny = [2.0, 4.0]\nw = 0.0\nJ = mean((w * x - y) ** 2)",
                   {}, ("w",), 0.05, learner_points=points)


def test_the_points_go_through_a_file_unchanged():
    text = _session(POINTS).to_json()
    assert json.loads(text)["learner_points"] == {"inputs": [1.0, 2.5, 3.0],
                                                  "targets": [2.0, 6.0, 7.0]}
    assert parse_session(text.encode()).learner_points == POINTS
    matrix = LearnerPoints(((1.0, 2.0), (3.0, 4.0)), (0.0, 1.0))
    assert parse_session(_session(matrix).to_json().encode()).learner_points == matrix


def test_a_file_without_points_opens_without_them():
    data = json.loads(_session(POINTS).to_json())
    del data["learner_points"]
    assert parse_session(json.dumps(data).encode()).learner_points is None


@pytest.mark.parametrize("points, words", [
    ({"inputs": [1.0, 2.0], "targets": [1.0]}, "one value per point"),
    ({"inputs": [1.0], "targets": [1.0]}, "from 2 to 100,000 points"),
    ({"inputs": [1.0, "2"], "targets": [1.0, 2.0]}, "must hold numbers"),
    ({"inputs": [1.0, 2.0]}, "'targets' is missing"),
    ([1.0, 2.0], "wrong type"),
    ({"inputs": [True, 2.0], "targets": [1.0, 2.0]}, "must hold numbers"),
    ({"inputs": [[1.0], 2.0], "targets": [1.0, 2.0]}, "same number of inputs"),
])
def test_bad_points_are_refused_with_one_message(points, words):
    data = json.loads(_session(POINTS).to_json())
    data["learner_points"] = points
    with pytest.raises(SessionError, match=words):
        parse_session(json.dumps(data).encode())
