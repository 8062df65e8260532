"""Command line: launch the app, trace a program headless, list lessons, take screenshots.

    gui-backprop [SESSION] [--lesson NAME] [--step N] [--screenshot FILE] [--size WxH]
    gui-backprop trace PROGRAM [--set NAME=VALUE ...] [--grad NAME ...] [--lr LR] [--json]
                       [--export-script FILE]
    gui-backprop trace --lesson NAME [--json]
    gui-backprop train (PROGRAM | --lesson NAME) [--data FILE.csv] [--epochs N] [--lr LR]
                       [--optimizer sgd|momentum|adam] [--batch-size B] [--seed S] [--json]
                       [--dataset moons|circles|xor|spirals] [--points N] [--noise S]
                       [--data-seed S] [--hidden H] [--activation relu|tanh|sigmoid]
    gui-backprop lessons
    gui-backprop check-lesson FILE... [--run]
(the app, ``trace`` and ``lessons`` also take ``--lessons DIR``: a teacher's folder)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gui_backprop.cli_arguments import parse_learning_rate, program_text
from gui_backprop.cli_lessons import (
    add_lessons_option,
    lesson_folders,
    load_with_warnings,
    run_check_lesson,
    run_lessons,
)
from gui_backprop.cli_output import EXIT_OUTPUT, OutputError, silence_stdout, write_output
from gui_backprop.cli_train import run_train

EXIT_USAGE = 2


def _trace_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gui-backprop trace",
        description="Trace a program (or a lesson) through PyTorch autograd and print "
                    "every value and gradient.")
    parser.add_argument("program", nargs="?",
                        help="the program text ('x = 1.0; w = 2.0; loss = (w * x) ** 2') "
                             "or a file holding it")
    parser.add_argument("--lesson", help="trace a lesson instead (id, number or title)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a value: a number or a list such as x=[1,2,3]")
    parser.add_argument("--grad", action="append", metavar="NAME",
                        help="a parameter (requires_grad=True); repeat for more "
                             "(default: every value)")
    parser.add_argument("--lr", default=None, help="learning rate of the update (default 0.01)")
    parser.add_argument("--output", help="the variable to differentiate (default: the last)")
    parser.add_argument("--iterations", type=int, default=1,
                        help="training iterations to trace (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--export-script", metavar="FILE",
                        help="also write a standalone PyTorch script that reproduces the numbers")
    add_lessons_option(parser)
    return parser


def _parse_sets(items: list[str]) -> dict:
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.tracer import program_name
    from gui_backprop.core.values import parse_value, short_text

    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise ProgramError(f"--set expects NAME=VALUE, got '{short_text(item, 60)}'")
        name = program_name(name.strip())
        if name in values:  # which one was meant? better to ask than to guess
            raise ProgramError(f"--set {short_text(name)} is given more than once")
        try:
            values[name] = parse_value(text)
        except ProgramError as exc:
            raise ProgramError(f"--set {short_text(name)}: {exc.message}") from None
    return values


def run_trace(argv: list[str]) -> int:
    """``gui-backprop trace``: print a trace as a table or JSON."""
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.export import trace_to_dict, trace_to_table
    from gui_backprop.core.lessons import LessonError, find_lesson
    from gui_backprop.core.program import parse_program
    from gui_backprop.core.tracer import trace_program
    from gui_backprop.core.walkthrough import Walkthrough

    args = _trace_parser().parse_args(argv)
    try:
        values = _parse_sets(args.set)
        lr = parse_learning_rate(args.lr)
        if args.lesson:
            if args.program:
                raise ProgramError("give either a program or --lesson, not both")
            lesson = find_lesson(args.lesson, load_with_warnings(args))
            walkthrough = lesson.walkthrough(values or None, args.grad, lr)
        elif args.program:
            program = parse_program(program_text(args.program))
            trace = trace_program(program, values, args.grad, 0.01 if lr is None else lr,
                                  args.output, args.iterations)
            walkthrough = Walkthrough(trace)
        else:
            raise ProgramError("give a program to trace, or --lesson NAME")
    except (ProgramError, LessonError) as exc:
        print(f"gui-backprop: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.export_script:
        title = lesson.title if args.lesson else "A program traced by Backprop Lab"
        if not _write_script(walkthrough.trace, title, Path(args.export_script)):
            return EXIT_USAGE
    if args.json:
        write_output(json.dumps(trace_to_dict(walkthrough), indent=1, ensure_ascii=False))
    else:
        write_output(trace_to_table(walkthrough))
    return 0


def _write_script(trace, title: str, path: Path) -> bool:
    from gui_backprop.core.script_export import export_script

    try:
        path.write_text(export_script(trace, title, path.name), encoding="utf-8")
    except OSError as exc:
        print(f"gui-backprop: error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gui-backprop",
        description="Backprop Lab: learn backpropagation step by step on real PyTorch "
                    "tensors. Subcommands: 'trace' (headless trace), 'train' (headless "
                    "training), 'lessons' (list), 'check-lesson' (check lesson files).")
    parser.add_argument("session", nargs="?", help="a session file to open")
    parser.add_argument("--lesson", help="the lesson to open (id, number or title)")
    parser.add_argument("--step", type=int, help="walkthrough step to show (default: the "
                        "start, or the session's own step)")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="render the window to a PNG without showing it, then exit")
    parser.add_argument("--size", default="1280x800", help="window size WxH (default 1280x800)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    add_lessons_option(parser)
    return parser


def version() -> str:
    """The installed package's version (``unknown`` when run from an uninstalled copy)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("gui-backprop")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gui-backprop`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Idle OpenMP threads sleep instead of spinning (read when torch loads OpenMP, before
    # any command imports it). After each small matmul a spinning thread takes a core
    # from the training loop: a network trained 20-50x slower on a busy 2-core machine
    # (benchmarks/network_training.py). Only the waiting changes, never a number.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    commands = {"trace": run_trace, "train": run_train, "lessons": run_lessons,
                "check-lesson": run_check_lesson}
    if argv and argv[0] in commands:
        try:
            return commands[argv[0]](argv[1:])
        except BrokenPipeError:
            # the reader (e.g. `| head`) stopped early: not an error worth a traceback
            silence_stdout()
            return 0
        except OutputError as exc:
            print(f"gui-backprop: error: {exc}", file=sys.stderr)
            silence_stdout()
            return EXIT_OUTPUT
    args = _app_parser().parse_args(argv)
    if args.version:
        try:
            write_output(f"gui-backprop {version()}")
        except OutputError as exc:
            print(f"gui-backprop: error: {exc}", file=sys.stderr)
            return EXIT_OUTPUT
        return 0
    args.lesson_folders = lesson_folders(args)
    from gui_backprop.ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
