"""Every graph opens with its output in view (issue 11, item 19): the loss is what the
walkthrough is about, and it must not wait for F."""

import pytest

from tests.ui.session_helpers import run_program
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, LESSON_IDS, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE


def output_in_view(window) -> bool:
    model, view = window.model, window.graph_view
    output = model.iteration.node_named(model.walkthrough.trace.output_name)
    rect = view.node_item(output.id).sceneBoundingRect()
    return view.visible_scene_rect().contains(rect)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_opens_with_its_output_in_view(qtbot, tmp_path, lesson_id, size):
    window = open_window(qtbot, tmp_path)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    window.model.open_lesson(lesson_id)
    qtbot.waitUntil(lambda: output_in_view(window), timeout=1000)


def test_a_playground_program_with_vectors_opens_with_its_output_in_view(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, "playground")
    run_program(qtbot, window, "x = [1.0, 2.0, 3.0, 4.0]\nt = [2.0, 4.0, 6.0, 8.0]\n"
                               "w = 0.5\nb = 0.1\ny = w * x + b\nd = y - t\n"
                               "loss = mean(d ** 2)")
    qtbot.waitUntil(lambda: output_in_view(window), timeout=1000)
