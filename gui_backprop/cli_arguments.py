"""Arguments the command line's subcommands share: a program given as text or a file,
and ``--lr``."""

from __future__ import annotations

from pathlib import Path


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
