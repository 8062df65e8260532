"""Driving the Questions tab as a learner does: click the tab, type a seed, answer."""

from __future__ import annotations

from PySide6.QtCore import Qt

LESSON = "one-training-step"


def open_questions(qtbot, window) -> None:
    """Click the Questions tab."""
    bar = window.side_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(window.questions_tab).center())
    assert window.side_tabs.currentIndex() == window.questions_tab


def use_seed(qtbot, window, text: str) -> None:
    """Type ``text`` into the seed field and click Use."""
    panel = window.questions_panel
    panel.seed_field.selectAll()
    qtbot.keyClicks(panel.seed_field, text)
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)


def answer(qtbot, window, number: int, text: str) -> str:
    """Type ``text`` as the answer to question ``number`` (0-based), press Enter; the
    verdict shown."""
    row = window.questions_panel.rows[number]
    row.answer.selectAll()
    qtbot.keyClicks(row.answer, text)
    qtbot.keyClick(row.answer, Qt.Key.Key_Return)
    return row.verdict_text()


def values_shown(window) -> dict[str, str]:
    """The Values tab's fields."""
    return {name: field.edit.text() for name, field in window.values_panel.fields.items()}


def node_on_screen(window, name: str):
    """The node called ``name`` in the first iteration of the trace the window shows."""
    it = window.model.walkthrough.trace.iterations[0]
    return next(node for node in it.nodes if node.name == name)
