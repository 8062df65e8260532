"""Start the Backprop Lab window (``gui-backprop``), or render it to a PNG (``--screenshot``)."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Slot, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gui_backprop.core.lessons import Lesson, LessonError, find_lesson, load_all_lessons
from gui_backprop.core.resources import resources_dir
from gui_backprop.ui.platform_check import window_problem
from gui_backprop.ui.window import settings_keys as keys
from gui_backprop.ui.window.error_handler import ErrorHandler, ScreenshotErrorHandler, describe
from gui_backprop.ui.window.start_window import StartWindow, WindowLoader

# Nothing imported here at load time imports torch, pyqtgraph or matplotlib: the start
# window paints first (issue 13). Sessions, the tracer and the real window are imported
# inside the functions that need them (or by the WindowLoader's thread).

EXIT_USAGE = 2
EXIT_FAILURE = 1
APP_ICON = "icons/gui-backprop.svg"
LOG_FILE = "backprop-lab.log"
MAX_SIZE = 10_000

log = logging.getLogger("gui_backprop")


class UsageError(ValueError):
    """A command-line argument the app cannot use (exit status 2)."""


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x800"`` -> ``(1280, 800)``; raises :class:`UsageError` on anything else."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*", text or "")
    if not match:
        raise UsageError(f"--size expects WIDTHxHEIGHT such as 1280x800, got '{text}'")
    width, height = int(match[1]), int(match[2])
    if not (200 <= width <= MAX_SIZE and 200 <= height <= MAX_SIZE):
        raise UsageError(f"--size must be between 200x200 and {MAX_SIZE}x{MAX_SIZE}, "
                         f"got '{text}'")
    return width, height


def use_offscreen_platform_if_headless() -> None:
    """Let ``--screenshot`` work without a display (before the QApplication exists)."""
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(keys.APPLICATION)
    app.setOrganizationName(keys.ORGANIZATION)
    app.setApplicationDisplayName("Backprop Lab")
    app.setDesktopFileName("gui-backprop")
    icon = resources_dir() / APP_ICON
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def configure_logging() -> Path | None:
    """Log warnings to stderr and everything from INFO up to a file in the app's data
    folder; returns the file's path (None when it cannot be written)."""
    if getattr(log, "_backprop_configured", False):
        return getattr(log, "_backprop_file", None)
    log.setLevel(logging.INFO)
    stream = logging.StreamHandler()
    stream.setLevel(logging.WARNING)
    stream.setFormatter(logging.Formatter("gui-backprop: %(levelname)s: %(message)s"))
    log.addHandler(stream)
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppLocalDataLocation))
    path: Path | None = folder / LOG_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: "
                                               "%(message)s"))
        log.addHandler(handler)
    except OSError:
        path = None
    log._backprop_configured = True
    log._backprop_file = path
    return path


@contextmanager
def _offscreen_noise_dropped():
    """Drop the offscreen platform's note on window size hints (not a problem) while
    rendering; any other Qt message still reaches stderr."""
    def handler(kind, context, message):
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _choose(lessons: list[Lesson], name: str | None) -> Lesson | None:
    if not name:
        return None
    try:
        return find_lesson(name, lessons)
    except LessonError as exc:
        raise UsageError(str(exc)) from None


def _read_session(args):
    """The session file named on the command line, read and checked (or None): a
    ``(Path, Session)`` pair."""
    name = getattr(args, "session", None)
    if not name:
        return None
    if getattr(args, "lesson", None):
        raise UsageError("give a session file or --lesson, not both")
    from gui_backprop.core.session_file import SessionError, load_session  # torch

    try:
        return Path(name), load_session(name)
    except SessionError as exc:
        raise UsageError(str(exc)) from None


def _open_start(window, lesson: Lesson | None, opened, step: int | None) -> None:
    """Open the lesson or session asked for on the command line, at ``step``."""
    if opened is not None:
        path, saved = opened
        message = window.session_files.open_loaded(path, saved)
        if message is not None:
            raise UsageError(f"{path.name}: {message}")
    elif lesson is not None:
        window.model.open_lesson(lesson)
    if step is not None or opened is None:
        _check_step(window, step or 0)
        window.model.jump(step or 0)


def _check_step(window, step: int) -> None:
    count = window.model.step_count
    if not 0 <= step <= count:
        raise UsageError(f"--step must be between 0 and {count} for the lesson "
                         f"'{window.model.lesson.id}', got {step}")


def run_app(args) -> int:
    """Open the window (or, with ``args.screenshot``, render it to a PNG) and return
    the exit status. ``args`` has ``session``, ``lesson``, ``step``, ``screenshot``, ``size``
    and ``lesson_folders`` (teachers' folders, whose lessons follow the built-in ones).

    A session file that cannot be opened is a usage error (exit status 2, one line)."""
    screenshot = getattr(args, "screenshot", None)
    try:
        opened = _read_session(args)
        size = parse_size(getattr(args, "size", None) or "1280x800")
        if screenshot:
            use_offscreen_platform_if_headless()
        problem = window_problem()
        if problem is not None:  # Qt would abort the process (and dump core) instead
            print(f"gui-backprop: error: {problem}", file=sys.stderr)
            return EXIT_FAILURE
        app = application()
        folders = getattr(args, "lesson_folders", None) or []
        # The window starts from lessons read without a trace (no torch): see StartWindow.
        lessons, skipped = load_all_lessons(folders, traced=bool(screenshot))
        for problem in skipped:
            print(f"gui-backprop: warning: skipped {problem}", file=sys.stderr)
        lesson = _choose(lessons, getattr(args, "lesson", None))
        step = getattr(args, "step", None)
        step = None if step is None else int(step)
        if screenshot:
            return take_screenshot(lessons, lesson, step, size, Path(screenshot), opened)
        return _run_window(app, lessons, lesson, step, size, opened, folders, skipped)
    except (UsageError, LessonError) as exc:
        print(f"gui-backprop: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


class _Startup(QObject):
    """Paints the :class:`StartWindow` at once, then, when the :class:`WindowLoader`
    has imported torch and traced the lessons, puts the real window in its place.

    A QObject on the GUI thread, so that the loader's signals arrive here queued."""

    def __init__(self, app: QApplication, catalog, lesson, step, size, opened, folders,
                 reported):
        super().__init__()
        self.app, self.lesson, self.step, self.opened = app, lesson, step, opened
        self.reported = {str(problem) for problem in reported}
        self.settings = keys.open_settings()
        self.window = None
        self.start = StartWindow(catalog, lesson, self.settings)
        if self.settings.value(keys.GEOMETRY) is None:
            self.start.resize(*size)
        self.loader = WindowLoader(folders)
        self.loader.loaded.connect(self.build)
        self.loader.failed.connect(self.fail)

    def run(self) -> int:
        """Show the start window, load, and run the event loop; the exit status."""
        # torch's import competes with the first paint for the GIL: it starts after it.
        self.start.painted.connect(self.loader.start)
        self.start.show()
        try:
            return self.app.exec()
        finally:
            self.loader.wait()

    @Slot(object)
    def fail(self, error: BaseException) -> None:
        """The loader failed: reported like any unexpected error (the installed hook)."""
        raise error

    @Slot(object, object)
    def build(self, lessons, problems) -> None:
        """Build the real window (on the GUI thread), open what was asked for and show
        it where the start window is; then close the start window."""
        for problem in problems:  # a lesson whose program only fails when traced
            if str(problem) not in self.reported:
                print(f"gui-backprop: warning: skipped {problem}", file=sys.stderr)
        if not self.start.isVisible():  # closed while loading: nothing to show
            return
        from gui_backprop.ui.window.main_window import MainWindow

        self.window = window = MainWindow(lessons, self.settings)
        window.session_files.ask_before_closing = True
        window.restoreGeometry(self.start.saveGeometry())
        chosen = next((item for item in lessons if item.id == self.start.lesson.id
                       and item.id != window.model.lesson.id), None)  # not opened twice
        try:
            _open_start(window, chosen if self.opened is None else None, self.opened, self.step)
        except UsageError as exc:
            print(f"gui-backprop: error: {exc}", file=sys.stderr)
            self.start.close()
            self.app.exit(EXIT_USAGE)
            return
        window.show()
        self.start.close()
        window.activateWindow()  # the start window had the focus: give it on


def _run_window(app: QApplication, catalog, lesson, step, size, opened=None, folders=(),
                reported=()) -> int:
    configure_logging()
    startup = None
    handler = ErrorHandler(lambda: startup and (startup.window or startup.start)).install()
    try:
        startup = _Startup(app, catalog, lesson, step, size, opened, folders, reported)
        return startup.run()
    finally:
        handler.uninstall()
        if startup is not None:
            for window in (startup.window, startup.start):
                if window is not None:
                    window.deleteLater()


def take_screenshot(lessons: list[Lesson], lesson: Lesson | None, step: int | None,
                    size: tuple[int, int], path: Path, opened=None) -> int:
    """Render the window at ``lesson`` (or the session ``opened``), ``step`` and ``size``
    into the PNG ``path``."""
    from gui_backprop.ui.window.main_window import MainWindow

    window = None
    saved = False
    with ScreenshotErrorHandler() as errors, _offscreen_noise_dropped():
        try:
            window = MainWindow(lessons, settings=None)
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            window.resize(*size)
            _open_start(window, lesson, opened, step)
            window.show()
            QApplication.processEvents()
            pixmap = window.grab()
            if pixmap.width() != size[0] or pixmap.height() != size[1]:
                pixmap = pixmap.scaled(*size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            saved = pixmap.save(str(path), "PNG")
        except UsageError:
            raise
        except Exception as exc:  # reported as one line, like any command-line failure
            errors.error = errors.error or exc
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
                QApplication.processEvents()
    if errors.error is not None:
        print(f"gui-backprop: error: the screenshot failed: {describe(errors.error)}",
              file=sys.stderr)
        return EXIT_FAILURE
    if not saved:
        print(f"gui-backprop: error: could not write the PNG file '{path}'", file=sys.stderr)
        return EXIT_FAILURE
    return 0
