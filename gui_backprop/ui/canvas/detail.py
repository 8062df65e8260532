"""Level of detail of the graph canvas: when text is drawn, and what counts as a big graph.

Zoomed far out, a node's text would be a few pixels high: unreadable, and the most
costly thing to paint (each line is shaped and rasterised). Below :data:`MIN_TEXT_PIXELS`
of on-screen line height the items paint plain boxes and lines instead, so a fitted
10,000-node graph paints as a map of the graph; the text comes back as soon as it can
be read.
"""

from __future__ import annotations

from enum import StrEnum

from gui_backprop.ui.canvas.style import CanvasStyle

MIN_TEXT_PIXELS = 6.0
"""The smallest on-screen line height (of the canvas's smallest font) worth drawing."""

BIG_GRAPH_NODES = 150
"""Above this many nodes a graph opens fitted whole (in boxes) and gets an overview."""


class Detail(StrEnum):
    """What an item drew the last time it was painted."""

    NONE = "none"  # not painted yet
    TEXT = "text"  # the full card or label, with its text
    BOX = "box"  # a plain box or line, no text


def text_readable(style: CanvasStyle, level_of_detail: float) -> bool:
    """True when ``style``'s smallest text is at least :data:`MIN_TEXT_PIXELS` high at
    ``level_of_detail`` (device pixels per scene unit, as
    ``QStyleOptionGraphicsItem.levelOfDetailFromTransform`` gives)."""
    return style.small_height * level_of_detail >= MIN_TEXT_PIXELS

