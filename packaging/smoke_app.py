"""Smoke-test the built ARTIFACTS: ``python packaging/smoke_test.py [ARTIFACT ...]``.

With no argument it tests this version's ``dist/*.tar.gz`` and ``dist/*.deb``. Each
artifact is unpacked into a fresh temporary folder (never run from ``dist/`` or the
build folder), and the frozen app runs there headless in a clean environment: ``env -i``,
a new empty HOME, ``QT_QPA_PLATFORM=offscreen``, the temporary folder as working
directory, so nothing from the checkout, a venv or the caller's environment can help.

On macOS a .dmg is attached and its .app copied out; on Windows the Inno Setup
installer installs silently into the temporary folder and is uninstalled afterwards.
(Those two run only on their own systems, in the release workflow.)

The .deb is extracted with ``dpkg-deb -x``; when ``unshare`` works (root), the extracted
``/opt`` is bind-mounted over ``/opt`` in a private mount namespace and the app runs
through the installed ``/usr/bin/gui-backprop`` wrapper, exactly as after ``dpkg -i``,
without touching the system. The package's metadata and layout are checked too.

What must hold, for each artifact:
- ``gui-backprop lessons`` lists the lessons (resources found inside the bundle);
- ``trace --lesson one-training-step --json``: loss 1, w.grad -2, w after the update 1.02;
- every lesson traces (exit 0, JSON with variables), through torch's autograd;
- ``--screenshot`` writes a PNG of the requested size that is not blank.
Stdlib only: runs with any Python 3.11+.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from png_check import summarise_png  # noqa: E402

SCREENSHOT_SIZE = (1100, 720)
RUN_TIMEOUT = 180
UI_MISSING = "No module named 'gui_backprop.ui"


class SmokeTest:
    """Checks on one unpacked artifact; counts passes and failures."""

    def __init__(self, name: str, command: list[str], workdir: Path):
        self.name, self.command, self.workdir = name, command, workdir
        self.passed = self.failed = self.skipped = 0
        self.cleanup: list[str] = []  # a command undoing an installation, if any

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
        return subprocess.run([*self.command, *args], env=clean_environment(self.workdir),
                              cwd=self.workdir, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=RUN_TIMEOUT)

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


def clean_environment(workdir: Path) -> dict[str, str]:
    """What ``env -i`` plus a fresh HOME leaves: nothing from the caller's environment."""
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    environment = {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    if os.name == "nt":  # Windows cannot start a process without these
        environment.update(SYSTEMROOT=os.environ["SYSTEMROOT"], USERPROFILE=str(home),
                           TEMP=str(home), TMP=str(home))
    else:
        runtime = workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        environment.update(PATH="/usr/bin:/bin", XDG_RUNTIME_DIR=str(runtime))
    return environment


def _json_or_empty(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _close(value, expected: float) -> bool:
    return isinstance(value, int | float) and math.isclose(value, expected, abs_tol=1e-9)


def smoke_tarball(tarball: Path, workdir: Path) -> SmokeTest:
    """Unpack the .tar.gz and test the app inside it."""
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(workdir)], check=True)
    app = workdir / "gui-backprop" / "gui-backprop"
    test = SmokeTest(tarball.name, [str(app)], workdir)
    test.check(app.is_file(), "the archive holds gui-backprop/gui-backprop")
    return test


def _namespace_works() -> bool:
    try:
        probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def smoke_deb(deb: Path, workdir: Path) -> SmokeTest:
    """Check the .deb's metadata and layout, extract it, and test the app inside it."""
    root = workdir / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    if _namespace_works():
        # Run through the wrapper, with the package's /opt mounted where dpkg puts it.
        mount = 'mount --bind "$1" /opt && shift && exec "$@"'
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", mount,
                   "sh", str(root / "opt"), str(root / "usr/bin/gui-backprop")]
        how = "through /usr/bin/gui-backprop, /opt bind-mounted in a private namespace"
    else:
        command = [str(root / "opt/gui-backprop/gui-backprop")]
        how = "directly from the extracted /opt (no mount namespace here)"
    test = SmokeTest(deb.name, command, workdir)
    print(f"  (running the app {how})")
    test.check("Package: gui-backprop" in fields, "the package is named gui-backprop")
    check_depends(test, fields, root / "opt/gui-backprop")
    bad_dirs = [line for line in listing if line.startswith("d") and
                not line.startswith("drwxr-xr-x root/root")]
    test.check(not bad_dirs, "every folder is drwxr-xr-x root/root", "\n".join(bad_dirs[:5]))
    wrapper = root / "usr/bin/gui-backprop"
    test.check(wrapper.is_file() and "/opt/gui-backprop/gui-backprop" in wrapper.read_text()
               and (root / "opt/gui-backprop/gui-backprop").is_file(),
               "/usr/bin/gui-backprop runs /opt/gui-backprop/gui-backprop")
    desktop = root / "usr/share/applications/gui-backprop.desktop"
    entry = desktop.read_text() if desktop.is_file() else ""
    test.check("Exec=gui-backprop" in entry and "Icon=gui-backprop" in entry,
               "the menu entry runs gui-backprop with its icon")
    test.check((root / "usr/share/icons/hicolor/scalable/apps/gui-backprop.svg").is_file(),
               "the icon is in the hicolor theme")
    return test


def check_depends(test: SmokeTest, fields: str, bundle: Path) -> None:
    """Depends names every system library the bundle needs and lacks (xcb, GL, glibc)."""
    if shutil.which("readelf") is None:
        test.skip("Depends matches the bundle", "readelf (binutils) is not installed")
        return
    from linux_deps import debian_dependencies

    declared = re.search(r"^Depends: (.*)$", fields, re.MULTILINE)
    needed, _ = debian_dependencies(bundle)
    test.check(declared is not None and declared.group(1) == ", ".join(needed)
               and "libxcb1" in needed,
               "Depends lists the system libraries the bundle needs (xcb, GL, glibc)",
               f"declared: {declared.group(1) if declared else None}\n"
               f"        needed:   {', '.join(needed)}")


def smoke_dmg(dmg: Path, workdir: Path) -> SmokeTest:
    """macOS: copy the .app out of the disk image and test the app inside it."""
    volume = workdir / "volume"
    subprocess.run(["hdiutil", "attach", "-nobrowse", "-readonly", "-mountpoint",
                    str(volume), str(dmg)], check=True)
    try:
        bundles = sorted(volume.glob("*.app"))
        for bundle in bundles:
            shutil.copytree(bundle, workdir / bundle.name, symlinks=True)
    finally:
        subprocess.run(["hdiutil", "detach", str(volume)], check=True)
    app = workdir / (bundles[0].name if bundles else "missing.app") / "Contents/MacOS/gui-backprop"
    test = SmokeTest(dmg.name, [str(app)], workdir)
    test.check(app.is_file(), "the disk image holds an .app with the gui-backprop executable")
    return test


def smoke_setup_exe(setup: Path, workdir: Path) -> SmokeTest:
    """Windows: install silently into a temporary folder, test, then uninstall."""
    target = workdir / "installed"
    subprocess.run([str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                    "/CURRENTUSER", f"/DIR={target}"], check=True, timeout=900)
    app = target / "gui-backprop.exe"
    test = SmokeTest(setup.name, [str(app)], workdir)
    test.cleanup = [str(target / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES"]
    test.check(app.is_file(), "the installer put gui-backprop.exe in place")
    return test


SMOKERS = {".tar.gz": smoke_tarball, ".deb": smoke_deb, ".dmg": smoke_dmg,
           "-setup.exe": smoke_setup_exe}


def default_artifacts() -> list[Path]:
    """This version's .tar.gz and .deb in dist/."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    dist = ROOT / "dist"
    return [path for pattern in (f"gui-backprop-{version}-*.tar.gz",
                                 f"gui-backprop_{version}_*.deb",
                                 f"gui-backprop-{version}-*.dmg",
                                 f"gui-backprop-{version}-*-setup.exe")
            for path in sorted(dist.glob(pattern))]


def main(argv: list[str] | None = None) -> int:
    """Test each artifact; exit 1 if any check failed or no artifact was found."""
    parser = argparse.ArgumentParser(description="Smoke-test the built installers.")
    parser.add_argument("artifacts", nargs="*", type=Path,
                        help=".tar.gz or .deb files (default: this version's in dist/)")
    args = parser.parse_args(argv)
    artifacts = args.artifacts or default_artifacts()
    if not artifacts:
        print("smoke test: no artifact found; build them first with `make package`")
        return 1
    passed = failed = skipped = 0
    for artifact in artifacts:
        print(f"{artifact.name}:")
        workdir = Path(tempfile.mkdtemp(prefix="gui-backprop-smoke-"))
        smoker = next((smoke for ending, smoke in SMOKERS.items()
                       if artifact.name.endswith(ending)), None)
        if smoker is None:
            print(f"  FAIL  unknown kind of artifact: {artifact}")
            failed += 1
            continue
        try:
            test = smoker(artifact.resolve(), workdir)
            try:
                test.check_all()
            finally:
                if test.cleanup:
                    subprocess.run(test.cleanup, check=False, timeout=600)
            passed, failed, skipped = (passed + test.passed, failed + test.failed,
                                       skipped + test.skipped)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"smoke: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped
                                                         else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
