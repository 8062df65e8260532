"""What a Linux bundle's ELF files link against, read with binutils' ``readelf``.

Shared by ``linux_deps.py`` (the .deb's Depends), ``bundle_tidy.py`` (pruning unneeded
libraries, cleaning RUNPATHs) and the smoke test, so all three read a file the same way.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dynamic:
    """The dynamic-section entries of one ELF file that matter here."""

    needed: tuple[str, ...]
    # RUNPATH and (legacy) RPATH entries, split at ':', in order.
    runpath: tuple[str, ...]


def elf_files(folder: Path) -> list[Path]:
    """Every regular ELF file under ``folder`` (symlinks not followed), sorted."""
    files = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            if path.is_symlink() or not path.is_file():
                continue
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    files.append(path)
    return sorted(files)


def dynamic(path: Path) -> Dynamic:
    """NEEDED and RUNPATH/RPATH of ``path`` (empty for a static file)."""
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                         check=True).stdout
    needed = re.findall(r"\(NEEDED\).*\[(.+?)\]", out)
    runpath = [part for value in re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.*?)\]", out)
               for part in value.split(":") if part]
    return Dynamic(tuple(needed), tuple(runpath))


def needed(path: Path) -> list[str]:
    """The sonames ``path`` links against (its NEEDED entries)."""
    return list(dynamic(path).needed)


def foreign_runpath(entries: tuple[str, ...]) -> tuple[str, ...]:
    """The RUNPATH entries that point outside the bundle (not ``$ORIGIN``-relative).

    An absolute entry names a folder of the build machine (a pyenv or hosted-toolcache
    Python's ``lib``); on a user's machine that folder is absent, or worse, holds other
    libraries that the loader would then prefer to the bundle's own.
    """
    return tuple(entry for entry in entries
                 if not entry.startswith(("$ORIGIN", "${ORIGIN}")))
