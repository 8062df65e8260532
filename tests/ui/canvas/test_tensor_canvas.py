"""Matrix and long-vector nodes on the canvas: shape in the title, a grid of numbers or
colours beside the gradient, the number under the mouse, readable dark colours, no
overlap. The graph is hand-built from real torch autograd (tests/ui/canvas/matrix_graphs)."""

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from gui_backprop.core.formatting import format_number
from gui_backprop.ui.canvas.tensor_cells import (
    DARK_ENDS,
    LIGHT_ENDS,
    NUMBER_TINT,
    TensorDisplay,
    display_of,
    diverging_colour,
    shape_text,
)
from gui_backprop.ui.canvas.view import GraphView
from gui_backprop.ui.looks.theme import DARK, LIGHT
from tests.ui.canvas.matrix_graphs import matrix_iteration, revealed_state

W, X, Y, A, T, V, LOSS = 0, 1, 2, 3, 4, 5, 9


@pytest.fixture
def view(qtbot):
    graph = GraphView()
    qtbot.addWidget(graph)
    graph.resize(1024, 700)
    graph.apply_theme(LIGHT)
    return graph


@pytest.fixture
def shown(view):
    it = matrix_iteration()
    view.show_iteration(it, revealed_state(it))
    return view, it


def test_titles_carry_the_shape_and_scalars_stay_as_they_were(shown):
    view, _ = shown
    assert (view.node_item(W).title_text(), view.node_item(W).shape_text()) == ("W", "3×2")
    assert view.node_item(A).shape_text() == "10×10"
    assert view.node_item(X).shape_text() == "2"
    assert view.node_item(V).shape_text() == "12"
    assert view.node_item(LOSS).shape_text() == ""
    assert view.node_item(LOSS).value_text().startswith("= 3.35")


def test_small_matrix_is_a_number_grid_beside_its_gradient(shown):
    view, it = shown
    value, grad = view.node_item(W).grids()
    assert (value.display, grad.display) == (TensorDisplay.NUMBERS, TensorDisplay.NUMBERS)
    assert (value.shape, grad.shape) == ((3, 2), (3, 2))
    assert (value.caption, grad.caption) == ("value", "W.grad")
    assert [[value.cell_text(r, c) for c in range(2)] for r in range(3)] == [
        ["0.5", "-1.0"], ["2.0", "0.25"], ["-0.75", "1.5"]]
    # W.grad = δ xᵀ with δ = ones: every row is x
    assert grad.cells == it.node(W).grad_attr == ((1.5, -2.0),) * 3


def test_large_matrix_and_long_vector_are_colour_grids_with_their_scale(shown):
    view, it = shown
    value, grad = view.node_item(A).grids()
    assert (value.display, value.shape, grad.caption) == (TensorDisplay.COLOURS, (10, 10),
                                                          "A.grad")
    biggest = max(abs(v) for row in it.node(A).value for v in row)
    assert value.scale_text() == f"max |v| {format_number(biggest, 3)}"
    strip = view.node_item(V).grids()[0]
    assert (strip.display, strip.rows, strip.columns) == (TensorDisplay.COLOURS, 1, 12)
    # short vectors stay text
    assert view.node_item(Y).grids() == []
    assert view.node_item(Y).value_text() == "= [2.75, 2.5, -4.125]"


def test_display_limits():
    assert display_of(((1.0,) * 4,) * 4) is TensorDisplay.NUMBERS
    assert display_of(((1.0,) * 5,) * 4) is TensorDisplay.COLOURS
    assert display_of((1.0,) * 6) is TensorDisplay.TEXT
    assert display_of((1.0,) * 7) is TensorDisplay.COLOURS
    assert display_of(2.0) is TensorDisplay.TEXT
    assert [shape_text(v) for v in (2.0, (1.0, 2.0), ((1.0, 2.0),) * 3)] == ["", "2", "3×2"]


def test_hovering_a_cell_gives_its_number(shown):
    view, it = shown
    w = view.node_item(W)
    assert w.cell_tooltip_at(w.cell_centre(0, 2, 1)) == "W[2, 1] = 1.5"
    assert w.cell_tooltip_at(w.cell_centre(1, 0, 1)) == "W.grad[0, 1] = -2.0"
    a = view.node_item(A)
    expected = format_number(it.node(A).grad_attr[7][3])
    assert a.cell_tooltip_at(a.cell_centre(1, 7, 3)) == f"A.grad[7, 3] = {expected}"
    v = view.node_item(V)
    assert v.cell_tooltip_at(v.cell_centre(0, 0, 11)) == "v[11] = 3.0"
    assert w.cell_tooltip_at(QPointF(0, w.card_rect().top() + 2)) is None


def test_moving_the_mouse_over_a_cell_sets_the_tooltip(qtbot, shown):
    view, it = shown
    view.show()
    qtbot.waitExposed(view)
    a = view.node_item(A)
    view.centerOn(a)
    target = view.mapFromScene(a.mapToScene(a.cell_centre(0, 4, 6)))
    qtbot.mouseMove(view.viewport(), target - QPoint(3, 0))
    qtbot.mouseMove(view.viewport(), target)
    expected = f"A[4, 6] = {format_number(it.node(A).value[4][6])}"
    qtbot.waitUntil(lambda: a.toolTip() == expected)
    qtbot.mouseMove(view.viewport(), view.mapFromScene(a.mapToScene(
        QPointF(0, a.card_rect().top() + 4))))
    qtbot.waitUntil(lambda: a.toolTip().startswith("A: a parameter"))


def test_gradient_grids_wait_for_the_backward_pass_without_changing_size(shown):
    view, it = shown
    before = {i: item.size() for i, item in view.node_items().items()}
    view.show_state(revealed_state(it, backward=False))
    grad = view.node_item(W).grids()[1]
    assert grad.pending and grad.cell_text(0, 0) == "?"
    w = view.node_item(W)
    assert w.cell_tooltip_at(w.cell_centre(1, 0, 0)) == "W.grad[0, 0]: not computed yet"
    assert {i: item.size() for i, item in view.node_items().items()} == before


def test_matrix_edges_are_labelled_by_shape_and_list_the_numbers_on_hover(shown):
    view, _ = shown
    edge = view.edge_item(0)
    assert edge.label_text() == "∂y/∂W = xᵀ (each row) = 3×2 (hover)"
    assert "[1.5, -2.0]" in edge.toolTip() and "shape 3×2" in edge.toolTip()
    assert view.edge_item(5).label_text().endswith("= 12 values (hover)")
    # the local gradient and what the edge carried back, one row per line each
    long_tip = view.edge_item(2).toolTip()
    assert long_tip.count("\n  [") == 20 and "Carried back" in long_tip


def _paint(item) -> tuple[QImage, QPointF]:
    rect = item.boundingRect()
    image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32)
    image.fill(QColor("#000000"))
    painter = QPainter(image)
    painter.translate(-rect.topLeft())
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    return image, -rect.topLeft()


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=lambda t: t.name)
def test_cells_are_painted_with_the_diverging_map_of_the_theme(shown, theme):
    view, it = shown
    view.apply_theme(theme)
    a = view.node_item(A)
    image, shift = _paint(a)
    value = it.node(A).value
    scale = max(abs(v) for row in value for v in row)
    for row, column in [(0, 0), (4, 6), (9, 9)]:
        point = (a.cell_centre(0, row, column) + shift).toPoint()
        expected = diverging_colour(value[row][column], scale, theme.is_dark)
        assert image.pixelColor(point).name() == expected


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c):
        parts = [v / 255 for v in (c.red(), c.green(), c.blue())]
        lin = [p / 12.92 if p <= 0.04045 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=lambda t: t.name)
def test_dark_and_light_colours_stay_readable(theme):
    dark = theme.is_dark
    neutral, positive, negative = DARK_ENDS if dark else LIGHT_ENDS
    assert diverging_colour(0.0, 2.0, dark) == neutral
    assert QColor(neutral).lightness() < 128 if dark else QColor(neutral).lightness() > 200
    assert (diverging_colour(2.0, 2.0, dark), diverging_colour(-9.0, 2.0, dark)) == (
        positive, negative)
    # full colours stand out from the card; numbers stay legible on the strongest tint
    for end in (positive, negative):
        assert _contrast(QColor(end), QColor(theme.leaf_fill)) >= 3.0
        tint = QColor(diverging_colour(1.0, 1.0, dark, NUMBER_TINT))
        assert _contrast(tint, QColor(theme.text)) >= 4.5


def _assert_no_overlap(view):
    rects = [item.mapRectToScene(item.card_rect()) for item in view.node_items().values()]
    rects += [item.label.sceneBoundingRect() for item in view.edge_items().values()
              if item.content.tracked]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (a, b)


def test_nodes_grow_for_their_grids_and_never_overlap(shown):
    view, _ = shown
    assert view.node_item(A).size().height() > 1.5 * view.node_item(LOSS).size().height()
    assert view.node_item(W).size().width() > view.node_item(LOSS).size().width()
    _assert_no_overlap(view)


def test_grids_scale_with_the_font_and_still_do_not_overlap(shown):
    view, _ = shown
    before = view.node_item(A).size()
    view.apply_font(QFont(view.font().family(), 28))
    after = view.node_item(A).size()
    assert after.width() > 1.5 * before.width() and after.height() > 1.5 * before.height()
    _assert_no_overlap(view)


def test_a_huge_matrix_keeps_a_bounded_node(view):
    big = matrix_iteration(size=40, vector=300)
    view.show_iteration(big, revealed_state(big))
    small = matrix_iteration()
    other = GraphView()
    other.apply_theme(LIGHT)
    other.show_iteration(small, revealed_state(small))
    assert view.node_item(A).size().height() <= other.node_item(A).size().height() + 1
    assert view.node_item(V).size().width() <= other.node_item(A).size().width() + 1
    _assert_no_overlap(view)
    other.deleteLater()


def test_a_long_vector_wraps_its_strip_and_hover_counts_along_it(view):
    it = matrix_iteration(vector=300)
    view.show_iteration(it, revealed_state(it))
    v = view.node_item(V)
    strip = v.grids()[0]
    assert (strip.rows, strip.columns, strip.shape) == (8, 38, (300,))
    assert v.cell_tooltip_at(v.cell_centre(0, 7, 33)) == "v[299] = 3.0"
    assert v.cell_tooltip_at(v.cell_centre(0, 1, 0)) == (
        f"v[38] = {format_number(it.node(V).value[38])}")
    assert v.cell_tooltip_at(v.cell_centre(0, 7, 34)) is None  # past the end
