"""Immutable snapshots of a traced program: nodes, edges, iterations.

Everything here is plain data (floats, tuples, strings) copied out of torch tensors;
no live tensor is kept, so a snapshot can cross threads and be rendered at leisure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from gui_backprop.core.program import Program
from gui_backprop.core.values import Value, value_shape


class NodeKind(StrEnum):
    """What a node of the graph is."""

    LEAF = "leaf"
    CONSTANT = "constant"
    OPERATION = "op"


@dataclass(frozen=True)
class Node:
    """A value in the graph: a leaf, a constant or the result of an operation.

    ``grad`` is d(output)/d(node) from this iteration's backward pass (``None`` where
    autograd does not track the node). For a leaf, ``grad_attr`` is its ``.grad``
    after the backward pass, which also holds what earlier passes left there.
    ``note`` and ``grad_note`` say why the value or the gradient is nan or infinite.
    ``dim`` is the dimension a ``sum(x, dim)`` or ``mean(x, dim)`` reduced over (as the
    program wrote it; ``None`` for a full reduction and every other operation).
    """

    id: int
    kind: NodeKind
    label: str
    name: str | None
    op: str | None
    expression: str
    value: Value
    requires_grad: bool
    is_parameter: bool
    line: int | None
    statement: int | None = None
    grad_fn: str | None = None
    grad: Value | None = None
    grad_attr: Value | None = None
    note: str | None = None
    grad_note: str | None = None
    dim: int | None = None

    @property
    def is_vector(self) -> bool:
        """True when the value has more than a single number (a vector or a matrix)."""
        return isinstance(self.value, tuple)

    @property
    def shape(self) -> tuple[int, ...]:
        """The value's shape: ``()``, ``(n,)`` or ``(rows, columns)``."""
        return value_shape(self.value)


@dataclass(frozen=True)
class Edge:
    """An input of an operation: ``source`` feeds operand ``position`` of ``target``.

    ``local_grad`` is d(target)/d(source) from autograd (the Jacobian's diagonal for
    element-wise operations, a row for reductions, a column for a broadcast scalar).
    ``contribution`` is the gradient this edge carried back in the backward pass,
    captured by a hook on the target's ``grad_fn`` node. ``derivative`` is the
    symbolic label in program syntax (checked against autograd by the tests) and
    ``derivative_shown`` the same for a learner's eyes.

    A ``vector_jacobian`` edge enters an operation that is not element-wise (``@``,
    ``transpose``, ``softmax``, ``log_softmax``, ``cross_entropy``, ``bce``): its
    ``local_grad`` is the vector-Jacobian product the operation's ``grad_fn`` returned
    (equal to ``contribution``, the operand's shape; ``None`` when the output does not
    depend on the operation), ``derivative`` is that product in program syntax over
    ``upstream`` (the gradient arriving at the target) and ``derivative_shown`` is the
    rule with shapes, ``∂L/∂y · xᵀ (2×1 · 1×3 = 2×3)``. Values may be matrices
    (see :data:`~gui_backprop.core.values.Value`).
    """

    id: int
    source: int
    target: int
    position: int
    tracked: bool
    local_grad: Value | None = None
    derivative: str | None = None
    derivative_shown: str | None = None
    contribution: Value | None = None
    vector_jacobian: bool = False


@dataclass(frozen=True)
class ParameterUpdate:
    """What ``w -= lr * w.grad`` and ``w.grad.zero_()`` did to one parameter.

    When ``grad`` held gradients of earlier passes too (nobody zeroed it),
    ``pass_grad`` is this pass's own gradient and ``after_if_zeroed`` the value the
    update would have given with it: what zeroing would have made right.
    """

    name: str
    before: Value
    grad: Value
    after: Value
    grad_after_zero: Value | None
    pass_grad: Value | None = None
    after_if_zeroed: Value | None = None


@dataclass(frozen=True)
class Iteration:
    """One forward pass, backward pass, update and (optionally) zero-grad."""

    index: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    output: int
    order: tuple[int, ...]
    grad_before: dict[str, Value | None]
    updates: tuple[ParameterUpdate, ...]
    zero_grad: bool

    def node(self, node_id: int) -> Node:
        """The node with id ``node_id``."""
        return self.nodes[node_id]

    def node_named(self, name: str) -> Node:
        """The node assigned to variable ``name``."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    def inputs_of(self, node_id: int) -> tuple[Edge, ...]:
        """Edges into ``node_id``, by operand position."""
        return self._edges_by_node[0].get(node_id, ())

    def uses_of(self, node_id: int) -> tuple[Edge, ...]:
        """Edges out of ``node_id``: every place its value is used."""
        return self._edges_by_node[1].get(node_id, ())

    @cached_property
    def _edges_by_node(self) -> tuple[dict[int, tuple[Edge, ...]], dict[int, tuple[Edge, ...]]]:
        """Edges by target and by source, built once: a big graph asks per node."""
        inputs: dict[int, list[Edge]] = {}
        uses: dict[int, list[Edge]] = {}
        for edge in self.edges:
            inputs.setdefault(edge.target, []).append(edge)
            uses.setdefault(edge.source, []).append(edge)
        return ({k: tuple(v) for k, v in inputs.items()}, {k: tuple(v) for k, v in uses.items()})

    @property
    def loss(self) -> Value:
        """The output's value."""
        return self.nodes[self.output].value


@dataclass(frozen=True)
class Trace:
    """A program run through PyTorch: one or more iterations and their settings."""

    program: Program
    parameters: tuple[str, ...]
    learning_rate: float
    values: dict[str, Value]
    iterations: tuple[Iteration, ...]
    output_name: str
    notes: tuple[str, ...] = field(default=())

    @property
    def first(self) -> Iteration:
        """The first iteration (the one a single-step lesson shows)."""
        return self.iterations[0]

    def variables(self, iteration: int = 0) -> dict[str, dict[str, Value | None]]:
        """Every named variable of an iteration with its value and gradient."""
        result = {}
        for node in self.iterations[iteration].nodes:
            if node.name is not None:
                grad = node.grad_attr if node.kind is NodeKind.LEAF else node.grad
                result[node.name] = {"value": node.value, "grad": grad}
        return result
