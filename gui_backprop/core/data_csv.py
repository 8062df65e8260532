"""The learner's data from a CSV file: the last column is the target, the rest the input.

Rules: a header row is optional (the first row is a header when none of its cells is
a number); every other row holds numbers only, as many as the first row; the last
column is the target and the other columns are the input (one column: a vector; k
columns: an N×k matrix). Anything else is refused with one :class:`DataFileError`
naming the line and column, before anything changes. For a classification lesson the
target must be a class number ``0 ... classes - 1``.

The standard library's :mod:`csv` reads the file: a few columns of numbers need no
pandas (tens of megabytes installed, and slower to import than this whole module
takes to read 100,000 rows), and its own type guessing would hide exactly the cells
this module must name.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.regular_file import UnreadableFile, read_regular_file
from gui_backprop.core.training_data import MAX_LEARNER_POINTS, LearnerPoints
from gui_backprop.core.values import short_text

MAX_ROWS = MAX_LEARNER_POINTS
MAX_FILE_BYTES = 64 * 1024 * 1024  # 100,000 rows of a few long numbers fit many times
DELIMITERS = ",;\t"


class DataFileError(ProgramError):
    """A data file cannot be used; ``line`` and ``column`` (1-based) say where, if known,
    and ``file`` names the file (when it was read from one)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 file: str | None = None):
        super().__init__(message, line, column)
        self.file = file

    def __str__(self) -> str:
        place = super().__str__()
        return f"{self.file}, {place}" if self.file and self.line else \
            f"{self.file}: {place}" if self.file else place


def _number(cell: str) -> float | None:
    text = cell.strip()
    if not text or "_" in text:  # float() takes "1_000"; a spreadsheet never writes it
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _text_of(raw: bytes) -> str:
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise DataFileError("this is not a text file (it holds binary data)",
                            raw.count(b"\n", 0, at) + 1, at - raw.rfind(b"\n", 0, at))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise DataFileError("this is not a UTF-8 text file (a byte that is not UTF-8)",
                            line, column) from None


def _delimiter(text: str) -> str:
    """A comma, unless the first line has none but a semicolon or a tab."""
    first = text.split("\n", 1)[0]
    return next((d for d in DELIMITERS if d in first), ",")


def _check_label(value: float, classes: int, line: int, column: int) -> None:
    if not (value >= 0 and value.is_integer()):
        raise DataFileError(f"the class label {value:g} is not a whole number of at least 0",
                            line, column)
    if value >= classes:
        raise DataFileError(f"the class label {value:g} is more classes than the lesson "
                            f"has ({classes}: labels 0 to {classes - 1})", line, column)


def parse_csv(raw: bytes, classes: int | None = None) -> LearnerPoints:
    """The points in a CSV file's bytes; ``classes`` for a classification lesson."""
    text = _text_of(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    width: int | None = None
    inputs: list = []
    targets: list[float] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line (often the last) holds no point
            numbers = [_number(cell) for cell in row]
            if width is None:
                width = len(row)
                if width < 2:
                    raise DataFileError("each row needs at least two columns: the input "
                                        "and, last, the target", line, 1)
                if all(n is None for n in numbers):
                    continue  # the header row
            if len(row) != width:
                raise DataFileError(f"this row has {len(row)} columns, the first has "
                                    f"{width}", line, min(len(row), width) + 1)
            for column, (cell, value) in enumerate(zip(row, numbers, strict=True), 1):
                if value is None:
                    shown = short_text(cell.strip(), 30) if cell.strip() else "an empty cell"
                    what = f"'{shown}'" if cell.strip() else shown
                    raise DataFileError(f"{what} is not a number", line, column)
                if not math.isfinite(value):
                    raise DataFileError(f"'{cell.strip()}' is not a finite number (NaN and "
                                        "infinity cannot be trained on)", line, column)
            if classes is not None:
                _check_label(numbers[-1], classes, line, width)
            if len(targets) == MAX_ROWS:
                raise DataFileError(f"more than {MAX_ROWS:,} rows of data", line, 1)
            inputs.append(numbers[0] if width == 2 else tuple(numbers[:-1]))
            targets.append(numbers[-1])
    except csv.Error as exc:
        raise DataFileError(f"this is not a valid CSV file ({exc})", reader.line_num) from None
    if len(targets) < 2:
        raise DataFileError(f"the file holds {len(targets)} row{'s' * (len(targets) != 1)} of "
                            "data; training needs at least 2", max(reader.line_num, 1))
    return LearnerPoints(tuple(inputs), tuple(targets))


def read_csv(path: str | os.PathLike, classes: int | None = None) -> LearnerPoints:
    """The points in the CSV file ``path``, or one :class:`DataFileError` saying why not."""
    path = Path(path)
    name = short_text(path.name, 80)
    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        reason = str(exc).replace(" it:", f" {name}:")
        if reason.startswith(("larger", "not a regular")):
            reason = f"{name} is {reason}"
        raise DataFileError(reason) from None
    try:
        return parse_csv(raw, classes)
    except DataFileError as exc:
        raise DataFileError(exc.message, exc.line, exc.column, name) from None


def check_fits(points: LearnerPoints, input_columns: int, input_name: str,
               target_name: str) -> None:
    """Refuse data whose input has a different number of columns than the lesson's
    input ``input_name`` (the message names both variables)."""
    if points.columns != input_columns:
        wanted = "one input column" if input_columns == 1 else f"{input_columns} input columns"
        raise DataFileError(f"this lesson takes {wanted} ({input_name}) and a target column "
                            f"({target_name}); the file has {points.columns} input "
                            f"column{'s' * (points.columns != 1)}")
