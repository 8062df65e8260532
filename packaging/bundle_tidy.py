"""Linux bundle clean-up after freezing: unneeded libraries out, build-machine RUNPATHs off.

PyInstaller collects every library that any collected file links against, including
files that ``bundle_filter.py`` then drops. Dropping Qt's GTK 3 theme plugin, for one,
leaves behind GTK, GDK, ATK, at-spi, epoxy and X libraries that nothing else in the
bundle loads, and ``linux_deps`` would then have to map *their* system dependencies to
Debian packages. Rather than a hand-kept list of such orphans (which grows with every
library the build machine happens to have), :func:`unneeded_libraries` walks the
dependency graph from everything that is loaded for its own sake (the executable, Python
extension modules, Qt plugins, libpython, libraries opened by name at run time) and
reports every shared library that this walk never reaches.

:func:`clean_runpaths` removes RUNPATH/RPATH entries that name folders of the build
machine (``elf_info.foreign_runpath``), keeping the ``$ORIGIN``-relative ones.

Both are checked on the finished artifacts by the smoke test (``smoke_linux.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path

from elf_info import Dynamic, dynamic, elf_files, foreign_runpath

# A shared library's file name (libfoo.so, libfoo.so.1.2.3); extension modules are
# matched separately and never count as libraries.
_LIBRARY = re.compile(r"^lib.+\.so(\.\d+)*$")
_EXTENSION = re.compile(r"\.(cpython-[^.]+|abi3)\.so$")

# Loaded for their own sake, so kept whatever links against them:
# - Qt plugins are opened by Qt with dlopen;
# - libpython is opened by PyInstaller's bootloader;
# - torch opens libtorch_global_deps.so with ctypes at import.
ROOT_PATTERNS = (
    re.compile(r"^PySide6/Qt/plugins/"),
    re.compile(r"(^|/)libpython3[^/]*\.so[.\d]*$"),
    re.compile(r"^torch/lib/libtorch_global_deps\.so$"),
)


def _internal(bundle: Path) -> Path:
    return bundle / "_internal"


def _is_root(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    if _EXTENSION.search(name) or not _LIBRARY.match(name):
        return True  # executables, extension modules, anything not named as a library
    return any(pattern.search(relative) for pattern in ROOT_PATTERNS)


def unneeded_libraries(bundle: Path) -> list[Path]:
    """Shared libraries (and symlinks to them) in ``bundle`` that nothing kept loads.

    A NEEDED name is taken to be satisfied by every bundled file or symlink of that
    name, wherever it lies: over-keeping is harmless, a wrong removal is not.
    """
    # Resolved, so the walk's paths compare equal to the symlink targets' real paths.
    bundle = bundle.resolve()
    internal = _internal(bundle)
    files = elf_files(bundle)
    links = [path for path in internal.rglob("*") if path.is_symlink()]
    by_name: dict[str, list[Path]] = defaultdict(list)
    for path in files + links:
        by_name[path.name].append(path)
    info: dict[Path, Dynamic] = {}
    queue = [path for path in files
             if not path.is_relative_to(internal)
             or _is_root(path.relative_to(internal).as_posix())]
    kept: set[Path] = set()
    while queue:
        path = queue.pop()
        if path in kept:
            continue
        kept.add(path)
        if path not in info:
            info[path] = dynamic(path)
        for name in info[path].needed:
            for provider in by_name.get(name, ()):
                queue.append(Path(os.path.realpath(provider)))
    unneeded = [path for path in files if path not in kept]
    gone = {Path(os.path.realpath(path)) for path in unneeded}
    unneeded += [link for link in links
                 if Path(os.path.realpath(link)) in gone or not link.exists()]
    return sorted(unneeded)


def prune_unneeded_libraries(bundle: Path) -> list[str]:
    """Delete :func:`unneeded_libraries`; return their paths inside ``_internal/``."""
    removed = []
    bundle = bundle.resolve()
    for path in unneeded_libraries(bundle):
        removed.append(path.relative_to(_internal(bundle)).as_posix())
        path.unlink()
    return removed


def foreign_runpaths(bundle: Path) -> dict[str, tuple[str, ...]]:
    """Bundle path -> RUNPATH/RPATH entries naming folders outside the bundle."""
    found = {}
    for path in elf_files(bundle):
        foreign = foreign_runpath(dynamic(path).runpath)
        if foreign:
            found[path.relative_to(bundle).as_posix()] = foreign
    return found


def clean_runpaths(bundle: Path, patchelf: Path) -> list[str]:
    """Drop the build machine's folders from every RUNPATH/RPATH; return the files changed.

    ``$ORIGIN``-relative entries stay (they find the bundle's own libraries). patchelf
    shortens the string in place, or removes the entry when nothing is left.
    """
    changed = []
    for relative in foreign_runpaths(bundle):
        path = bundle / relative
        entries = dynamic(path).runpath
        kept = [entry for entry in entries if entry not in foreign_runpath(entries)]
        if kept:
            # --force-rpath keeps an RPATH an RPATH (its lookup order differs from
            # RUNPATH's); on a RUNPATH it changes nothing.
            command = [patchelf, "--force-rpath", "--set-rpath", ":".join(kept), path] \
                if _has_rpath(path) else [patchelf, "--set-rpath", ":".join(kept), path]
        else:
            command = [patchelf, "--remove-rpath", path]
        subprocess.run([str(part) for part in command], check=True)
        changed.append(relative)
    return changed


def _has_rpath(path: Path) -> bool:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return "(RPATH)" in out
