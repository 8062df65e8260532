"""Byte-code caches for the Python sources that the bundle ships as files (torch's).

torch reads some of its own sources at import (``torch.utils._config_module`` parses
its config modules with ``inspect.getsource``), so its modules are collected as ``.py``
files, not as compiled modules in PyInstaller's archive. A frozen app writes no
``__pycache__``, so without help Python would compile ~1,700 torch modules at every
start. This writes each one's ``__pycache__/NAME.cpython-3XX.pyc`` at build time, with
the build's interpreter (the one the bundle carries), as the source run has them.

The caches are "unchecked-hash" pycs: valid whatever the files' modification times
become after unpacking or installing.
"""

from __future__ import annotations

import py_compile
import sys
from pathlib import Path, PurePath


def pycache_entries(datas: list, packages: set[str], cache_root: Path) -> list[tuple]:
    """``(dest, src, "DATA")`` entries adding a compiled cache for each ``.py`` data file
    of ``packages`` in PyInstaller's ``datas`` list."""
    entries = []
    for dest, src, _kind in datas:
        path = PurePath(dest)
        if path.suffix != ".py" or path.parts[0] not in packages:
            continue
        cached = path.parent / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.pyc"
        compiled = cache_root / cached
        compiled.parent.mkdir(parents=True, exist_ok=True)
        try:
            py_compile.compile(src, cfile=str(compiled), dfile=str(path), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except py_compile.PyCompileError:
            continue  # not importable anyway (a template named .py): nothing to cache
        entries.append((str(cached), str(compiled), "DATA"))
    return entries
