"""The layer-as-matrix lesson in the window: stepped with the Next button and with the
Right and Space keys to the backward step through @, where the explanation's shape
sentence, W's grid shape and W.grad's numbers are autograd's."""

import pytest
from PySide6.QtCore import Qt

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.walkthrough import Stage
from gui_backprop.ui.canvas.tensor_cells import as_grid
from tests.ui.window_helpers import (
    IGNORE_OFFSCREEN_NOISE,
    assert_shows_state,
    open_window,
)

pytestmark = IGNORE_OFFSCREEN_NOISE

LESSON = "layer-as-matrix"
SHAPE_SENTENCE = "W.grad has W's shape, 2×3: δ (2) times xᵀ (1×3)."


def _w_backward_position(walkthrough) -> int:
    """The position just after the backward step that arrives at W (through @)."""
    return next(step.index + 1 for step in walkthrough.steps
                if step.stage is Stage.BACKWARD and step.node is not None
                and walkthrough.trace.iterations[step.iteration].nodes[step.node].name == "W")


def _press_next(qtbot, window, how: str, count: int) -> None:
    keys = (Qt.Key.Key_Right, Qt.Key.Key_Space)
    for press in range(count):
        with qtbot.waitSignal(window.model.moved):
            if how == "button":
                qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
            else:
                qtbot.keyClick(window.graph_view, keys[press % 2])


@pytest.mark.parametrize("how", ["button", "keys"])
def test_the_backward_step_through_matmul_shows_w_grad_with_ws_shape(qtbot, tmp_path, how):
    window = open_window(qtbot, tmp_path, LESSON)
    walkthrough = find_lesson(LESSON).walkthrough()
    position = _w_backward_position(walkthrough)
    window.graph_view.setFocus()
    _press_next(qtbot, window, how, position)
    assert window.controls.position_label.text() == f"Step {position} of {len(walkthrough)}"
    assert_shows_state(window, walkthrough, position)

    step = walkthrough.steps[position - 1]
    w = walkthrough.trace.iterations[0].node_named("W")
    assert step.node == w.id and step.stage is Stage.BACKWARD
    assert SHAPE_SENTENCE in step.text and SHAPE_SENTENCE in window.explanation.toPlainText()
    assert "(2×1 · 1×3 = 2×3)" in window.explanation.formula_text()

    item = window.graph_view.node_item(w.id)
    assert item.shape_text() == "2×3"
    value_grid, grad_grid = item.grids()
    assert value_grid.shape == grad_grid.shape == (2, 3)
    assert grad_grid.caption == "W.grad"
    # W.grad = δ xᵀ with δ = 2·(y − t) = [−1.8, 3.2] and x = [1, 2, −1] (autograd's)
    assert grad_grid.cells == as_grid(w.grad_attr) == as_grid(w.grad)
    expected = ((-1.8, -3.6, 1.8), (3.2, 6.4, -3.2))
    assert [pytest.approx(row, abs=1e-5) for row in expected] == list(grad_grid.cells)


def test_the_edges_into_matmul_name_what_their_numbers_are(qtbot, tmp_path):
    """An edge into @ carries ∂loss/∂W (δ xᵀ), not a local derivative ∂(W @ x)/∂W: its
    label, its tooltip and autograd's gradient say the same."""
    import torch

    window = open_window(qtbot, tmp_path, LESSON)
    walkthrough = window.model.walkthrough
    window.model.jump(len(walkthrough))
    it = walkthrough.trace.first
    values = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
              for name, value in walkthrough.trace.values.items()}
    loss = ((values["W"] @ values["x"] + values["b"] - values["t"]) ** 2).sum()
    grad_w, = torch.autograd.grad(loss, values["W"])
    matmul = next(node for node in it.nodes if node.op == "matmul")
    w = it.node_named("W")
    edge = next(e for e in it.inputs_of(matmul.id) if e.source == w.id)
    item = window.graph_view.edge_item(edge.id)
    assert item.label_text().startswith("∂loss/∂W = ∂loss/∂(W @ x) · xᵀ (2×1 · 1×3 = 2×3)")
    assert "∂(W @ x)/∂W" not in item.label_text() + item.toolTip()
    assert "What W @ x sends back: ∂loss/∂W = " in item.toolTip()
    for row, want in zip(as_grid(edge.local_grad), grad_w.tolist(), strict=True):
        assert list(row) == pytest.approx(want, rel=1e-12)


def test_a_class_label_shows_as_a_whole_number_everywhere(qtbot, tmp_path):
    """label = 2 in the softmax classifier: 2 on the canvas, in the Values panel and in
    the explanation; the other values keep their float display (x = [1.0, 2.0])."""
    window = open_window(qtbot, tmp_path, "softmax-classifier")
    walkthrough = window.model.walkthrough
    it = walkthrough.trace.first
    loss_step = next(s for s in walkthrough.steps if s.stage is Stage.FORWARD
                     and it.nodes[s.node].name == "loss")
    window.model.jump(loss_step.index + 1)
    label = window.graph_view.node_item(it.node_named("label").id)
    assert "= 2" in label.value_text() and "2.0" not in label.value_text()
    assert "= [1.0, 2.0]" in window.graph_view.node_item(it.node_named("x").id).value_text()
    assert window.values_panel.field("label").text() == "2"
    assert window.values_panel.field("x").text() == "[1.0, 2.0]"
    assert "cross_entropy([-0.5, 1.0, 0.5], 2) = 1.10413" in window.explanation.toPlainText()
