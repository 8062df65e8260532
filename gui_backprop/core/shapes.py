"""Shape checks before a torch call, so that a mismatch is the learner's sentence.

Each check names the operation as the program writes it and both shapes ("W @ x: W is
2×3 but x has 2 elements"), and refuses any result larger than
:data:`~gui_backprop.core.values.MAX_ELEMENTS` before torch allocates it (a (1000, 1)
plus a (1, 1000) would broadcast to a million numbers).
"""

from __future__ import annotations

import ast

from gui_backprop.core.errors import ProgramError, error_at
from gui_backprop.core.lazy_torch import torch  # torch loads with the first traced program
from gui_backprop.core.values import MAX_ELEMENTS, shape_text


def _is(text: str, tensor: torch.Tensor) -> str:
    shape = tuple(tensor.shape)
    if len(shape) == 1:
        return f"{text} has {shape_text(shape)}"
    return f"{text} is {shape_text(shape)}"


def _check_size(shape: tuple[int, ...], what: str, node: ast.expr) -> None:
    count = 1
    for size in shape:
        count *= size
    if count > MAX_ELEMENTS:
        raise error_at(f"{what}: the result would hold {count} numbers ({shape_text(shape)}); "
                       f"a value may hold at most {MAX_ELEMENTS}", node)


def broadcast_shape(left: tuple[int, ...], right: tuple[int, ...]) -> tuple[int, ...]:
    """The shape torch's broadcasting gives ``left`` and ``right``; ``ValueError`` if they
    do not broadcast. Written out rather than ``torch.broadcast_shapes``, which imports
    torch.fx and sympy (left out of the installers: a traceback there)."""
    size = max(len(left), len(right))
    left, right = (1,) * (size - len(left)) + left, (1,) * (size - len(right)) + right
    shape = []
    for a, b in zip(left, right, strict=True):
        if a != b and 1 not in (a, b):
            raise ValueError(f"shapes {left} and {right} do not broadcast")
        shape.append(b if a == 1 else a)
    return tuple(shape)


def check_element_wise(symbol: str, left: torch.Tensor, right: torch.Tensor,
                       texts: tuple[str, str], node: ast.expr) -> None:
    """``left symbol right`` element by element: shapes equal or broadcastable, and a
    result within the element limit."""
    what = f"{texts[0]} {symbol} {texts[1]}"
    try:
        shape = broadcast_shape(tuple(left.shape), tuple(right.shape))
    except ValueError:
        if left.dim() == right.dim() == 1:
            raise error_at(f"{what}: {_is(texts[0], left)} but {_is(texts[1], right)}; "
                           "vectors combined element by element must have the same length "
                           "(different lengths)", node) from None
        raise error_at(f"{what}: {_is(texts[0], left)} but {_is(texts[1], right)}; "
                       "element by element needs equal shapes, or shapes that broadcast "
                       "(a number, or a row as long as each row)", node) from None
    _check_size(tuple(shape), what, node)


def check_matmul(left: torch.Tensor, right: torch.Tensor, texts: tuple[str, str],
                 node: ast.expr) -> None:
    """``left @ right``: vectors or matrices whose inner sizes agree."""
    what = f"{texts[0]} @ {texts[1]}"
    for tensor, text in zip((left, right), texts, strict=True):
        if tensor.dim() == 0:
            raise error_at(f"{what}: {text} is a single number; @ multiplies vectors and "
                           "matrices (use * for a number)", node)
    inner_left = left.shape[-1]
    inner_right = right.shape[0]
    if inner_left != inner_right:
        raise error_at(f"{what}: {_is(texts[0], left)} but {_is(texts[1], right)}; "
                       f"the {'columns' if left.dim() == 2 else 'elements'} of {texts[0]} "
                       f"must match the {'rows' if right.dim() == 2 else 'elements'} of "
                       f"{texts[1]}", node)
    shape = tuple(left.shape[:-1]) + tuple(right.shape[1:])
    _check_size(shape, what, node)


def check_function(name: str, args: list, texts: list[str], node: ast.expr) -> None:
    """The shapes a function of the tensor table needs (``args`` as they will be passed)."""
    first = args[0]
    what = f"{name}({', '.join(texts)})"
    if name == "transpose" and first.dim() != 2:
        raise error_at(f"{what}: {texts[0]} is {_kind(first)}; transpose needs a matrix", node)
    if name in ("sum", "mean") and len(args) == 2:
        dims = max(first.dim(), 1)
        if not -dims <= args[1] < dims:
            allowed = "0" if dims == 1 else "0 (down each column) or 1 (along each row)"
            raise error_at(f"{what}: {texts[0]} is {_kind(first)}; the dimension must be "
                           f"{allowed}", node)
    if name == "bce":
        if first.shape != args[1].shape:
            raise error_at(f"{what}: {_is(texts[0], first)} but {_is(texts[1], args[1])}; "
                           "bce needs a target for each probability", node)
        if bool(((first < 0) | (first > 1)).any()):
            raise error_at(f"{what}: {texts[0]} must be probabilities from 0 to 1 "
                           "(use sigmoid(...) on a score first)", node)
        if bool(((args[1] < 0) | (args[1] > 1)).any()):
            raise error_at(f"{what}: the targets {texts[1]} must be from 0 to 1", node)
    if name == "cross_entropy":
        check_labels(what, first, args[1], texts, node)


def _kind(tensor: torch.Tensor) -> str:
    if tensor.dim() == 0:
        return "a single number"
    if tensor.dim() == 1:
        return f"a vector of {shape_text(tuple(tensor.shape))}"
    return f"a {shape_text(tuple(tensor.shape))} matrix"


def check_labels(what: str, logits: torch.Tensor, labels: torch.Tensor, texts: list[str],
                 node: ast.expr) -> None:
    """Logits of shape (C) with one label, or (N, C) with N labels, each in 0..C-1."""
    if logits.dim() not in (1, 2):
        raise error_at(f"{what}: {texts[0]} is {_kind(logits)}; cross_entropy needs the scores "
                       "of the classes (a vector) or a batch of them (a matrix, one row each)",
                       node)
    wanted = () if logits.dim() == 1 else (logits.shape[0],)
    if tuple(labels.shape) != wanted:
        need = "one class label" if not wanted else f"{wanted[0]} class labels, one per row"
        raise error_at(f"{what}: {_is(texts[0], logits)}, so it needs {need}; "
                       f"{texts[1]} is {_kind(labels)}", node)
    classes = logits.shape[-1]
    if bool(((labels < 0) | (labels >= classes)).any()):
        raise error_at(f"{what}: a class label must be from 0 to {classes - 1} "
                       f"({texts[0]} has {classes} classes)", node)


def labels_tensor(value: torch.Tensor, text: str, node: ast.expr) -> torch.Tensor:
    """Class labels as torch wants them (whole numbers, dtype long)."""
    data = value.detach()
    if data.dim() > 1 or bool((data != torch.round(data)).any()) or bool((data < 0).any()):
        raise ProgramError(f"{text}: class labels must be whole numbers from 0 (a number or a "
                           "list of them)", getattr(node, "lineno", None),
                           getattr(node, "col_offset", -1) + 1 or None)
    return data.long()
