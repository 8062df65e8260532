"""Issue 13: the start window paints the lessons, the lesson's title, introduction and
program before torch is imported; the full window takes its place."""

from __future__ import annotations

from PySide6.QtCore import Qt

from benchmarks.startup import spawn
from gui_backprop.core.lessons import load_all_lessons
from gui_backprop.ui.window.start_window import TRACING, StartWindow
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE

pytestmark = IGNORE_OFFSCREEN_NOISE


def test_the_start_window_shows_the_lesson_and_follows_the_list(qtbot):
    lessons, _ = load_all_lessons(traced=False)
    window = StartWindow(lessons, lessons[2])
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.painted):
        window.show()
    assert window.lesson_list.currentItem().text() == f"3. {lessons[2].title}"
    assert window.title.text() == lessons[2].title
    assert window.intro.text() == lessons[2].intro
    assert window.code.toPlainText() == lessons[2].program.source
    assert window.placeholder.text() == TRACING
    qtbot.mouseClick(window.lesson_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.lesson_list.visualItemRect(window.lesson_list.item(0)).center())
    assert window.lesson is lessons[0]
    assert window.title.text() == lessons[0].title
    assert window.code.toPlainText() == lessons[0].program.source


def test_gui_backprop_paints_before_torch_is_imported():
    run = spawn("app")  # a real `gui-backprop` process, offscreen, throw-away settings
    assert run.first_window == "startWindow"
    assert run.loaded_at_first_paint == "-"  # neither torch, matplotlib nor pyqtgraph
    assert run.ready >= run.first_paint  # and the full window did come
