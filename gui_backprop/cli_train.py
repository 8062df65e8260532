"""``gui-backprop train``: the Train tab's training loop without a window.

    gui-backprop train (PROGRAM | --lesson NAME) [--data FILE.csv] [--epochs N] [--lr LR]
                       [--optimizer sgd|momentum|adam] [--batch-size B] [--seed S] [--json]
                       [--dataset moons|circles|xor|spirals] [--points N] [--noise S]
                       [--data-seed S] [--hidden H] [--activation relu|tanh|sigmoid]

A lesson with a ``[classifier]`` (single-neuron, softmax-classifier, two-layer-network)
trains on 2-D points: a generated data set (``--dataset``, moons by default) or the
learner's CSV (two input columns and a class label), with the network's settings; its
defaults (epochs, learning rate, optimizer, hidden units) are the lesson's.

It runs the same core :class:`~gui_backprop.core.training.Trainer` the window's worker
runs (no Qt is imported), so the same seed and settings give bit-identical parameters.
It prints the final loss, the trained parameters and the accuracy (``null`` for a
regression). A bad argument or data file: one line on stderr, exit 2. A run that
diverged prints its result and why, and exits 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from gui_backprop.cli_arguments import parse_learning_rate, program_text
from gui_backprop.cli_lessons import add_lessons_option, load_with_warnings
from gui_backprop.cli_output import write_output

EXIT_USAGE = 2
EXIT_DIVERGED = 1
QUIET = 3600.0  # seconds between snapshots: the command line shows only the final one
OPTIMIZERS = {"sgd": "manual", "momentum": "momentum", "adam": "adam"}
"""The command line's names of the update rules (``sgd``: the tutorial's manual update)."""
OPTIMIZER_NAMES = {"manual": "sgd", "sgd": "sgd", "momentum": "momentum", "adam": "adam"}
"""A lesson's ``[classifier] optimizer`` by the command line's name."""
DEFAULT_DATASET = "moons"
DEFAULT_POINTS = 200
DEFAULT_EPOCHS = 1000


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (not the usage and the error)."""

    def error(self, message: str):
        print(f"gui-backprop train: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="gui-backprop train",
        description="Train a program (or a lesson) as the Train tab does, without a window; "
                    "print the final loss, the trained parameters and the accuracy.")
    parser.add_argument("program", nargs="?", help="the program text or a file holding it")
    parser.add_argument("--lesson", help="train a lesson instead (id, number or title)")
    parser.add_argument("--data", metavar="FILE.csv",
                        help="train on these points: the last column is the target, the "
                             "others the input; a header row is optional")
    parser.add_argument("--epochs", type=int,
                        help="epochs (default: the lesson's for a classifier, else 1000)")
    parser.add_argument("--lr", help="learning rate (default: the lesson's, else 0.05)")
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS),
                        help="sgd: w -= lr * w.grad under torch.no_grad() (the default, "
                             "but a classifier lesson's own); momentum: "
                             "torch.optim.SGD(momentum=0.9); adam: torch.optim.Adam")
    parser.add_argument("--batch-size", type=int, metavar="B",
                        help="points per mini-batch (default: all of them, one batch)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the mini-batches' order and of a network's initial "
                             "parameters (default 0)")
    classifier = parser.add_argument_group("a lesson that classifies 2-D points")
    classifier.add_argument("--dataset", choices=("moons", "circles", "xor", "spirals"),
                            help=f"generated points (default {DEFAULT_DATASET}; spirals "
                                 "have the lesson's number of classes)")
    classifier.add_argument("--points", type=int, help=f"how many (default {DEFAULT_POINTS})")
    classifier.add_argument("--noise", type=float,
                            help="standard deviation of the noise (default: the data set's)")
    classifier.add_argument("--data-seed", type=int, default=0,
                            help="seed of the generated points (default 0)")
    classifier.add_argument("--hidden", type=int, metavar="H",
                            help="hidden units, 1 to 64 (default: the lesson's)")
    classifier.add_argument("--activation", choices=("relu", "tanh", "sigmoid"),
                            help="the hidden layer's activation (default: the lesson's)")
    parser.add_argument("--grad", action="append", metavar="NAME",
                        help="a parameter of PROGRAM; repeat for more (default: every value)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_lessons_option(parser)
    return parser


def _problem(args):
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.lessons import find_lesson
    from gui_backprop.core.program import parse_program
    from gui_backprop.core.training import TrainingProblem

    if args.lesson and args.program:
        raise ProgramError("give either a program or --lesson, not both")
    rate = parse_learning_rate(args.lr)
    if args.lesson:
        lesson = find_lesson(args.lesson, load_with_warnings(args))
        if lesson.classifier is not None:
            problem = _classifier_problem(args, lesson)
        else:
            _regression_only(args)
            problem = TrainingProblem.from_lesson(lesson)
    elif args.program:
        _regression_only(args)
        problem = TrainingProblem.create(parse_program(program_text(args.program)),
                                         args.grad)
    else:
        raise ProgramError("give a program to train, or --lesson NAME")
    return problem, problem.learning_rate if rate is None else rate


def _classifier_problem(args, lesson):
    """A classifier lesson's problem: the data and the network from the arguments."""
    from gui_backprop.core.data_csv import read_csv
    from gui_backprop.core.datasets import GENERATORS
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.network import NetworkSettings
    from gui_backprop.core.training import TrainingProblem
    from gui_backprop.core.training_data import SEED_RANGE

    spec = lesson.classifier
    if not SEED_RANGE[0] <= args.data_seed <= SEED_RANGE[1]:
        raise ProgramError(f"--data-seed must be a whole number from {SEED_RANGE[0]} to "
                           f"{SEED_RANGE[1]}")
    if not spec.has_network_settings and (args.hidden or args.activation):
        raise ProgramError(f"--hidden and --activation: the lesson '{lesson.id}' has no "
                           "hidden layer")
    network = NetworkSettings(args.hidden, args.activation, args.seed)
    if args.data is not None:
        if args.dataset or args.points is not None or args.noise is not None:
            raise ProgramError("give either --data or --dataset (--points, --noise), not both")
        data = read_csv(args.data, classes=spec.classes)
    else:
        name = args.dataset or DEFAULT_DATASET
        options = {"points": DEFAULT_POINTS if args.points is None else args.points,
                   "seed": args.data_seed}
        if args.noise is not None:
            options["noise"] = args.noise
        if name == "spirals":
            options["classes"] = spec.classes
        data = GENERATORS[name](**options)
    return TrainingProblem.for_classifier(lesson, network, data)


def _regression_only(args) -> None:
    from gui_backprop.core.errors import ProgramError

    given = [f"--{name.replace('_', '-')}" for name in
             ("dataset", "points", "noise", "hidden", "activation")
             if getattr(args, name) is not None]
    if given:
        raise ProgramError(f"{given[0]}: only a lesson that classifies 2-D points takes it "
                           "(single-neuron, softmax-classifier, two-layer-network)")


def _defaults(args, problem) -> tuple[int, str]:
    """The epochs and the optimizer: given, else a classifier lesson's, else the usual."""
    spec = problem.classifier
    epochs = args.epochs if args.epochs is not None else (
        spec.epochs if spec and spec.epochs else DEFAULT_EPOCHS)
    optimizer = args.optimizer or (OPTIMIZER_NAMES[spec.optimizer]
                                   if spec and spec.optimizer else "sgd")
    return epochs, optimizer


def _data(args, problem):
    from gui_backprop.core.data_csv import DataFileError, check_fits, read_csv

    if args.data is None or problem.classifier is not None:
        return None
    if not problem.accepts_data:
        raise DataFileError("--data: this program has no data to replace (it needs an "
                            "input x and a target with one value per point)")
    points = read_csv(args.data)
    check_fits(points, 1, problem.roles.input, problem.roles.target)
    return points


def _jsonable(value):
    """Tuples as lists (matrices as nested lists); NaN and infinity as ``null``."""
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value if value is None or math.isfinite(value) else None


def run_train(argv: list[str]) -> int:
    """``gui-backprop train``: train headless and print the result."""
    from gui_backprop.core.errors import ProgramError
    from gui_backprop.core.lessons import LessonError
    from gui_backprop.core.training import Trainer, TrainingSettings, TrainingStatus

    args = _parser().parse_args(argv)
    try:
        problem, rate = _problem(args)
        epochs, optimizer = _defaults(args, problem)
        settings = TrainingSettings(epochs=epochs, learning_rate=rate,
                                    update_rule=OPTIMIZERS[optimizer],
                                    data=_data(args, problem), snapshot_interval=QUIET,
                                    batch_size=args.batch_size, seed=args.seed)
        trainer = Trainer(problem, settings)
    except (ProgramError, LessonError) as exc:
        print(f"gui-backprop train: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    final = None
    for final in trainer.run():  # noqa: B007 - the last snapshot is the result
        pass
    points = trainer.dataset or trainer.labelled_points
    result = {"loss": _jsonable(final.loss), "parameters": {k: _jsonable(v) for k, v in
                                                 final.parameters.items()},
              "accuracy": final.accuracy, "epochs": final.step, "status": final.status.value,
              "optimizer": optimizer, "learning_rate": rate, "batch_size": args.batch_size,
              "seed": args.seed, "points": len(points[1]) if points is not None else None}
    if problem.classifier is not None and problem.classifier.has_network_settings:
        network = problem.network
        result["network"] = {"hidden": network.hidden_for(problem.classifier),
                             "activation": network.activation_for(problem.classifier)}
    if final.message:
        result["message"] = final.message
    if args.json:
        write_output(json.dumps(result, ensure_ascii=False, allow_nan=False))
    else:
        write_output(_table(result))
    return EXIT_DIVERGED if final.status is TrainingStatus.DIVERGED else 0


def _table(result: dict) -> str:
    lines = [f"epochs    {result['epochs']:,} ({result['status']})",
             f"loss      {result['loss']!r}"]
    lines += [f"{name:<9} {value!r}" for name, value in result["parameters"].items()]
    accuracy = result["accuracy"]
    lines.append("accuracy  " + ("none (a regression)" if accuracy is None
                                 else f"{accuracy:.2%}"))
    if "message" in result:
        lines.append(result["message"])
    return "\n".join(lines)
