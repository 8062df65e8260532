"""What the frozen app leaves out, and why each exclusion is safe.

Used by ``gui-backprop.spec`` (module excludes and a filter over the collected files) and
by ``build.py`` (which large libraries to strip). Paths are destinations inside the
bundle's ``_internal/`` folder, with ``/`` separators.

The app uses: torch's eager CPU autograd, PySide6 (QtCore, QtGui, QtWidgets, QtSvg for
the SVG icon), pyqtgraph's plots, numpy, and matplotlib's mathtext only (formulas
rendered to a bitmap, no figure, no GUI backend). Everything below is something none of
those code paths imports or opens; the smoke test (``smoke_test.py``) traces every
lesson and renders the window from the frozen bundle to prove it.
"""

from __future__ import annotations

import fnmatch

# Python packages and modules never imported by the app. Each was checked: importing
# torch, PySide6, pyqtgraph and matplotlib.mathtext works without it.
EXCLUDED_MODULES = [
    # torch.compile's compiler stack: only loaded by torch.compile / torch.export, which
    # the app never calls. sympy, networkx, jinja2 and mpmath are their dependencies.
    "torch._inductor",
    "torch._dynamo",
    "sympy",
    "mpmath",
    "networkx",
    "jinja2",
    # Build tools, imported only by torch.utils.cpp_extension to compile C++ extensions.
    # Left in, PyInstaller's setuptools run-time hook imports setuptools at every start.
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
    # ONNX export and TensorBoard logging: never used.
    "torch.onnx",
    "torch.utils.tensorboard",
    # Qt's network module: the app is offline. (Its library, libQt6Network, and the
    # Kerberos libraries that links are then needed by nothing: bundle_tidy.py drops them.)
    "PySide6.QtNetwork",
    # Other GUI toolkits and interactive shells that matplotlib and pyqtgraph can use;
    # the app uses PySide6 only and renders mathtext with the Agg rasteriser.
    "tkinter",
    "_tkinter",
    "matplotlib.backends._backend_tk",
    "matplotlib.backends.backend_tkagg",
    "matplotlib.backends.backend_tkcairo",
    "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_wx",
    "matplotlib.backends.backend_wxagg",
    "matplotlib.backends.backend_gtk3",
    "matplotlib.backends.backend_gtk4",
    "IPython",
    "PyQt5",
    "PyQt6",
    "PySide2",
    # pyqtgraph's 3D views need PyOpenGL (not installed); its examples are a demo app.
    "pyqtgraph.opengl",
    "pyqtgraph.examples",
    "pyqtgraph.jupyter",
]

# Files dropped from the collected binaries and data, as (glob, why).
EXCLUDED_FILES = [
    ("torch/test/*", "C++ unit-test data of torch itself"),
    ("torch/include/*", "C/C++ headers, only for compiling extensions"),
    ("torch/share/*", "CMake files, only for compiling extensions"),
    ("torch/_inductor/*", "code templates of torch.compile (module excluded)"),
    ("torch/_dynamo/*", "data of torch.compile (module excluded)"),
    ("torch/utils/benchmark/*.cpp", "C++ benchmark templates (timeit, never used)"),
    ("torch/utils/benchmark/*.h", "C++ benchmark templates (timeit, never used)"),
    ("torch/lib/libjitbackend_test.so", "test-only library, loaded by torch's tests"),
    ("torch/lib/libtorchbind_test.so", "test-only library, loaded by torch's tests"),
    ("torch/lib/libbackend_with_compiler.so", "test-only library, loaded by torch's tests"),
    ("torch/lib/libaoti_custom_ops.so", "test-only library, loaded by torch's tests"),
    ("PySide6/Qt/translations/*", "translations of Qt's own dialogs; the app is in English"),
    ("PySide6/Qt/plugins/designer/*", "Qt Designer plugins"),
    ("PySide6/Qt/plugins/qmllint/*", "QML tooling; the app has no QML"),
    ("PySide6/Qt/plugins/qmltooling/*", "QML debugging; the app has no QML"),
    ("PySide6/Qt/plugins/sqldrivers/*", "database drivers; the app has no database"),
    ("PySide6/Qt/plugins/networkinformation/*", "network status; the app is offline"),
    ("PySide6/Qt/plugins/tls/*", "TLS back ends; the app is offline"),
    # Platforms for devices without a window system (kiosks, embedded boards) and their
    # input plugins; a desktop app runs on xcb (X11) or wayland. (Qt's EglFS libraries,
    # which only these plugins load, go with them: see bundle_tidy.py.)
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/platforms/libqminimalegl.so", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/egldeviceintegrations/*", "platform for devices without a desktop"),
    ("PySide6/Qt/plugins/generic/*", "platform for devices without a desktop"),
    # The GTK 3 theme plugin loads the system's GTK, which would then run against the
    # bundle's copies of GLib, Pango and Cairo from the build machine: a version mismatch
    # waiting to happen. Without it Qt draws its own (Fusion) style, which the app uses
    # anyway. The libraries PyInstaller collected for it (GTK, GDK, ATK, Cairo, X
    # libraries...) are then needed by nothing, and bundle_tidy.py deletes them with
    # every other such library after the build: no list of them is kept here.
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "GTK 3 theme plugin (see above)"),
    ("matplotlib/mpl-data/sample_data/*", "example data sets for matplotlib's docs"),
    ("matplotlib/mpl-data/images/*", "toolbar icons of matplotlib's GUI backends"),
    ("matplotlib/mpl-data/plot_directive/*", "Sphinx extension templates"),
    ("matplotlib/mpl-data/fonts/afm/*", "Type 1 metrics, used only by the PS/PDF backends"),
    ("matplotlib/mpl-data/fonts/pdfcorefonts/*", "PDF core fonts, PS/PDF backends only"),
]

# PyInstaller run-time hooks left out of the app (see gui-backprop.spec): matplotlib's
# makes a temporary MPLCONFIGDIR at every start that only a clean exit removes, and
# launcher.py gives matplotlib a lasting cache folder instead.
RUNTIME_HOOKS_LEFT_OUT = {"pyi_rth_mplconfig"}

# torch/bin holds test programs and protoc; only torch_shm_manager is needed (torch
# checks for it at import and fails without it).
_TORCH_BIN_KEPT = {"torch/bin/torch_shm_manager"}

# Large libraries that carry symbol tables the app never needs. Stripped after the build
# (not with the spec's strip=True, which breaks numpy's bundled OpenBLAS).
STRIPPED_LIBRARIES = [
    "torch/lib/libtorch_cpu.so",
    "torch/lib/libtorch_python.so",
    "torch/lib/libc10.so",
]


def excluded_because(dest: str) -> str | None:
    """Why the file at bundle path ``dest`` is left out, or None to keep it."""
    dest = dest.replace("\\", "/")
    if dest.startswith("torch/bin/") and dest not in _TORCH_BIN_KEPT:
        return "torch's test programs and protoc"
    for pattern, why in EXCLUDED_FILES:
        if fnmatch.fnmatchcase(dest, pattern):
            return why
    return None


def filter_toc(toc: list) -> tuple[list, dict[str, int]]:
    """``toc`` without the excluded entries, and how many were dropped for each reason."""
    kept, dropped = [], {}
    for entry in toc:
        why = excluded_because(entry[0])
        if why is None:
            kept.append(entry)
        else:
            dropped[why] = dropped.get(why, 0) + 1
    return kept, dropped
