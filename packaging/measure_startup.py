"""Start-up time of the frozen app against the source run, measured in one go.

    python packaging/measure_startup.py [--frozen PATH] [--source PATH] [--runs N]

Both commands render the main window to a PNG (``--screenshot``): the time from
launching the process until the PNG is on disk is "start-up to window ready", since the
window must be built, laid out and painted before it can be saved. Runs alternate
(source, frozen, source, ...) after one discarded warm-up run of each, all with the same
clean environment (``env -i``, one fresh HOME, offscreen Qt), so a cache warmed by one
(matplotlib's font list, the disk cache) is warm for the other too. Prints every run,
both medians and their ratio; the goal is frozen / source <= 1.20.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL = 1.20
ARGS = ["--lesson", "one-training-step", "--step", "6", "--size", "1280x800"]


def time_to_png(command: list[str], home: Path, png: Path) -> tuple[float, float]:
    """Seconds until ``png`` exists (non-empty), and until the process exited."""
    png.unlink(missing_ok=True)
    environment = [f"HOME={home}", "QT_QPA_PLATFORM=offscreen", "PATH=/usr/bin:/bin",
                   f"XDG_RUNTIME_DIR={home}"]
    started = time.perf_counter()
    process = subprocess.Popen(["env", "-i", *environment, *command, *ARGS,
                                "--screenshot", str(png)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready = None
    while process.poll() is None:
        if ready is None and png.exists() and png.stat().st_size > 0:
            ready = time.perf_counter() - started
        time.sleep(0.005)
    exited = time.perf_counter() - started
    stderr = process.stderr.read()
    if process.returncode != 0 or not png.exists():
        raise RuntimeError(f"{command[0]} failed (exit {process.returncode}): {stderr[-800:]}")
    return (ready if ready is not None else exited), exited


def main(argv: list[str] | None = None) -> int:
    """Measure both, alternating; print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path,
                        default=ROOT / "build" / "bundle" / "gui-backprop" / "gui-backprop",
                        help="the frozen executable (default: build/bundle/gui-backprop/...)")
    parser.add_argument("--source", type=Path, default=ROOT / ".venv" / "bin" / "gui-backprop",
                        help="the source run's command (default: .venv/bin/gui-backprop)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    args = parser.parse_args(argv)
    commands = {"source": [str(args.source)], "frozen": [str(args.frozen)]}
    for name, command in commands.items():
        if not Path(command[0]).is_file():
            parser.error(f"{name} command not found: {command[0]}")

    times = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="gui-backprop-startup-") as temp:
        home, png = Path(temp), Path(temp) / "window.png"
        for command in commands.values():
            time_to_png(command, home, png)  # warm-up, discarded
        for run in range(1, args.runs + 1):
            for name, command in commands.items():
                ready, exited = time_to_png(command, home, png)
                times[name].append(ready)
                print(f"run {run} {name:>6}: window ready {ready:.2f} s "
                      f"(process exited {exited:.2f} s)", flush=True)
    source, frozen = (statistics.median(times[name]) for name in ("source", "frozen"))
    ratio = frozen / source
    print(f"median source: {source:.2f} s   ({' '.join(commands['source'])})")
    print(f"median frozen: {frozen:.2f} s   ({' '.join(commands['frozen'])})")
    verdict = "within" if ratio <= GOAL else "OVER"
    print(f"frozen / source = {ratio:.2f}  ({verdict} the {GOAL:.2f} goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
