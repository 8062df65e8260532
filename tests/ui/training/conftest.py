"""The fixture the Train tab's window tests share."""

import pytest

from gui_backprop.ui.training import worker
from tests.ui.window_helpers import open_window


@pytest.fixture
def window(qtbot, tmp_path):
    """The window at linear regression with the Train tab on screen; no thread left after."""
    win = open_window(qtbot, tmp_path, "linear-regression")
    win.centre_tabs.setCurrentWidget(win.train_panel)
    yield win
    win.close()
    assert not worker._LIVE_THREADS
