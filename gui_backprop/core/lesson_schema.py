"""What a lesson file may hold, checked field by field, each problem with its line.

A lesson file is data only: TOML read by :mod:`tomllib`, its program checked by the
safe parser (:func:`~gui_backprop.core.program.parse_program`), nothing evaluated. This
module is the schema the checker (``gui-backprop check-lesson``) and the loader share;
``docs/lessons.md`` explains every field to a teacher.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gui_backprop.core.classifier_spec import ClassifierSpec, read_classifier
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import Program, parse_expression, parse_program
from gui_backprop.core.questions import KINDS
from gui_backprop.core.regular_file import UnreadableFile, read_regular_file
from gui_backprop.core.values import MAX_ITERATIONS, check_learning_rate, check_value
from gui_backprop.core.walkthrough import Stage

MAX_LESSON_BYTES = 256 * 1024
STAGE_NAMES = tuple(stage.value for stage in Stage)

# field -> (required, the types it may have, what to call them in a message)
FIELDS: dict[str, tuple[bool, tuple[type, ...], str]] = {
    "title": (True, (str,), "a string"),
    "summary": (True, (str,), "a string"),
    "intro": (True, (str,), "a string"),
    "program": (True, (str,), "a string"),
    "stages": (True, (dict,), "a table [stages]"),
    "code": (False, (dict,), "a table [code]"),
    "order": (False, (int,), "a whole number"),
    "parameters": (False, (list,), "a list of names"),
    "learning_rate": (False, (int, float), "a number"),
    "iterations": (False, (int,), "a whole number"),
    "zero_grad": (False, (bool,), "true or false"),
    "playground": (False, (bool,), "true or false"),
    "output": (False, (str,), "a variable's name"),
    "formulas": (False, (dict,), "a table [formulas]"),
    "tags": (False, (list,), "a list of strings"),
    "questions": (False, (list,), "a list of [[questions]] tables"),
    "ranges": (False, (dict,), "a table [ranges]"),
    "classifier": (False, (dict,), "a table [classifier]"),
}
QUESTION_FIELDS = {"ask", "of", "wrt", "iteration"}
CODE_FIELDS = {"listing", "lines", "comments", "idiomatic"}


@dataclass(frozen=True)
class LessonProblem:
    """One thing wrong with a lesson file, at a 1-based line."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LessonError(ValueError):
    """A lesson cannot be used or found; ``problems`` lists each problem of a file."""

    def __init__(self, message: str, problems: tuple[LessonProblem, ...] = ()):
        super().__init__(message)
        self.problems = problems


class LessonFileError(LessonError):
    """A lesson file cannot be used; ``problems`` lists why (at least one)."""

    def __init__(self, problems: list[LessonProblem]):
        super().__init__(str(problems[0]), tuple(problems))


def read_lesson_text(path: Path) -> str:
    """The text of a lesson file: a regular file, at most :data:`MAX_LESSON_BYTES`,
    UTF-8 (a byte-order mark is allowed). Raises :class:`LessonFileError`."""
    def refuse(message: str) -> LessonFileError:
        return LessonFileError([LessonProblem(path, 1, message)])

    try:
        data = read_regular_file(path, MAX_LESSON_BYTES)
    except UnreadableFile as exc:
        raise refuse(f"the file is {exc}" if str(exc).startswith(("not a", "larger"))
                     else str(exc).replace(" it:", " the file:")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LessonFileError([LessonProblem(path, line, "the file is not UTF-8 text")]) \
            from None


class _Lines:
    """Where keys and tables are in the file's text (tomllib reports no positions)."""

    _KEY = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")
    _TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_.\" -]+?)\s*\]\s*(#.*)?$")
    _ARRAY = re.compile(r"\s*\[\[\s*([A-Za-z0-9_.\" -]+?)\s*\]\]\s*(#.*)?$")

    def __init__(self, text: str):
        self.keys: dict[tuple[str, str], int] = {}
        self.tables: dict[str, int] = {}
        self.multiline: set[tuple[str, str]] = set()  # keys whose value opens a """ string
        self.entries: dict[str, list[int]] = {}  # [[name]] -> the line of each entry
        table = ""
        in_string = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                in_string = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
                continue
            entry = self._ARRAY.match(line)
            if entry:  # keys of each entry are found by the entry's line
                table = entry.group(1).replace('"', "").replace(" ", "")
                self.entries.setdefault(table, []).append(number)
                table = f"{table}#{len(self.entries[table])}"
                continue
            header = self._TABLE.match(line)
            if header:
                table = header.group(1).replace('"', "").replace(" ", "")
                self.tables.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                name = key.group(1).strip("\"'")
                self.keys.setdefault((table, name), number)
                rest = line[key.end():]
                in_string = rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1
                if in_string:
                    self.multiline.add((table, name))

    def of(self, key: str, table: str = "") -> int:
        """The line of ``key`` in ``table``; if not found, the table's own line (its
        header, or the key that holds it as an inline table), else 1."""
        if (table, key) in self.keys:
            return self.keys[table, key]
        if table in self.tables:
            return self.tables[table]
        parent, _, name = table.rpartition(".")
        return self.keys.get((parent, name), 1) if table else 1


def key_line(text: str, key: str, table: str = "") -> int:
    """The line of ``key`` (in ``table``) in a lesson file's text; 1 if not found."""
    return _Lines(text).of(key, table)


def parse_lesson_toml(path: Path, text: str) -> dict:
    """The TOML document of a lesson; syntax errors are :class:`LessonFileError` with
    tomllib's line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise LessonFileError([LessonProblem(path, line, f"not valid TOML: {message}")]) \
            from None
    except RecursionError:
        raise LessonFileError([LessonProblem(path, 1, "the TOML is nested too deeply")]) \
            from None


def check_lesson_data(path: Path, text: str, data: dict) -> tuple[list[LessonProblem],
                                                                  Program | None]:
    """Every schema problem of a parsed lesson file, and its program when it parses."""
    lines = _Lines(text)
    problems: list[LessonProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(LessonProblem(path, line, message))

    for name in sorted(data.keys() - FIELDS.keys()):
        problem(lines.of(name), f"unknown field '{_short(name)}' (fields: "
                                f"{', '.join(FIELDS)})")
    for name, (required, types, what) in FIELDS.items():
        if name not in data:
            if required:
                problem(1, f"the field '{name}' is missing")
            continue
        value = data[name]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            problem(lines.of(name, name if types == (dict,) else ""),
                    f"'{name}' must be {what}")
        elif required and isinstance(value, str) and not value.strip():
            problem(lines.of(name), f"'{name}' is empty")
    program = _check_program(data, lines, problem)
    _check_settings(data, program, lines, problem)
    _check_stages(data, lines, problem)
    _check_code(data, program, lines, problem)
    _check_formulas(data, program, lines, problem)
    _check_questions(data, program, lines, problem)
    _check_ranges(data, program, lines, problem)
    if isinstance(data.get("classifier"), dict):
        for line, message in classifier_of(data, lines)[1]:
            problem(line, message)
    return problems, program


def classifier_of(data: dict, lines: _Lines | str) -> tuple[ClassifierSpec | None,
                                                            list[tuple[int, str]]]:
    """The lesson's ``[classifier]`` (``None`` if it has none or it has problems), and its
    problems as (line, message) pairs; ``lines``: the file's text or its :class:`_Lines`."""
    table = data.get("classifier")
    if not isinstance(table, dict):
        return None, []
    lines = _Lines(lines) if isinstance(lines, str) else lines
    key_line = lines.of("program", "classifier")
    multiline = ("classifier", "program") in lines.multiline
    parameters = data.get("parameters")
    return read_classifier(table, parameters if isinstance(parameters, list) else None,
                           lambda key, where: lines.of(key, where),
                           lambda line: key_line + line if multiline else key_line)


def _check_program(data, lines: _Lines, problem) -> Program | None:
    if not isinstance(data.get("program"), str):
        return None
    try:
        return parse_program(data["program"])
    except ProgramError as exc:
        # tomllib drops the newline right after an opening triple quote: program line
        # k is then file line (the key's line + k); a one-line string is on the key's
        line = lines.of("program")
        if ("", "program") in lines.multiline and exc.line:
            line += exc.line
        problem(line, f"program: {exc.message}")
        return None


def _check_settings(data, program: Program | None, lines: _Lines, problem) -> None:
    parameters = data.get("parameters")
    if isinstance(parameters, list) and program is not None:
        leaves = program.leaves
        for name in parameters:
            if not isinstance(name, str) or name not in leaves:
                problem(lines.of("parameters"), f"parameter '{_short(str(name))}' is not a "
                        f"value of the program (values: {', '.join(leaves) or 'none'})")
    output = data.get("output")
    if isinstance(output, str) and program is not None and output not in program.names:
        problem(lines.of("output"), f"output '{_short(output)}' is not a variable of the "
                                    "program")
    rate = data.get("learning_rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        try:
            check_learning_rate(rate)
        except ProgramError as exc:
            problem(lines.of("learning_rate"), exc.message)
    iterations = data.get("iterations")
    if isinstance(iterations, int) and not isinstance(iterations, bool) \
            and not 1 <= iterations <= MAX_ITERATIONS:
        problem(lines.of("iterations"), f"iterations must be from 1 to {MAX_ITERATIONS}")
    tags = data.get("tags")
    if isinstance(tags, list) and not all(isinstance(tag, str) for tag in tags):
        problem(lines.of("tags"), "tags must be strings")


def _check_stages(data, lines: _Lines, problem) -> None:
    stages = data.get("stages")
    if not isinstance(stages, dict):
        return
    for name, text in stages.items():
        line = lines.of(name, "stages")
        if name not in STAGE_NAMES:
            problem(line, f"unknown stage '{_short(name)}' (stages: {', '.join(STAGE_NAMES)})")
        elif not isinstance(text, str) or not text.strip():
            problem(line, f"the text of stage '{name}' must be a non-empty string")


def _check_code(data, program: Program | None, lines: _Lines, problem) -> None:
    code = data.get("code")
    if not isinstance(code, dict):
        return
    for name in sorted(code.keys() - CODE_FIELDS):
        problem(lines.of(name, "code"), f"unknown field 'code.{_short(name)}' "
                                        "(fields: comments, idiomatic, listing, lines)")
    comments = code.get("comments", {})
    if not isinstance(comments, dict) or not all(isinstance(v, str) for v in comments.values()):
        problem(lines.of("comments", "code"), "code.comments must be a table [code.comments] "
                                              "of strings")
    idiomatic = code.get("idiomatic", "")
    if not isinstance(idiomatic, str) or "idiomatic" in code and not idiomatic.strip():
        problem(lines.of("idiomatic", "code"), "code.idiomatic must be a non-empty string: "
                                               "the model written with nn, F and torch.optim")
    listing = code.get("listing", "")
    if not isinstance(listing, str):
        problem(lines.of("listing", "code"), "code.listing must be a string")
        return
    anchors = code.get("lines", {})
    if not isinstance(anchors, dict):
        problem(lines.of("lines", "code"), "code.lines must be a table [code.lines]")
        return
    count = len(listing.strip("\n").splitlines())
    for key, line_number in anchors.items():
        line = lines.of(key, "code.lines")
        stage, _, variable = key.partition(".")
        if stage not in STAGE_NAMES:
            problem(line, f"'{_short(key)}': the anchor must start with a stage "
                          f"({', '.join(STAGE_NAMES)})")
        elif variable and program is not None and variable not in program.names:
            problem(line, f"'{_short(key)}': '{_short(variable)}' is not a variable of "
                          "the program")
        if isinstance(line_number, bool) or not isinstance(line_number, int):
            problem(line, f"'{_short(key)}' must be a line number of the listing")
        elif not 1 <= line_number <= count:
            problem(line, f"'{_short(key)}' = {line_number} is outside the listing "
                          f"(lines 1 to {count})")


def _check_formulas(data, program: Program | None, lines: _Lines, problem) -> None:
    formulas = data.get("formulas")
    if not isinstance(formulas, dict) or program is None:
        return
    for name, formula in formulas.items():
        line = lines.of(name, "formulas")
        if name not in program.leaves:
            problem(line, f"formula for '{_short(name)}': not a value of the program")
        if not isinstance(formula, str):
            problem(line, f"formula for '{_short(name)}' must be a string")
            continue
        try:
            parse_expression(formula, set(program.names))
        except ProgramError as exc:
            problem(line, f"formula for '{_short(name)}': {exc.message}")


def _check_questions(data, program: Program | None, lines: _Lines, problem) -> None:
    questions = data.get("questions")
    if not isinstance(questions, list) or program is None:
        return
    iterations = data.get("iterations", 1)
    for number, question in enumerate(questions, start=1):
        table = f"questions#{number}"
        entry = lines.entries.get("questions", [])
        here = entry[number - 1] if number <= len(entry) else lines.of("questions")
        if not isinstance(question, dict):
            problem(here, f"question {number} must be a [[questions]] table")
            continue
        for name in sorted(question.keys() - QUESTION_FIELDS):
            problem(lines.of(name, table) if (table, name) in lines.keys else here,
                    f"question {number}: unknown field '{_short(name)}' "
                    f"(fields: {', '.join(sorted(QUESTION_FIELDS))})")
        ask, of, wrt = question.get("ask"), question.get("of"), question.get("wrt")
        if ask not in KINDS:
            problem(here, f"question {number}: 'ask' must be one of {', '.join(KINDS)}")
        if not isinstance(of, str) or of not in program.names:
            problem(here, f"question {number}: 'of' must name a variable of the program")
        if ask == "local_grad" and (not isinstance(wrt, str) or wrt not in program.names):
            problem(here, f"question {number}: a local_grad question needs 'wrt', a "
                          "variable whose value 'of' is computed from directly")
        iteration = question.get("iteration", 1)
        if isinstance(iteration, bool) or not isinstance(iteration, int) \
                or not isinstance(iterations, int) or not 1 <= iteration <= iterations:
            problem(here, f"question {number}: 'iteration' must be from 1 to the lesson's "
                          "iterations")


def _check_ranges(data, program: Program | None, lines: _Lines, problem) -> None:
    ranges = data.get("ranges")
    if not isinstance(ranges, dict) or program is None:
        return
    for name, bounds in ranges.items():
        line = lines.of(name, "ranges")
        if name not in program.leaves:
            problem(line, f"range for '{_short(name)}': not a value of the program")
            continue
        numbers = bounds if isinstance(bounds, list) else []
        try:
            checked = check_value(f"range for '{name}'", tuple(numbers))
        except ProgramError as exc:
            problem(line, exc.message)
            continue
        if len(checked) not in (2, 3) or checked[0] > checked[1] \
                or (len(checked) == 3 and checked[2] <= 0) \
                or (checked[1] - checked[0]) / (checked[2] if len(checked) == 3 else 0.1) > 1e6:
            problem(line, f"range for '{name}' must be [low, high] or [low, high, step] "
                          "with low <= high, a step above 0 and at most a million steps")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
