"""File > Export: the graph (PNG, SVG), the training plots (PNG), the loss history (CSV)
the trace as a runnable PyTorch script, and a tensor lesson's model in idiomatic PyTorch
(its second code tab); File > Export scores… (the questions'
answers as CSV, for the teacher).

Each asks for a file name (a save dialog), writes, and says where in the status bar;
a failure is one message box and nothing else.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from gui_backprop.core.atomic_file import write_atomically
from gui_backprop.core.question_scores import scores_csv_text
from gui_backprop.core.script_export import export_script, export_training_script
from gui_backprop.core.training_data import find_regression_roles
from gui_backprop.core.training_program import CompiledProgram
from gui_backprop.ui.canvas.view import GraphView
from gui_backprop.ui.files.pictures import (
    ExportError,
    bring_into_view,
    plots_image,
    png_bytes,
    write_bytes,
    write_graph_png,
    write_graph_svg,
)
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.questions.scores import QuestionScores
from gui_backprop.ui.training.panel_state import TrainPanelState

FOLDER_KEY = "export/folder"


def loss_csv_text(losses: Sequence[float]) -> str:
    """``step,loss`` rows, every digit kept (``nan`` for a NaN); step 0 is the loss at the
    starting values, as on the loss plot."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "loss"])
    for step, loss in enumerate(losses):
        writer.writerow([step, "nan" if math.isnan(loss) else repr(float(loss))])
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise ExportError(f"could not write {path.name}: {exc.strerror or exc}") from None


class Exports(QObject):
    """The Export menu's actions for ``window``: the graph from ``graph_view``, the
    script from ``model``'s trace, the plots and the loss history from ``training``."""

    def __init__(self, window: QMainWindow, model: LessonModel, graph_view: GraphView,
                 training: TrainPanelState, settings: QSettings | None = None,
                 scores: QuestionScores | None = None):
        super().__init__(window)
        self.scores = scores if scores is not None else QuestionScores(self)
        self.window = window
        self.model = model
        self.graph_view = graph_view
        self.training = training
        self.settings = settings

    # -- the actions ----------------------------------------------------------------------

    def graph_png(self) -> Path | None:
        """Export the graph, as shown, as a PNG at twice its size."""
        return self._export("Export the graph as PNG", "graph", ".png", "PNG images (*.png)",
                            lambda path: write_graph_png(self._scene(), self._background(),
                                                         path), "the graph")

    def graph_svg(self) -> Path | None:
        """Export the graph, as shown, as an SVG drawing."""
        title = f"{self.model.lesson.title}: computational graph"
        return self._export("Export the graph as SVG", "graph", ".svg", "SVG drawings (*.svg)",
                            lambda path: write_graph_svg(self._scene(), self._background(),
                                                         path, title), "the graph")

    def pytorch_script(self) -> Path | None:
        """Export a standalone PyTorch script: the training run when the Train tab has one
        for the open program (its loop, epochs, data and learning rate), else the trace."""
        trace = self.model.walkthrough.trace
        title = f"{self.model.lesson.title} (Backprop Lab)"
        run = self.training.run()
        classifier = self.training.panel.classifier.active  # its own training program
        if run is not None and run.steps and (classifier
                                              or run.program.source == trace.program.source):
            settings = run.settings
            return self._export(
                "Export the training run as PyTorch script",
                self.model.lesson.id.replace("-", "_") + "_training", ".py",
                "Python scripts (*.py)",
                lambda path: write_bytes(path, export_training_script(
                    run.program, dict(run.values), run.parameters, run.output,
                    settings.learning_rate, run.steps, False, title, path.name,
                    rule=settings.update_rule.value, batch_size=settings.batch_size,
                    seed=settings.seed, data_names=self._data_names(run),
                    zero_grad=run.zero_grad)
                    .encode("utf-8")),
                f"the training run ({run.steps:,} epochs) as a PyTorch script")
        return self._export(
            "Export as PyTorch script", self.model.lesson.id.replace("-", "_"), ".py",
            "Python scripts (*.py)",
            lambda path: write_bytes(path, export_script(
                trace, title, path.name, self.model.walkthrough.trained_note)
                .encode("utf-8")), "the PyTorch script")

    def idiomatic_script(self) -> Path | None:
        """Export the lesson's model written the idiomatic way (the second code tab), on
        the current values: it prints the walkthrough's loss and gradients."""
        code = self.model.idiomatic_text
        if not code:
            self._warn("Nothing to export", "There is no idiomatic version of what the "
                                            "walkthrough shows: the tensor lessons have "
                                            "one for their own model, in a second code tab.")
            return None
        header = f'"""{self.model.lesson.title} (Backprop Lab), in idiomatic PyTorch\n\n' \
                 "Exported from Backprop Lab. It prints the loss and gradients the app " \
                 'shows.\n"""\n\n'
        return self._export(
            "Export as idiomatic PyTorch script",
            self.model.lesson.id.replace("-", "_") + "_idiomatic", ".py",
            "Python scripts (*.py)",
            lambda path: write_bytes(path, (header + code + "\n").encode("utf-8")),
            "the idiomatic PyTorch script")

    def loss_csv(self) -> Path | None:
        """Export the loss history as ``step,loss`` CSV."""
        losses = self.training.history()
        if not losses:
            self._no_training("no loss history")
            return None
        return self._export("Export the loss history as CSV", "loss_history", ".csv",
                            "CSV files (*.csv)",
                            lambda path: write_bytes(path, loss_csv_text(losses)
                                                     .encode("utf-8")), "the loss history")

    def scores_csv(self) -> Path | None:
        """Export every graded answer (lesson, student, seed, question, answer, expected,
        correct, points) as CSV, written atomically."""
        book = self.scores.book
        if not book.key():
            self._warn("Nothing to export", "There are no answers yet: a lesson with "
                                            "questions has a Questions tab beside Values.")
            return None
        return self._export("Export the scores as CSV", "scores", ".csv", "CSV files (*.csv)",
                            lambda path: _write_atomically(
                                path, scores_csv_text(book).encode("utf-8")), "the scores")

    def plots_png(self) -> Path | None:
        """Export the training plots, as the Train tab shows them, as one PNG."""
        if not self.training.history():
            self._no_training("nothing plotted")
            return None
        panel = self.training.panel
        bring_into_view(panel)
        background = panel.palette().color(panel.backgroundRole())
        image = plots_image(self.training.plots(), background)
        return self._export("Export the training plots as PNG", "training_plots", ".png",
                            "PNG images (*.png)", lambda path: write_bytes(path, png_bytes(image)),
                            "the training plots")

    # -- helpers ------------------------------------------------------------------------------

    def _data_names(self, run) -> tuple[str, str] | None:
        """The input and target a run's mini-batches are drawn from (if it has data)."""
        problem = self.training.panel.problem
        if problem is not None and problem.classifier is not None:
            return problem.classifier.input, problem.classifier.labels
        roles = find_regression_roles(CompiledProgram(run.program), run.parameters, run.output)
        return (roles.input, roles.target) if roles is not None else None

    def _no_training(self, what: str) -> None:
        self._warn("Nothing to export", f"There is {what} yet: train first (the Train tab).")

    def _scene(self):
        return self.graph_view.scene()

    def _background(self):
        return self.graph_view.backgroundBrush().color()

    def _export(self, caption: str, stem: str, suffix: str, file_filter: str,
                write: Callable[[Path], None], what: str) -> Path | None:
        path = self._ask(caption, f"{stem}{suffix}", file_filter, suffix)
        if path is None:
            return None
        try:
            write(path)
        except ExportError as exc:
            self._warn("Export failed", str(exc))
            return None
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(path.resolve().parent))
        self.window.statusBar().showMessage(f"Exported {what} to {path}", 8000)
        return path

    def _ask(self, caption: str, name: str, file_filter: str, suffix: str) -> Path | None:
        folder = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        start = Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path.home()
        chosen, _ = QFileDialog.getSaveFileName(self.window, caption, str(start / name),
                                                file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_suffix(suffix)

    def _warn(self, title: str, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)
        QMessageBox.warning(self.window, title, message)
