"""Shared set-up for the widget tests: offscreen Qt, and no widget left open.

Every test here runs without a display (``QT_QPA_PLATFORM=offscreen``, set before Qt
is imported). A test that leaves a visible top-level widget behind fails (the idea
comes from ndv's conftest): register widgets with ``qtbot.addWidget`` or close them.
Whatever a test leaves is closed and deleted, so the next test starts clean.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from tests.ui.session_helpers import Dialogs  # noqa: E402


def _flush_deletions() -> None:
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _is_ours(widget: QWidget) -> bool:
    """Widgets a test made (a Python subclass, or anything shown), not Qt's hidden helpers."""
    return widget.isVisible() or not type(widget).__module__.startswith("PySide6")


@pytest.fixture(autouse=True)
def no_widgets_left_open(request):
    """Fail a test that leaves a top-level widget open; close and delete what it left."""
    app = QApplication.instance()
    before = set(map(id, app.topLevelWidgets())) if app is not None else set()
    yield
    app = QApplication.instance()
    if app is None:
        return
    _flush_deletions()
    left = [w for w in app.topLevelWidgets() if id(w) not in before and _is_ours(w)]
    still_open = [w for w in left if w.isVisible()]
    descriptions = [f"{type(w).__name__}({w.objectName()!r})" for w in still_open]
    for widget in left:
        widget.close()
        widget.deleteLater()
    _flush_deletions()
    if still_open:
        pytest.fail(f"{request.node.nodeid} left top-level widgets open: "
                    f"{', '.join(descriptions)}; use qtbot.addWidget or close them",
                    pytrace=False)


@pytest.fixture
def dialogs(monkeypatch):
    """File dialogs and message boxes answered by the test (see :class:`Dialogs`)."""
    return Dialogs(monkeypatch)
