"""A broadcast operand's backward step says that its gradient is a sum, and the sum is
autograd's gradient (a number, a one-element list, a row against a matrix)."""

from __future__ import annotations

import pytest
import torch

from gui_backprop.core.program import parse_program
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.values import elements
from gui_backprop.core.walkthrough import Stage, Walkthrough

CASES = [
    # (program, the broadcast operand, its value as torch builds it, what is summed)
    ("x = [1.0, 2.0, 3.0]\nw = 2.0\ny = sum(x * w)", "w", 2.0, "elements"),
    ("x = [1.0, 2.0, 3.0]\nw = [2.0]\ny = sum(x * w)", "w", [2.0], "elements"),
    ("x = [1.0, 2.0, 3.0]\nw = [2.0]\ny = sum((w - x) ** 2)", "w", [2.0], "elements"),
    ("X = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]\nb = [1.0, -2.0]\ny = sum((X + b) ** 2)",
     "b", [1.0, -2.0], "rows"),
]


def _autograd(program: str, name: str, value) -> list[float]:
    """The program's gradient of ``name`` by plain torch (the listing's own operations)."""
    leaf = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    big = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64)
    y = {
        "y = sum(x * w)": lambda: torch.sum(x * leaf),
        "y = sum((w - x) ** 2)": lambda: torch.sum((leaf - x) ** 2),
        "y = sum((X + b) ** 2)": lambda: torch.sum((big + leaf) ** 2),
    }[program.splitlines()[-1]]()
    y.backward()
    return leaf.grad.reshape(-1).tolist()


@pytest.mark.parametrize("program, name, value, summed", CASES)
def test_a_broadcast_operands_gradient_is_said_to_be_summed(program, name, value, summed):
    walkthrough = Walkthrough(trace_program(parse_program(program)))
    it = walkthrough.trace.first
    node = it.node_named(name)
    step = next(s for s in walkthrough.steps
                if s.stage is Stage.BACKWARD and s.node == node.id)
    assert f"summed over the {summed}" in step.text
    assert step.formula.split(" = ")[1].startswith("Σ(")
    expected = _autograd(program, name, value)
    assert list(elements(node.grad)) == pytest.approx(expected)
    # the sum the text names: upstream × local, added up over what was repeated
    (edge,) = it.uses_of(node.id)
    upstream = torch.tensor(it.nodes[edge.target].grad, dtype=torch.float64)
    product = upstream * torch.tensor(edge.local_grad, dtype=torch.float64)
    total = product.sum() if summed == "elements" else product.sum(dim=0)
    assert total.reshape(-1).tolist() == pytest.approx(expected)


def test_an_operand_of_the_results_shape_is_not_summed():
    walkthrough = Walkthrough(trace_program(parse_program(
        "x = [1.0, 2.0, 3.0]\nw = [2.0, 1.0, 0.5]\ny = sum(x * w)")))
    node = walkthrough.trace.first.node_named("w")
    step = next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD and s.node == node.id)
    assert "summed" not in step.text and "Σ" not in step.formula
