"""A big graph on the canvas (issue 13, goal 4): it opens fitted whole, drawn in plain
boxes while text would be unreadable, with an overview whose rectangle follows the view
and moves it on a click; a lesson keeps its full look."""

from collections import Counter

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.tracer import trace_program
from gui_backprop.ui.canvas.detail import BIG_GRAPH_NODES, Detail
from gui_backprop.ui.canvas.view import READABLE_SCALE, GraphView, ViewMode
from gui_backprop.ui.files.pictures import graph_image
from gui_backprop.ui.looks.theme import DARK, LIGHT


def chain_program(statements: int) -> str:
    """A chain of ``statements`` layers, about six graph nodes each."""
    lines = ["x = 0.5", "p = 0.3", "q = -0.2", "h0 = tanh(x)"]
    lines += [f"h{i} = tanh(p * h{i - 1} + q * x) * 0.5" for i in range(1, statements)]
    lines.append(f"loss = h{statements - 1} ** 2")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def big_iteration():
    iteration = trace_program(chain_program(40)).first
    assert len(iteration.nodes) > BIG_GRAPH_NODES
    return iteration


@pytest.fixture
def view(qtbot):
    graph = GraphView()
    qtbot.addWidget(graph)
    graph.resize(900, 600)
    graph.show()
    qtbot.waitExposed(graph)
    return graph


def painted(view, items):
    """The items among ``items`` inside the viewport, after a paint."""
    view.grab()
    visible = view.visible_scene_rect()
    return [item for item in items if visible.intersects(item.sceneBoundingRect())]


def test_a_big_graph_opens_fitted_whole_in_boxes_with_an_overview(view, big_iteration):
    view.show_iteration(big_iteration)
    assert view.view_mode() is ViewMode.AUTO
    pixel = 1 / view.zoom()  # the view scrolls by whole pixels
    assert view.visible_scene_rect().adjusted(-pixel, -pixel, pixel, pixel).contains(
        view.scene().itemsBoundingRect())
    assert view.zoom() < READABLE_SCALE
    assert not view.shows_text()
    nodes = painted(view, view.node_items().values())
    assert len(nodes) == len(big_iteration.nodes)
    assert {node.detail for node in nodes} == {Detail.BOX}
    labels = [edge.label for edge in view.edge_items().values() if edge.content.tracked]
    assert labels and not any(label.isVisible() for label in labels)
    assert all(label.detail is not Detail.TEXT for label in labels)
    assert view.minimap.isVisible()


def test_zooming_in_brings_the_text_back(view, big_iteration):
    view.show_iteration(big_iteration)
    view.reset_zoom()
    view.centerOn(view.node_item(big_iteration.output).pos())
    assert view.shows_text()
    nodes = painted(view, view.node_items().values())
    assert nodes and {node.detail for node in nodes} == {Detail.TEXT}
    labels = painted(view, [edge.label for edge in view.edge_items().values()
                            if edge.content.tracked])
    assert labels and all(label.isVisible() for label in labels)
    assert {label.detail for label in labels} == {Detail.TEXT}
    while view.shows_text():
        view.zoom_out()
    assert {node.detail for node in painted(view, view.node_items().values())} == {Detail.BOX}


def test_a_picture_of_a_zoomed_out_graph_still_has_its_labels(view, big_iteration):
    view.show_iteration(big_iteration)
    labels = [edge.label for edge in view.edge_items().values() if edge.content.tracked]
    graph_image(view.scene(), QColor("white"), scale=1.0)
    assert {label.detail for label in labels} == {Detail.TEXT}
    assert not any(label.isVisible() for label in labels)  # the view still hides them


@pytest.mark.parametrize("lesson_id", ["chain-rule", "linear-regression"])
def test_a_lesson_keeps_its_text_and_has_no_overview(view, lesson_id):
    walkthrough = find_lesson(lesson_id).walkthrough()
    view.show_iteration(walkthrough.trace.first, walkthrough.state_at(0))
    assert view.shows_text()
    assert not view.minimap.isVisible()
    nodes = painted(view, view.node_items().values())
    assert nodes and {node.detail for node in nodes} == {Detail.TEXT}


def test_the_overview_rectangle_follows_the_view(view, big_iteration):
    view.show_iteration(big_iteration)
    minimap = view.minimap
    whole = minimap.viewport_rect()
    view.reset_zoom()
    zoomed = minimap.viewport_rect()
    assert zoomed.width() < whole.width() / 2
    bar = view.horizontalScrollBar()
    bar.setValue(bar.minimum())
    left = minimap.viewport_rect().center().x()
    bar.setValue(bar.maximum())
    assert minimap.viewport_rect().center().x() > left + 10


def test_a_click_on_the_overview_moves_the_view_there(qtbot, view, big_iteration):
    view.show_iteration(big_iteration)
    view.reset_zoom()
    minimap = view.minimap
    target = QPoint(minimap.width() * 3 // 4, minimap.height() // 2)
    wanted = minimap.scene_point_at(target.toPointF())
    assert not view.visible_scene_rect().contains(wanted)
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=target)
    centre = view.visible_scene_rect().center()
    assert abs(centre.x() - wanted.x()) < 5 and view.visible_scene_rect().contains(wanted)
    assert minimap.viewport_rect().contains(target.toPointF())


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_the_overview_uses_the_canvas_colours(view, big_iteration, theme):
    view.apply_theme(theme)
    view.show_iteration(big_iteration)
    view.reset_zoom()
    image = view.minimap.grab().toImage()
    counts = Counter(image.pixelColor(x, y).name()
                     for x in range(0, image.width(), 3) for y in range(0, image.height(), 3))
    assert counts.most_common(1)[0][0] == theme.color("background").name()
