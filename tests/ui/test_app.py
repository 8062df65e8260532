"""Starting the app: --screenshot, bad arguments, remembered settings, the error dialog."""

import logging
import sys
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui_backprop.cli import main
from gui_backprop.ui import app as app_module
from gui_backprop.ui.window import error_handler
from gui_backprop.ui.window import settings_keys as keys
from gui_backprop.ui.window.main_window import MainWindow
from gui_backprop.ui.window.start_window import StartWindow
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, LESSONS, open_window, run_app_looking

pytestmark = IGNORE_OFFSCREEN_NOISE


def distinct_colours(image: QImage, step: int = 7) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_screenshot_writes_a_png_of_the_asked_size(tmp_path, capsys):
    path = tmp_path / "shot.png"
    code = main(["--screenshot", str(path), "--lesson", "one-training-step", "--step", "9",
                 "--size", "1000x700"])
    assert code == 0
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1000, 700)
    assert distinct_colours(image) > 40
    assert capsys.readouterr().err == ""
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                and w.isVisible()]


def test_screenshots_at_different_steps_differ(tmp_path):
    first, later = tmp_path / "a.png", tmp_path / "b.png"
    assert main(["--screenshot", str(first), "--lesson", "chain-rule", "--step", "0"]) == 0
    assert main(["--screenshot", str(later), "--lesson", "chain-rule", "--step", "6"]) == 0
    a, b = QImage(str(first)), QImage(str(later))
    assert (a.width(), a.height()) == (1280, 800)
    assert a != b


@pytest.mark.parametrize(("argv", "words"), [
    (["--lesson", "no-such-lesson"], "no lesson named"),
    (["--size", "big"], "--size"),
    (["--size", "10x10"], "--size"),
    (["--lesson", "chain-rule", "--step", "999"], "--step"),
    (["--step", "-1"], "--step"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, argv, words):
    path = tmp_path / "shot.png"
    assert main(["--screenshot", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and err.startswith("gui-backprop: error:")
    assert not path.exists()


def test_a_failing_screenshot_prints_one_line_and_fails(tmp_path, capsys, monkeypatch):
    def broken(self, *args):
        raise RuntimeError("the canvas broke\nsecond line")

    monkeypatch.setattr(MainWindow, "grab", broken)
    assert main(["--screenshot", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert err == "gui-backprop: error: the screenshot failed: RuntimeError: the canvas broke\n"


def test_an_unwritable_screenshot_path_fails(tmp_path, capsys):
    assert main(["--screenshot", str(tmp_path / "missing" / "x.png")]) == 1
    assert "could not write" in capsys.readouterr().err


def test_size_parsing():
    assert app_module.parse_size("1280x800") == (1280, 800)
    assert app_module.parse_size(" 640 X 480 ") == (640, 480)
    for bad in ("", "1280", "x800", "0x0", "99999x1", "1280x800x2"):
        with pytest.raises(app_module.UsageError):
            app_module.parse_size(bad)


# -- remembering ------------------------------------------------------------------------


def test_geometry_lesson_and_text_size_are_remembered(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    window.model.open_lesson("linear-regression")
    window.set_text_size(12)
    window.resize(700, 520)  # the offscreen screen is 800x600; the window's minimum applies
    size = (window.width(), window.height())
    assert size != (1280, 800)
    window.close()
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value(keys.LAST_LESSON) == "linear-regression"
    again = open_window(qtbot, tmp_path, show=False)
    assert again.model.lesson.id == "linear-regression"
    assert again.lesson_list.current_lesson_id() == "linear-regression"
    assert again.text_size() == 12
    assert again.explanation.font().pointSize() == 12
    assert (again.width(), again.height()) == size


def test_a_stale_or_bad_setting_is_ignored(qtbot, tmp_path):
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    stored.setValue(keys.LAST_LESSON, "deleted-lesson")
    stored.setValue(keys.TEXT_SIZE, "huge")
    stored.setValue(keys.GEOMETRY, b"garbage")
    stored.sync()
    window = open_window(qtbot, tmp_path, show=False)
    assert window.model.lesson.id == LESSONS[0].id
    assert window.text_size() == QApplication.font().pointSize()


def test_run_app_opens_the_remembered_lesson_from_its_settings_file(qtbot, tmp_path,
                                                                    monkeypatch):
    path = tmp_path / "settings.ini"
    stored = QSettings(str(path), QSettings.Format.IniFormat)
    stored.setValue(keys.LAST_LESSON, "value-used-twice")
    stored.sync()
    monkeypatch.setenv(keys.ENVIRONMENT_VARIABLE, str(path))
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    seen = {}

    def look_and_quit(window):
        seen["start"] = StartWindow in map(type, QApplication.topLevelWidgets())
        seen["lesson"] = window.model.lesson.id
        seen["position"] = window.model.position
        seen["visible"] = window.isVisible()
        window.close()
        QApplication.instance().quit()

    args = SimpleNamespace(session=None, lesson=None, step=2, screenshot=None, size="1280x800")
    assert run_app_looking(qtbot, args, look_and_quit) == 0
    assert seen == {"start": True, "lesson": "value-used-twice", "position": 2,
                    "visible": True}
    assert sys.excepthook is not error_handler.ErrorHandler


# -- unexpected errors ----------------------------------------------------------------------


class FakeMessageBox:
    """Stands in for QMessageBox: records what would have been shown."""

    shown: list = []
    Icon = error_handler.QMessageBox.Icon
    StandardButton = error_handler.QMessageBox.StandardButton

    def __init__(self, icon, title, text, buttons, parent):
        self.title, self.text, self.parent = title, text, parent
        self.informative = self.details = ""

    def setObjectName(self, name):  # noqa: N802 (Qt API)
        pass

    def setInformativeText(self, text):  # noqa: N802 (Qt API)
        self.informative = text

    def setDetailedText(self, text):  # noqa: N802 (Qt API)
        self.details = text

    def exec(self):
        FakeMessageBox.shown.append(self)
        return 0


@pytest.fixture
def fake_box(monkeypatch):
    FakeMessageBox.shown = []
    monkeypatch.setattr(error_handler, "QMessageBox", FakeMessageBox)
    return FakeMessageBox


def test_the_error_hook_logs_and_shows_a_dialog(qtbot, tmp_path, fake_box, caplog):
    window = open_window(qtbot, tmp_path, show=False)
    hook = error_handler.ErrorHandler(lambda: window)
    try:
        raise ValueError("a widget fell over")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="gui_backprop"):
            hook(type(exc), exc, exc.__traceback__)
    (box,) = fake_box.shown
    assert box.parent is window and box.title == error_handler.ERROR_TITLE
    assert box.informative == "ValueError: a widget fell over"
    assert "Traceback" in box.details and "a widget fell over" in box.details
    assert "ValueError: a widget fell over" in caplog.text
    assert "Traceback" in caplog.text


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_the_app_goes_on(qtbot, tmp_path,
                                                                     fake_box, caplog):
    window = open_window(qtbot, tmp_path, "chain-rule")
    hook = error_handler.ErrorHandler(lambda: window).install()

    def broken():
        raise RuntimeError("slot failed")

    try:
        window.model.moved.connect(broken)
        with caplog.at_level(logging.ERROR, logger="gui_backprop"):
            window.controls.next_button.click()
        window.model.moved.disconnect(broken)
    finally:
        hook.uninstall()
    assert [box.informative for box in fake_box.shown] == ["RuntimeError: slot failed"]
    assert "slot failed" in caplog.text
    assert window.model.position == 1
    window.controls.next_button.click()
    assert window.model.position == 2


def test_keyboard_interrupt_goes_to_the_previous_hook(fake_box):
    calls = []
    hook = error_handler.ErrorHandler()
    hook.previous = lambda *args: calls.append(args)
    hook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert len(calls) == 1 and fake_box.shown == []
