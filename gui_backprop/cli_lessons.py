"""The command line's lesson commands: ``lessons`` and ``check-lesson``, and the
``--lessons DIR`` option the app, ``lessons`` and ``trace`` share.

    gui-backprop lessons [--lessons DIR ...]
    gui-backprop check-lesson FILE... [--run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gui_backprop.cli_arguments import EXIT_USAGE, OneLineParser
from gui_backprop.cli_output import write_output


def add_lessons_option(parser: argparse.ArgumentParser) -> None:
    """``--lessons DIR`` (repeatable): a teacher's folder of lessons."""
    parser.add_argument("--lessons", action="append", default=[], metavar="DIR",
                        help="also load the lessons in this folder (repeatable; "
                             "$BACKPROP_LAB_LESSONS lists more, separated like PATH)")


def lesson_folders(args: argparse.Namespace) -> list[Path]:
    """The folders given with ``--lessons``, then those of ``$BACKPROP_LAB_LESSONS``."""
    from gui_backprop.core.lessons import lesson_folders_from_environment

    folders = [Path(name) for name in getattr(args, "lessons", None) or []]
    return folders + [f for f in lesson_folders_from_environment() if f not in folders]


def load_with_warnings(args: argparse.Namespace, traced: bool = True):
    """Every lesson (built-in, then each folder's); one warning line on stderr for
    each file that was skipped. ``traced=False``: checked without running the
    programs, so without importing torch (see ``core.lessons.load_lesson``)."""
    from gui_backprop.core.lessons import load_all_lessons

    lessons, problems = load_all_lessons(lesson_folders(args), traced=traced)
    for problem in problems:
        print(f"gui-backprop: warning: skipped {problem}", file=sys.stderr)
    return lessons


def run_lessons(argv: list[str]) -> int:
    """``gui-backprop lessons``: list the lessons, a section per teacher's folder."""
    parser = OneLineParser(prog="gui-backprop lessons",
                                     description="List the lessons (id, title, summary).")
    add_lessons_option(parser)
    args = parser.parse_args(argv)
    lines, folder = [], None
    # Listing text needs no trace: torch (two seconds) is never imported here.
    for index, lesson in enumerate(load_with_warnings(args, traced=False), start=1):
        if lesson.folder != folder and lesson.folder:
            lines.append(f"\n{lesson.folder} ({lesson.path.parent}):")
        folder = lesson.folder
        lines.append(f"{index}. {lesson.id:<22} {lesson.title} — {lesson.summary}")
    write_output("\n".join(lines))
    return 0


def run_check_lesson(argv: list[str]) -> int:
    """``gui-backprop check-lesson``: every problem of each file as ``FILE:LINE:
    message``; exit 0 when all are fine, 2 otherwise."""
    from gui_backprop.core.lesson_check import check_lesson_file

    parser = OneLineParser(
        prog="gui-backprop check-lesson",
        description="Check lesson files completely: the TOML, every field, the program "
                    "(through the safe parser), parameters, code-listing anchors, stage "
                    "texts, and a trace through PyTorch.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="lesson files (.toml)")
    parser.add_argument("--run", action="store_true",
                        help="also run each code listing (in a separate Python process) "
                             "and check that it ends at the trace's numbers")
    args = parser.parse_args(argv)
    failed = 0
    for name in args.files:
        problems = check_lesson_file(Path(name), run=args.run)
        if problems:
            write_output("\n".join(str(problem) for problem in problems))
        failed += bool(problems)
    checked = len(args.files)
    if failed:
        print(f"{failed} of {checked} lesson file{'s' if checked != 1 else ''} "
              "with problems", file=sys.stderr)
        return EXIT_USAGE
    write_output(f"{checked} lesson file{'s' if checked != 1 else ''} checked: fine")
    return 0
