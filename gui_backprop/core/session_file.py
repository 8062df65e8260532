"""Session files: what a learner was doing, saved as versioned JSON.

Loading trusts nothing: size, JSON syntax, format marker, version, every field's type
and range are checked, and the program text goes through the same safe parser as
typed text. Any problem is one :class:`SessionError` with a clear message. Saving is
atomic (:mod:`~gui_backprop.core.atomic_file`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gui_backprop.core.atomic_file import write_atomically
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import parse_program
from gui_backprop.core.question_scores import (
    ScoreBook,
    ScoreError,
    scores_from_json,
    scores_to_json,
)
from gui_backprop.core.regular_file import UnreadableFile, read_regular_file
from gui_backprop.core.tracer import resolve_parameters, resolve_values
from gui_backprop.core.training_data import LearnerPoints
from gui_backprop.core.values import (
    as_nested_lists,
    check_learning_rate,
    check_number,
    short_text,
)

FORMAT = "backprop-lab-session"
VERSION = 2  # 2: the other lessons' work ("workspace"); version 1 files still open
# Fields added without a new version (older files lack them and still open; an older
# app ignores them): "scores", the questions' answers per lesson and learner;
# "landscape", the loss landscape's path and bounds (drawn again when reopened).
MAX_LESSONS = 50
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_HISTORY = 2_000_000
SUFFIX = ".bplab"
NAME_CHARS = 80  # a file name longer than this is cut short in messages


class SessionError(ValueError):
    """A session file cannot be read or written; the message says why."""


@dataclass(frozen=True)
class LessonWork:
    """One lesson's work as the learner left it: its program, values, parameters,
    learning rate and position."""

    program: str
    values: dict
    parameters: tuple[str, ...]
    learning_rate: float
    position: int = 0


@dataclass(frozen=True)
class Session:
    """Everything needed to restore a learner's work."""

    program: str
    values: dict
    parameters: tuple[str, ...]
    learning_rate: float
    lesson: str | None = None
    position: int = 0
    training: dict = field(default_factory=dict)
    loss_history: tuple[float, ...] = ()
    workspace: dict[str, LessonWork] = field(default_factory=dict)
    """The other lessons' work, by lesson id (the open lesson's is the fields above)."""
    scores: ScoreBook = field(default_factory=ScoreBook)
    """The questions' graded answers, per lesson and learner (optional in the file)."""
    learner_points: LearnerPoints | None = None
    """The learner's own points for the Train tab (imported or clicked), if any: an
    optional field (files without it open; older apps ignore it)."""
    trained_note: str | None = None
    starting_values: dict | None = None
    """When the values are a training run's result: how the heading names them and the
    values the run started from (the way back). Optional, as the two above."""
    landscape_path: tuple[tuple[float, float], ...] = ()
    landscape_bounds: tuple[float, float, float, float] | None = None
    """The Train tab's loss landscape: the path the run took (as drawn) and the bounds
    of the landscape shown, computed again when the file is opened. Optional."""

    def to_json(self) -> str:
        """The file content."""
        data = {"format": FORMAT, "version": VERSION, **asdict(self)}
        data["parameters"] = list(self.parameters)
        data["loss_history"] = [v if math.isfinite(v) else None for v in self.loss_history]
        data["values"] = {k: as_nested_lists(v)
                          for k, v in self.values.items()}
        data["workspace"] = {lesson: {**asdict(work), "parameters": list(work.parameters)}
                             for lesson, work in self.workspace.items()}
        data["scores"] = scores_to_json(self.scores)
        if not data["scores"]:
            del data["scores"]  # a file without answers is what older versions wrote
        del data["landscape_path"], data["landscape_bounds"]
        if self.landscape_path:
            data["landscape"] = {"path": [list(point) for point in self.landscape_path],
                                 "bounds": None if self.landscape_bounds is None
                                 else list(self.landscape_bounds)}
        if self.starting_values is None:
            del data["trained_note"], data["starting_values"]
        else:
            data["starting_values"] = {k: as_nested_lists(v)
                                       for k, v in self.starting_values.items()}
        return json.dumps(data, indent=1, allow_nan=False)


def save_session(session: Session, path: str | os.PathLike) -> None:
    """Write ``session`` to ``path`` atomically (the old file survives any failure; see
    :mod:`~gui_backprop.core.atomic_file`)."""
    path = Path(path)
    try:
        write_atomically(path, session.to_json().encode("utf-8"))
    except OSError as exc:
        raise SessionError(f"cannot save {short_text(path.name, NAME_CHARS)}: "
                           f"{exc.strerror or exc}") from None


def load_session(path: str | os.PathLike) -> Session:
    """Read and validate a session file; raise :class:`SessionError` on any problem."""
    path = Path(path)
    return parse_session(read_limited(path, MAX_FILE_BYTES), path.name)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, else
    :class:`SessionError` (see :mod:`~gui_backprop.core.regular_file`)."""
    name = short_text(path.name, NAME_CHARS)
    try:
        return read_regular_file(path, limit)
    except UnreadableFile as exc:
        reason = str(exc)
        if reason.startswith("larger than"):
            raise SessionError(f"{name} is too large to be a session file") from None
        if reason.startswith("not a regular file"):
            raise SessionError(f"{name} is {reason}") from None
        raise SessionError(f"{reason.replace(' it:', f' {name}:')}") from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_session(raw: bytes, name: str = "the file") -> Session:
    """Validate the bytes of a session file (UTF-8, with or without a byte-order mark)."""
    name = short_text(name, NAME_CHARS)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SessionError(f"{name} is not a Backprop Lab session (not valid JSON, "
                           "or cut short)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SessionError(f"{name} is not a Backprop Lab session file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionError(f"{name} has no valid version number")
    if version > VERSION:
        raise SessionError(f"{name} was saved by a newer Backprop Lab (format {version}); "
                           "please update the app to open it")
    try:
        return _session_from(data)
    except ProgramError as exc:
        raise SessionError(f"{name}: {exc}") from None
    except ScoreError as exc:
        raise SessionError(f"{name} is damaged: {exc}") from None
    except (TypeError, KeyError, ValueError) as exc:
        raise SessionError(f"{name} is damaged: {exc}") from None


def _require(data: dict, key: str, kind: type | tuple[type, ...]):
    if key not in data:
        raise KeyError(f"'{key}' is missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"'{key}' has the wrong type")
    return value


def _session_from(data: dict) -> Session:
    text = _require(data, "program", str)
    program = parse_program(text)
    values = resolve_values(program, _require(data, "values", dict))
    parameters = resolve_parameters(program, _require(data, "parameters", list))
    rate = check_learning_rate(_require(data, "learning_rate", (int, float)))
    lesson = data.get("lesson")
    if lesson is not None and (not isinstance(lesson, str) or len(lesson) > 100):
        raise TypeError("'lesson' has the wrong type")
    position = data.get("position", 0)
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise ValueError("'position' must be a whole number of at least 0")
    training = data.get("training", {})
    if not isinstance(training, dict) or len(training) > 50:
        raise TypeError("'training' has the wrong type")
    for key, value in training.items():
        if not isinstance(value, (int, float, str, bool)) or (
                isinstance(value, str) and len(value) > 200):
            raise TypeError(f"training setting '{short_text(key)}' has the wrong type")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            check_number(f"training setting '{short_text(key)}'", value)  # finite, fits a float
    history = data.get("loss_history", [])
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        raise TypeError("'loss_history' has the wrong type")
    losses = []
    for value in history:
        if value is None:  # how a loss that was NaN or infinite is saved
            losses.append(math.nan)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            # any size a run can reach (a diverging one nears 1e308), but finite
            losses.append(check_number("loss_history", value))
        else:
            raise TypeError("'loss_history' must hold numbers")
    return Session(text, values, parameters, rate, lesson, position, dict(training),
                   tuple(losses), _workspace_from(data.get("workspace", {})),
                   scores=scores_from_json(data.get("scores", {})),
                   learner_points=_learner_points_from(data.get("learner_points")),
                   **_trained_from(program, data), **_landscape_from(data.get("landscape")))


def _landscape_from(landscape) -> dict:
    """The optional landscape: a path of finite (first, second) points and the bounds
    (first's low and high, second's low and high) of what was shown."""
    if landscape is None:
        return {}
    if not isinstance(landscape, dict):
        raise TypeError("'landscape' has the wrong type")
    path = _require(landscape, "path", list)
    if len(path) > MAX_HISTORY or not all(isinstance(p, list) and len(p) == 2 for p in path):
        raise TypeError("'landscape' must hold a path of [first, second] points")
    points = tuple((_landscape_number(a), _landscape_number(b)) for a, b in path)
    bounds = landscape.get("bounds")
    if bounds is not None:
        if not isinstance(bounds, list) or len(bounds) != 4:
            raise TypeError("the landscape's bounds have the wrong type")
        bounds = tuple(_landscape_number(v) for v in bounds)
        if not (bounds[0] < bounds[1] and bounds[2] < bounds[3]):
            raise ValueError("the landscape's bounds must go from low to high")
    return {"landscape_path": points, "landscape_bounds": bounds}


def _landscape_number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("'landscape' must hold numbers")
    return float(check_number("landscape", value))


def _trained_from(program, data: dict) -> dict:
    """The optional training result: its note and starting values, checked as values."""
    start = data.get("starting_values")
    if start is None:
        return {}
    note = data.get("trained_note")
    if not isinstance(note, str) or not note or len(note) > 200:
        raise TypeError("'trained_note' has the wrong type")
    if not isinstance(start, dict):
        raise TypeError("'starting_values' has the wrong type")
    return {"trained_note": note, "starting_values": resolve_values(program, start)}


def _number_of(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("'learner_points' must hold numbers")
    return check_number("learner_points", value)


def _learner_points_from(points) -> LearnerPoints | None:
    """The learner's points, checked as an import is (finite numbers, 2 to 100,000)."""
    if points is None:
        return None
    if not isinstance(points, dict):
        raise TypeError("'learner_points' has the wrong type")
    inputs, targets = _require(points, "inputs", list), _require(points, "targets", list)
    if len(inputs) > 100_000 or len(targets) > 100_000:
        raise ValueError("'learner_points' holds more than 100,000 points")
    rows = tuple(tuple(_number_of(v) for v in row) if isinstance(row, list)
                 else _number_of(row) for row in inputs)
    return LearnerPoints(rows, tuple(_number_of(v) for v in targets))


def _workspace_from(workspace) -> dict[str, LessonWork]:
    """The other lessons' work, each checked as the open lesson's is."""
    if not isinstance(workspace, dict) or len(workspace) > MAX_LESSONS:
        raise TypeError("'workspace' has the wrong type")
    kept = {}
    for lesson, entry in workspace.items():
        if len(lesson) > 100 or not isinstance(entry, dict):
            raise TypeError(f"the work of lesson '{lesson[:100]}' has the wrong type")
        text = _require(entry, "program", str)
        program = parse_program(text)
        position = entry.get("position", 0)
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise ValueError("'position' must be a whole number of at least 0")
        kept[lesson] = LessonWork(
            text, resolve_values(program, _require(entry, "values", dict)),
            resolve_parameters(program, _require(entry, "parameters", list)),
            check_learning_rate(_require(entry, "learning_rate", (int, float))), position)
    return kept
