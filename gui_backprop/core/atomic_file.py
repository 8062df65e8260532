"""Replace a file atomically: the old content or the new one, whole, whatever happens.

The new content goes to a temporary file beside the target, named ``.NAME.XXXXXXXX.tmp``
(``tempfile.mkstemp``'s eight random characters), which is flushed to disk and then
renamed over the target; the folder is flushed too, so that the rename itself
survives a power cut. The temporary gets the mode of the file it replaces (or, for a
new file, what the umask gives a new file), not ``mkstemp``'s private ``0600``.

A process killed mid-write leaves its temporary behind. Every later save of the same
file removes such leftovers: on POSIX a writer holds an exclusive ``flock`` on its
temporary until the rename, so a temporary whose lock can be taken belongs to a
writer that is gone (another instance saving the same file at the same moment keeps
its own). Where there is no ``flock``, only temporaries older than an hour go.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

STALE_SECONDS = 3600  # without flock: a temporary this old is nobody's any more


def temporary_pattern(name: str) -> re.Pattern:
    """The names of our temporaries for the file ``name`` (mkstemp's alphabet)."""
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")


def write_atomically(path: Path, data: bytes) -> None:
    """Put ``data`` in ``path`` atomically; raises :class:`OSError` (the old file is
    then untouched and no temporary is left)."""
    path = Path(path)
    mode = _mode_for(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # ours until renamed
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if fcntl is None:
                os.chmod(temporary, mode)
            os.replace(temporary, path)  # still locked: no cleaner takes it for stale
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    remove_stale_temporaries(path)


def remove_stale_temporaries(path: Path) -> int:
    """Delete temporaries of ``path`` left by writers that are gone; how many went."""
    pattern = temporary_pattern(path.name)
    removed = 0
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    for entry in entries:
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                if _is_abandoned(entry):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _is_abandoned(entry: os.DirEntry) -> bool:
    if fcntl is None:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
    fd = os.open(entry.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live writer holds it
    finally:
        os.close(fd)  # (closing drops our lock)
    return True


def _mode_for(path: Path) -> int:
    """The mode the saved file should have: the replaced file's, else the umask's."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system says it."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (not possible on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
