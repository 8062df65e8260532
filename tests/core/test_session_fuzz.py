"""Fuzzing session files: whatever the bytes, opening gives a session or one clean line.

Two sources of hostile files: byte-level mutations of a valid file (flips, cuts,
insertions, repeats) and a hypothesis strategy over the JSON structure, where every
field may take any JSON type, including extreme numbers. Nothing is traced.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui_backprop.core.session_file import Session, SessionError, parse_session
from gui_backprop.ui.training.panel_state import TrainPanelState

VALID = Session("x = [1.0, 2.0, 3.0]\ny = [2.0, 4.0, 6.0]\nw = 0.5\nb = 0.0\n"
                "y_hat = w * x + b\nloss = mean((y_hat - y) ** 2)\n",
                {"x": (1.0, 2.0, 3.0), "w": 0.5}, ("w", "b"), 0.05, "playground", 3,
                {"epochs": 100, "learning_rate": 0.05, "update_rule": "manual", "points": 50,
                 "noise": 1.0, "seed": 0, "log_scale": False}, (3.0, 2.0, 1.0))
RAW = VALID.to_json().encode()

EXTREME = st.sampled_from([0, -0.0, 1e15, -1e15, 1e15 + 1, 1e308, -1e308, 5e-324, 2**53 + 1,
                           10**400, -(10**400), 2**31, -1, True, False])
SCALARS = st.none() | st.booleans() | st.floats() | st.integers() | EXTREME \
    | st.text(max_size=30)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
FIELDS = ["format", "version", "program", "values", "parameters", "learning_rate", "lesson",
          "position", "training", "loss_history"]


def _open(raw: bytes) -> None:
    """Open ``raw`` as a session; anything but a session or one clean line fails."""
    try:
        session = parse_session(raw, "fuzz.bplab")
    except SessionError as exc:
        message = str(exc)
        assert message.startswith("fuzz.bplab") and "\n" not in message, message
        assert len(message) < 400 and "Traceback" not in message, message
        return
    problem = TrainPanelState.check(session.training)  # what the window checks next
    assert problem is None or ("\n" not in problem and len(problem) < 400), problem
    json.dumps(json.loads(session.to_json()), allow_nan=False)  # and it saves again


def _mutate(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(data) + 1)
        kind = rng.randrange(5)
        if kind == 0 and data:
            data[min(where, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[where:where + rng.randint(1, 40)]
        elif kind == 2:
            data[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 3:
            data[where:where] = rng.choice([b"1e309", b"-", b"9" * 400, b"\\ud800", b"null",
                                            b"[", b"{", b'"', b"\xef\xbb\xbf", b"true"])
        else:
            piece = data[where:where + rng.randint(1, 60)]
            data[where:where] = piece * rng.randint(1, 3)
    return bytes(data)


def test_byte_level_mutations_open_or_give_one_line():
    rng = random.Random(2024)
    for _ in range(500):
        _open(_mutate(rng, RAW))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), JSON_VALUES)
def test_any_json_in_any_field_opens_or_gives_one_line(field, value):
    data = json.loads(RAW)
    data[field] = value
    _open(json.dumps(data).encode())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["values", "training"]), st.text(max_size=12), JSON_VALUES)
def test_any_entry_in_values_or_training_opens_or_gives_one_line(field, key, value):
    data = json.loads(RAW)
    data[field] = {**data[field], key: value}
    _open(json.dumps(data).encode())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.none() | st.floats() | st.integers() | EXTREME, max_size=20))
def test_any_loss_history_opens_or_gives_one_line(history):
    data = json.loads(RAW)
    data["loss_history"] = history
    _open(json.dumps(data).encode())
