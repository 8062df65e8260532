"""Lessons are data: one TOML file each, built in (``resources/lessons/``) or in a
teacher's folder (``--lessons DIR``, ``$BACKPROP_LAB_LESSONS``).

A lesson holds a title, an introduction, the program, which leaves are parameters,
the learning rate, a text per stage, comments for lines of the PyTorch code listing
(the listing itself is written from the trace, see ``code_listing.py``), and optionally
closed-form gradient formulas to compare with autograd.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from gui_backprop.core.classifier_spec import ClassifierSpec
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.lesson_schema import (
    LessonError,
    LessonFileError,
    LessonProblem,
    check_lesson_data,
    classifier_of,
    key_line,
    parse_lesson_toml,
    read_lesson_text,
)
from gui_backprop.core.program import Program
from gui_backprop.core.questions import QuestionSpec, ValueRange, pose_questions
from gui_backprop.core.resources import resources_dir
from gui_backprop.core.walkthrough import Stage, Walkthrough

# Nothing here imports torch when the module loads: ``gui-backprop lessons`` and the
# window's first paint read lesson files without it (issue 13). Tracing imports the
# tracer (and so torch) inside the functions that trace.

FOLDERS_VARIABLE = "BACKPROP_LAB_LESSONS"
MAX_FOLDER_LESSONS = 200

__all__ = ["FOLDERS_VARIABLE", "Lesson", "LessonError", "LessonFileError", "LessonProblem",
           "find_lesson", "id_taken", "lesson_folders_from_environment", "load_all_lessons",
           "load_lesson", "load_lesson_folder", "load_lessons"]


@dataclass(frozen=True)
class Lesson:
    """One lesson, as read from its file."""

    id: str
    title: str
    summary: str
    intro: str
    program: Program
    parameters: tuple[str, ...] | None
    learning_rate: float
    iterations: int
    zero_grad: bool
    stage_texts: dict[Stage, str]
    code_comments: dict[str, str]
    # A teacher's own listing and its line anchors ([code] listing, lines): only
    # check-lesson --run runs it; the window shows the listing written from the trace.
    code: str = ""
    code_lines: dict[str, int] = field(default_factory=dict)
    # The same model written the idiomatic way ([code] idiomatic): the second code tab
    # (see idiomatic_code.py); "" for none.
    idiomatic: str = ""
    formulas: dict[str, str] = field(default_factory=dict)
    order: int = 100
    playground: bool = False
    output: str | None = None
    folder: str = ""  # the teacher's folder it came from ("" for a built-in lesson)
    path: Path | None = None
    questions: tuple[QuestionSpec, ...] = ()
    ranges: dict[str, ValueRange] = field(default_factory=dict)
    # How the lesson trains on 2-D classification data ([classifier]); None: it does not
    classifier: ClassifierSpec | None = None

    def trace(self, values=None, parameters=None, learning_rate=None):
        """Trace the lesson's program with its settings (each can be overridden)."""
        from gui_backprop.core.tracer import trace_program  # torch: see the module's note

        return trace_program(
            self.program, values=values,
            parameters=self.parameters if parameters is None else parameters,
            learning_rate=self.learning_rate if learning_rate is None else learning_rate,
            output=self.output, iterations=self.iterations, zero_grad=self.zero_grad)

    def walkthrough(self, values=None, parameters=None, learning_rate=None) -> Walkthrough:
        """The lesson's walkthrough, its code listing included."""
        return Walkthrough(self.trace(values, parameters, learning_rate), self.code_comments)


def _lesson_id(path: Path) -> str:
    stem = path.stem
    head, _, rest = stem.partition("-")
    return rest if head.isdigit() and rest else stem


def load_lesson(path: Path, folder: str = "", traced: bool = True) -> Lesson:
    """Read and validate one lesson file (its program traced once); raises
    :class:`LessonFileError` listing every problem with its line.

    ``traced=False`` leaves out the checks that run the program (the trace, the code
    comments' lines, the questions' answer keys): what a lesson list needs before torch
    is imported; whoever traces the lesson later still reports a program that fails."""
    path = Path(path)
    text = read_lesson_text(path)
    data = parse_lesson_toml(path, text)
    problems, program = check_lesson_data(path, text, data)
    if problems:
        raise LessonFileError(problems)
    code = data.get("code", {})
    parameters = data.get("parameters")
    lesson = Lesson(
        id=_lesson_id(path), title=data["title"], summary=data["summary"],
        intro=data["intro"].strip(), program=program,
        parameters=tuple(parameters) if parameters is not None else None,
        learning_rate=float(data.get("learning_rate", 0.01)),
        iterations=data.get("iterations", 1), zero_grad=data.get("zero_grad", True),
        stage_texts={Stage(k): v.strip() for k, v in data["stages"].items()},
        code_comments={str(k): str(v) for k, v in code.get("comments", {}).items()},
        code=code.get("listing", "").strip("\n"), code_lines=dict(code.get("lines", {})),
        idiomatic=code.get("idiomatic", "").strip("\n"),
        formulas=dict(data.get("formulas", {})), order=data.get("order", 100),
        playground=data.get("playground", False), output=data.get("output"),
        folder=folder, path=path,
        questions=tuple(QuestionSpec(q["ask"], q["of"], q.get("wrt"), q.get("iteration", 1))
                        for q in data.get("questions", [])),
        ranges={name: ValueRange(*map(float, bounds))
                for name, bounds in data.get("ranges", {}).items()},
        classifier=classifier_of(data, text)[0])
    if traced:
        _check_by_tracing(lesson, path, text)
    return lesson


def _check_by_tracing(lesson: Lesson, path: Path, text: str) -> None:
    """What only a trace can tell: the program runs, each code comment's line exists,
    each question has an answer key."""
    try:
        lesson.trace()
    except ProgramError as exc:
        raise LessonFileError([LessonProblem(path, 1, f"the program does not run: "
                                                      f"{exc}")]) from None
    if lesson.classifier is not None:
        _check_classifier_by_tracing(lesson, path, text)
    known = lesson.walkthrough().listing.lines
    for key in lesson.code_comments:
        if key not in known:
            raise LessonFileError([LessonProblem(
                path, 1, f"code comment for '{key}': the listing has no such line "
                         f"(lines: {', '.join(known)})")])
    for number, spec in enumerate(lesson.questions, start=1):
        try:  # the answer key exists: 'wrt' feeds 'of' directly, the numbers trace
            pose_questions(replace(lesson, questions=(spec,)), 0)
        except (StopIteration, ProgramError) as exc:
            why = str(exc) or f"'{spec.wrt}' does not feed '{spec.of}' directly"
            line = _entry_line(text, "questions", number)
            raise LessonFileError([LessonProblem(path, line, f"question {number}: {why}")]) \
                from None


def _check_classifier_by_tracing(lesson: Lesson, path: Path, text: str) -> None:
    """The ``[classifier]`` program runs on one point, with each activation."""
    from gui_backprop.core.classifier_spec import ACTIVATIONS, program_with_leaves
    from gui_backprop.core.tracer import trace_program

    spec = lesson.classifier
    for activation in ACTIVATIONS if spec.activation else (None,):
        try:
            program = program_with_leaves(spec, activation=activation)
            trace_program(program, parameters=tuple(spec.parameters), output=spec.loss)
        except ProgramError as exc:
            with_ = f" with {activation}" if activation not in (None, spec.activation) else ""
            raise LessonFileError([LessonProblem(
                path, key_line(text, "program", "classifier"),
                f"classifier: the program does not run{with_}: {exc}")]) from None


def _entry_line(text: str, table: str, number: int) -> int:
    """The line of the ``number``-th ``[[table]]`` header (1 if there is none)."""
    found = [i for i, line in enumerate(text.splitlines(), start=1)
             if line.strip().replace(" ", "") == f"[[{table}]]"]
    return found[number - 1] if number <= len(found) else 1


def _sorted(lessons: list[Lesson]) -> list[Lesson]:
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))


def load_lessons(folder: Path | None = None, traced: bool = True) -> list[Lesson]:
    """Every lesson in ``folder`` (default: the built-in ones), in lesson order; a
    broken file is an error (the built-in lessons are tested). ``traced``: as
    :func:`load_lesson`."""
    folder = folder or resources_dir() / "lessons"
    return _sorted([load_lesson(p, traced=traced)
                    for p in sorted(Path(folder).glob("*.toml"))])


def load_lesson_folder(folder: Path, traced: bool = True) -> \
        tuple[list[Lesson], list[LessonProblem]]:
    """A teacher's folder: the lessons that load, in lesson order, and one problem per
    file that does not (its first problem, with its line), so one broken file never
    hides the others."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [LessonProblem(folder, 1, "not a folder of lessons")]
    lessons, problems = [], []
    name = folder.name or str(folder)
    for path in sorted(folder.glob("*.toml"))[:MAX_FOLDER_LESSONS]:
        try:
            lessons.append(load_lesson(path, folder=name, traced=traced))
        except LessonError as exc:
            problems.append(exc.problems[0] if exc.problems else LessonProblem(path, 1, str(exc)))
    return _sorted(lessons), problems


def lesson_folders_from_environment() -> list[Path]:
    """The folders named by ``$BACKPROP_LAB_LESSONS`` (a path list, like ``PATH``)."""
    value = os.environ.get(FOLDERS_VARIABLE, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def id_taken(lesson: Lesson) -> LessonProblem:
    """The problem of a folder lesson whose id another lesson has already."""
    return LessonProblem(lesson.path or Path(lesson.id), 1, f"the lesson id '{lesson.id}' is "
                         "taken by another lesson; rename the file")


def load_all_lessons(folders: list[Path] = (), traced: bool = True) -> \
        tuple[list[Lesson], list[LessonProblem]]:
    """The built-in lessons, then each folder's lessons (a section per folder, in the
    built-in order within it); with the problems of the files that were skipped. A
    folder lesson whose id is taken already is skipped too. ``traced``: as
    :func:`load_lesson`."""
    lessons = load_lessons(traced=traced)
    problems: list[LessonProblem] = []
    taken = {lesson.id for lesson in lessons}
    for folder in folders:
        found, skipped = load_lesson_folder(folder, traced=traced)
        problems += skipped
        for lesson in found:
            if lesson.id in taken:
                problems.append(id_taken(lesson))
                continue
            taken.add(lesson.id)
            lessons.append(lesson)
    return lessons, problems


def find_lesson(name: str, lessons: list[Lesson] | None = None) -> Lesson:
    """A lesson by id, number in the list (1-based) or title, case-insensitive."""
    lessons = lessons if lessons is not None else load_lessons()
    key = name.strip().lower()
    for index, lesson in enumerate(lessons, start=1):
        if key in (lesson.id.lower(), lesson.title.lower(), str(index)):
            return lesson
    known = ", ".join(lesson.id for lesson in lessons)
    raise LessonError(f"no lesson named '{name}'; lessons: {known}")
