"""Each edge's local gradient, contribution and derivative label agree with autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gui_backprop.core.forward import evaluate_expression
from gui_backprop.core.graph import Iteration, NodeKind
from gui_backprop.core.tensor_functions import UPSTREAM
from gui_backprop.core.tracer import trace_program
from tests.core.autograd_cases import CASES, Case
from tests.core.reference import (
    REDUCTIONS,
    as_tensor,
    assert_same,
    jacobian_as_local_gradient,
    local_jacobian,
    run_reference,
    vector_jacobian_product,
)

UNDEFINED_AT_ZERO = {"relu", "abs"}


def _operands(it: Iteration, node_id: int):
    return [as_tensor(it.nodes[e.source].value) for e in it.inputs_of(node_id)]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_local_gradients_equal_the_jacobian_of_each_operation(case: Case):
    it = trace_program(case.source, parameters=case.parameters).first
    tracked = 0
    for edge in it.edges:
        if not edge.tracked:
            assert edge.local_grad is edge.derivative is edge.contribution is None
            continue
        tracked += 1
        target = it.nodes[edge.target]
        operands = _operands(it, edge.target)
        jacobian = local_jacobian(target.op, operands, edge.position, target.dim)
        if edge.vector_jacobian:  # the product with the gradient that arrived
            upstream = None if target.grad is None else as_tensor(target.grad)
            expected = None if upstream is None else vector_jacobian_product(
                upstream, jacobian, operands[edge.position].shape)
            assert_same(edge.local_grad, expected, f"vector-Jacobian product into {target.op}")
            continue
        expected = jacobian_as_local_gradient(jacobian, as_tensor(target.value).shape,
                                              operands[edge.position].shape,
                                              reduction=target.op in REDUCTIONS)
        assert_same(edge.local_grad, expected, f"d({target.expression})/d(operand "
                                               f"{edge.position})")
    assert tracked > 0


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_contributions_are_what_each_path_carries_back(case: Case):
    trace = trace_program(case.source, parameters=case.parameters)
    it = trace.first
    ref = run_reference(case, trace.values, trace.parameters, trace.output_name)
    operations = [n for n in it.nodes if n.kind is NodeKind.OPERATION]
    tensors = dict(zip((n.id for n in operations), ref.operations, strict=True))
    for edge in it.edges:
        if not edge.tracked:
            continue
        operands = _operands(it, edge.target)
        upstream = ref.grad_of(tensors[edge.target])
        expected = None
        if upstream is not None:
            target = it.nodes[edge.target]
            jacobian = local_jacobian(target.op, operands, edge.position, target.dim)
            expected = vector_jacobian_product(upstream, jacobian, operands[edge.position].shape)
        assert_same(edge.contribution, expected, f"edge {edge.id} contribution")


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_contributions_over_all_uses_add_up_to_the_gradient(case: Case):
    it = trace_program(case.source, parameters=case.parameters).first
    for node in it.nodes:
        if node.grad is None or node.id == it.output:
            continue
        carried = [as_tensor(e.contribution) for e in it.uses_of(node.id)
                   if e.contribution is not None]
        assert carried, f"{node.label} has a gradient but no path carried it"
        total = carried[0].clone()
        for part in carried[1:]:
            total += part
        assert_same(node.grad, total, f"sum of the paths into {node.label}")


def _label_value(it: Iteration, label: str, upstream=None):
    variables = {n.name: n.value for n in it.nodes if n.name is not None}
    if upstream is not None:
        variables[UPSTREAM] = upstream
    return np.asarray(evaluate_expression(label, variables, rules=upstream is not None),
                      dtype=float)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_derivative_labels_evaluate_to_the_local_gradient(case: Case):
    it = trace_program(case.source, parameters=case.parameters).first
    for edge in (e for e in it.edges if e.tracked):
        target = it.nodes[edge.target]
        source = it.nodes[edge.source]
        assert edge.derivative_shown, edge
        if edge.vector_jacobian and target.grad is None:
            assert edge.local_grad is None
            continue
        from_label = _label_value(it, edge.derivative,
                                  target.grad if edge.vector_jacobian else None)
        autograd = np.asarray(edge.local_grad, dtype=float)
        from_label, autograd = np.broadcast_arrays(from_label, autograd)
        operand = np.broadcast_to(np.asarray(source.value, dtype=float), autograd.shape)
        for index in np.ndindex(autograd.shape):
            if math.isnan(from_label[index]):
                assert target.op in UNDEFINED_AT_ZERO and operand[index] == 0, (
                    f"'{edge.derivative}' is undefined at {source.label} = {operand[index]}")
                continue
            assert from_label[index] == pytest.approx(autograd[index], rel=1e-9, abs=1e-12), (
                f"d({target.expression})/d({source.label}) labelled '{edge.derivative}'")


def test_a_label_is_skipped_only_at_a_kink():
    it = trace_program("x = [-1.0, 0.0, 2.0]\ny = sum(relu(x) + abs(x))").first
    undefined = 0
    for edge in it.edges:
        if it.nodes[edge.target].op in UNDEFINED_AT_ZERO:
            values = np.asarray(evaluate_expression(
                edge.derivative, {n.name: n.value for n in it.nodes if n.name}))
            undefined += int(np.isnan(values).sum())
            assert list(np.isnan(values)) == [False, True, False]
    assert undefined == 2


def test_shown_labels_are_friendlier_where_they_differ():
    it = trace_program("x = 2.0\ny = relu(x) + abs(x)").first
    shown = {it.nodes[e.target].op: e.derivative_shown for e in it.edges
             if it.nodes[e.target].op in UNDEFINED_AT_ZERO}
    assert shown == {"relu": "1 where x > 0, else 0", "abs": "sign(x)"}


def test_a_broadcast_scalar_gets_one_local_gradient_per_element():
    it = trace_program("x = [1.0, 2.0, 3.0]\nw = 0.5\ny = sum(w * x)").first
    (edge,) = [e for e in it.edges if it.nodes[e.source].name == "w"]
    assert edge.local_grad == (1.0, 2.0, 3.0)
    assert edge.contribution == 6.0
    assert it.node_named("w").grad == 6.0


def test_labels_keep_every_digit_of_a_constant_and_show_six():
    it = trace_program("x = 1.3\ny = x ** 1.1 * 0.1234567").first
    power, product = [e for e in it.edges if e.tracked]
    assert (power.derivative, power.derivative_shown) == ("1.1 * x ** 0.10000000000000009",
                                                          "1.1 * x ** 0.1")
    assert (product.derivative, product.derivative_shown) == ("0.1234567", "0.123457")
