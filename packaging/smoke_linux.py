"""The smoke test's Linux artifacts: the ``.tar.gz`` and the ``.deb``.

Each is unpacked into a fresh temporary folder and its app handed to a
:class:`smoke_app.SmokeTest`; the checks of the artifact itself are added as that
test's ``extra_checks``:

- both: the bundle holds no library that nothing in it needs (``bundle_tidy.py``) and
  no RUNPATH naming a folder of the build machine;
- ``.tar.gz``: ``install.sh`` puts a valid menu entry (which runs this app and opens
  ``.bplab`` files), the icon, the MIME type and a ``gui-backprop`` command into a
  fresh HOME, and ``install.sh --uninstall`` takes them out again;
- ``.deb``: see ``smoke_deb.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from smoke_app import SmokeTest, clean_environment
from smoke_deb import smoke_deb

__all__ = ["smoke_deb", "smoke_tarball", "check_bundle", "check_desktop_entry"]


def smoke_tarball(tarball: Path, workdir: Path) -> SmokeTest:
    """Unpack the .tar.gz and test the app inside it, then its install script.

    The folder is unpacked under a name with a space, a quote and a dollar sign, so the
    install script's quoting is tested as well as the app's finding its own files.
    """
    parent = workdir / "Backprop Lab's $apps"
    parent.mkdir()
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(parent)], check=True)
    folder = parent / "gui-backprop"
    app = folder / "gui-backprop"
    test = SmokeTest(tarball.name, [str(app)], workdir)
    test.check(app.is_file(), "the archive holds gui-backprop/gui-backprop")
    test.extra_checks += [lambda: check_bundle(test, folder),
                          lambda: check_install_script(test, folder)]
    return test


def check_bundle(test: SmokeTest, bundle: Path) -> None:
    """No unneeded library and no build-machine RUNPATH in the unpacked ``bundle``."""
    if shutil.which("readelf") is None:
        test.skip("the bundle's libraries", "readelf (binutils) is not installed")
        return
    from bundle_tidy import foreign_runpaths, unneeded_libraries

    bundle = bundle.resolve()
    unneeded = [path.relative_to(bundle).as_posix() for path in unneeded_libraries(bundle)]
    test.check(not unneeded, "every bundled library is needed by something kept",
               " ".join(unneeded[:20]))
    foreign = foreign_runpaths(bundle)
    test.check(not foreign, "no RUNPATH names a folder of the build machine",
               "; ".join(f"{file}: {':'.join(paths)}" for file, paths in
                         list(foreign.items())[:5]))


def check_desktop_entry(test: SmokeTest, entry: Path, what: str) -> str:
    """The .desktop file opens files (``%f``) of the .bplab MIME type and is valid."""
    text = entry.read_text() if entry.is_file() else ""
    exec_line = next((line for line in text.splitlines() if line.startswith("Exec=")), "")
    test.check(exec_line.endswith(" %f"), f"{what} passes the opened file (Exec ... %f)",
               exec_line or "no Exec line")
    test.check("MimeType=application/x-backprop-lab-session;" in text,
               f"{what} declares the .bplab MIME type")
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        test.skip(f"{what} is valid", "desktop-file-validate is not installed")
    else:
        result = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        problems = (result.stdout + result.stderr).strip()
        test.check(result.returncode == 0 and not problems, f"{what} is valid "
                   "(desktop-file-validate)", problems)
    return exec_line


def desktop_exec_arguments(value: str) -> list[str]:
    """An ``Exec`` value split into arguments, as the Desktop Entry spec reads it.

    First the string escape (``\\\\`` is one backslash), then the Exec quoting: inside
    double quotes a backslash escapes ``"`` `` ` `` ``$`` and ``\\``; ``%%`` is ``%``.
    """
    text = value.replace("\\\\", "\\")
    arguments, current, quoted, index = [], "", False, 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and index + 1 < len(text):
            index += 1
            current += text[index]
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            if current:
                arguments.append(current)
            current = ""
        else:
            current += char
        index += 1
    if current:
        arguments.append(current)
    return [argument.replace("%%", "%") for argument in arguments]


def check_install_script(test: SmokeTest, folder: Path) -> None:
    """``install.sh`` adds the menu entry, icon, MIME type and command; --uninstall removes them."""
    script = folder / "install.sh"
    if not test.check(script.is_file() and os.access(script, os.X_OK),
                      "the archive holds an executable gui-backprop/install.sh"):
        return
    environment = clean_environment(test.workdir, home_name="home-install")
    home = Path(environment["HOME"])
    data = home / ".local" / "share"
    installed = {
        "menu entry": data / "applications" / "gui-backprop.desktop",
        "icon": data / "icons" / "hicolor" / "scalable" / "apps" / "gui-backprop.svg",
        "MIME type": data / "mime" / "packages" / "gui-backprop.xml",
        "command": home / ".local" / "bin" / "gui-backprop",
    }
    result = subprocess.run([str(script)], env=environment, cwd=test.workdir,
                            capture_output=True, text=True)
    if not test.check(result.returncode == 0, "install.sh runs",
                      (result.stdout + result.stderr).strip()[-800:]):
        return
    missing = [name for name, path in installed.items() if not path.is_file()]
    test.check(not missing, "install.sh puts the menu entry, icon, MIME type and command "
                            "in the user's home", "missing: " + ", ".join(missing))
    exec_line = check_desktop_entry(test, installed["menu entry"], "the user's menu entry")
    argv = desktop_exec_arguments(exec_line.removeprefix("Exec="))
    runs = argv[:1] == [str(folder / "gui-backprop")] and argv[1:] == ["%f"]
    test.check(runs, "the menu entry runs this folder's gui-backprop", exec_line)
    command = subprocess.run([str(installed["command"]), "lessons"], env=environment,
                             cwd=test.workdir, capture_output=True, text=True, timeout=180)
    test.check(command.returncode == 0 and "one-training-step" in command.stdout,
               "~/.local/bin/gui-backprop runs the app", command.stderr.strip()[-800:])
    result = subprocess.run([str(script), "--uninstall"], env=environment,
                            cwd=test.workdir, capture_output=True, text=True)
    left = [name for name, path in installed.items() if path.exists()]
    test.check(result.returncode == 0 and not left, "install.sh --uninstall removes them",
               (result.stdout + result.stderr).strip()[-400:] + " left: " + ", ".join(left))
