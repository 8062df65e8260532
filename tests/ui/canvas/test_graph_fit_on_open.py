"""Every graph opens so that the learner sees where the walk is: fitted whole when it
can be read so, else at a readable scale on the first operation and the values it takes
(the parameters were off screen until F); each step then scrolls its node into view, up
to the output (issue 11, item 19)."""

import pytest
from PySide6.QtCore import Qt

from gui_backprop.core.graph import NodeKind
from gui_backprop.ui.canvas.view import READABLE_SCALE
from tests.ui.session_helpers import run_program
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, LESSON_IDS, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def in_view(window, node_id: int) -> bool:
    view = window.graph_view
    return view.visible_scene_rect().contains(view.node_item(node_id).sceneBoundingRect())


def fitted_whole(window) -> bool:
    view = window.graph_view
    visible, scene = view.visible_scene_rect(), view.scene().sceneRect()
    return visible.width() >= scene.width() - 1 and visible.height() >= scene.height() - 1


def opens_at_the_start_of_the_walk(window) -> bool:
    """Fitted whole, or, readable, the first operation in view with (at least part
    of) the values it takes."""
    if fitted_whole(window):
        return True
    iteration, view = window.model.iteration, window.graph_view
    first = next(node for node in iteration.nodes if node.kind is NodeKind.OPERATION)
    return view.zoom() >= READABLE_SCALE - 1e-9 and in_view(window, first.id) \
        and any(view.visible_scene_rect().intersects(view.node_item(edge.source)
                                                     .sceneBoundingRect())
                for edge in iteration.inputs_of(first.id))


def output_id(window) -> int:
    model = window.model
    return model.iteration.node_named(model.walkthrough.trace.output_name).id


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_opens_where_its_walk_starts(qtbot, tmp_path, lesson_id, size):
    window = open_window(qtbot, tmp_path)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    window.model.open_lesson(lesson_id)
    qtbot.waitUntil(lambda: opens_at_the_start_of_the_walk(window), timeout=1000)
    follows_the_walk(qtbot, window)


def follows_the_walk(qtbot, window) -> None:
    """Next's step is in view, and so is the output when its step comes."""
    model = window.model
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
    assert in_view(window, model.step.node)  # the first step: in view, no scrolling by hand
    loss_step = next(s for s in model.walkthrough.steps if s.node == output_id(window))
    model.jump(loss_step.index + 1)
    assert in_view(window, output_id(window))


def test_a_playground_program_with_vectors_opens_where_its_walk_starts(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    window.resize(1024, 700)
    run_program(qtbot, window, "x = [1.0, 2.0, 3.0, 4.0]\nt = [2.0, 4.0, 6.0, 8.0]\n"
                               "w = 0.5\nb = 0.1\ny = w * x + b\nd = y - t\n"
                               "loss = mean(d ** 2)")
    qtbot.waitUntil(lambda: opens_at_the_start_of_the_walk(window), timeout=1000)
    assert not fitted_whole(window)  # too wide at this size: the start is what opens
    follows_the_walk(qtbot, window)
