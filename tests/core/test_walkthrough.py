"""The walkthrough's steps come in the tutorial's order, and state_at(k) reveals them."""

from __future__ import annotations

import pytest

from gui_backprop.core.formulas import number
from gui_backprop.core.graph import Iteration, NodeKind
from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.values import elements
from gui_backprop.core.walkthrough import Stage, Walkthrough
from tests.core.autograd_cases import CASES

LESSONS = load_lessons()
ZERO_GRAD_FREE = next(c for c in CASES if c.name == "value_used_twice")


def _walkthroughs():
    for lesson in LESSONS:
        yield pytest.param(lesson.walkthrough(), id=f"lesson-{lesson.id}")
    for case in CASES:
        trace = trace_program(case.source, parameters=case.parameters, iterations=2)
        yield pytest.param(Walkthrough(trace), id=f"case-{case.name}")
    trace = trace_program(ZERO_GRAD_FREE.source, iterations=3, zero_grad=False)
    yield pytest.param(Walkthrough(trace), id="case-without-zero-grad")


WALKTHROUGHS = list(_walkthroughs())


def _expected_stages(it: Iteration) -> list[tuple[Stage, object]]:
    expected: list[tuple[Stage, object]] = []
    expected += [(Stage.FORWARD, n.id) for n in it.nodes if n.kind is NodeKind.OPERATION]
    expected += [(Stage.LOCAL, e.id) for e in sorted(it.edges, key=lambda e: (e.target,
                                                                           e.position))
                 if e.tracked]
    expected += [(Stage.BACKWARD, n.id) for n in reversed(it.nodes) if n.grad is not None]
    expected += [(Stage.UPDATE, u.name) for u in it.updates]
    if it.zero_grad:
        expected += [(Stage.ZERO_GRAD, u.name) for u in it.updates]
    return expected


@pytest.mark.parametrize("walkthrough", WALKTHROUGHS)
def test_steps_follow_the_tutorials_order_in_each_iteration(walkthrough: Walkthrough):
    trace = walkthrough.trace
    made = []
    for step in walkthrough.steps:
        key = step.parameter if step.stage in (Stage.UPDATE, Stage.ZERO_GRAD) else (
            step.edge if step.stage is Stage.LOCAL else step.node)
        made.append((step.iteration, step.stage, key))
    expected = [(it.index, stage, key) for it in trace.iterations
                for stage, key in _expected_stages(it)]
    assert made == expected
    assert [s.index for s in walkthrough.steps] == list(range(len(walkthrough)))
    assert {u.name for it in trace.iterations for u in it.updates} == set(trace.parameters)
    for step in walkthrough.steps:
        assert step.title and step.text and step.formula and step.latex


@pytest.mark.parametrize("walkthrough", WALKTHROUGHS)
def test_forward_and_backward_steps_use_only_what_is_known(walkthrough: Walkthrough):
    for position, step in enumerate(walkthrough.steps, start=1):
        before = walkthrough.state_at(position - 1)
        it = walkthrough.trace.iterations[step.iteration]
        if step.stage is Stage.FORWARD and before.iteration == step.iteration:
            assert {e.source for e in it.inputs_of(step.node)} <= before.values
        if step.stage is Stage.BACKWARD:
            users = {e.target for e in it.uses_of(step.node) if e.contribution is not None}
            assert users <= before.grads, "upstream gradients come first"
            assert {e.id for e in it.uses_of(step.node) if e.tracked} <= before.local_grads


@pytest.mark.parametrize("walkthrough", WALKTHROUGHS)
def test_state_at_reveals_one_thing_per_step(walkthrough: Walkthrough):
    trace = walkthrough.trace
    start = walkthrough.state_at(0)
    first = trace.first
    given = {n.id for n in first.nodes if n.kind is not NodeKind.OPERATION}
    assert start.step is None and start.iteration == 0
    assert start.values == given and not start.local_grads and not start.grads
    assert dict(start.parameters) == {p: trace.values[p] for p in trace.parameters}
    assert all(v is None for v in start.grad_attrs.values())
    assert walkthrough.state_at(-3) == start
    previous = start
    for position, step in enumerate(walkthrough.steps, start=1):
        state = walkthrough.state_at(position)
        it = trace.iterations[step.iteration]
        assert state.position == position and state.step == step
        assert state.iteration == step.iteration
        if state.iteration == previous.iteration:
            assert previous.values <= state.values
            assert previous.local_grads <= state.local_grads
            assert previous.grads <= state.grads
        else:
            assert not state.local_grads and not state.grads
        if step.stage is Stage.FORWARD:
            known = previous.values if state.iteration == previous.iteration else {
                n.id for n in it.nodes if n.kind is not NodeKind.OPERATION}
            assert state.values - known == {step.node}
        elif step.stage is Stage.LOCAL:
            assert state.local_grads - previous.local_grads == {step.edge}
        elif step.stage is Stage.BACKWARD:
            assert state.grads - previous.grads == {step.node}
            node = it.nodes[step.node]
            if node.kind is NodeKind.LEAF and node.is_parameter:
                assert state.grad_attrs[node.name] == node.grad_attr
        elif step.stage is Stage.UPDATE:
            update = next(u for u in it.updates if u.name == step.parameter)
            assert previous.parameters[step.parameter] == update.before
            assert state.parameters[step.parameter] == update.after
        else:
            update = next(u for u in it.updates if u.name == step.parameter)
            assert state.grad_attrs[step.parameter] == update.grad_after_zero
            assert not any(_elements(update.grad_after_zero))
        previous = state
    end = walkthrough.state_at(len(walkthrough))
    last = trace.iterations[-1]
    assert end.values == {n.id for n in last.nodes}
    assert end.local_grads == {e.id for e in last.edges if e.tracked}
    assert end.grads == {n.id for n in last.nodes if n.grad is not None}
    assert walkthrough.state_at(len(walkthrough) + 5) == end


def _elements(value) -> tuple[float, ...]:
    return elements(value)


@pytest.mark.parametrize("walkthrough", WALKTHROUGHS)
def test_backward_formulas_show_upstream_times_local_equals_the_gradient(walkthrough):
    for step in (s for s in walkthrough.steps if s.stage is Stage.BACKWARD):
        it = walkthrough.trace.iterations[step.iteration]
        node = it.nodes[step.node]
        formula, _, stored = step.formula.partition(";  ")
        assert formula.endswith(f" = {number(node.grad).text}"), step.formula
        if stored:  # .grad held an earlier pass's gradient: the sum the node shows
            before = it.grad_before[node.name]
            assert stored == (f"{node.name}.grad = {number(before).text} + "
                              f"{number(node.grad, parens=True).text} = "
                              f"{number(node.grad_attr).text}")
        if node.id == it.output:
            assert node.grad == 1.0 and "1" in step.text
            continue
        uses = [e for e in it.uses_of(node.id) if e.contribution is not None]
        for edge in uses:
            if edge.vector_jacobian:  # the rule with shapes, and what its grad_fn sent back
                carried = f"{edge.derivative_shown} = {number(edge.contribution).text}"
                assert edge.derivative_shown in step.formula, step.formula
                assert carried in step.text, (carried, step.text)
                continue
            upstream = it.nodes[edge.target].grad
            product = (f"{number(upstream, parens=True).text} × "
                       f"{number(edge.local_grad, parens=True).text}")
            assert product in step.formula, (product, step.formula)
            assert product in step.text
        assert (" + " in formula.split(" = ")[-2]) == (len(uses) > 1)
        if len(uses) > 1:
            assert f"used in {len(uses)} places" in step.text and "add up" in step.text


def test_a_value_used_twice_says_that_the_paths_add_up():
    walkthrough = next(x for x in LESSONS if x.id == "value-used-twice").walkthrough()
    it = walkthrough.trace.first
    b = it.node_named("b")
    (step,) = [s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.node == b.id]
    assert step.formula == "∂e/∂b = ∂e/∂c × ∂c/∂b + ∂e/∂d × ∂d/∂b = 2.0 × 1.0 + 3.0 × 1.0 = 5.0"
    assert "the gradients of all paths add up" in step.text
    assert "through c: 2.0 × 1.0 = 2.0; through d: 3.0 × 1.0 = 3.0. Together: 5.0" in step.text


def test_first_of_finds_each_stage():
    walkthrough = next(x for x in LESSONS if x.id == "one-training-step").walkthrough()
    for stage in Stage:
        position = walkthrough.first_of(stage)
        assert walkthrough.steps[position - 1].stage is stage
        assert all(s.stage is not stage for s in walkthrough.steps[:position - 1])
    second = walkthrough.first_of(Stage.FORWARD, iteration=1)
    assert walkthrough.steps[second - 1].iteration == 1
    assert walkthrough.first_of(Stage.FORWARD, iteration=7) is None


def test_a_leaf_step_names_the_outputs_own_backward_call():
    walkthrough = next(x for x in LESSONS if x.id == "linear-regression").walkthrough()
    w = walkthrough.trace.first.node_named("w")
    (step,) = [s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.node == w.id]
    assert step.text.endswith("J.backward() stores this in w.grad.")


def test_forward_steps_read_plainly():
    steps = Walkthrough(trace_program("x = -1.0\ny = exp(x) * x")).steps
    assert steps[0].formula == "exp(x) = exp(-1.0) = 0.367879"
    assert steps[0].text.startswith("Compute exp(x) from values already known (exponential): "
                                    "exp(-1.0) = 0.367879.")
    assert steps[1].formula == "y = exp(x) × x = 0.367879 × (-1.0) = -0.367879"


def test_a_numbers_gradient_through_a_vector_says_the_elements_are_summed():
    walkthrough = next(x for x in LESSONS if x.id == "linear-regression").walkthrough()
    step = next(s for s in walkthrough.steps if s.title == "Backward: ∂J/∂b")
    assert step.formula == ("∂J/∂b = Σ(∂J/∂y_hat × ∂y_hat/∂b) = Σ([-1.24, -1.96, -2.88, "
                            "-3.52, -4.44] × [1.0, 1.0, 1.0, 1.0, 1.0]) = -14.04")
    from matplotlib.mathtext import MathTextParser
    MathTextParser("path").parse(f"${step.latex}$")  # typesets


def test_a_forward_step_of_a_call_shows_every_operand():
    walkthroughs = {x.id: x.walkthrough() for x in LESSONS}
    formulas = [s.formula for lesson in ("layer-as-matrix", "softmax-classifier")
                for s in walkthroughs[lesson].steps if s.stage is Stage.FORWARD]
    assert "W @ x = [[0.5, -0.2, 0.2], [0.3, 0.4, -0.6]] @ [1.0, 2.0, -1.0] = [-0.1, 1.7]" \
        in formulas  # it read matmul(W) = matmul([[…]]): x was missing
    assert any(f.startswith("loss = cross_entropy(logits, label) = cross_entropy([-0.5, 1.0, "
                            "0.5], ") for f in formulas)


def test_a_backward_step_through_matmul_says_its_product_once_and_typesets_a_fraction():
    step = next(x for x in LESSONS if x.id == "layer-as-matrix").walkthrough().steps[17]
    assert step.formula == ("∂loss/∂W = ∂loss/∂(W @ x) · xᵀ (2×1 · 1×3 = 2×3) = "
                            "[[-1.8, -3.6, 1.8], [3.2, 6.4, -3.2]]")  # the value once
    assert r"\frac{\partial loss}{\partial (W @ x)}" in step.latex
