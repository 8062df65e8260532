"""Lessons are data: one TOML file each under ``resources/lessons/``.

A lesson holds a title, an introduction, the program, which leaves are parameters,
the learning rate, a text per stage, comments for lines of the PyTorch code listing
(the listing itself is written from the trace, see ``code_listing.py``), and optionally
closed-form gradient formulas to compare with autograd.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import Program, parse_expression, parse_program
from gui_backprop.core.resources import resources_dir
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Stage, Walkthrough

_REQUIRED = {"title", "summary", "intro", "program", "stages"}
_OPTIONAL = {"order", "parameters", "learning_rate", "iterations", "zero_grad",
             "playground", "output", "formulas", "tags", "code_comments"}


class LessonError(ValueError):
    """A lesson file is missing, unreadable or inconsistent."""


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
    formulas: dict[str, str] = field(default_factory=dict)
    order: int = 100
    playground: bool = False
    output: str | None = None

    def trace(self, values=None, parameters=None, learning_rate=None):
        """Trace the lesson's program with its settings (each can be overridden)."""
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


def load_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LessonError(f"{path.name}: {exc}") from None
    missing = _REQUIRED - data.keys()
    unknown = data.keys() - _REQUIRED - _OPTIONAL
    if missing or unknown:
        raise LessonError(f"{path.name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    try:
        lesson = _lesson_from(path, data)
    except LessonError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:  # ProgramError, or a wrong type
        raise LessonError(f"{path.name}: {exc}") from None
    return lesson


def _lesson_from(path: Path, data: dict) -> Lesson:
    try:
        program = parse_program(data["program"])
    except ProgramError as exc:
        raise LessonError(f"{path.name}: program: {exc}") from None
    stages = data["stages"]
    bad = set(stages) - {s.value for s in Stage}
    if bad:
        raise LessonError(f"{path.name}: unknown stages {sorted(bad)}")
    comments = {str(k): str(v) for k, v in data.get("code_comments", {}).items()}
    formulas = {str(k): str(v) for k, v in data.get("formulas", {}).items()}
    for key, formula in formulas.items():
        try:
            parse_expression(formula, set(program.names))
        except ProgramError as exc:
            raise LessonError(f"{path.name}: formula for {key}: {exc}") from None
    parameters = data.get("parameters")
    lesson = Lesson(
        id=_lesson_id(path), title=data["title"], summary=data["summary"],
        intro=data["intro"].strip(), program=program,
        parameters=tuple(parameters) if parameters is not None else None,
        learning_rate=float(data.get("learning_rate", 0.01)),
        iterations=int(data.get("iterations", 1)), zero_grad=bool(data.get("zero_grad", True)),
        stage_texts={Stage(k): v.strip() for k, v in stages.items()},
        code_comments=comments, formulas=formulas,
        order=int(data.get("order", 100)), playground=bool(data.get("playground", False)),
        output=data.get("output"))
    known = lesson.walkthrough().listing.lines
    for key in comments:
        if key not in known:
            raise LessonError(f"{path.name}: code comment for '{key}': the listing has no "
                              f"such line (lines: {', '.join(known)})")
    return lesson


def load_lessons(folder: Path | None = None) -> list[Lesson]:
    """Every lesson in ``folder`` (default: the resources' lessons), in lesson order."""
    folder = folder or resources_dir() / "lessons"
    lessons = [load_lesson(p) for p in sorted(folder.glob("*.toml"))]
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))


def find_lesson(name: str, lessons: list[Lesson] | None = None) -> Lesson:
    """A lesson by id, number in the list (1-based) or title, case-insensitive."""
    lessons = lessons if lessons is not None else load_lessons()
    key = name.strip().lower()
    for index, lesson in enumerate(lessons, start=1):
        if key in (lesson.id.lower(), lesson.title.lower(), str(index)):
            return lesson
    known = ", ".join(lesson.id for lesson in lessons)
    raise LessonError(f"no lesson named '{name}'; lessons: {known}")
