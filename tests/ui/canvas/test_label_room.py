"""No edge label covers a node, and no two nodes overlap, at any step of a lesson.

A node's grids are sized for every number the trace can show in them, and the scene
lays out again when a size changes anyway; before that, a gradient revealed at a
backward step (``6.05e-5`` wider than ``?``) widened ``X @ W1 + b1`` under the label
of the edge to ``h``, hiding the last column of its gradient.
"""

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

PROJECTOR_POINTS = 28


def _card(node) -> QRectF:
    return node.mapRectToScene(node.card_rect())


def _label_box(label) -> QRectF:
    size = label.size()
    centre = label.scenePos()
    return QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size)


def _overlaps(window) -> list[str]:
    """What covers what on the canvas now, as readable sentences (empty: nothing)."""
    scene = window.graph_view.scene()
    cards = [(node.title_text(), _card(node)) for node in scene.nodes.values()]
    found = []
    for index, (title, card) in enumerate(cards):
        found += [f"node {title!r} overlaps node {other!r}"
                  for other, rect in cards[index + 1:] if card.intersects(rect)]
    for edge in scene.edges.values():
        if not edge.has_label():
            continue
        box = _label_box(edge.label)
        found += [f"label {edge.label_text() or '∂ ?'!r} covers node {title!r}"
                  for title, card in cards if box.intersects(card)]
    return found


def _step_through(qtbot, window) -> None:
    """Click Next through every step, failing at the first step where something overlaps."""
    assert _overlaps(window) == [], "at the start"
    for position in range(1, window.model.step_count + 1):
        with qtbot.waitSignal(window.model.moved):
            qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
        assert _overlaps(window) == [], f"at step {position}"
    assert not window.controls.next_button.isEnabled()


@pytest.mark.parametrize("lesson_id", ["chain-rule", "layer-as-matrix", "single-neuron",
                                       "softmax-classifier", "two-layer-network"])
def test_no_edge_label_covers_a_node_at_any_step(qtbot, tmp_path, lesson_id):
    window = open_window(qtbot, tmp_path, lesson_id)
    window.resize(1280, 800)
    _step_through(qtbot, window)


def test_no_edge_label_covers_a_node_with_projector_text(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "two-layer-network")
    window.set_text_size(PROJECTOR_POINTS)
    _step_through(qtbot, window)


def test_a_revealed_gradient_does_not_resize_its_node(qtbot, tmp_path):
    """The room for the gradient is kept from the start: stepping never moves a node."""
    window = open_window(qtbot, tmp_path, "two-layer-network")
    scene = window.graph_view.scene()
    first = {i: (n.size(), n.pos()) for i, n in scene.nodes.items()}
    for _ in range(window.model.step_count):
        qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
        assert {i: (n.size(), n.pos()) for i, n in scene.nodes.items()} == first
