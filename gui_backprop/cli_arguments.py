"""What the command line's commands share: a parser whose errors are one line, a
program given as text or a file, and ``--lr``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2 (not
    argparse's usage and error, two lines): ``PROG: error: MESSAGE (see PROG --help)``."""

    def error(self, message: str):
        """Print ``message`` as one line and exit 2."""
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parse_learning_rate(text: str | None) -> float | None:
    """``--lr``'s text as a number (``None`` when not given); a ProgramError if bad."""
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.values import parse_value

    if text is None:
        return None
    try:
        return parse_value(text)
    except ProgramError as exc:
        raise ProgramError(f"--lr: {exc.message}") from None


def program_text(argument: str) -> str:
    """The program: the text of the file ``argument`` names, else ``argument`` itself."""
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.program import MAX_SOURCE_CHARS

    path = Path(argument)
    try:
        if len(argument) < 4096 and "\n" not in argument and path.is_file():
            with path.open(encoding="utf-8") as file:
                return file.read(MAX_SOURCE_CHARS + 1)  # longer is refused by the parser
    except UnicodeDecodeError:
        raise ProgramError(f"{argument} is not a text file") from None
    except OSError:
        pass
    return argument
