"""Reading a file a user named: only a regular file, and never more than a limit.

A device (``/dev/zero`` reports size 0 and never ends), a FIFO (opening one waits for a
writer, for ever) or a folder is refused. The file is opened without blocking and
checked with ``fstat`` on the descriptor itself, so it cannot be swapped between the
check and the read; the read stops at ``limit + 1`` bytes whatever the size said.
Session files and lesson files both read this way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(ValueError):
    """The file cannot be read; the message says why, without the file's name."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(f"cannot open it: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("not a regular file (a folder, a device or a pipe)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise UnreadableFile(f"larger than {limit // 1024:,} kB")
    return b"".join(chunks)
