"""Teachers' lessons: folders that load what they can, and the lesson checker."""

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui_backprop.cli import main
from gui_backprop.core.exercise import check_answer
from gui_backprop.core.lesson_check import check_lesson_file
from gui_backprop.core.lesson_schema import MAX_LESSON_BYTES, check_lesson_data
from gui_backprop.core.lesson_writer import lesson_file_text, lesson_id_for, toml_string
from gui_backprop.core.lessons import (
    find_lesson,
    load_all_lessons,
    load_lesson,
    load_lesson_folder,
    load_lessons,
)
from gui_backprop.core.questions import pose_questions
from gui_backprop.core.resources import resources_dir

BUILT_IN = resources_dir() / "lessons"
GOOD = """title = "Doubling"
summary = "y = 2 w"
intro = "A weight doubled."
program = \"\"\"
w = 1.5
y = w * 2.0
\"\"\"
parameters = ["w"]
learning_rate = 0.1

[stages]
forward = "Forward."

[code]
listing = \"\"\"
import torch
w = torch.tensor(1.5, requires_grad=True)
y = w * 2.0
y.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
w.grad.zero_()
\"\"\"

[code.lines]
forward = 3
backward = 4
update = 6
zero_grad = 7
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_loads_its_good_lessons_and_names_the_broken_one_with_its_line(tmp_path):
    write(tmp_path, "1-doubling.toml", GOOD)
    write(tmp_path, "2-broken.toml", GOOD.replace('parameters = ["w"]', 'parameters = ["q"]'))
    write(tmp_path, "notes.txt", "not a lesson")
    lessons, problems = load_lesson_folder(tmp_path)
    assert [lesson.id for lesson in lessons] == ["doubling"]
    assert lessons[0].folder == tmp_path.name
    assert [str(p) for p in problems] == [
        f"{tmp_path / '2-broken.toml'}:8: parameter 'q' is not a value of the program "
        "(values: w)"]


def test_folder_lessons_come_after_the_built_in_ones_and_are_found_by_name(tmp_path):
    write(tmp_path, "1-doubling.toml", GOOD)
    write(tmp_path, "2-linear-regression.toml", GOOD)  # the id of a built-in lesson
    lessons, problems = load_all_lessons([tmp_path])
    assert lessons[-1].id == "doubling" and lessons[-1].folder == tmp_path.name
    assert all(lesson.folder == "" for lesson in lessons[:-1])
    assert len(problems) == 1 and "is taken by another lesson" in problems[0].message
    assert find_lesson("Doubling", lessons) is lessons[-1]
    assert find_lesson(str(len(lessons)), lessons) is lessons[-1]


def test_a_missing_folder_is_one_problem(tmp_path):
    lessons, problems = load_lesson_folder(tmp_path / "nowhere")
    assert lessons == [] and "not a folder" in problems[0].message


def test_every_built_in_lesson_passes_the_checker():
    for path in sorted(BUILT_IN.glob("*.toml")):
        assert check_lesson_file(path) == [], path


@pytest.mark.slow
def test_run_checks_that_the_listing_ends_at_the_traces_numbers(tmp_path):
    good = write(tmp_path, "good.toml", GOOD)
    assert check_lesson_file(good, run=True) == []
    wrong = write(tmp_path, "wrong.toml", GOOD.replace("w -= 0.1 * w.grad", "w -= 0.2 * w.grad"))
    problems = check_lesson_file(wrong, run=True)
    assert len(problems) == 1
    assert str(problems[0]) == (f"{wrong}:15: --run: the listing ends with w = 1.1, the "
                                "trace with 1.3")
    failing = write(tmp_path, "failing.toml", GOOD.replace("y.backward()", "y.backwards()"))
    [problem] = check_lesson_file(failing, run=True)
    assert "the listing failed: AttributeError" in problem.message


def test_a_lesson_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_lesson(path).title == "Doubling"


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b"x" * (MAX_LESSON_BYTES + 1)), "larger than"),
    (lambda p: p.write_bytes(b"title = '\xff'"), "not UTF-8"),
    (lambda p: p.write_text("a = " + "[" * 5000 + "]" * 5000), "nested too deeply"),
    (lambda p: p.write_text(GOOD.replace("y = w * 2.0\n\"", "__import__('os')\n\"")),
     "program: "),
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: os.mkfifo(p), "not a regular file"),
])
def test_a_hostile_or_unreadable_file_is_one_problem_and_nothing_runs(tmp_path, make, words):
    path = tmp_path / "x.toml"
    make(path)
    problems = check_lesson_file(path)
    assert len(problems) >= 1 and words in problems[0].message, problems


# -- the command line ---------------------------------------------------------------------

@pytest.fixture
def teacher_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKPROP_LAB_LESSONS", raising=False)
    folder = tmp_path / "week 3"
    folder.mkdir()
    write(folder, "1-doubling.toml", GOOD)
    write(folder, "2-broken.toml", GOOD.replace('parameters = ["w"]', 'parameters = ["q"]'))
    return folder


def test_lessons_lists_a_teachers_folder_as_a_section_and_warns_of_a_broken_file(
        capsys, teacher_folder):
    assert main(["lessons", "--lessons", str(teacher_folder)]) == 0
    out, err = capsys.readouterr()
    after_built_in = len(load_lessons()) + 1  # the folder's lessons follow the built-in ones
    assert f"\nweek 3 ({teacher_folder}):\n{after_built_in}. doubling " in out
    assert err == (f"gui-backprop: warning: skipped {teacher_folder / '2-broken.toml'}:8: "
                   "parameter 'q' is not a value of the program (values: w)\n")


def test_the_environment_names_folders_too(capsys, teacher_folder, monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_LESSONS", os.pathsep.join([str(teacher_folder), ""]))
    assert main(["trace", "--lesson", "Doubling", "--json"]) == 0
    out, _err = capsys.readouterr()
    assert '"w"' in out and "1.3" in out  # 1.5 - 0.1 * 2


def test_check_lesson_prints_file_line_message_and_exits_2(capsys, teacher_folder):
    files = sorted(str(p) for p in teacher_folder.glob("*.toml"))
    assert main(["check-lesson", *files]) == 2
    out, err = capsys.readouterr()
    assert out == (f"{files[1]}:8: parameter 'q' is not a value of the program "
                   "(values: w)\n")
    assert err == "1 of 2 lesson files with problems\n"
    assert main(["check-lesson", files[0]]) == 0
    assert capsys.readouterr().out == "1 lesson file checked: fine\n"


def test_check_lesson_of_a_missing_file_is_one_line(capsys, tmp_path):
    assert main(["check-lesson", str(tmp_path / "none.toml")]) == 2
    out, _err = capsys.readouterr()
    assert out.count("\n") == 1 and ":1: cannot open the file: No such file" in out


def test_the_guides_complete_example_passes_the_checker(tmp_path):
    guide = (Path(__file__).resolve().parents[2] / "docs" / "lessons.md").read_text("utf-8")
    example = guide.split("```toml\n", 1)[1].split("```\n", 1)[0]
    path = write(tmp_path, "1-doubling.toml", example)
    assert check_lesson_file(path) == []
    assert load_lesson(path).walkthrough().trace.first.updates[0].after == pytest.approx(1.3)


# -- writing a lesson ---------------------------------------------------------------------

@given(st.text(max_size=200))
def test_any_text_a_teacher_types_reads_back_exactly(text):
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_a_lone_surrogate_becomes_a_replacement_character():
    written = toml_string("a\ud800b")
    assert tomllib.loads(f"x = {written}")["x"] == "a\ufffdb"


@pytest.mark.parametrize("title, expected", [("My First Lesson!", "my-first-lesson"),
                                             ("Über ∂", "ber"), ("", "my-lesson")])
def test_a_title_gives_a_file_name(title, expected):
    assert lesson_id_for(title) == expected


def test_a_written_lesson_passes_the_checker_and_walks_through_the_same_numbers(tmp_path):
    trace = find_lesson("linear-regression", load_all_lessons()[0]).trace(values={"w": 0.5})
    text = lesson_file_text(trace, "Fit a line", "y = w x + b", "Intro '''", {})
    path = write(tmp_path, "fit.toml", text)
    assert check_lesson_file(path) == []
    again = load_lesson(path).trace()
    assert [n.value for n in again.first.nodes] == [n.value for n in trace.first.nodes]
    assert again.first.updates == trace.first.updates


# -- questions per student ----------------------------------------------------------------

QUESTIONS = GOOD.replace("[stages]", """[ranges]
w = [-2.0, 2.0, 0.5]

[stages]""") + """
[[questions]]
ask = "grad"
of = "w"

[[questions]]
ask = "local_grad"
of = "y"
wrt = "w"

[[questions]]
ask = "value"
of = "y"
"""


def test_each_seed_gets_its_own_numbers_and_autograd_grades_them(tmp_path):
    lesson = load_lesson(write(tmp_path, "q.toml", QUESTIONS))
    values_1, questions_1 = pose_questions(lesson, 1)
    assert pose_questions(lesson, 1) == (values_1, questions_1)  # the same seed: the same
    seeds = {pose_questions(lesson, seed)[0]["w"] for seed in range(20)}
    assert len(seeds) > 3 and seeds <= {-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0}
    w = values_1["w"]
    grad, local, value = questions_1
    assert (grad.expected, local.expected, value.expected) == (2.0, 2.0, 2 * w)
    assert check_answer(value, str(2 * w)).correct
    assert not check_answer(value, str(2 * w + 1)).correct
    assert check_answer(grad, "2").correct and "∂y/∂w" in grad.prompt


@pytest.mark.parametrize("change, line, words", [
    (lambda t: t.replace('ask = "value"', 'ask = "colour"'), 43, "'ask' must be one of"),
    (lambda t: t.replace('of = "y"\nwrt = "w"', 'of = "y"'), 38, "needs 'wrt'"),
    (lambda t: t.replace('w = [-2.0, 2.0, 0.5]', 'q = [0, 1]'), 12, "range for 'q'"),
    (lambda t: t.replace('w = [-2.0, 2.0, 0.5]', 'w = [2, 1]'), 12, "low <= high"),
    (lambda t: t.replace('of = "w"\n', 'of = "w"\nhint = "x"\n'), 37, "unknown field 'hint'"),
])
def test_a_broken_question_or_range_is_named_with_its_line(tmp_path, change, line, words):
    path = write(tmp_path, "q.toml", change(QUESTIONS))
    problems = check_lesson_file(path)
    assert problems and problems[0].line == line and words in problems[0].message, problems


def test_a_formula_that_disagrees_with_autograd_is_named_with_its_line(tmp_path):
    right = write(tmp_path, "right.toml", GOOD + '\n[formulas]\nw = "2.0"\n')
    assert check_lesson_file(right) == []
    wrong = write(tmp_path, "wrong.toml", GOOD + '\n[formulas]\nw = "2.0 * w"\n')
    [problem] = check_lesson_file(wrong)
    assert problem.line == GOOD.count("\n") + 3
    assert problem.message == "formula for 'w' gives 3.0 but autograd's gradient is 2.0"


def test_a_lesson_the_app_would_skip_for_its_id_is_a_problem(tmp_path):
    taken = write(tmp_path, "4-one-training-step.toml", GOOD)
    [problem] = check_lesson_file(taken)
    assert "'one-training-step'" in problem.message and "rename it" in problem.message
    assert check_lesson_file(write(tmp_path, "4-my-own-step.toml", GOOD)) == []


def test_an_empty_summary_is_a_problem():
    problems, _program = check_lesson_data(Path("x.toml"), GOOD.replace('"y = 2 w"', '""'),
                                           tomllib.loads(GOOD.replace('"y = 2 w"', '""')))
    assert [(p.line, p.message) for p in problems] == [(2, "'summary' is empty")]


def test_a_local_gradient_question_across_an_operation_names_what_lies_between(tmp_path):
    text = QUESTIONS.replace("y = w * 2.0", "h = w * 2.0\ny = h * h").replace(
        'of = "y"\nwrt = "w"', 'of = "y"\nwrt = "h"').replace('of = "w"\n', 'of = "h"\n')
    assert check_lesson_file(write(tmp_path, "ok.toml", text)) == []
    wrong = text.replace('of = "y"\nwrt = "h"', 'of = "y"\nwrt = "w"')
    [problem] = check_lesson_file(write(tmp_path, "q.toml", wrong))
    assert "'w' does not feed 'y' directly: y is computed from h;" in problem.message
