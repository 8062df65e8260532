"""File > Export from the window: the graph as PNG and SVG, the loss history as CSV, and a
PyTorch script that runs and prints the trace's numbers."""

import csv
import io
import math
import xml.etree.ElementTree as ElementTree

import pytest
from PySide6.QtGui import QImage

from gui_backprop.core.formatting import format_value
from gui_backprop.ui.files.exports import loss_csv_text
from tests.shared_helpers import run_exported_script
from tests.ui.window_helpers import IGNORE_OFFSCREEN_NOISE, open_window

pytestmark = IGNORE_OFFSCREEN_NOISE

SVG = "{http://www.w3.org/2000/svg}"


def _export(window, dialogs, action: str, path):
    dialogs.save_to = path
    window.menus.actions[action].trigger()
    assert dialogs.warnings == []
    assert str(path) in window.statusBar().currentMessage()


def _colours(image: QImage, step: int = 3) -> int:
    return len({image.pixel(x, y) for y in range(0, image.height(), step)
                for x in range(0, image.width(), step)})


def test_the_graph_as_png_is_crisp_and_not_blank(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(9)
    window.graph_view.zoom_out()  # the export does not depend on the zoom
    path = tmp_path / "graph"
    _export(window, dialogs, "export_graph_png", path)
    image = QImage(str(tmp_path / "graph.png"))
    scene = window.graph_view.scene().sceneRect()
    assert (image.width(), image.height()) == (round(scene.width() * 2),
                                               round(scene.height() * 2))
    assert _colours(image) > 50


def _svg_texts(path) -> str:
    root = ElementTree.parse(path).getroot()
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_the_graph_as_svg_parses_and_holds_the_numbers_shown(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    window.model.jump(9)
    path = tmp_path / "graph.svg"
    _export(window, dialogs, "export_graph_svg", path)
    texts = _svg_texts(path)
    view = window.graph_view
    for item in view.node_items().values():
        assert item.title_text() in texts
        for shown in (item.value_text(), item.grad_text()):
            if shown and "?" not in shown:
                assert shown in texts, shown
    labels = [item.label_text() for item in view.edge_items().values() if item.label_text()]
    assert labels and all(label.split("= ")[-1] in texts for label in labels)
    assert "-2.0" in texts  # dloss/dw, revealed at this step


def test_the_svg_shows_what_is_revealed_and_no_more(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "one-training-step")
    path = tmp_path / "start.svg"
    _export(window, dialogs, "export_graph_svg", path)
    texts = _svg_texts(path)
    assert "y_pred" in texts and "-2.0" not in texts and "?" in texts


def test_loss_history_csv_round_trips():
    losses = [4.0, 1.0 / 3.0, 2.5e-12, math.nan, 0.0]
    rows = list(csv.reader(io.StringIO(loss_csv_text(losses))))
    assert rows[0] == ["step", "loss"]
    assert [int(step) for step, _ in rows[1:]] == [0, 1, 2, 3, 4]  # 0: the start
    back = [float(loss) for _, loss in rows[1:]]
    assert back[:3] == losses[:3] and math.isnan(back[3]) and back[4] == 0.0


def test_the_loss_csv_without_training_says_so(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "chain-rule")
    window.menus.actions["export_loss_csv"].trigger()
    [(title, message)] = dialogs.warnings
    assert "no loss history" in message and dialogs.file_dialogs == []


@pytest.mark.parametrize("lesson", ["one-training-step", "linear-regression"])
def test_the_pytorch_script_runs_and_prints_the_numbers_shown(qtbot, tmp_path, dialogs,
                                                              lesson):
    window = open_window(qtbot, tmp_path, lesson)
    name = next(iter(window.model.parameters))
    field = window.values_panel.field(name)
    field.setText("0.75")
    field.editingFinished.emit()
    trace = window.model.walkthrough.trace
    path = tmp_path / "lesson.py"
    _export(window, dialogs, "export_script", path)
    printed = run_exported_script(path)
    assert math.isclose(printed[(0, name)], trace.first.updates[0].after, rel_tol=1e-12)
    for it in trace.iterations:
        assert math.isclose(printed[(it.index, trace.output_name)], it.loss, rel_tol=1e-12)
        for update in it.updates:
            grad = printed[(it.index, f"{update.name}.grad")]
            shown = it.node_named(update.name).grad_attr
            assert format_value(grad) == format_value(shown)
    assert window.model.lesson.title in path.read_text()


def test_a_failed_export_is_one_message(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path, "chain-rule")
    dialogs.save_to = tmp_path / "no-such-folder" / "graph.png"
    window.menus.actions["export_graph_png"].trigger()
    [(title, message)] = dialogs.warnings
    assert title == "Export failed" and "graph.png" in message
    assert not (tmp_path / "no-such-folder").exists()
