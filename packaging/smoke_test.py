"""Smoke-test the built ARTIFACTS: ``python packaging/smoke_test.py [ARTIFACT ...]``.

With no argument it tests this version's ``dist/*.tar.gz`` and ``dist/*.deb`` (and a
``.dmg`` or ``-setup.exe`` found there). Each artifact is unpacked or installed into a
fresh temporary folder (never run from ``dist/`` or the build folder), and the frozen
app runs there headless in a clean environment: the checks of the app are in
``smoke_app.py``, those of the Linux artifacts in ``smoke_linux.py`` (``.tar.gz`` and
its install script) and ``smoke_deb.py`` (the package, and dpkg's view of it).

On macOS a .dmg is attached and its .app copied out; on Windows the Inno Setup
installer installs silently into the temporary folder and is uninstalled afterwards.
(Those two run only on their own systems, in the release workflow.)

It prints one line per check and ends with ``smoke: N passed, N failed``; the exit
status is 1 if anything failed. Stdlib only: runs with any Python 3.11+.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from smoke_app import SmokeTest, namespace_works  # noqa: E402
from smoke_linux import smoke_deb, smoke_tarball  # noqa: E402


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
    # With mount namespaces each run gets a private /tmp (smoke_app.py), so the work
    # folders must lie outside /tmp: under build/, beside the artifacts' own build.
    scratch = None
    if namespace_works():
        scratch = ROOT / "build" / "smoke"
        scratch.mkdir(parents=True, exist_ok=True)
    for artifact in artifacts:
        print(f"{artifact.name}:")
        workdir = Path(tempfile.mkdtemp(prefix="gui-backprop-smoke-", dir=scratch))
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
