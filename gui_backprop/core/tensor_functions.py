"""The tensor operations of the program language and their rules with shapes.

``@``, ``transpose``, ``softmax``, ``log_softmax``, ``cross_entropy`` and ``bce`` are not
element-wise, so a single "local gradient" number per element would mislead. Their
edges carry what the operation's own ``grad_fn`` hands back (the vector-Jacobian
product: the edge's contribution) and a *rule* written two ways: in program syntax
over the operands and ``upstream`` (the gradient arriving at the operation's result),
which the tests evaluate and compare with autograd; and for the learner, with shapes
(``∂L/∂y · xᵀ (2×1 · 1×3 = 2×3)``). Every number on screen still comes from autograd.

:data:`LABEL_FUNCTIONS` (``outer``, ``rowsum``, ``onehot``) exist only inside these
rules, never in a learner's program.
"""

from __future__ import annotations

# torch loads on the first call (see lazy_torch): the parser needs only the table
from gui_backprop.core.lazy_torch import TorchFunction, torch
from gui_backprop.core.operation import COUNT, LABELS, TENSOR, Operation, make_operation

_CROSS_ENTROPY = TorchFunction("nn.functional.cross_entropy")
_BCE = TorchFunction("nn.functional.binary_cross_entropy")

UPSTREAM = "upstream"
"""The name a vector-Jacobian rule gives the gradient arriving at the operation's result."""


def _transpose(a: torch.Tensor) -> torch.Tensor:
    return torch.transpose(a, 0, 1)


def _softmax(v: torch.Tensor) -> torch.Tensor:
    return torch.softmax(v, -1)


def _log_softmax(v: torch.Tensor) -> torch.Tensor:
    return torch.log_softmax(v, -1)


MATMUL = make_operation("matmul", torch.matmul, "matrix product", "", "", symbol="@",
                        arguments=(TENSOR, TENSOR), vector_jacobian=True)

TENSOR_FUNCTIONS: dict[str, Operation] = {
    "transpose": make_operation("transpose", _transpose, "transpose (rows become columns)",
                                "", vector_jacobian=True),
    "softmax": make_operation("softmax", _softmax, "softmax over the last dimension", "",
                              vector_jacobian=True),
    "log_softmax": make_operation("log_softmax", _log_softmax,
                                  "log of the softmax over the last dimension", "",
                                  vector_jacobian=True),
    "cross_entropy": make_operation("cross_entropy", _CROSS_ENTROPY,
                                    "cross-entropy of logits and class labels (mean)", "", "",
                                    arguments=(TENSOR, LABELS), vector_jacobian=True),
    "bce": make_operation("binary_cross_entropy", _BCE,
                          "binary cross-entropy of probabilities and targets (mean)", "", "",
                          arguments=(TENSOR, TENSOR), vector_jacobian=True),
}
"""The tensor functions by the name a program writes (``bce`` is torch's
``binary_cross_entropy``)."""


def _rowsum(x: torch.Tensor) -> torch.Tensor:
    return torch.sum(x, -1, keepdim=True)


def _onehot(labels: torch.Tensor, count: int) -> torch.Tensor:
    return torch.nn.functional.one_hot(labels, count).to(torch.float64)


LABEL_FUNCTIONS: dict[str, Operation] = {
    "outer": make_operation("outer", torch.outer, "outer product", "",
                            arguments=(TENSOR, TENSOR)),
    "rowsum": make_operation("rowsum", _rowsum, "sum over the last dimension, kept", ""),
    "onehot": make_operation("onehot", _onehot, "one-hot rows of class labels", "",
                             arguments=(LABELS, COUNT)),
}
"""Functions that only the rules of this module use (evaluated by the tests)."""


def _dims(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape) if shape else "1"


def _column(shape: tuple[int, ...]) -> str:
    return f"{shape[0]}×1"


def _row(shape: tuple[int, ...]) -> str:
    return f"1×{shape[0]}"


def vector_jacobian_rule(op: str, position: int, operands: list[str], shown: list[str],
                         shapes: list[tuple[int, ...]], out: str, out_shown: str,
                         loss: str) -> tuple[str, str]:
    """The rule for what operand ``position`` of ``op`` receives: ``(checkable, shown)``.

    ``operands`` are written in program syntax (every digit), ``shown`` as the learner
    reads them; ``out`` is the result in program syntax and ``loss`` the name of what is
    differentiated. The checkable form is over :data:`UPSTREAM`; the shown form writes
    it ``∂L/∂y`` and ends with the shapes.
    """
    g = f"∂{loss}/∂{out_shown}"
    times = "" if out_shown == loss else f" · {g}"  # ∂L/∂L = 1
    a, b = (operands + [""])[:2]
    sa, sb = (shown + [""])[:2]
    if op == "matmul":
        return _matmul_rule(position, a, b, sa, sb, shapes, g)
    if op == "transpose":
        rows, columns = shapes[0]
        return (f"transpose({UPSTREAM})",
                f"({g})ᵀ ({columns}×{rows} → {rows}×{columns})")
    if op == "softmax":
        return (f"{out} * ({UPSTREAM} - rowsum({UPSTREAM} * {out}))",
                f"{out_shown} ⊙ ({g} − Σ {g} ⊙ {out_shown}) (Σ over each row; "
                f"{_dims(shapes[0])})")
    if op == "log_softmax":
        return (f"{UPSTREAM} - exp({out}) * rowsum({UPSTREAM})",
                f"{g} − softmax({sa}) · Σ {g} (Σ over each row; {_dims(shapes[0])})")
    if op == "cross_entropy":
        classes = shapes[0][-1]
        batch = shapes[0][0] if len(shapes[0]) == 2 else 1
        over = f" / {batch}" if batch > 1 else ""
        return (f"{UPSTREAM} * (softmax({a}) - onehot({b}, {classes})){over}",
                f"(softmax({sa}) − onehot({sb})){over}{times} ({_dims(shapes[0])}: "
                "probabilities minus one at each true class)")
    if op == "binary_cross_entropy":
        n = 1
        for size in shapes[0]:
            n *= size
        over = f" / {n}" if n > 1 else ""
        if position == 0:
            return (f"{UPSTREAM} * ({a} - {b}) / ({a} * (1 - {a})){over}",
                    f"({sa} − {sb}) / ({sa}(1 − {sa})){over}{times}")
        return (f"{UPSTREAM} * (log(1 - {a}) - log({a})){over}",
                f"(log(1 − {sa}) − log({sa})){over}{times}")
    raise KeyError(op)


def _matmul_rule(position, a, b, sa, sb, shapes, g) -> tuple[str, str]:
    left, right = shapes
    if len(left) == 2 and len(right) == 2:  # MmBackward0
        m, k = left
        n = right[1]
        if position == 0:
            return (f"{UPSTREAM} @ transpose({b})",
                    f"{g} · {sb}ᵀ ({m}×{n} · {n}×{k} = {m}×{k})")
        return (f"transpose({a}) @ {UPSTREAM}", f"{sa}ᵀ · {g} ({k}×{m} · {m}×{n} = {k}×{n})")
    if len(left) == 2:  # MvBackward0: y = W @ x
        m, n = left
        if position == 0:
            return (f"outer({UPSTREAM}, {b})",
                    f"{g} · {sb}ᵀ ({m}×1 · 1×{n} = {m}×{n})")
        return (f"transpose({a}) @ {UPSTREAM}", f"{sa}ᵀ · {g} ({n}×{m} · {m} = {n})")
    if len(right) == 2:  # x @ W: torch records SqueezeBackward4 over MmBackward0
        k, n = right
        if position == 0:
            return (f"{b} @ {UPSTREAM}", f"{sb} · {g} ({k}×{n} · {n} = {k})")
        return (f"outer({a}, {UPSTREAM})", f"{sa} · {g}ᵀ ({k}×1 · 1×{n} = {k}×{n})")
    other = b if position == 0 else a  # DotBackward0
    other_shown = sb if position == 0 else sa
    return (f"{UPSTREAM} * {other}", f"{g} · {other_shown} ({left[0]} elements)")


def shape_check(op: str, position: int, names: list[str], shapes: list[tuple[int, ...]],
                out_shape: tuple[int, ...]) -> str | None:
    """Why the gradient an ``@`` sends to matrix operand ``position`` has that operand's
    shape (``None`` for other operations and for vectors): a sentence for a backward
    step, with ``names`` the two operands as the learner reads them and δ the gradient
    arriving at the product."""
    if op != "matmul" or len(shapes[position]) < 2:
        return None
    (left, right), (a, b) = shapes, names
    if len(left) == 2 and len(right) == 2:
        why = (f"δ ({_dims(out_shape)}) times {b}ᵀ ({right[1]}×{right[0]})" if position == 0
               else f"{a}ᵀ ({left[1]}×{left[0]}) times δ ({_dims(out_shape)})")
    elif position == 0:  # W @ x
        why = f"δ ({out_shape[0]}) times {b}ᵀ ({_row(right)})"
    else:  # x @ W
        why = f"{a} ({_column(left)}) times δᵀ ({_row(out_shape)})"
    source = names[position]
    return f"{source}.grad has {source}'s shape, {_dims(shapes[position])}: {why}."
