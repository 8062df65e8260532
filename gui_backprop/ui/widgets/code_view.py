"""A code text box with line numbers, Python colouring, a current line and error marks.

Used read-only as the code panel (the line the current step runs is highlighted)
and editable as the playground's editor (a parse error gets a wavy underline).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from gui_backprop.ui.looks.theme import is_dark
from gui_backprop.ui.widgets.python_highlighter import PythonHighlighter


def _dark(widget: QWidget) -> bool:
    """True when the widget's text background is dark."""
    return is_dark(widget.palette(), QPalette.ColorRole.Base)


class _LineNumbers(QWidget):
    """The gutter left of the text; paints the numbers of the visible lines."""

    def __init__(self, view: CodeView):
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Wide enough for the largest line number."""
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Draw the line numbers (the current line's in bold)."""
        self.view.paint_line_numbers(event)


class CodeView(QPlainTextEdit):
    """Monospaced code with line numbers; see the module docstring."""

    def __init__(self, parent: QWidget | None = None, read_only: bool = True):
        super().__init__(parent)
        self.setReadOnly(read_only)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self._apply_monospace()
        self._highlighter = PythonHighlighter(self.document(), _dark(self))
        self._gutter = _LineNumbers(self)
        self._current_line: int | None = None
        self._error: tuple[int, int | None] | None = None
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._scroll_gutter)
        self._update_gutter_width()

    # -- content and marks -------------------------------------------------------------

    def set_code(self, text: str) -> None:
        """Replace the text (marks are cleared)."""
        self._current_line = None
        self._error = None
        self.setPlainText(text)
        self._refresh_selections()

    def current_line(self) -> int | None:
        """The highlighted 1-based line, if any."""
        return self._current_line

    def set_current_line(self, line: int | None, move_cursor: bool = True) -> None:
        """Highlight ``line`` (1-based) and scroll it into view; ``None`` clears it.

        With ``move_cursor`` false (an editor the learner types in) the text cursor
        stays where it is and the line is only scrolled into view.
        """
        if line is not None and not 1 <= line <= self.blockCount():
            line = None
        self._current_line = line
        self._refresh_selections()
        if line is not None:
            cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
            if move_cursor:
                self.setTextCursor(cursor)
                self.centerCursor()
            else:
                bar = self.verticalScrollBar()
                top = self.firstVisibleBlock().blockNumber()
                visible = max(1, self.viewport().height() // max(1, self.fontMetrics().height()))
                if not top <= line - 1 < top + visible:
                    bar.setValue(max(0, line - 1 - visible // 2))
        self._gutter.update()

    def error_position(self) -> tuple[int, int | None] | None:
        """The (line, column) underlined as an error, if any."""
        return self._error

    def set_error(self, line: int | None, column: int | None) -> None:
        """Underline the error at ``line``/``column`` (1-based) with a red wavy line."""
        self._error = None if line is None else (line, column)
        self._refresh_selections()

    def clear_error(self) -> None:
        """Remove the error underline."""
        self.set_error(None, None)

    def _error_selection(self) -> QTextEdit.ExtraSelection | None:
        line, column = self._error
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            block = self.document().lastBlock()
        text = block.text()
        text_end = len(text.rstrip())
        indent = len(text) - len(text.lstrip())
        if text_end == 0:
            return None  # nothing on the line to underline; the message says it all
        start = column - 1 if column else indent
        if start >= text_end:  # "unexpected end": mark the last character
            start = max(indent, text_end - 1)
        end = text_end if column is None or start < text_end - 1 else start + 1
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + max(end, start + 1),
                           QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#ff7b72" if _dark(self) else "#d1242f"))
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _refresh_selections(self) -> None:
        selections = []
        if self._current_line is not None:
            selection = QTextEdit.ExtraSelection()
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            colour.setAlpha(120 if _dark(self) else 70)
            selection.format.setBackground(colour)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(self.document().findBlockByNumber(self._current_line - 1))
            selection.cursor = cursor
            selections.append(selection)
        error = self._error_selection() if self._error is not None else None
        if error is not None:
            selections.append(error)
        self.setExtraSelections(selections)

    # -- looks -----------------------------------------------------------------------

    def _apply_monospace(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF())
        self.document().setDefaultFont(font)
        self.setTabStopDistance(4 * QFontMetrics(font).horizontalAdvance(" "))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow text-size and dark/light changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_monospace()
            self._update_gutter_width()
        elif event.type() == QEvent.Type.PaletteChange:
            self._highlighter.set_dark(_dark(self))
            self._refresh_selections()

    # -- the line-number gutter ----------------------------------------------------------

    def gutter_width(self) -> int:
        """Pixels needed for the line numbers."""
        digits = len(str(max(1, self.blockCount())))
        metrics = QFontMetrics(self.document().defaultFont())
        return 14 + metrics.horizontalAdvance("9") * max(2, digits)

    def _update_gutter_width(self, *_args) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Keep the gutter as tall as the text area, and the running line in view."""
        super().resizeEvent(event)
        if self._current_line is not None and self.isReadOnly():
            self.centerCursor()
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(),
                                       rect.height()))

    def paint_line_numbers(self, event) -> None:
        """Paint the gutter (called by the gutter widget)."""
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        font = self.document().defaultFont()
        while block.isValid() and top <= event.rect().bottom():
            number = block.blockNumber() + 1
            if block.isVisible():
                current = number == self._current_line
                font.setBold(current)
                painter.setFont(font)
                role = QPalette.ColorRole.Text if current else QPalette.ColorRole.PlaceholderText
                painter.setPen(palette.color(role))
                height = round(self.blockBoundingRect(block).height())
                painter.drawText(0, top, self._gutter.width() - 6, height,
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 str(number))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()
