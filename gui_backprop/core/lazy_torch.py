"""torch's functions by name, imported on first use: the operation table
(``functions.py``) names them, and the parser, the lesson files and ``gui-backprop
lessons`` read that table without ever calling torch.

``import torch`` takes about two seconds; the window paints its lessons before that
(issue 13), so nothing the lesson list needs may import it. Once torch is imported,
``torch.NAME`` here is torch's own object; before, it is a :class:`TorchFunction` that
imports torch when called. :func:`real` gives torch's own function for hot loops.
"""

from __future__ import annotations

import importlib
import sys


class TorchFunction:
    """``torch.NAME``, imported on the first call."""

    __slots__ = ("__name__", "_function")

    def __init__(self, name: str):
        self.__name__ = name
        self._function = None

    def resolve(self):
        """torch's own function (torch is imported now if it was not)."""
        if self._function is None:
            found = importlib.import_module("torch")
            for part in self.__name__.split("."):  # such as nn.functional.cross_entropy
                found = getattr(found, part)
            self._function = found
        return self._function

    def __call__(self, *args, **kwargs):
        """Call torch's function (importing torch the first time)."""
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<torch.{self.__name__}, imported on first use>"


class _LazyTorch:
    """Stands for the ``torch`` module in modules that only name its functions."""

    def __getattr__(self, name: str):
        module = sys.modules.get("torch")
        if module is not None:
            return getattr(module, name)
        if name.startswith("_"):
            raise AttributeError(name)
        return TorchFunction(name)


torch = _LazyTorch()


def real(function):
    """torch's own function for ``function`` (a :class:`TorchFunction` or not)."""
    return function.resolve() if isinstance(function, TorchFunction) else function
