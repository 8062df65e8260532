"""Issue 12: numbers and files a session (or the command line) may bring, refused in one
clear line before anything can overflow later."""

from __future__ import annotations

import json
import os
import threading

import pytest

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.session_file import Session, SessionError, load_session, parse_session
from gui_backprop.core.training_data import DataSettings
from gui_backprop.core.values import MAX_MAGNITUDE, check_number, check_value, parse_value

PROGRAM = "x = [1.0, 2.0]\nw = 0.5\nloss = mean((w * x) ** 2)\n"
SESSION = Session(PROGRAM, {"x": (3.0, 4.0), "w": 0.25}, ("w",), 0.05, "playground", 4,
                  {"epochs": 100}, (3.0, 2.5, 2.0))


def _raw(**changes) -> bytes:
    data = json.loads(SESSION.to_json())
    data.update(changes)
    return json.dumps(data).encode()


def _refusal(raw: bytes) -> str:
    with pytest.raises(SessionError) as caught:
        parse_session(raw, "work.bplab")
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


def test_a_huge_integer_in_the_loss_history_is_refused():
    assert "too large" in _refusal(_raw(loss_history=[1.0, 10**400]))


def test_a_loss_json_reads_as_infinity_is_refused():
    raw = SESSION.to_json().replace("2.5", "1e309").encode()
    assert "finite" in _refusal(raw)


def test_a_loss_as_large_as_a_float_may_be_is_kept():
    assert parse_session(_raw(loss_history=[1e308, 1.0])).loss_history == (1e308, 1.0)


@pytest.mark.parametrize("noise", [10**400, True, float("inf"), "1"])
def test_training_noise_must_be_a_number_in_range(noise):
    with pytest.raises(ProgramError, match="noise"):
        DataSettings(50, noise, 0)


@pytest.mark.parametrize("text", ["1e308", "[1e308, 1.0]", "-2e15", "1" + "0" * 400])
def test_values_beyond_the_bound_are_refused_typed_or_saved(text):
    with pytest.raises(ProgramError, match="at most 1e15|too large"):
        check_value("x", parse_value(text))
    assert "1e15" in _refusal(_raw(values={"x": [1e308, 1.0], "w": 1.0}))
    assert "1e15" in _refusal(_raw(program="x = [1e308, 2.0]\nw = 0.5\nloss = mean(w * x)"))


def test_the_bound_itself_is_a_value():
    assert parse_value("1e15") == MAX_MAGNITUDE and parse_value("[-1e15]") == (-MAX_MAGNITUDE,)


@pytest.mark.parametrize("value", [True, None, "3", [1.0], 10**400, float("nan"), -1e309])
def test_check_number_refuses_anything_but_a_finite_number_in_one_error(value):
    with pytest.raises(ProgramError):
        check_number("n", value)


def test_check_number_bounds():
    assert check_number("n", 5, 0, 10) == 5.0
    with pytest.raises(ProgramError, match="from 0 to 10"):
        check_number("n", 11, 0, 10)


def test_a_long_parameter_name_is_not_echoed_whole():
    message = _refusal(_raw(parameters=["p" * 10_000]))
    assert "ppppp..." in message and len(message) < 200


def test_a_training_key_is_not_echoed_whole():
    assert len(_refusal(_raw(training={"k" * 10_000: [1]}))) < 200


def test_a_file_with_a_byte_order_mark_opens():
    assert parse_session(b"\xef\xbb\xbf" + SESSION.to_json().encode()) == SESSION


def test_a_lone_surrogate_in_the_program_is_named_as_such():
    message = _refusal(_raw(program="x = 1.0\nw = 2.0 # \ud800\nloss = w * x"))
    assert "not valid text" in message and "nested" not in message


def test_a_full_width_name_is_the_name_the_program_has():
    program = "ｗ = 2.0\nx = 1.0\nloss = ｗ * x"
    loaded = parse_session(_raw(program=program, values={"ｗ": 3.0}, parameters=["ｗ"]))
    assert loaded.values["w"] == 3.0 and loaded.parameters == ("w",)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with pytest.raises(SessionError, match="not a regular file"):
        load_session(device)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(SessionError, match="not a regular file"):
        load_session(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.bplab"
    os.mkfifo(fifo)
    result = []
    reader = threading.Thread(target=lambda: result.append(_load(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    assert result and "not a regular file" in result[0]


def _load(path) -> str:
    try:
        load_session(path)
    except SessionError as exc:
        return str(exc)
    return "opened"
