"""Write a Debian binary package (``.deb``) from a staged root folder.

Why not ``dpkg-deb --build``: it archives every folder of the staged tree, ``./opt/``
included, and a package that lists ``/opt`` owns it: on a system where nothing else
does (the usual case), ``dpkg -r`` then deletes ``/opt`` once it is empty. This writer
leaves chosen folders (``unowned``) out of the data archive, so dpkg never registers
them; they must exist on the target system already (``/opt`` is a Filesystem Hierarchy
Standard folder that every Debian and Ubuntu system has).

The format is what dpkg-deb writes: an ``ar`` archive of ``debian-binary``,
``control.tar.gz`` (control, md5sums) and ``data.tar.xz`` (GNU tar, owner root/root).
``md5sums`` lists every regular file, so ``dpkg --verify`` can check an installation.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

_AR_MAGIC = b"!<arch>\n"


def md5sums(root: Path) -> str:
    """The ``md5sums`` control file: ``HASH  path`` for each regular file under ``root``."""
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        lines.append(f"{digest.hexdigest()}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def _members(root: Path, unowned: set[str]) -> list[str]:
    """``./``-prefixed paths under ``root``, parents first, without the ``unowned`` folders."""
    paths = ["./"]
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root).as_posix()
        if relative not in unowned:
            paths.append(f"./{relative}")
    return paths


def _data_archive(root: Path, unowned: set[str], out: Path) -> None:
    """``data.tar.xz`` of ``root``: the listed paths only (no recursion), xz on all cores."""
    with tempfile.NamedTemporaryFile("wb", suffix=".list", delete=False) as listing:
        listing.write(b"\0".join(os.fsencode(p) for p in _members(root, unowned)) + b"\0")
    try:
        # -C before --files-from: GNU tar applies it only to the names after it.
        subprocess.run(["tar", "--create", "--format=gnu", "--owner=root:0", "--group=root:0",
                        "--use-compress-program=xz --threads=0 -6",
                        "-f", str(out), "-C", str(root), "--no-recursion", "--null",
                        "--verbatim-files-from", f"--files-from={listing.name}"],
                       check=True)
    finally:
        os.unlink(listing.name)


def _control_archive(files: dict[str, str]) -> bytes:
    """``control.tar.gz`` holding ``files`` (name -> text), mode 644, owner root."""
    buffer = io.BytesIO()
    now = int(time.time())
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as archive:
        folder = tarfile.TarInfo("./")
        folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, now
        folder.uname = folder.gname = "root"
        archive.addfile(folder)
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"./{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, now
            info.uname = info.gname = "root"
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _ar_header(name: str, size: int) -> bytes:
    header = (f"{name:<16}{int(time.time()):<12}{0:<6}{0:<6}{0o100644:<8o}{size:<10}`\n")
    assert len(header) == 60, header
    return header.encode("ascii")


def write_deb(root: Path, control_files: dict[str, str], deb: Path,
              unowned: tuple[str, ...] = ()) -> None:
    """Write ``deb`` from the staged ``root``.

    ``control_files`` maps control-member names (``control``, ...) to their text;
    ``md5sums`` is added. ``unowned`` are folders (relative to ``root``, e.g. ``opt``)
    left out of the data archive, so the package does not own them.
    """
    control = dict(control_files, md5sums=md5sums(root))
    with tempfile.TemporaryDirectory(dir=deb.parent) as work:
        data = Path(work) / "data.tar.xz"
        _data_archive(root, set(unowned), data)
        members = [("debian-binary", b"2.0\n"), ("control.tar.gz", _control_archive(control))]
        with deb.open("wb") as out:
            out.write(_AR_MAGIC)
            for name, content in members:
                out.write(_ar_header(name, len(content)) + content)
                if len(content) % 2:
                    out.write(b"\n")
            size = data.stat().st_size
            out.write(_ar_header("data.tar.xz", size))
            with data.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    out.write(block)
            if size % 2:
                out.write(b"\n")
