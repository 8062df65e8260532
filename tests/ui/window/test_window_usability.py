"""What users expect of a desktop app: keys that do not fire while typing, Tab reaching every
control, names for screen readers, text size, dark mode, Help."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGraphicsView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from gui_backprop.ui.looks.style_sheet import DARK_COLOURS, LIGHT_COLOURS
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit,
               QTextEdit, QGraphicsView, QTabBar)


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Left,
                                 Qt.Key.Key_Backspace, Qt.Key.Key_Home, Qt.Key.Key_P,
                                 Qt.Key.Key_F])
def test_single_keys_edit_a_field_instead_of_stepping(qtbot, tmp_path, key):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(3)
    field = window.values_panel.field("w")
    field.setFocus()
    field.setText("12")
    field.setCursorPosition(1)
    qtbot.keyClick(field, key)
    assert window.model.position == 3
    assert not window.player.is_playing()
    assert field.text() != "12" or key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home)


def test_typing_a_program_does_not_step(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    window.model.jump(2)
    editor = window.playground_panel.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " pf")
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_Home, Qt.Key.Key_Right):
        qtbot.keyClick(editor, key)
    assert window.model.position == 2
    assert not window.player.is_playing()
    assert editor.toPlainText().endswith(" f")  # Left, then Backspace took the "p"


def test_space_presses_the_focused_button_not_next(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    window.model.jump(4)
    reset = window.controls.reset_button
    reset.setFocus()
    qtbot.keyClick(reset, Qt.Key.Key_Space)
    assert window.model.position == 0


def test_steps_work_from_the_read_only_code_and_the_lists(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    for widget in (window.code_panel.view, window.step_list, window.lesson_list,
                   window.explanation):
        widget.setFocus()
        before = window.model.position
        qtbot.keyClick(widget, Qt.Key.Key_Space)
        assert window.model.position == before + 1, widget.objectName()


def test_zoom_and_fit_keys_reach_the_canvas(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "linear-regression")
    view = window.graph_view
    qtbot.keyClick(view, Qt.Key.Key_F)
    fitted = view.zoom()
    rect = view.scene().itemsBoundingRect()
    assert view.visible_scene_rect().contains(rect)
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > fitted
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < fitted
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.0)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.zoom() == pytest.approx(fitted)
    qtbot.mouseClick(window.graph_panel.findChild(QAbstractButton, "zoomInButton"),
                     Qt.MouseButton.LeftButton)
    assert view.zoom() > fitted


def visible_interactive(window):
    return [w for w in window.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisibleTo(window)
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not isinstance(w.parent(), QComboBox)]


@pytest.mark.parametrize("lesson_id", ["one-training-step", "playground"])
def test_every_control_has_an_object_name_and_an_accessible_name(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    for tab in range(window.side_tabs.count()):
        window.side_tabs.setCurrentIndex(tab)
        controls = visible_interactive(window)
        assert len(controls) > 20
        for widget in controls:
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()


def test_tab_reaches_every_control(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    window.controls.back_button.setEnabled(True)  # only so that it is in the chain too
    wanted = {id(w): w.objectName() for w in visible_interactive(window) if w.isEnabled()}
    window.controls.back_button.setFocus()
    reached = set()
    for _ in range(4 * len(wanted)):
        reached.add(id(QApplication.focusWidget()))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    missing = [name for key, name in wanted.items() if key not in reached]
    assert missing == []


def test_text_size_scales_every_panel(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(9)
    small_formula = window.explanation.document().resource(
        window.explanation.document().ResourceType.ImageResource.value,
        "formula://current").height()
    window.menus.actions["text_20"].trigger()
    assert window.text_size() == 20
    for widget in (window.explanation, window.lesson_list, window.step_list,
                   window.controls.next_button, window.values_panel.field("w"),
                   window.graph_view):
        assert widget.font().pointSize() == 20, widget.objectName()
    assert window.code_panel.view.document().defaultFont().pointSize() == 20
    big_formula = window.explanation.document().resource(
        window.explanation.document().ResourceType.ImageResource.value,
        "formula://current").height()
    assert big_formula > 1.5 * small_formula
    assert window.menus.size_actions[20].isChecked()
    window.menus.actions["text_smaller"].trigger()
    assert window.text_size() == 18
    window.menus.actions["text_larger"].trigger()
    window.menus.actions["text_larger"].trigger()
    assert window.text_size() == 24


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.Text, "#e8eaed"),
                         (QPalette.ColorRole.WindowText, "#e8eaed")):
        palette.setColor(role, QColor(colour))
    return palette


def test_follows_a_switch_to_dark_mode(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(9)
    app = QApplication.instance()
    original = app.palette()
    assert LIGHT_COLOURS["error"] in window.styleSheet()
    try:
        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: DARK_COLOURS["error"] in window.styleSheet())
        assert window.graph_view.theme().is_dark
        image = window.explanation.document().resource(
            window.explanation.document().ResourceType.ImageResource.value, "formula://current")
        lightest = max(QColor(image.pixel(x, y)).lightness()
                       for x in range(image.width()) for y in range(image.height()))
        assert lightest > 200  # light ink on the dark background
    finally:
        app.setPalette(original)
    qtbot.waitUntil(lambda: LIGHT_COLOURS["error"] in window.styleSheet())


def test_help_lists_the_shortcuts(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path)
    rows = dict((what, keys) for keys, what in window.menus.shortcut_rows())
    assert rows["Next step"] == "Space or Right"
    assert rows["Back one step"] == "Backspace or Left"
    assert rows["Reset to the start"] == "Home"
    assert rows["Play / Pause"] == "P"
    assert rows["Fit graph to window"] == "F"
    assert rows["Zoom in"].startswith("Ctrl++") and rows["Actual size"] == "Ctrl+0"
    # the platform's key where it has one, else Ctrl+Q (offscreen and Windows have none)
    quit_keys = QKeySequence(QKeySequence.StandardKey.Quit).toString(
        QKeySequence.SequenceFormat.NativeText) or "Ctrl+Q"
    assert rows["Quit"] == quit_keys
    assert window.menus.actions["quit"].shortcut().toString(
        QKeySequence.SequenceFormat.NativeText) == quit_keys
    opened = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: opened.append(box.text()))
    window.menus.actions["shortcuts"].trigger()
    assert "Space or Right" in opened[0] and "Tab" in opened[0]
    help_menu = window.menus.help_menu
    assert "Keyboard shortcuts" in [a.text().replace("&", "") for a in help_menu.actions()]


def test_the_playground_gets_a_narrower_code_column_and_gives_it_back(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "chain-rule")
    splitter = window.main_splitter
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: splitter.width() > 1200)
    splitter.setSizes([200, 700, 360])
    code_sizes = splitter.sizes()
    window.model.open_lesson("playground")
    left, centre, right = splitter.sizes()
    assert right < code_sizes[2] and centre > code_sizes[1] and left == code_sizes[0]
    window.model.open_lesson("one-training-step")
    assert splitter.sizes() == code_sizes
