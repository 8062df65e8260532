"""What happens to an exception nobody caught: it is logged, and the learner sees a
dialog; the app keeps running."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("gui_backprop")

ERROR_TITLE = "Something went wrong"


def describe(exc: BaseException) -> str:
    """One line: the exception's type and message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class ErrorHandler:
    """A ``sys.excepthook``: log the traceback, then show it in a dialog.

    ``parent`` gives the window to put the dialog over. Keyboard interrupts are passed
    to the previous hook. A second error while the dialog is open is only logged.
    """

    def __init__(self, parent: Callable[[], QWidget | None] = lambda: None):
        self.parent = parent
        self.previous = sys.excepthook
        self._showing = False

    def install(self) -> ErrorHandler:
        """Make this the interpreter's excepthook."""
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        """Restore the hook that was there before."""
        if sys.excepthook is self:
            sys.excepthook = self.previous

    def __call__(self, kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        """Log the error and show the dialog (the hook's entry point)."""
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, exc, tb)
            return
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("Unexpected error: %s\n%s", describe(exc), details)
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, ERROR_TITLE,
                              "Backprop Lab ran into an unexpected problem. What you were doing "
                              "may not have finished, but you can carry on.",
                              QMessageBox.StandardButton.Ok, self.parent())
            box.setObjectName("errorDialog")
            box.setInformativeText(describe(exc))
            box.setDetailedText(details)
            box.exec()
        finally:
            self._showing = False


class ScreenshotErrorHandler:
    """The hook while rendering a screenshot: no dialog, no log; remember the first error
    (the command then prints one line and fails)."""

    def __init__(self):
        self.previous = sys.excepthook
        self.error: BaseException | None = None

    def __enter__(self) -> ScreenshotErrorHandler:
        sys.excepthook = self
        return self

    def __exit__(self, *exc_info) -> None:
        sys.excepthook = self.previous

    def __call__(self, kind, exc, tb) -> None:
        """Remember the error for the command to report."""
        if self.error is None:
            self.error = exc
