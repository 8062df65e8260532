"""What the command line prints, and how it fails: one line, never a traceback.

Shared by ``cli.py`` and ``cli_lessons.py``: standard output may be closed, full
(``/dev/full``) or a pipe whose reader stopped (``| head``).
"""

from __future__ import annotations

import os
import sys

EXIT_OUTPUT = 1  # the output could not be written


class OutputError(Exception):
    """Standard output cannot take what the command prints (closed, full, failing)."""


def write_output(text: str) -> None:
    """Print ``text`` and a newline to standard output, flushed; :class:`OutputError`
    when it cannot be written (closed, a full disk, ``/dev/full``). A reader that stops
    early (``| head``) raises :class:`BrokenPipeError`, which is not an error."""
    if sys.stdout is None:  # Python's stdout when the command started with it closed
        raise OutputError("standard output is closed; nothing was printed")
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed in between
        reason = getattr(exc, "strerror", None) or exc
        raise OutputError(f"cannot write the output: {reason}") from None


def silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's own flush
    at exit cannot fail again (and print a traceback)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        sys.stdout = None
