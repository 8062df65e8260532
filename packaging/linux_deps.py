"""Which system libraries a Linux bundle needs, as Debian package dependencies.

PyInstaller copies most shared libraries into the bundle, but leaves out on purpose those
that must match the running system: glibc, OpenGL/EGL, libxcb and the Wayland client
libraries. Whatever else the build machine lacked (libxcb-icccm4 and libxcb-keysyms1 on
this project's machines) is missing too. This module reads every ELF file's NEEDED
entries, finds the libraries the bundle does not hold, and maps each to the Debian
package providing it, so the .deb's Depends line is exactly what the bundle needs.
A library that maps to nothing stops the build: it would be missing on a user's system.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from elf_info import elf_files, needed

# glibc's libraries; the version comes from the symbol versions the bundle uses.
GLIBC_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
    "libresolv.so.2", "libutil.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
}

# Library -> Debian package (with the t64 name of newer releases as an alternative).
SYSTEM_PACKAGES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libdrm.so.2": "libdrm2",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

# Files whose missing libraries are recommended, not required: Qt loads these plugins
# only on a Wayland session and falls back to X11 (xcb) when they cannot load.
OPTIONAL_FILES = re.compile(
    r"(^|/)(libqwayland[^/]*\.so|libQt6WaylandClient\.so[.\d]*|"
    r"libQt6WlShellIntegration\.so[.\d]*)$|/plugins/wayland-[^/]+/")


def _glibc_version(files: list[Path]) -> tuple[int, ...]:
    newest = (2, 17)
    for path in files:
        out = subprocess.run(["readelf", "-V", str(path)], capture_output=True,
                             text=True).stdout
        for version in re.findall(r"Name: GLIBC_(\d+(?:\.\d+)+)", out):
            newest = max(newest, tuple(int(part) for part in version.split(".")))
    return newest


class UnmappedLibraryError(RuntimeError):
    """The bundle needs a system library that no Debian package is known to provide."""


def debian_dependencies(bundle: Path) -> tuple[list[str], list[str]]:
    """(Depends, Recommends) entries for a Debian package holding ``bundle``."""
    files = elf_files(bundle)
    present = {path.name for path in files} | {
        path.name for path in bundle.rglob("*") if path.is_symlink()}
    required, recommended, unmapped = set(), set(), {}
    for path in files:
        relative = path.relative_to(bundle).as_posix()
        for library in needed(path):
            if library in present or library in GLIBC_LIBRARIES:
                continue
            package = SYSTEM_PACKAGES.get(library)
            if package is None:
                unmapped.setdefault(library, relative)
            elif OPTIONAL_FILES.search(relative):
                recommended.add(package)
            else:
                required.add(package)
    if unmapped:
        lines = "\n".join(f"  {lib} (needed by {file})" for lib, file in sorted(unmapped.items()))
        raise UnmappedLibraryError(
            "the bundle needs system libraries with no known Debian package; add them to "
            f"packaging/linux_deps.py SYSTEM_PACKAGES, or bundle them:\n{lines}")
    glibc = ".".join(str(part) for part in _glibc_version(files))
    depends = [f"libc6 (>= {glibc})", *sorted(required)]
    return depends, sorted(recommended - required)
