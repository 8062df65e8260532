"""Before Qt starts on Linux: can it open a window at all?

Qt's X11 platform plugin (``xcb``) needs system libraries that a plain Debian or Ubuntu
install may lack (``libxcb-cursor0`` above all). Without them Qt prints a paragraph
about plugins and *aborts* the process, with a core dump, which no Python code can
catch. So the app looks for those libraries first (loading each by its soname, as the
plugin would) and, when some are missing, says in one line which packages to install.
The same goes for a session without any display. Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# What PySide6's libqxcb.so and libQt6XcbQpa.so load (``ldd``), with the Debian/Ubuntu
# package of each (``dpkg -S``). Checked on a Debian 12 machine lacking libxcb-icccm4
# and libxcb-keysyms1, where Qt aborted and this check names exactly those two.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(loads: Callable[[str], bool] | None = None) -> list[str]:
    """The sonames of :data:`XCB_LIBRARIES` that cannot be loaded."""
    loads = loads or _loads
    return [soname for soname in XCB_LIBRARIES if not loads(soname)]


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will use its X11 plugin: Linux, no other platform asked for, and an
    X display rather than a Wayland one."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(":")[0].split(";")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def window_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                   loads: Callable[[str], bool] | None = None) -> str | None:
    """Why Qt could not open a window here (one line), or ``None`` when it can."""
    environ = os.environ if environ is None else environ
    if not uses_xcb(environ, platform or sys.platform):
        return None
    if not environ.get("DISPLAY"):
        return ("there is no display to show the window on (DISPLAY is not set); "
                "--screenshot FILE renders without one")
    missing = missing_libraries(loads)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    return (f"Qt cannot open a window: the system lacks {', '.join(missing)}; "
            f"on Debian or Ubuntu: sudo apt-get install {packages}")
