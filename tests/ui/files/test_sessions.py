"""Session files from the window: save then open gives the same work back, a bad file
changes nothing, an interrupted save keeps the old file, unsaved work is offered for
saving, Open Recent, and ``gui-backprop FILE``."""

import json
import os
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from gui_backprop.cli import main
from gui_backprop.core.session_file import Session
from gui_backprop.ui import app as app_module
from gui_backprop.ui.files.sessions import MAX_RECENT
from gui_backprop.ui.window import settings_keys as keys
from tests.ui.session_helpers import press, run_program, type_value, work_of
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window, run_app_looking

pytestmark = IGNORE_OFFSCREEN_NOISE

Button = QMessageBox.StandardButton
PLAYGROUND_PROGRAM = "x = [1.0, 2.0, 3.0]\nw = 0.5\nb = 0.25\nloss = mean((w * x + b) ** 2)\n"


def _edited_lesson(qtbot, tmp_path, position=7):
    window = open_window(qtbot, tmp_path, "one-training-step")
    type_value(qtbot, window, "w", "1.5")
    type_value(qtbot, window, "learning_rate", "0.05")
    window.model.jump(position)
    return window


def _edited_playground(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    panel = window.playground_panel
    run_program(qtbot, window, PLAYGROUND_PROGRAM.strip())
    assert panel.error_text() == ""
    qtbot.mouseClick(panel.checkboxes["x"], Qt.MouseButton.LeftButton)  # not a parameter
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    type_value(qtbot, window, "b", "-0.75")
    window.model.jump(5)
    return window


@pytest.mark.parametrize("make", [_edited_lesson, _edited_playground],
                         ids=["lesson", "playground"])
def test_save_then_open_gives_back_the_same_work(qtbot, tmp_path, dialogs, make):
    window = make(qtbot, tmp_path / "a")
    assert window.isWindowModified()
    dialogs.save_to = tmp_path / "work"  # no suffix: .bplab is added
    press(qtbot, window, Qt.Key.Key_S)
    path = tmp_path / "work.bplab"
    assert path.is_file() and not window.isWindowModified()
    assert window.windowTitle().startswith("work.bplab")
    saved = work_of(window)

    other = open_window(qtbot, tmp_path / "b", "chain-rule")
    dialogs.open_from = path
    press(qtbot, other, Qt.Key.Key_O)
    assert dialogs.warnings == [] and dialogs.questions == []
    assert work_of(other) == saved
    assert other.model.position == window.model.position
    if other.model.is_playground:
        assert other.playground_panel.chosen_parameters() == ["w", "b"]


def test_the_file_holds_what_the_window_shows(qtbot, tmp_path, dialogs):
    window = _edited_lesson(qtbot, tmp_path, position=9)
    dialogs.save_to = tmp_path / "work.bplab"
    window.menus.actions["save_as"].trigger()
    data = json.loads((tmp_path / "work.bplab").read_text())
    assert data["lesson"] == "one-training-step" and data["position"] == 9
    assert data["values"]["w"] == 1.5 and data["learning_rate"] == 0.05


def _valid(**changes) -> bytes:
    data = json.loads(Session("x = 1.0\nw = 2.0\nloss = (w * x) ** 2\n", {"x": 1.0, "w": 2.0},
                              ("w",), 0.1, "playground", 3).to_json())
    data.update(changes)
    return json.dumps(data).encode()


BAD_FILES = {
    "empty": (b"", "not valid JSON"),
    "truncated": (_valid()[:60], "not valid JSON"),
    "not json": (b"\x89PNG\r\n\x1a\n\x00\x00 binary", "not valid JSON"),
    "foreign json": (json.dumps({"name": "a notebook", "cells": []}).encode(),
                     "not a Backprop Lab session"),
    "too new": (_valid(version=7), "newer Backprop Lab"),
    "hostile program": (_valid(program="x = 1.0\nloss = __import__('os').system('ls')"),
                        "work.bplab"),
    "value of the wrong type": (_valid(values={"x": "rm -rf", "w": 1.0}), "expected a number"),
    "parameters of the wrong type": (_valid(parameters="w"), "'parameters' has the wrong type"),
    "negative position": (_valid(position=-4), "damaged"),
    "NaN learning rate": (_valid().replace(b'"learning_rate": 0.1', b'"learning_rate": NaN'),
                          "not valid JSON"),
    "vectors that do not fit": (_valid(program="x = [1.0, 2.0]\nw = [1.0, 2.0]\n"
                                               "loss = sum(w * x)\n",
                                       values={"x": [1.0, 2.0], "w": [1.0, 2.0, 3.0]}),
                                "different lengths"),
    "training settings out of range": (_valid(training={"epochs": 0, "seed": 1}),
                                       "training settings: the number of epochs"),
    "huge": (None, "too large"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_leaves_the_open_work_untouched(qtbot, tmp_path, dialogs, name):
    window = _edited_lesson(qtbot, tmp_path / "w", position=5)
    dialogs.save_to = tmp_path / "mine.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    type_value(qtbot, window, "w", "0.75")  # unsaved again
    before = work_of(window)
    content, words = BAD_FILES[name]
    path = tmp_path / "work.bplab"
    if content is None:
        with path.open("wb") as handle:
            handle.truncate(40 * 1024 * 1024)
    else:
        path.write_bytes(content)
    dialogs.open_from = path
    dialogs.answer = Button.Discard  # "Save the changes first?" - no
    press(qtbot, window, Qt.Key.Key_O)
    assert len(dialogs.questions) == 1
    assert len(dialogs.warnings) == 1
    title, message = dialogs.warnings[0]
    assert title == "Cannot open the session"
    assert words in message and "Traceback" not in message and "\n" not in message
    assert work_of(window) == before
    assert window.session_files.path == tmp_path / "mine.bplab"


def test_an_interrupted_save_keeps_the_old_file(qtbot, tmp_path, dialogs, monkeypatch):
    window = _edited_lesson(qtbot, tmp_path)
    path = tmp_path / "work.bplab"
    dialogs.save_to = path
    press(qtbot, window, Qt.Key.Key_S)
    old = path.read_bytes()
    type_value(qtbot, window, "w", "3.0")

    def disk_failed(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_failed)  # after part of the new file is written
    press(qtbot, window, Qt.Key.Key_S)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.ini", "work.bplab"]
    [(title, message)] = dialogs.warnings
    assert title == "Cannot save the session"
    assert "Input/output error" in message and "unchanged" in message
    assert window.isWindowModified()


def test_modified_marker_follows_edits_not_steps(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    assert window.windowTitle() == "One training step[*] — Backprop Lab"
    assert not window.isWindowModified()
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
    assert not window.isWindowModified()  # stepping is not a change
    type_value(qtbot, window, "w", "2")
    assert window.isWindowModified()
    dialogs.save_to = tmp_path / "steps.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    assert window.windowTitle() == "steps.bplab[*] — One training step — Backprop Lab"
    assert not window.isWindowModified()
    type_value(qtbot, window, "w", "3")
    assert window.isWindowModified()
    type_value(qtbot, window, "w", "2")  # back to what the file holds
    assert not window.isWindowModified()
    press(qtbot, window, Qt.Key.Key_S)  # saves to the same file, no dialog
    assert dialogs.file_dialogs == ["Save session"]


@pytest.mark.parametrize("answer", [Button.Cancel, Button.Discard, Button.Save])
def test_closing_with_unsaved_changes_offers_to_save(qtbot, tmp_path, dialogs, answer):
    window = _edited_lesson(qtbot, tmp_path)
    window.session_files.ask_before_closing = True  # as run_app's window does
    dialogs.answer = answer
    dialogs.save_to = tmp_path / "kept.bplab"
    window.close()
    assert dialogs.questions == ["Save the changes to your work before closing?"]
    assert window.isVisible() == (answer == Button.Cancel)
    assert (tmp_path / "kept.bplab").is_file() == (answer == Button.Save)


def test_quit_offers_to_save_and_a_cancelled_save_keeps_the_window(qtbot, tmp_path, dialogs):
    window = _edited_lesson(qtbot, tmp_path)
    window.session_files.ask_before_closing = True
    dialogs.answer = Button.Save
    dialogs.save_to = None  # the learner cancels the file dialog
    window.menus.actions["quit"].trigger()
    assert len(dialogs.questions) == 1 and window.isVisible()


def test_closing_without_changes_asks_nothing(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.session_files.ask_before_closing = True
    window.model.jump(9)
    window.close()
    assert dialogs.questions == [] and not window.isVisible()


def test_open_offers_to_save_first_and_cancel_changes_nothing(qtbot, tmp_path, dialogs):
    window = _edited_lesson(qtbot, tmp_path)
    before = work_of(window)
    dialogs.answer = Button.Cancel
    press(qtbot, window, Qt.Key.Key_O)
    assert dialogs.questions == ["Save the changes to your work before opening another "
                                 "session?"]
    assert dialogs.file_dialogs == [] and work_of(window) == before


def _recent_entries(window):
    menu = window.session_files.recent_menu
    return [a for a in menu.actions() if a.objectName().startswith("action_recent_")
            and a.objectName() != "action_recent_clear"]


def test_open_recent_lists_the_newest_first_and_drops_a_missing_file(qtbot, tmp_path,
                                                                      dialogs):
    window = open_window(qtbot, tmp_path, "chain-rule")
    for number in range(MAX_RECENT + 2):
        dialogs.save_to = tmp_path / f"s{number}.bplab"
        window.menus.actions["save_as"].trigger()
    entries = _recent_entries(window)
    assert [a.toolTip() for a in entries] == [str(tmp_path / f"s{n}.bplab")
                                              for n in range(MAX_RECENT + 1, 1, -1)]
    (tmp_path / "s5.bplab").unlink()
    next(a for a in entries if a.toolTip().endswith("s5.bplab")).trigger()
    [(_title, message)] = dialogs.warnings
    assert "s5.bplab no longer exists" in message
    assert len(_recent_entries(window)) == MAX_RECENT - 1
    type_value(qtbot, window, "x", "2.5")
    dialogs.answer = Button.Discard
    _recent_entries(window)[-1].trigger()  # the oldest still listed: s2
    assert window.session_files.path == tmp_path / "s2.bplab"
    assert window.model.values["x"] == 1.5 and not window.isWindowModified()


def test_the_recent_list_is_remembered(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "chain-rule")
    dialogs.save_to = tmp_path / "kept.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    window.settings.sync()
    again = open_window(qtbot, tmp_path, "chain-rule")
    assert [a.toolTip() for a in _recent_entries(again)] == [str(tmp_path / "kept.bplab")]


def test_the_command_line_opens_a_session(qtbot, tmp_path, dialogs, capsys):
    window = _edited_lesson(qtbot, tmp_path, position=9)
    dialogs.save_to = tmp_path / "work.bplab"
    press(qtbot, window, Qt.Key.Key_S)
    ours, theirs = tmp_path / "ours.png", tmp_path / "theirs.png"
    assert main([str(tmp_path / "work.bplab"), "--screenshot", str(ours)]) == 0
    assert main(["--lesson", "one-training-step", "--step", "9", "--screenshot",
                 str(theirs)]) == 0
    assert QImage(str(ours)) != QImage(str(theirs))  # w = 1.5 and lr = 0.05 show
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("content", "words"), [(b"{", "not valid JSON"),
                                                (_valid(version=3), "newer")])
def test_the_command_line_refuses_a_bad_session_with_one_line(tmp_path, capsys, content,
                                                              words):
    path = tmp_path / "bad.bplab"
    path.write_bytes(content)
    assert main([str(path), "--screenshot", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gui-backprop: error: bad.bplab") and words in err
    assert err.count("\n") == 1
    assert main([str(tmp_path / "missing.bplab")]) == 2
    assert "cannot open missing.bplab" in capsys.readouterr().err


def test_the_app_opens_the_session_and_its_window_asks_before_closing(qtbot, tmp_path, dialogs,
                                                                     monkeypatch):
    path = tmp_path / "work.bplab"
    path.write_bytes(_valid(values={"x": 3.0, "w": 2.0}, position=4))
    monkeypatch.setenv(keys.ENVIRONMENT_VARIABLE, str(tmp_path / "settings.ini"))
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    seen = {}

    def look_and_quit(window):
        seen.update(lesson=window.model.lesson.id, x=window.model.values["x"],
                    position=window.model.position, title=window.windowTitle(),
                    asks=window.session_files.ask_before_closing,
                    editor=window.playground_panel.editor.toPlainText())
        window.close()
        QApplication.instance().quit()

    args = SimpleNamespace(session=str(path), lesson=None, step=None, screenshot=None,
                           size="1280x800")
    assert run_app_looking(qtbot, args, look_and_quit) == 0
    assert seen == {"lesson": "playground", "x": 3.0, "position": 4, "asks": True,
                    "title": "work.bplab[*] — Playground — Backprop Lab",
                    # the session's values, written into its program's literals
                    "editor": "x = 3.0\nw = 2.0\nloss = (w * x) ** 2\n"}
