"""The smoke test's checks of the frozen app itself, common to every kind of artifact.

``smoke_test.py`` unpacks or installs an artifact and hands the app's command to a
:class:`SmokeTest`; :meth:`SmokeTest.check_all` then runs it headless in a clean
environment (``env -i``, a new empty HOME, ``QT_QPA_PLATFORM=offscreen``, the temporary
folder as working directory), so nothing from the checkout, a venv or the caller's
environment can help. What must hold:

- ``gui-backprop lessons`` lists the lessons (resources found inside the bundle);
- ``trace --lesson one-training-step --json``: loss 1, w.grad -2, w after the update 1.02;
- every lesson traces (exit 0, JSON with variables), through torch's autograd;
- ``--screenshot`` writes a PNG of the requested size that is not blank;
- no run leaves a ``tmp*`` folder in ``/tmp``, not even one that is killed
  (PyInstaller's matplotlib run-time hook made one at every start, removed only at a
  clean exit).

Where mount namespaces work (Linux, as root), every run of the app gets a private
``/tmp``: the work folder's ``tmp/`` is bind-mounted over it (with any mounts an
artifact asks for, such as the .deb's ``/opt``), so what the app leaves there is told
apart from what other processes on the machine do in ``/tmp`` at the same time. That
needs the work folder outside ``/tmp`` (``smoke_test.py`` puts it under ``build/``); for
a checkout inside ``/tmp``, and where there is no namespace, ``/tmp`` itself is compared
before and after each run (the artifact's mounts are still made where they can be).

Then the artifact's own checks (``extra_checks``) run. Stdlib only.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from png_check import summarise_png  # noqa: E402

SCREENSHOT_SIZE = (1100, 720)
RUN_TIMEOUT = 180
# How long a killed run may take to get past start-up (it is killed once it has).
START_TIMEOUT = 90
UI_MISSING = "No module named 'gui_backprop.ui"


def namespace_works() -> bool:
    """Whether ``unshare --mount`` works here (Linux, as root)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


# Bind-mounts "source target" pairs up to "--", then runs the rest of the arguments.
_MOUNT_SCRIPT = ('while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 125; shift 2; '
                 'done; shift; exec "$@"')


class SmokeTest:
    """Checks on one unpacked artifact; counts passes and failures."""

    def __init__(self, name: str, command: list[str], workdir: Path,
                 mounts: dict[str, Path] | None = None):
        """``command`` runs the app; ``mounts`` (target -> source) are bind-mounted for it.

        Without a mount namespace the mounts are not made: ``command`` must then work
        without them (smoke_deb.py passes the extracted app's own path in that case).
        """
        self.name, self.command, self.workdir = name, command, workdir
        self.private_tmp: Path | None = None
        if namespace_works():
            pairs = list((mounts or {}).items())
            # A work folder inside /tmp would vanish under a private /tmp (a checkout
            # under /tmp, say): then /tmp stays shared and is compared before and after.
            if not workdir.resolve().is_relative_to("/tmp"):
                self.private_tmp = workdir / "tmp"
                self.private_tmp.mkdir(mode=0o1777, exist_ok=True)
                self.private_tmp.chmod(0o1777)
                pairs.append(("/tmp", self.private_tmp))
            arguments = [str(part) for target, source in pairs for part in (source, target)]
            self.command = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            _MOUNT_SCRIPT, "sh", *arguments, "--", *command]
        self.passed = self.failed = self.skipped = 0
        self.cleanup: list[str] = []  # a command undoing an installation, if any
        # Checks of the artifact itself, run after those of the app (check_all).
        self.extra_checks: list[Callable[[], None]] = []
        self.leftovers: set[str] = set()  # temporary folders that outlived a run

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        """Record one check and print it."""
        if ok:
            self.passed += 1
            print(f"  PASS  {what}")
        else:
            self.failed += 1
            print(f"  FAIL  {what}" + (f"\n        {detail}" if detail else ""))
        return ok

    def skip(self, what: str, why: str) -> None:
        """Record a check that could not run, and say why."""
        self.skipped += 1
        print(f"  SKIP  {what}: {why}")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run the frozen app with ``args`` in a clean environment."""
        before = self.temporary_folders()
        try:
            return subprocess.run([*self.command, *args], env=clean_environment(self.workdir),
                                  cwd=self.workdir, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=RUN_TIMEOUT)
        finally:
            self.leftovers |= self.temporary_folders() - before

    def check_run(self, result: subprocess.CompletedProcess, what: str) -> bool:
        """The run exited 0 and printed no traceback."""
        problem = "Traceback" in result.stderr or "findfont" in result.stderr
        return self.check(result.returncode == 0 and not problem, what,
                          f"exit {result.returncode}; stderr: {result.stderr.strip()[-1500:]}")

    def check_all(self) -> None:
        """Every check of the frozen app."""
        lessons = self.run("lessons")
        ids = re.findall(r"^\s*\d+\.\s+(\S+)", lessons.stdout, re.MULTILINE)
        if self.check_run(lessons, "gui-backprop lessons runs"):
            self.check(len(ids) >= 7 and "one-training-step" in ids,
                       f"it lists the lessons ({len(ids)} found)", lessons.stdout[:500])
        self.check_training_step()
        for lesson in ids:
            result = self.run("trace", "--lesson", lesson, "--json")
            ok = result.returncode == 0 and "variables" in _json_or_empty(result.stdout)
            self.check(ok, f"lesson {lesson} traces", result.stderr.strip()[-800:])
        self.check_screenshot()
        where = "its private /tmp" if self.private_tmp else "/tmp"
        self.check(not self.leftovers, f"no run left a tmp* folder in {where}",
                   ", ".join(sorted(self.leftovers)))
        self.check_killed_run()
        for extra in self.extra_checks:
            extra()

    def temporary_folders(self) -> set[str]:
        """The ``tmp*`` entries (``tempfile.mkdtemp``'s names) where the app makes them.

        That is ``/tmp`` (no TMPDIR in the clean environment: the private one if any);
        on Windows, the run's own TEMP.
        """
        system_tmp = self.workdir / "temp" if os.name == "nt" else Path("/tmp")
        folder = self.private_tmp or system_tmp
        try:
            return {str(path) for path in folder.glob("tmp*")}
        except OSError:
            return set()

    def check_killed_run(self) -> None:
        """A run that is killed (no clean exit, no atexit) leaves no tmp* folder either.

        The app starts its window (offscreen) with a fresh HOME and is killed once it is
        past start-up: once the launcher has made its matplotlib cache folder, which it
        does after PyInstaller's run-time hooks ran.
        """
        environment = clean_environment(self.workdir, home_name="home-killed")
        cache = Path(environment["HOME"], ".cache", "gui-backprop", "matplotlib")
        if os.name == "nt":
            cache = Path(environment["LOCALAPPDATA"], "gui-backprop", "matplotlib")
        elif sys.platform == "darwin":
            cache = Path(environment["HOME"], "Library", "Caches", "gui-backprop", "matplotlib")
        before = self.temporary_folders()
        process = subprocess.Popen(self.command, env=environment, cwd=self.workdir,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=os.name != "nt")
        deadline = time.monotonic() + START_TIMEOUT
        while not cache.is_dir() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        started = cache.is_dir()
        time.sleep(1)
        _kill(process)
        left = self.temporary_folders() - before
        if self.check(started, "the app starts its window (then it is killed)",
                      f"exit {process.returncode}; no {cache} after {START_TIMEOUT} s"):
            self.check(not left, "a killed run leaves no tmp* folder", ", ".join(sorted(left)))

    def check_training_step(self) -> None:
        """The tutorial's numbers: loss 1, w.grad -2, w after the update 1.02."""
        result = self.run("trace", "--lesson", "one-training-step", "--json")
        if not self.check_run(result, "trace --lesson one-training-step --json runs"):
            return
        data = _json_or_empty(result.stdout)
        variables = data.get("variables", {})
        loss = variables.get("loss", {}).get("value")
        grad = variables.get("w", {}).get("grad")
        after = next((u.get("after") for u in data.get("updates", [])
                      if u.get("name") == "w"), None)
        self.check(_close(loss, 1.0), f"loss is 1 (got {loss})")
        self.check(_close(grad, -2.0), f"w.grad is -2 (got {grad})")
        self.check(_close(after, 1.02), f"w after the update is 1.02 (got {after})")

    def check_screenshot(self) -> None:
        """``--screenshot`` renders the window offscreen to a non-blank PNG."""
        png = self.workdir / "window.png"
        width, height = SCREENSHOT_SIZE
        result = self.run("--lesson", "one-training-step", "--step", "6",
                          "--screenshot", str(png), "--size", f"{width}x{height}")
        if result.returncode != 0 and UI_MISSING in result.stderr:
            self.skip("--screenshot", "this build has no window yet (gui_backprop.ui.app "
                      "is not in the bundle), so there is nothing to render")
            return
        if not self.check_run(result, "--screenshot runs"):
            return
        if not self.check(png.is_file(), "--screenshot writes the PNG"):
            return
        try:
            summary = summarise_png(png)
        except ValueError as exc:
            self.check(False, "the screenshot is a readable PNG", str(exc))
            return
        self.check((summary.width, summary.height) == SCREENSHOT_SIZE,
                   f"the screenshot is {width}x{height} (got {summary.width}x{summary.height})")
        blank = summary.blank_reason()
        self.check(blank is None, f"the screenshot is not blank ({summary.distinct_colours} "
                                  f"colours, commonest {summary.commonest_share:.0%})", blank)


def clean_environment(workdir: Path, home_name: str = "home") -> dict[str, str]:
    """What ``env -i`` plus a fresh HOME leaves: nothing from the caller's environment."""
    home = workdir / home_name
    home.mkdir(exist_ok=True)
    environment = {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    if os.name == "nt":  # Windows cannot start a process without these
        temp = workdir / "temp"
        temp.mkdir(exist_ok=True)
        environment.update(SYSTEMROOT=os.environ["SYSTEMROOT"], USERPROFILE=str(home),
                           TEMP=str(temp), TMP=str(temp), LOCALAPPDATA=str(home))
    else:
        runtime = workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        environment.update(PATH="/usr/bin:/bin", XDG_RUNTIME_DIR=str(runtime))
    return environment


def _kill(process: subprocess.Popen) -> None:
    """Kill the app at once (SIGKILL, its whole session), as a crash or logout would."""
    if process.poll() is None:
        if os.name == "nt":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def _json_or_empty(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _close(value, expected: float) -> bool:
    return isinstance(value, int | float) and math.isclose(value, expected, abs_tol=1e-9)
