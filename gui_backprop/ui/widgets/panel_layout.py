"""Small helpers that give every panel the same heading and spacing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget


def heading(text: str, name: str | None = None) -> QLabel:
    """A panel's heading label (styled by the ``heading`` property)."""
    label = QLabel(text, objectName=name or "heading")
    label.setProperty("heading", True)
    return label


def headed(title: str, widget: QWidget) -> QWidget:
    """``widget`` under a heading, in a container named after ``widget``."""
    box = QWidget(objectName=f"{widget.objectName()}Box")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    label = heading(title, f"{widget.objectName()}Heading")
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    layout.addStretch(0)  # takes what a widget with a maximum height leaves over
    return box


def splitter(orientation: Qt.Orientation, name: str, *parts: tuple[QWidget, int]) -> QSplitter:
    """A splitter holding ``(widget, stretch)`` parts; panels cannot be collapsed away."""
    split = QSplitter(orientation, objectName=name)
    split.setChildrenCollapsible(False)
    split.setHandleWidth(6)
    for index, (widget, stretch) in enumerate(parts):
        split.addWidget(widget)
        split.setStretchFactor(index, stretch)
    return split
