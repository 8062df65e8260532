"""Issue 12: on a Linux without Qt's X11 libraries the app says which packages to install
in one line, instead of Qt aborting with a core dump."""

from __future__ import annotations

import pytest

from gui_backprop.cli import main
from gui_backprop.ui import platform_check
from gui_backprop.ui.platform_check import XCB_LIBRARIES, uses_xcb, window_problem

X11 = {"DISPLAY": ":0"}


def _without(*absent):
    return lambda soname: soname not in absent


def test_missing_libraries_name_their_packages_in_one_line():
    problem = window_problem(X11, "linux", _without("libxcb-cursor.so.0", "libxcb-icccm.so.4"))
    assert "\n" not in problem
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in problem
    assert problem.endswith("sudo apt-get install libxcb-cursor0 libxcb-icccm4")


def test_nothing_to_say_when_every_library_loads_or_qt_uses_no_x11():
    assert window_problem(X11, "linux", _without()) is None
    everything_missing = _without(*XCB_LIBRARIES)
    assert window_problem({"QT_QPA_PLATFORM": "offscreen", **X11}, "linux",
                          everything_missing) is None
    assert window_problem({"WAYLAND_DISPLAY": "wayland-0", **X11}, "linux",
                          everything_missing) is None
    assert window_problem(X11, "darwin", everything_missing) is None
    assert window_problem(X11, "win32", everything_missing) is None


def test_no_display_is_said():
    assert "no display" in window_problem({}, "linux", _without())


@pytest.mark.parametrize("environ, expected", [
    ({"DISPLAY": ":0"}, True), ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, True), ({"QT_QPA_PLATFORM": "wayland"}, False),
    ({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, False),
])
def test_when_qt_uses_x11(environ, expected):
    assert uses_xcb(environ, "linux") is expected


def test_the_app_stops_before_qt_starts(monkeypatch, capsys):
    if not platform_check.sys.platform.startswith("linux"):
        pytest.skip("the X11 libraries are a Linux matter")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(platform_check, "_loads", _without("libxcb-cursor.so.0"))
    assert main([]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "sudo apt-get install libxcb-cursor0" in err
