"""Session files: what a learner was doing, saved as versioned JSON.

Loading trusts nothing: size, JSON syntax, format marker, version, every field's type
and range are checked, and the program text goes through the same safe parser as
typed text. Any problem is one :class:`SessionError` with a clear message. Saving is
atomic: the new content goes to a temporary file that then replaces the old one.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import parse_program
from gui_backprop.core.tracer import resolve_parameters, resolve_values
from gui_backprop.core.values import check_learning_rate

FORMAT = "backprop-lab-session"
VERSION = 2  # 2: the other lessons' work ("workspace"); version 1 files still open
MAX_LESSONS = 50
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_HISTORY = 2_000_000
SUFFIX = ".bplab"


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

    def to_json(self) -> str:
        """The file content."""
        data = {"format": FORMAT, "version": VERSION, **asdict(self)}
        data["parameters"] = list(self.parameters)
        data["loss_history"] = [v if math.isfinite(v) else None for v in self.loss_history]
        data["values"] = {k: list(v) if isinstance(v, tuple) else v
                          for k, v in self.values.items()}
        data["workspace"] = {lesson: {**asdict(work), "parameters": list(work.parameters)}
                             for lesson, work in self.workspace.items()}
        return json.dumps(data, indent=1, allow_nan=False)


def save_session(session: Session, path: str | os.PathLike) -> None:
    """Write ``session`` to ``path`` atomically (the old file survives any failure)."""
    path = Path(path)
    text = session.to_json()
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SessionError(f"cannot save to {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise SessionError(f"cannot save {path.name}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_session(path: str | os.PathLike) -> Session:
    """Read and validate a session file; raise :class:`SessionError` on any problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionError(f"{path.name} is too large to be a session file")
        raw = path.read_bytes()
    except OSError as exc:
        raise SessionError(f"cannot open {path.name}: {exc.strerror or exc}") from None
    return parse_session(raw, path.name)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_session(raw: bytes, name: str = "the file") -> Session:
    """Validate the bytes of a session file."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
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
            raise TypeError(f"training setting '{key}' has the wrong type")
    history = data.get("loss_history", [])
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        raise TypeError("'loss_history' has the wrong type")
    losses = []
    for value in history:
        if value is None:
            losses.append(math.nan)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            losses.append(float(value))
        else:
            raise TypeError("'loss_history' must hold numbers")
    return Session(text, values, parameters, rate, lesson, position, dict(training),
                   tuple(losses), _workspace_from(data.get("workspace", {})))


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
