"""Session files round-trip, reject every kind of bad file, and save atomically."""

import json
import os

import pytest

from gui_backprop.core import session_file
from gui_backprop.core.session_file import Session, SessionError, load_session, save_session

PROGRAM = "x = [1.0, 2.0]\nw = 0.5\nloss = mean((w * x) ** 2)\n"


def _session(**changes) -> Session:
    base = dict(program=PROGRAM, values={"x": (3.0, 4.0), "w": 0.25}, parameters=("w",),
                learning_rate=0.05, lesson="playground", position=4,
                training={"epochs": 100, "rule": "manual"}, loss_history=(3.0, 2.5, 2.0))
    base.update(changes)
    return Session(**base)


def test_save_then_load_gives_back_the_same_session(tmp_path):
    path = tmp_path / "work.bplab"
    save_session(_session(), path)
    assert load_session(path) == _session()


def test_a_training_result_keeps_its_note_and_starting_values(tmp_path):
    path = tmp_path / "trained.bplab"
    trained = _session(trained_note="trained to epoch 3 of 3",
                       starting_values={"x": (3.0, 4.0), "w": 0.5})
    save_session(trained, path)
    assert load_session(path) == trained
    assert "starting_values" not in _session().to_json()  # as files without a run were


def test_a_loss_landscape_keeps_its_path_and_bounds(tmp_path):
    path = tmp_path / "landscape.bplab"
    drawn = _session(landscape_path=((0.0, 0.0), (1.5, 0.25), (2.0, 0.5)),
                     landscape_bounds=(-1.0, 3.0, -0.5, 1.5))
    save_session(drawn, path)
    assert load_session(path) == drawn
    assert "landscape" not in _session().to_json()  # as files without a landscape were


@pytest.mark.parametrize("landscape", [
    [], {"path": [[1.0]]}, {"path": [[1.0, "a"]]}, {"path": [[1.0, True]]},
    {"path": [[1.0, 2.0]], "bounds": [1.0, 0.0, 0.0, 1.0]},
    {"path": [[1.0, 2.0]], "bounds": [0.0, 1.0, 0.0]}, {"path": [[1e999, 2.0]]}])
def test_a_bad_landscape_is_one_clear_error(tmp_path, landscape):
    data = {**_valid_dict(), "landscape": landscape}
    path = tmp_path / "bad.bplab"
    path.write_text(json.dumps(data).replace("Infinity", "1e999"))
    with pytest.raises(SessionError, match="bad.bplab"):
        load_session(path)


def _valid_dict() -> dict:
    return json.loads(_session().to_json())


def _changed(**changes) -> bytes:
    data = _valid_dict()
    for key, value in changes.items():
        if value is KeyError:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data).encode()


BAD_FILES = {
    "empty": b"",
    "truncated": _session().to_json().encode()[:40],
    "not json": b"\x89PNG\r\n\x1a\n binary",
    "foreign json": json.dumps({"name": "something else"}).encode(),
    "json list": b"[1, 2, 3]",
    "too new": _changed(version=99),
    "no version": _changed(version=KeyError),
    "hostile program": _changed(program="x = 1\nloss = __import__('os').system('rm -rf /')"),
    "attribute program": _changed(program="x = 1\nloss = x.__class__"),
    "value not a number": _changed(values={"x": "rm", "w": 1.0}),
    "unknown value name": _changed(values={"zzz": 1.0}),
    "NaN constant": _session().to_json().replace('"learning_rate": 0.05',
                                                  '"learning_rate": NaN').encode(),
    "negative learning rate": _changed(learning_rate=-1),
    "boolean position": _changed(position=True),
    "parameter not a leaf": _changed(parameters=["loss"]),
    "history of strings": _changed(loss_history=["a"]),
    "deep nesting": b'{"format": "backprop-lab-session", "version": 1, "training": '
                    + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "invalid utf-8": b'{"format": "\xff\xfe"}',
    "starting values without a note": _changed(starting_values={"w": 0.5}),
    "starting value not a number": _changed(starting_values={"w": "x"}, trained_note="t"),
    "starting value of no leaf": _changed(starting_values={"zz": 1.0}, trained_note="t"),
}


@pytest.mark.parametrize("raw", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_session_files_raise_one_clear_error(raw, tmp_path):
    path = tmp_path / "bad.bplab"
    path.write_bytes(raw)
    with pytest.raises(SessionError) as caught:
        load_session(path)
    message = str(caught.value)
    assert "bad.bplab" in message and "Traceback" not in message


def test_too_large_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(session_file, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.bplab"
    save_session(_session(), path)
    with pytest.raises(SessionError, match="too large"):
        load_session(path)


def test_interrupted_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "work.bplab"
    save_session(_session(), path)
    before = path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SessionError, match="No space left"):
        save_session(_session(position=9), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["work.bplab"]
