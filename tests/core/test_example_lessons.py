"""The example teacher's folder the README shows (examples/teacher-lessons) stays valid:
it loads whole, passes the checker, and its questions give each seed its own numbers."""

from pathlib import Path

from gui_backprop.core.lesson_check import check_lesson_file
from gui_backprop.core.lessons import load_lesson_folder
from gui_backprop.core.questions import pose_questions

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "teacher-lessons"


def test_the_example_folder_loads_whole_and_passes_the_checker():
    lessons, problems = load_lesson_folder(FOLDER)
    assert problems == []
    assert [lesson.id for lesson in lessons] == ["doubling", "one-neuron"]
    for path in sorted(FOLDER.glob("*.toml")):
        assert check_lesson_file(path) == []


def test_the_example_questions_differ_by_seed():
    neuron = next(lesson for lesson in load_lesson_folder(FOLDER)[0]
                  if lesson.id == "one-neuron")
    answers = {tuple(q.expected for q in pose_questions(neuron, seed)[1]) for seed in range(10)}
    assert len(neuron.questions) == 5 and len(answers) > 5
