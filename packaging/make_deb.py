"""Turn the one-folder bundle into a Debian package with ``dpkg-deb``.

Layout of the package:

- ``/opt/gui-backprop/``: the bundle as PyInstaller made it;
- ``/usr/bin/gui-backprop``: a two-line wrapper that runs it (a wrapper, not a symlink,
  so the bundle's executable always sees its real location);
- ``/usr/share/applications/gui-backprop.desktop`` and
  ``/usr/share/icons/hicolor/scalable/apps/gui-backprop.svg``: the menu entry and icon;
- ``/usr/share/doc/gui-backprop/copyright``.

Depends lists the system libraries the bundle needs but does not hold (linux_deps.py).
Every staged folder has mode 755 and files 644 or 755, whatever the umask was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from linux_deps import debian_dependencies

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "gui-backprop"
INSTALL_DIR = f"/opt/{PACKAGE}"
MAINTAINER = os.environ.get(
    "DEB_MAINTAINER", "Backprop Lab developers <maintainers@backprop-lab.invalid>")
DESCRIPTION = """\
Learn backpropagation step by step on real PyTorch tensors
 Backprop Lab walks through the chain rule, the computational graph, the forward
 and backward passes, the weight update and zero_grad, one button press at a time.
 Every number shown comes from PyTorch's autograd. Self-contained: it bundles its
 own Python, PyTorch (CPU) and Qt."""

WRAPPER = f"""#!/bin/sh
exec {INSTALL_DIR}/{PACKAGE} "$@"
"""

COPYRIGHT = f"""\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Backprop Lab
Comment: {INSTALL_DIR} also holds Python, PyTorch, Qt (PySide6), NumPy, matplotlib,
 pyqtgraph and their libraries, each under its own licence.

Files: *
Copyright: Backprop Lab developers
License: MIT
"""


def _debian_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                          text=True, check=True).stdout.strip()


def _normalise_modes(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            path = Path(folder, name)
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & 0o111
            os.chmod(path, 0o755 if executable else 0o644)


def _installed_size_kib(root: Path) -> int:
    total = sum(path.lstat().st_size for path in root.rglob("*") if not path.is_dir())
    return (total + 1023) // 1024


def stage(bundle: Path, staging: Path) -> None:
    """Lay out the package's files under ``staging`` (replacing what was there)."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / INSTALL_DIR.lstrip("/"), symlinks=True)
    binary = staging / "usr" / "bin" / PACKAGE
    binary.parent.mkdir(parents=True)
    binary.write_text(WRAPPER)
    binary.chmod(0o755)
    share = staging / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(ROOT / "gui_backprop" / "resources" / f"{PACKAGE}.desktop", share / "applications")
    icons = share / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copy2(ROOT / "gui_backprop" / "resources" / "icons" / f"{PACKAGE}.svg", icons)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT)


def control_file(bundle: Path, version: str, architecture: str, size_kib: int) -> str:
    """The DEBIAN/control text."""
    depends, recommends = debian_dependencies(bundle)
    fields = [
        ("Package", PACKAGE),
        ("Version", version),
        ("Architecture", architecture),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(size_kib)),
        ("Depends", ", ".join(depends)),
        ("Recommends", ", ".join(recommends)),
        ("Section", "education"),
        ("Priority", "optional"),
        ("Description", DESCRIPTION),
    ]
    return "".join(f"{name}: {value}\n" for name, value in fields if value)


def make_deb(bundle: Path, version: str, dist: Path) -> Path:
    """Build ``dist/gui-backprop_VERSION_ARCH.deb`` from ``bundle``; return its path."""
    architecture = _debian_architecture()
    staging = ROOT / "build" / "deb" / f"{PACKAGE}_{version}_{architecture}"
    stage(bundle, staging)
    size_kib = _installed_size_kib(staging)
    control = staging / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(control_file(bundle, version, architecture, size_kib))
    _normalise_modes(staging)
    dist.mkdir(exist_ok=True)
    deb = dist / f"{PACKAGE}_{version}_{architecture}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging),
                    str(deb)], check=True)
    shutil.rmtree(staging)  # a second 600 MB copy of the bundle
    return deb
