"""Keep the window's single-key shortcuts away from widgets that need those keys.

Space, the arrows, Backspace, Home, P and F step and zoom the walkthrough, but not
while the learner types in a field (where they edit text) or has a button, checkbox
or list box focused (where Space presses it, the arrows choose). The filter accepts
Qt's ShortcutOverride event for those widgets, which hands the key to the widget
instead of firing the shortcut.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

PLAIN_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right,
                        Qt.Key.Key_Backspace, Qt.Key.Key_Home, Qt.Key.Key_P, Qt.Key.Key_F})
_IGNORED_MODIFIERS = Qt.KeyboardModifier.KeypadModifier


def widget_wants_key(widget: QWidget | None, key: int) -> bool:
    """True when ``widget`` uses plain ``key`` itself (so the shortcut must not fire)."""
    if widget is None:
        return False
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable() or key == Qt.Key.Key_Space
    if isinstance(widget, QAbstractButton):
        return key == Qt.Key.Key_Space
    return False


class ShortcutGuard(QObject):
    """An application event filter; lives as long as its parent window."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Accept ShortcutOverride for our keys when the focused widget wants them."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~_IGNORED_MODIFIERS
            if (event.key() in PLAIN_KEYS and modifiers == Qt.KeyboardModifier.NoModifier
                    and isinstance(watched, QWidget) and watched.window() is self.window
                    and widget_wants_key(watched, event.key())):
                event.accept()
                return True
        return False
