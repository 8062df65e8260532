"""Hand-built iterations with matrix-valued nodes, numbers from real torch autograd.

The program language has no matrices yet on this branch (issue #14 adds them in core),
so these build the snapshot a trace of this program would give, for the canvas:

    W = [[...] 3×2]  (parameter)   x = [...] (2, data)      y = W @ x
    A = [[...] 10×10] (parameter)  T = tanh(A)              v = [...] (12, parameter)
    L = sum(y) + sum(T) + sum(v)

``docs/matrix_screenshot.py`` renders the same graph.
"""

from __future__ import annotations

import torch

from gui_backprop.core.graph import Edge, Iteration, Node, NodeKind
from gui_backprop.core.walkthrough import WalkState


def _value(t: torch.Tensor):
    if t.dim() == 0:
        return float(t)
    if t.dim() == 1:
        return tuple(float(v) for v in t)
    return tuple(tuple(float(v) for v in row) for row in t)


def matrix_iteration(size: int = 10, vector: int = 12) -> Iteration:
    """The graph above; ``size`` is the side of A, ``vector`` the length of v."""
    g = torch.Generator().manual_seed(14)
    w = torch.tensor([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]], dtype=torch.float64,
                     requires_grad=True)
    x = torch.tensor([1.5, -2.0], dtype=torch.float64)
    a = (torch.randn(size, size, generator=g, dtype=torch.float64)).requires_grad_()
    v = torch.linspace(-2.0, 3.0, vector, dtype=torch.float64).requires_grad_()
    y = w @ x
    t = torch.tanh(a)
    s_y, s_t, s_v = y.sum(), t.sum(), v.sum()
    loss = s_y + s_t + s_v
    for tensor in (y, t, s_y, s_t, s_v):
        tensor.retain_grad()
    loss.backward()

    def leaf(i, label, tensor, grad, parameter):
        return Node(i, NodeKind.LEAF, label, label, None, label, _value(tensor),
                    requires_grad=parameter, is_parameter=parameter, line=1,
                    grad=None if grad is None else _value(grad),
                    grad_attr=None if grad is None else _value(grad))

    def op(i, label, op_name, expression, tensor, grad_fn):
        return Node(i, NodeKind.OPERATION, label, label, op_name, expression,
                    _value(tensor.detach()), requires_grad=True, is_parameter=False, line=2,
                    grad_fn=grad_fn, grad=_value(tensor.grad))

    ones3 = torch.ones(3, dtype=torch.float64)
    nodes = (
        leaf(0, "W", w.detach(), w.grad, True),
        leaf(1, "x", x, None, False),
        op(2, "y", "matmul", "W @ x", y, "MvBackward0"),
        leaf(3, "A", a.detach(), a.grad, True),
        op(4, "T", "tanh", "tanh(A)", t, "TanhBackward0"),
        leaf(5, "v", v.detach(), v.grad, True),
        op(6, "a", "sum", "sum(y)", s_y, "SumBackward0"),
        op(7, "b", "sum", "sum(T)", s_t, "SumBackward0"),
        op(8, "c", "sum", "sum(v)", s_v, "SumBackward0"),
        Node(9, NodeKind.OPERATION, "L", "L", "add", "a + b + c", float(loss.detach()),
             requires_grad=True, is_parameter=False, line=3, grad_fn="AddBackward0",
             grad=1.0),
    )
    local_w = torch.outer(ones3, x)  # ∂y_i/∂W_ij = x_j
    local_a = 1 - t.detach() ** 2
    edges = (
        Edge(0, 0, 2, 0, True, _value(local_w), "x", "xᵀ (each row)", _value(w.grad)),
        Edge(1, 1, 2, 1, False),
        Edge(2, 3, 4, 0, True, _value(local_a), "1 - tanh(A)**2", "1 − tanh²(A)",
             _value(a.grad)),
        Edge(3, 2, 6, 0, True, _value(ones3), "1", "1", _value(y.grad)),
        Edge(4, 4, 7, 0, True, _value(torch.ones_like(t)), "1", "1", _value(t.grad)),
        Edge(5, 5, 8, 0, True, _value(torch.ones_like(v)), "1", "1", _value(v.grad)),
        Edge(6, 6, 9, 0, True, 1.0, "1", "1", 1.0),
        Edge(7, 7, 9, 1, True, 1.0, "1", "1", 1.0),
        Edge(8, 8, 9, 2, True, 1.0, "1", "1", 1.0),
    )
    return Iteration(index=0, nodes=nodes, edges=edges, output=9,
                     order=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), grad_before={},
                     updates=(), zero_grad=False)


def revealed_state(it: Iteration, backward: bool = True) -> WalkState:
    """Everything computed: values, and (``backward``) local gradients and gradients."""
    every_node = frozenset(n.id for n in it.nodes)
    tracked = frozenset(e.id for e in it.edges if e.tracked)
    return WalkState(
        position=1, step=None, iteration=0, values=every_node,
        local_grads=tracked if backward else frozenset(),
        grads=every_node if backward else frozenset(),
        parameters={n.name: n.value for n in it.nodes if n.is_parameter},
        grad_attrs={n.name: (n.grad_attr if backward else None)
                    for n in it.nodes if n.is_parameter})
