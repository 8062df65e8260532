"""Build the graph's nodes and edges from a forward recording and its autograd graph."""

from __future__ import annotations

import ast

import torch

from gui_backprop.core.formatting import exact_operand, format_operand, whole_numbers
from gui_backprop.core.forward import ForwardRecording, plain
from gui_backprop.core.functions import OPERATIONS, derivative_expression, derivative_shown
from gui_backprop.core.graph import Edge, Node, NodeKind
from gui_backprop.core.nonfinite import with_notes
from gui_backprop.core.program import Program
from gui_backprop.core.tensor_functions import vector_jacobian_rule


class GraphBuilder:
    """Turns one forward pass into :class:`Node` and :class:`Edge` snapshots."""

    def __init__(self, program: Program, recording: ForwardRecording, params: tuple[str, ...],
                 loss: str | None = None):
        self.recording = recording
        self.loss = loss or program.output
        self.arguments: dict[int, tuple] = {}
        self.literal_texts: dict[int, str] = {}
        self.node_ids: dict[int, int] = {}
        self.tensors: list[torch.Tensor] = []
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.calls: dict[int, torch.Tensor] = {}
        self.captured: dict[tuple[int, int], torch.Tensor] = {}
        self.operands: dict[int, list[int]] = {}  # operation -> its inputs' ids, in order
        self._hook_handles: list = []
        constant_sources = {id(t): node for t, node in recording.constants}
        names = {id(t): name for name, t in recording.named.items()}
        statements = {stmt.target: index for index, stmt in enumerate(program.statements)}
        for name, leaf in recording.leaves.items():
            self._add(leaf, NodeKind.LEAF, name=name, op=None, expression=name,
                      is_parameter=name in params, line=program.statement(name).line,
                      statement=statements[name])
        for name in program.label_names & recording.leaves.keys():
            # class labels are whole numbers: shown 2, not 2.0 (format_number of an int)
            node = self.nodes[self.node_ids[id(recording.leaves[name])]]
            node["value"] = whole_numbers(node["value"])
        for labels, source in recording.labels:
            if isinstance(source, str):  # read from a leaf: the edge comes from that leaf
                self.node_ids[id(labels)] = self.node_ids[id(recording.leaves[source])]
            else:
                constant_sources[id(labels)] = source
        for call in recording.calls:
            inputs = []
            for tensor in call.inputs:
                if id(tensor) not in self.node_ids:
                    source = constant_sources[id(tensor)]
                    text = (format_operand(float(tensor)) if tensor.dim() == 0
                            and tensor.is_floating_point() else ast.unparse(source))
                    constant_id = self._add(tensor, NodeKind.CONSTANT, name=None, op=None,
                                            expression=text,
                                            line=getattr(source, "lineno", None),
                                            statement=call.statement)
                    if not tensor.is_floating_point():
                        self.literal_texts[constant_id] = text
                inputs.append(self.node_ids[id(tensor)])
            name = names.get(id(call.output))
            expression = ast.unparse(call.source) if call.source is not None else call.op
            node_id = self._add(call.output, NodeKind.OPERATION, name=name, op=call.op,
                                expression=expression,
                                line=getattr(call.source, "lineno", None),
                                statement=call.statement)
            self.calls[node_id] = call.output
            self.operands[node_id] = inputs
            self.arguments[node_id] = call.arguments
            if call.op in ("sum", "mean") and len(call.arguments) == 2:
                self.nodes[node_id]["dim"] = call.arguments[1]
            for position, source_id in enumerate(inputs):
                tracked = bool(self.tensors[source_id].requires_grad)
                self.edges.append(dict(id=len(self.edges), source=source_id, target=node_id,
                                       position=position, tracked=tracked))

    def _add(self, tensor, kind, *, name, op, expression, line, statement,
             is_parameter=False) -> int:
        node_id = len(self.nodes)
        self.node_ids[id(tensor)] = node_id
        self.tensors.append(tensor)
        self.nodes.append(dict(
            id=node_id, kind=kind, name=name, op=op, expression=expression,
            label=name if name is not None else expression, value=plain(tensor),
            requires_grad=bool(tensor.requires_grad), is_parameter=is_parameter, line=line,
            statement=statement,
            grad_fn=type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None,
        ))
        return node_id

    def node_of(self, tensor: torch.Tensor) -> int:
        """The node id of a recorded tensor."""
        return self.node_ids[id(tensor)]

    def operand_text(self, node_id: int, exact: bool = True) -> str:
        """How a node appears as an operand inside a formula (constants to every digit
        when ``exact``, else as their label)."""
        node = self.nodes[node_id]
        if node_id in self.literal_texts:
            return self.literal_texts[node_id]
        if node["kind"] is NodeKind.CONSTANT and exact:
            return exact_operand(float(self.tensors[node_id]))
        if node["name"] is not None or node["kind"] is NodeKind.CONSTANT:
            return node["label"]
        return f"({node['expression']})"

    def compute_local_gradients(self) -> None:
        """Fill each tracked edge's local gradient by calling the target's ``grad_fn``
        (for a vector-Jacobian edge only its rule: its numbers come from the backward
        pass)."""
        for edge in self.edges:
            if not edge["tracked"]:
                continue
            output = self.calls[edge["target"]]
            source = self.tensors[edge["source"]]
            _operand_slot(output, edge["position"], source)
            op = OPERATIONS[self.nodes[edge["target"]]["op"]]
            if op.vector_jacobian:
                edge["vector_jacobian"] = True
                self._rule(edge, op)
                continue
            edge["local_grad"] = plain(_local_gradient(output, edge["position"], source))
            self._label(edge)

    def _operand_ids(self, target: int) -> list[int]:
        # the index built with the edges: scanning every edge per edge was quadratic
        return self.operands[target]

    def _rule(self, edge: dict, op) -> None:
        target = edge["target"]
        operand_ids = self._operand_ids(target)
        derivative, shown = vector_jacobian_rule(
            op.name, edge["position"], [self.operand_text(i) for i in operand_ids],
            [self.operand_text(i, exact=False) for i in operand_ids],
            [tuple(self.tensors[i].shape) for i in operand_ids],
            self.operand_text(target), self.operand_text(target, exact=False), self.loss)
        edge["derivative"] = derivative
        edge["derivative_shown"] = shown

    def _label(self, edge: dict) -> None:
        target = self.nodes[edge["target"]]
        op = OPERATIONS[target["op"]]
        operand_ids = self._operand_ids(edge["target"])
        operands = [self.operand_text(i) for i in operand_ids]
        labels = [self.operand_text(i, exact=False) for i in operand_ids]
        first = self.tensors[operand_ids[0]]
        n = first.numel()
        arguments = self.arguments.get(edge["target"], ())
        if op.name == "mean" and len(arguments) == 2 and first.dim() > 0:
            n = first.shape[arguments[1]]  # the mean over one dimension divides by its size
        exponent = None
        if op.name == "pow" and self.nodes[operand_ids[1]]["kind"] is NodeKind.CONSTANT:
            exponent = float(self.tensors[operand_ids[1]])
        rhs = derivative_expression(op, edge["position"], operands, n, exponent)
        shown = derivative_shown(op, edge["position"], labels, n, exponent)
        edge["derivative"] = rhs
        edge["derivative_shown"] = shown

    def install_backward_hooks(self) -> None:
        """Hook every operation's ``grad_fn`` and retain every intermediate's grad.

        Call :meth:`remove_backward_hooks` after the backward pass: a hook refers to the
        builder, which holds the tensors whose ``grad_fn`` holds the hook. That cycle
        runs through autograd's C++ nodes, which Python's garbage collector cannot see,
        so it would never be freed (about 40 kB a trace, four traces a second while the
        canvas follows a training run).
        """
        slots: dict[int, tuple[object, list[tuple[int, tuple[int, int]]]]] = {}
        for output in self.calls.values():
            if output.grad_fn is not None:
                output.retain_grad()
        for edge in self.edges:
            if not edge["tracked"]:
                continue
            output = self.calls[edge["target"]]
            function, index = _operand_slot(output, edge["position"],
                                            self.tensors[edge["source"]])
            key = (edge["target"], edge["position"])
            slots.setdefault(id(function), (function, []))[1].append((index, key))
        for function, wanted in slots.values():

            def hook(grad_inputs, grad_outputs, wanted=wanted):
                for index, key in wanted:
                    grad = grad_inputs[index]
                    if grad is not None:
                        self.captured[key] = grad.detach().clone()

            self._hook_handles.append(function.register_hook(hook))

    def remove_backward_hooks(self) -> None:
        """Take the hooks of :meth:`install_backward_hooks` off again (breaks the cycle)."""
        for handle in self._hook_handles:
            handle.remove()
        self._hook_handles.clear()

    def finish(self, leaf_grads: dict[str, torch.Tensor]) -> tuple[tuple[Node, ...],
                                                                 tuple[Edge, ...]]:
        """Freeze nodes and edges once the backward pass has run."""
        nodes = []
        for node, tensor in zip(self.nodes, self.tensors, strict=True):
            grad = grad_attr = None
            if node["kind"] is NodeKind.LEAF and node["requires_grad"]:
                grad = plain(leaf_grads.get(node["name"]))
                grad_attr = plain(tensor.grad)
            elif node["kind"] is NodeKind.OPERATION and node["requires_grad"]:
                grad = plain(tensor.grad)
            nodes.append(Node(**node, grad=grad, grad_attr=grad_attr))
        edges = []
        for edge in self.edges:
            contribution = plain(self.captured.get((edge["target"], edge["position"])))
            if edge.get("vector_jacobian"):
                edge["local_grad"] = contribution
            edges.append(Edge(**edge, contribution=contribution))
        return with_notes(tuple(nodes), tuple(edges)), tuple(edges)


def _operand_slot(output: torch.Tensor, position: int, source: torch.Tensor):
    """The autograd node and input index through which ``output`` reaches operand
    ``position`` (``source``): usually ``(output.grad_fn, position)``; for an operation
    torch builds of two nodes (``cross_entropy``: nll_loss of log_softmax) the inner one."""
    node = output.grad_fn
    index = position
    for _depth in range(3):
        following = node.next_functions
        if position < len(following) and _is_node_of(following[index][0], source):
            return node, index
        if not following or following[0][0] is None:
            break
        node, index = following[0][0], position  # one level in: the inner operation
    raise RuntimeError(f"autograd graph of {type(output.grad_fn).__name__} does not match "
                       "the recorded operands")


def _is_node_of(node, source: torch.Tensor) -> bool:
    if source.grad_fn is None:
        return node is not None and getattr(node, "variable", None) is source
    return node is source.grad_fn


def _local_gradient(output: torch.Tensor, position: int, source: torch.Tensor) -> torch.Tensor:
    """d(output)/d(source) from the operation's own backward function: the operand's
    shape for an element-wise operation and a reduction; for a broadcast operand, one
    derivative per element of the output (each with respect to the element it used)."""
    node = output.grad_fn
    with torch.no_grad():
        grad = _call(node, torch.ones_like(output))[position]
        if source.shape == output.shape or output.dim() == 0 or source.dim() > output.dim():
            return grad
        if grad.shape == output.shape:
            return grad  # not yet reduced: one derivative per output element
        columns = []
        for i in range(output.numel()):
            basis = torch.zeros(output.numel(), dtype=output.dtype)
            basis[i] = 1.0
            columns.append(_call(node, basis.reshape(output.shape))[position].sum())
        return torch.stack(columns).reshape(output.shape)


def _call(node, grad: torch.Tensor) -> tuple[torch.Tensor, ...]:
    result = node(grad)
    return result if isinstance(result, tuple) else (result,)
