"""Scores of the questions per student: who answered what, kept in a session file and
exported as CSV for the teacher.

A learner is known by a **seed**: the number that draws their values (see
:mod:`~gui_backprop.core.questions`). They type a student id (any short text, turned
into a seed the same way on every machine) or a number a teacher handed out. A lesson's
questions are graded once each: a valid answer (right or wrong) is final, since a wrong
verdict shows the working; text that is not an answer costs nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace

from gui_backprop.core.values import short_text

MAX_STUDENT_CHARS = 64
MAX_NUMBER_SEED = 10**12
MAX_SEEDS = 500  # learners' records per lesson a session file may hold
MAX_ANSWERS = 100  # answers per learner and lesson
MAX_TEXT = 300  # characters of a stored prompt, answer or expected value
CSV_COLUMNS = ("lesson", "student", "seed", "question", "prompt", "answer", "expected",
               "correct", "points")


class ScoreError(ValueError):
    """A seed or a stored score that cannot be used; the message says why."""


def seed_from_text(text: str) -> tuple[int, str]:
    """``(seed, student)`` for what a learner typed: a whole number is the seed itself,
    any other text a student id whose seed is drawn from its SHA-256 (case and spaces
    around it do not count). Raises :class:`ScoreError` for empty or overlong text."""
    student = " ".join(text.split())
    if not student:
        raise ScoreError("type your student id, or the number your teacher gave you")
    if len(student) > MAX_STUDENT_CHARS:
        raise ScoreError(f"a student id has at most {MAX_STUDENT_CHARS} characters")
    if student.isdigit() and student.isascii():
        number = int(student)
        if number > MAX_NUMBER_SEED:
            raise ScoreError(f"a seed number is at most {MAX_NUMBER_SEED:,}")
        return number, ""
    digest = hashlib.sha256(student.casefold().encode("utf-8")).digest()
    return int.from_bytes(digest[:5], "big") % MAX_NUMBER_SEED, student


@dataclass(frozen=True)
class AnswerRecord:
    """One graded answer: the question's number (0-based) and prompt, what was typed,
    the answer autograd gives, and whether it was right."""

    question: int
    prompt: str
    answer: str
    expected: str
    correct: bool

    @property
    def points(self) -> int:
        """1 for a right answer, else 0."""
        return int(self.correct)


@dataclass(frozen=True)
class SeedScores:
    """One learner's answers in one lesson."""

    seed: int
    student: str = ""
    answers: tuple[AnswerRecord, ...] = ()

    def answer_to(self, question: int) -> AnswerRecord | None:
        """The graded answer to ``question``, if any."""
        return next((a for a in self.answers if a.question == question), None)

    @property
    def right(self) -> int:
        """How many answers were right."""
        return sum(a.points for a in self.answers)


@dataclass
class ScoreBook:
    """Every lesson's learners and their answers, by lesson id (the newest learner of
    a lesson last)."""

    lessons: dict[str, list[SeedScores]] = field(default_factory=dict)

    def of(self, lesson: str, seed: int) -> SeedScores | None:
        """The answers of ``seed`` in ``lesson``, if any."""
        return next((s for s in self.lessons.get(lesson, []) if s.seed == seed), None)

    def latest(self, lesson: str) -> SeedScores | None:
        """The learner who used ``lesson`` last."""
        entries = self.lessons.get(lesson)
        return entries[-1] if entries else None

    def use(self, lesson: str, seed: int, student: str) -> SeedScores:
        """Make ``seed`` the lesson's current learner (kept answers stay)."""
        entries = self.lessons.setdefault(lesson, [])
        found = self.of(lesson, seed)
        entry = found or SeedScores(seed, student)
        if student and not entry.student:
            entry = replace(entry, student=student)
        if found is not None:
            entries.remove(found)
        entries.append(entry)
        del entries[:-MAX_SEEDS]
        return entry

    def record(self, lesson: str, seed: int, answer: AnswerRecord) -> SeedScores:
        """Add a graded answer (the first one for a question is the one that counts)."""
        entry = self.of(lesson, seed) or self.use(lesson, seed, "")
        if entry.answer_to(answer.question) is not None:
            return entry
        updated = replace(entry, answers=entry.answers + (answer,))
        entries = self.lessons[lesson]
        entries[entries.index(entry)] = updated
        return updated

    def key(self) -> tuple:
        """A comparable summary (what counts as a change for 'unsaved work')."""
        return tuple((lesson, tuple(entries)) for lesson, entries in
                     sorted(self.lessons.items()) if any(e.answers for e in entries))

    def copy(self) -> ScoreBook:
        """An independent copy."""
        return ScoreBook({lesson: list(entries) for lesson, entries in self.lessons.items()})


def scores_to_json(book: ScoreBook) -> dict:
    """The session file's ``scores`` field (only learners who answered something)."""
    return {lesson: [{"seed": e.seed, "student": e.student,
                      "answers": [{"question": a.question, "prompt": a.prompt,
                                   "answer": a.answer, "expected": a.expected,
                                   "correct": a.correct} for a in e.answers]}
                     for e in entries if e.answers]
            for lesson, entries in book.lessons.items() if any(e.answers for e in entries)}


def scores_from_json(data: object) -> ScoreBook:
    """A session file's ``scores`` field, every part checked; :class:`ScoreError`
    names the first problem."""
    if not isinstance(data, dict) or len(data) > 200:
        raise ScoreError("'scores' has the wrong type")
    book = ScoreBook()
    for lesson, entries in data.items():
        if len(lesson) > 100 or not isinstance(entries, list) or len(entries) > MAX_SEEDS:
            raise ScoreError(f"the scores of lesson '{short_text(lesson)}' have the wrong type")
        book.lessons[lesson] = [_seed_scores(entry) for entry in entries]
    return book


def _text(entry: dict, key: str, limit: int = MAX_TEXT) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise ScoreError(f"a score's '{key}' has the wrong type")
    return value


def _whole(entry: dict, key: str, high: int) -> int:
    value = entry.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= high:
        raise ScoreError(f"a score's '{key}' must be a whole number from 0 to {high:,}")
    return value


def _seed_scores(entry: object) -> SeedScores:
    if not isinstance(entry, dict):
        raise ScoreError("a learner's scores have the wrong type")
    answers = entry.get("answers", [])
    if not isinstance(answers, list) or len(answers) > MAX_ANSWERS:
        raise ScoreError("a learner's 'answers' have the wrong type")
    records = []
    for answer in answers:
        if not isinstance(answer, dict) or not isinstance(answer.get("correct"), bool):
            raise ScoreError("an answer has the wrong type")
        records.append(AnswerRecord(_whole(answer, "question", MAX_ANSWERS),
                                    _text(answer, "prompt"), _text(answer, "answer"),
                                    _text(answer, "expected"), answer["correct"]))
    return SeedScores(_whole(entry, "seed", MAX_NUMBER_SEED),
                      _text(entry, "student", MAX_STUDENT_CHARS), tuple(records))


def scores_csv_text(book: ScoreBook) -> str:
    """One row per graded answer (:data:`CSV_COLUMNS`), lessons and learners in the
    order they were used; a cell that a spreadsheet would run as a formula is quoted
    with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for lesson, entries in book.lessons.items():
        for entry in entries:
            for a in sorted(entry.answers, key=lambda a: a.question):
                writer.writerow([_cell(lesson), _cell(entry.student), entry.seed,
                                 a.question + 1, _cell(a.prompt), _cell(a.answer),
                                 _cell(a.expected), "yes" if a.correct else "no", a.points])
    return out.getvalue()


def _cell(text: str) -> str:
    # A typed answer such as "=1+1" must not become a formula in the teacher's sheet;
    # "-2.0" stays a number.
    if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
