"""Every value and gradient of a trace equals what torch computes directly in the test."""

from __future__ import annotations

import pytest
import torch

from gui_backprop.core.functions import OPERATIONS as CORE_OPERATIONS
from gui_backprop.core.graph import NodeKind
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.values import value_shape
from tests.core.autograd_cases import CASES, Case
from tests.core.reference import OPERATIONS, apply, as_tensor, assert_same, run_reference

ITERATIONS = 3
LEARNING_RATE = 0.05


def test_the_table_covers_every_operation_on_scalars_vectors_and_matrices():
    assert len(CASES) >= 25 + 20
    assert len({c.name for c in CASES}) == len(CASES)
    used = {node.op for c in CASES for node in trace_program(c.source, parameters=c.parameters)
            .first.nodes if node.op}
    assert used == set(CORE_OPERATIONS) == set(OPERATIONS)
    kinds = {len(value_shape(v)) for c in CASES for v in trace_program(c.source).values.values()}
    assert kinds == {0, 1, 2}
    grad_fns = {node.grad_fn for c in CASES for node in trace_program(c.source).first.nodes}
    assert {"MmBackward0", "MvBackward0", "DotBackward0", "TransposeBackward0",
            "SoftmaxBackward0", "LogSoftmaxBackward0", "NllLossBackward0",
            "BinaryCrossEntropyBackward0", "SumBackward1", "MeanBackward1"} <= grad_fns


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_values_and_every_gradient_match_torch(case: Case):
    trace = trace_program(case.source, parameters=case.parameters)
    it = trace.first
    ref = run_reference(case, trace.values, trace.parameters, trace.output_name)
    for name, leaf in ref.leaves.items():
        node = it.node_named(name)
        assert node.kind is NodeKind.LEAF
        assert node.requires_grad == node.is_parameter == (name in trace.parameters)
        assert_same(node.value, leaf, f"value of {name}")
        assert_same(node.grad, ref.grad_of(leaf), f"grad of {name}")
        assert_same(node.grad_attr, ref.grad_of(leaf), f"{name}.grad")
    operations = [node for node in it.nodes if node.kind is NodeKind.OPERATION]
    assert len(operations) == len(ref.operations), "one node per torch operation"
    for node, tensor in zip(operations, ref.operations, strict=True):
        assert node.requires_grad == tensor.requires_grad, node.expression
        assert_same(node.value, tensor, f"value of {node.expression}")
        assert_same(node.grad, ref.grad_of(tensor), f"grad of {node.expression}")
        assert node.grad_attr is None
    by_tensor = {id(t): node for node, t in zip(operations, ref.operations, strict=True)}
    for name, tensor in ref.named.items():
        assert by_tensor[id(tensor)].name == name
    assert it.nodes[it.output].name == trace.output_name
    assert it.nodes[it.output].grad == 1.0
    assert it.loss == ref.named[trace.output_name].item()


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_variables_report_each_value_and_gradient(case: Case):
    trace = trace_program(case.source, parameters=case.parameters)
    ref = run_reference(case, trace.values, trace.parameters, trace.output_name)
    variables = trace.variables()
    assert set(variables) == set(ref.leaves) | set(ref.named)
    for name, tensor in {**ref.leaves, **ref.named}.items():
        assert_same(variables[name]["value"], tensor, f"value of {name}")
        assert_same(variables[name]["grad"], ref.grad_of(tensor), f"grad of {name}")


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_every_operation_node_recomputes_from_its_inputs(case: Case):
    it = trace_program(case.source, parameters=case.parameters).first
    for node in it.nodes:
        inputs = it.inputs_of(node.id)
        if node.kind is not NodeKind.OPERATION:
            assert inputs == ()
            continue
        assert [e.position for e in inputs] == list(range(len(inputs)))
        sources = [it.nodes[e.source] for e in inputs]
        assert all(s.id < node.id for s in sources), "nodes are in topological order"
        for edge, source in zip(inputs, sources, strict=True):
            assert edge.tracked == source.requires_grad
        result = apply(node.op, [as_tensor(s.value) for s in sources], node.dim)
        assert_same(node.value, result, f"value of {node.expression}")
    constants = [n for n in it.nodes if n.kind is NodeKind.CONSTANT]
    assert all(not n.requires_grad and n.grad is None and it.uses_of(n.id) for n in constants)


@pytest.mark.parametrize("zero_grad", [True, False], ids=["zero_grad", "no_zero_grad"])
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_repeated_iterations_match_a_torch_training_loop(case: Case, zero_grad: bool):
    trace = trace_program(case.source, parameters=case.parameters, learning_rate=LEARNING_RATE,
                          iterations=ITERATIONS, zero_grad=zero_grad)
    leaves = {name: torch.tensor(value, dtype=torch.float64, requires_grad=name in
                                 trace.parameters) for name, value in trace.values.items()}
    params = [leaves[p] for p in trace.parameters]
    for it in trace.iterations:
        for name, leaf in leaves.items():
            assert_same(it.node_named(name).value, leaf, f"iteration {it.index}: {name}")
        before = {p: None if leaves[p].grad is None else leaves[p].grad.clone()
                  for p in trace.parameters}
        named = case.build(**leaves)
        assert_same(it.loss, named[trace.output_name], f"iteration {it.index}: loss")
        named[trace.output_name].backward()
        for name in trace.parameters:
            assert_same(it.node_named(name).grad_attr, leaves[name].grad, f"{name}.grad")
            assert_same(it.grad_before[name], before[name], f"{name}.grad before")
            this_pass = leaves[name].grad - (0 if before[name] is None else before[name])
            assert_same(it.node_named(name).grad, this_pass, f"this pass's {name}", rel=1e-9)
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p -= LEARNING_RATE * p.grad
        updated = {u.name: u for u in it.updates}
        for name in trace.parameters:
            assert_same(updated[name].after, leaves[name], f"{name} after the update")
            assert_same(updated[name].grad, leaves[name].grad, f"{name}.grad used")
            if zero_grad:
                leaves[name].grad.zero_()
                assert_same(updated[name].grad_after_zero, leaves[name].grad, "zeroed")
            else:
                assert updated[name].grad_after_zero is None
