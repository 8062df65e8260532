"""File › Open lesson folder…: a teacher's lessons in their own section, remembered."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.core.test_lesson_check import GOOD, write
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, LESSONS, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def teacher_folder(tmp_path):
    folder = tmp_path / "week 3"
    folder.mkdir()
    write(folder, "1-doubling.toml", GOOD)
    write(folder, "2-broken.toml", GOOD.replace('parameters = ["w"]', 'parameters = ["q"]'))
    return folder


def test_a_folder_adds_a_section_warns_of_the_broken_file_and_its_lesson_opens(
        qtbot, tmp_path, monkeypatch):
    folder = teacher_folder(tmp_path)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    window = open_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.model.lessons_changed):
        window.menus.actions["open_lesson_folder"].trigger()  # File › Open lesson folder…
    assert len(warnings) == 1 and "2-broken.toml:8: parameter 'q'" in warnings[0]
    lessons = window.lesson_list
    assert lessons.headings() == ["week 3"]
    row = lessons.count() - 1
    assert lessons.item(row).text() == f"{len(LESSONS) + 1}. Doubling"
    rect = lessons.visualItemRect(lessons.item(row))
    with qtbot.waitSignal(window.model.lesson_opened):
        qtbot.mouseClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.lesson.id == "doubling"
    window.model.jump(window.model.step_count)
    assert window.model.walkthrough.trace.first.updates[0].after == 1.3
    heading = lessons.item(row - 1)
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable


def test_the_folder_is_remembered_for_the_next_start(qtbot, tmp_path, monkeypatch):
    folder = teacher_folder(tmp_path)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    window = open_window(qtbot, tmp_path)
    window.lesson_folders.open_folder(folder)
    window.model.open_lesson("doubling")
    window.close()
    again = open_window(qtbot, tmp_path, show=False)
    assert again.model.lesson.id == "doubling"  # the last lesson, from the folder
    assert again.lesson_list.headings() == ["week 3"]
    assert "Skipped 1 lesson file(s)" in again.statusBar().currentMessage()
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value("lessons/folders") in ([str(folder.resolve())], str(folder.resolve()))
