"""A field per value of the program and one for the learning rate.

An edit goes to the lesson model, which re-traces. A refused edit keeps what the learner
typed, marked, with the reason and the value still in use beside the field; nothing
else changes.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gui_backprop.core.formatting import format_number, whole_numbers
from gui_backprop.core.values import Value
from gui_backprop.ui.lesson_model import LessonModel


def value_text(value: Value) -> str:
    """A value as a learner would type it: ``1.5``, ``[1.0, 2.0]`` or ``[[1.0, 2.0], [3.0,
    4.0]]`` (a matrix on one line), full precision."""
    if isinstance(value, tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return format_number(value, 12)


class ValueField(QWidget):
    """One labelled line edit with room for an error message under it."""

    def __init__(self, key: str, accessible: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.edit = QLineEdit(objectName=f"valueField_{key}")
        self.edit.setAccessibleName(accessible)
        self.edit.setClearButtonEnabled(False)
        self.error = QLabel(objectName=f"valueError_{key}")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"Problem with {accessible.lower()}")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def set_text(self, text: str) -> None:
        """Show ``text`` without emitting edit signals."""
        with QSignalBlocker(self.edit):
            self.edit.setText(text)
            self.edit.setCursorPosition(0)

    def show_error(self, message: str | None) -> None:
        """Show (or with ``None`` hide) the message beside the field."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.edit.setProperty("invalid", bool(message))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)


class ValuesPanel(QWidget):
    """The program's values and the learning rate, editable."""

    LEARNING_RATE = "learning_rate"

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("parameterPanel")
        self.model = model
        self.fields: dict[str, ValueField] = {}
        self.hint = QLabel(objectName="parameterHint", wordWrap=True)
        self.hint.setProperty("role", "hint")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A label and its field share a row while they fit, else the field goes below.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self._names: tuple = ()
        model.traced.connect(self._refresh)

    def _refresh(self) -> None:
        model = self.model
        names = (tuple(model.values), model.parameters)
        if names != self._names:
            self._build(model)
            self._names = names
        labels = model.program.label_names  # class labels: whole numbers, 2 not 2.0
        for name, value in model.values.items():
            self.fields[name].set_text(value_text(whole_numbers(value) if name in labels
                                                  else value))
        self.fields[self.LEARNING_RATE].set_text(format_number(model.learning_rate, 12))
        for field in self.fields.values():  # each shows the value in use again
            field.show_error(None)

    def _build(self, model: LessonModel) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        self.hint.setText(
            "The values the program starts from. Type a number (or a list such as "
            "[1, 2, 3]) and press Enter: PyTorch runs the program again.")
        for name in model.values:
            is_parameter = name in model.parameters
            kind = "parameter" if is_parameter else "value"
            field = self._add_field(name, f"Value of {name}", name)
            field.edit.setToolTip(f"{name}: a {kind}" + (" (requires_grad=True)"
                                                         if is_parameter else ""))
        self._add_field(self.LEARNING_RATE, "Learning rate", "learning rate")
        self.fields[self.LEARNING_RATE].edit.setToolTip(
            "lr in  w -= lr * w.grad: above 0 and at most 100")

    def _add_field(self, key: str, accessible: str, caption: str) -> ValueField:
        field = ValueField(key, accessible, self)
        label = QLabel(caption, objectName=f"valueLabel_{key}")
        if key in self.model.parameters:
            label.setText(f"{caption} <span style='font-size:small'>(requires grad)</span>")
            label.setTextFormat(Qt.TextFormat.RichText)
        label.setBuddy(field.edit)
        field.edit.editingFinished.connect(lambda key=key: self._commit(key))
        self.form.addRow(label, field)
        self.fields[key] = field
        return field

    def _commit(self, key: str) -> None:
        field = self.fields.get(key)
        if field is None:
            return
        text = field.edit.text()
        model = self.model
        if key == self.LEARNING_RATE:
            current = format_number(model.learning_rate, 12)
            if text.strip() == current:
                field.show_error(None)
                return
            error = model.set_learning_rate(text)
        else:
            if key not in model.values:
                return
            value = model.values[key]
            current = value_text(whole_numbers(value) if key in model.program.label_names
                                 else value)
            if text.strip() == current:
                field.show_error(None)
                return
            error = model.set_value(key, text)
        if error is None:
            self.fields[key].show_error(None)
        else:  # the learner's text stays, to correct it
            field.show_error(f"{error}. Still using {current}.")

    def field(self, key: str) -> QLineEdit:
        """The line edit of value ``key`` (or :attr:`LEARNING_RATE`)."""
        return self.fields[key].edit

    def error_text(self, key: str) -> str:
        """The message shown beside field ``key`` ('' when none)."""
        field = self.fields[key]
        return field.error.text() if field.error.isVisibleTo(self) else ""
