"""The smoke test of the ``.deb``: its metadata and layout, its app, and dpkg's view of it.

The package is extracted with ``dpkg-deb -x``; when ``unshare`` works (root), the
extracted ``/opt`` is bind-mounted over ``/opt`` in a private mount namespace (see
smoke_app.py) and the app runs through the packaged ``/usr/bin/gui-backprop`` wrapper,
exactly as after ``dpkg -i``. Checked besides the app:

- name, Depends (what ``linux_deps.py`` computes from the bundle), folder modes, the
  wrapper, the menu entry (opens ``.bplab`` files, valid), icon, MIME type, AppStream
  metainfo (``appstreamcli validate`` where installed), ``changelog.gz``, ``md5sums``;
- ``/opt`` is not in the package, and as root: ``dpkg -i`` into a scratch root
  (``dpkg --root``: its own database, an empty ``/opt`` owned by no package, as on a
  fresh system; the real system is never touched), ``dpkg --verify`` passes and
  notices a changed file, and ``dpkg -r`` removes every file but leaves ``/opt``.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

from smoke_app import SmokeTest, namespace_works

METAINFO = "usr/share/metainfo/org.backproplab.gui_backprop.metainfo.xml"


def _deb_output(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True,
                          check=True).stdout


def smoke_deb(deb: Path, workdir: Path) -> SmokeTest:
    """Check the .deb's metadata and layout, extract it, and test the app inside it."""
    from smoke_linux import check_bundle, check_desktop_entry

    root = workdir / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    fields = _deb_output("-f", str(deb), "Package", "Version", "Depends")
    listing = _deb_output("-c", str(deb)).splitlines()
    if namespace_works():
        # Run through the wrapper, with the package's /opt mounted where dpkg puts it.
        test = SmokeTest(deb.name, [str(root / "usr/bin/gui-backprop")], workdir,
                         mounts={"/opt": root / "opt"})
        how = "through /usr/bin/gui-backprop, /opt bind-mounted in a private namespace"
    else:
        test = SmokeTest(deb.name, [str(root / "opt/gui-backprop/gui-backprop")], workdir)
        how = "directly from the extracted /opt (no mount namespace here)"
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
    version = re.search(r"^Version: (\S+)$", fields, re.MULTILINE)
    test.extra_checks += [
        lambda: check_bundle(test, root / "opt/gui-backprop"),
        lambda: check_desktop_entry(test, desktop, "the menu entry"),
        lambda: check_shared_data(test, root),
        lambda: check_changelog(test, root, version.group(1) if version else "?"),
        lambda: check_dpkg(test, deb, listing),
    ]
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


def check_shared_data(test: SmokeTest, root: Path) -> None:
    """The .bplab MIME type and the AppStream metainfo are installed, and valid."""
    mime = root / "usr/share/mime/packages/gui-backprop.xml"
    text = mime.read_text() if mime.is_file() else ""
    test.check('type="application/x-backprop-lab-session"' in text
               and '<glob pattern="*.bplab"/>' in text,
               "the package installs the .bplab MIME type (share/mime/packages)")
    metainfo = root / METAINFO
    test.check(metainfo.is_file() and "<launchable type=\"desktop-id\">gui-backprop.desktop"
               in metainfo.read_text(), "the package installs AppStream metainfo "
               "(share/metainfo) launching the menu entry")
    validator = shutil.which("appstreamcli")
    if not metainfo.is_file():
        return
    if validator is None:
        test.skip("the metainfo is valid", "appstreamcli is not installed")
        return
    result = subprocess.run([validator, "validate", "--no-net", "--no-color", str(metainfo)],
                            capture_output=True, text=True)
    test.check(result.returncode == 0, "the metainfo is valid (appstreamcli validate)",
               (result.stdout + result.stderr).strip()[-800:])


def check_changelog(test: SmokeTest, root: Path, version: str) -> None:
    """``/usr/share/doc/gui-backprop/changelog.gz``: a Debian changelog of this version."""
    changelog = root / "usr/share/doc/gui-backprop/changelog.gz"
    try:
        text = gzip.decompress(changelog.read_bytes()).decode()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        test.check(False, "the package has a changelog (share/doc/gui-backprop/changelog.gz)",
                   str(exc))
        return
    first = text.splitlines()[0] if text else ""
    trailer = re.search(r"^ -- .+ <.+@.+>  \w{3}, \d{2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$",
                        text, re.MULTILINE)
    test.check(first.startswith(f"gui-backprop ({version}) ") and trailer is not None,
               f"the changelog is a Debian changelog whose entry is {version}", text[:300])


def check_dpkg(test: SmokeTest, deb: Path, listing: list[str]) -> None:
    """md5sums; /opt not owned; dpkg -i, --verify and -r in a scratch root keep /opt."""
    members = _deb_output("--info", str(deb))
    test.check(re.search(r"^\s+\d+ bytes,\s+\d+ lines\s+md5sums", members, re.MULTILINE)
               is not None, "the package has md5sums (dpkg --verify can check it)")
    test.check(not any(line.split()[-1] == "./opt/" for line in listing if line.split()),
               "the package does not own /opt itself (only /opt/gui-backprop)")
    if os.geteuid() != 0:
        test.skip("dpkg -i / --verify / -r", "needs root (dpkg into a scratch root)")
        return
    scratch = test.workdir / "dpkg-root"
    admin = scratch / "var/lib/dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (admin / name).touch()
    (scratch / "opt").mkdir()  # as on a fresh system: there, and owned by no package

    def dpkg(*args: str) -> subprocess.CompletedProcess:
        # --force-depends: the scratch root's database has none of the Depends.
        return subprocess.run(["dpkg", f"--root={scratch}", "--force-depends", *args],
                              capture_output=True, text=True, timeout=600)

    installed = dpkg("-i", str(deb))
    if not test.check(installed.returncode == 0, "dpkg -i installs it (scratch root)",
                      installed.stderr.strip()[-800:]):
        return
    verify = dpkg("--verify", "gui-backprop")
    test.check(verify.returncode == 0 and not verify.stdout.strip(),
               "dpkg --verify finds every installed file intact", verify.stdout[-800:])
    # A changed file must be noticed, or --verify checks nothing (no md5sums).
    (scratch / "usr/bin/gui-backprop").write_text("#!/bin/sh\nexit 1\n")
    verify = dpkg("--verify", "gui-backprop")
    test.check("/usr/bin/gui-backprop" in verify.stdout,
               "dpkg --verify notices a changed file", verify.stdout[-400:])
    removed = dpkg("-r", "gui-backprop")
    left = [str(path.relative_to(scratch)) for path in scratch.rglob("*")
            if not path.is_relative_to(admin) and not path.is_dir()]
    test.check(removed.returncode == 0 and not left, "dpkg -r removes every file",
               removed.stderr.strip()[-400:] + " left: " + " ".join(left[:10]))
    test.check((scratch / "opt").is_dir(), "dpkg -r leaves /opt in place")
