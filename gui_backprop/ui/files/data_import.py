"""File › Import data… (CSV): the learner's own points for the Train tab.

The file is read and checked completely in core (:mod:`~gui_backprop.core.data_csv`)
before anything changes; a bad file is one message (naming its line and column) and
the Train tab keeps what it had. A good one becomes the Train tab's data, undoably
(Ctrl+Z in the data plot), and the Train tab comes to the front.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from gui_backprop.core.data_csv import DataFileError, check_fits, read_csv
from gui_backprop.ui.training.panel import TrainPanel

FOLDER_KEY = "import/folder"
FILE_FILTER = "CSV files (*.csv *.txt);;All files (*)"
TITLE = "Cannot import the data"


class DataImport(QObject):
    """Imports a CSV file into ``panel``; ``imported`` fires after a good import (the
    window shows the Train tab)."""

    imported = Signal()

    def __init__(self, window: QMainWindow, panel: TrainPanel,
                 settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.panel = panel
        self.settings = settings

    def import_csv(self, path: str | Path | None = None) -> bool:
        """Ask for a CSV file (unless ``path``) and train on its points from now on."""
        problem = self.panel.problem
        classifier = problem.classifier if problem is not None else None
        if problem is None or not (problem.accepts_data or classifier is not None):
            self._warn("This program has no data to replace: importing needs an input x "
                       "and a target with one value per point, as in Linear regression, "
                       "or a lesson that classifies 2-D points.")
            return False
        if self.panel.is_active:
            self._warn("Stop training first: the data cannot change during a run.")
            return False
        if path is None:
            path = self._ask()
            if path is None:
                return False
        path = Path(path)
        # a classifier: two input columns and a class number from 0 in the last
        names = (classifier.input, classifier.labels) if classifier is not None \
            else (problem.roles.input, problem.roles.target)
        try:
            points = read_csv(path, classifier.classes if classifier is not None else None)
            check_fits(points, 2 if classifier is not None else 1, *names)
        except DataFileError as exc:
            message = str(exc)
            self._warn(message if exc.file else f"{path.name}: {message}")
            return False
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(path.resolve().parent))
        self.panel.learner_data.set_points(points, f"{path.name}'s points",
                                           f"Import {path.name}")
        self.window.statusBar().showMessage(
            f"Imported {len(points.targets):,} points from {path.name} as "
            f"{names[0]} and {names[1]}", 8000)
        self.imported.emit()
        return True

    def _ask(self) -> Path | None:
        folder = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        start = str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import data (CSV)", start,
                                                FILE_FILTER)
        return Path(chosen) if chosen else None

    def _warn(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)
        QMessageBox.warning(self.window, TITLE, message)
