"""Matrices everywhere a value goes: text, --set, JSON, sessions, answers, gradient check,
step texts, listings; and the rule-only functions stay out of programs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gui_backprop.cli import main
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.exercise import Question, check_answer, question_for
from gui_backprop.core.gradient_check import check_gradients
from gui_backprop.core.program import parse_program
from gui_backprop.core.script_export import export_script
from gui_backprop.core.session_file import Session, load_session, save_session
from gui_backprop.core.step_text import edge_label
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.values import (
    as_nested_lists,
    elements,
    is_matrix,
    reshape_elements,
    shape_text,
    value_shape,
)
from gui_backprop.core.walkthrough import Stage, Walkthrough

LAYER = """W = [[0.5, -1.0, 2.0], [2.0, 0.25, 1.0]]
x = [1.0, 2.0, 3.0]
b = [0.1, -0.2]
y = W @ x + b
loss = cross_entropy(y, 1)
"""


def test_value_helpers_agree_on_shapes():
    matrix = ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0))
    assert value_shape(matrix) == (2, 3) and value_shape((1.0,)) == (1,)
    assert value_shape(2.0) == ()
    assert is_matrix(matrix) and not is_matrix((1.0, 2.0)) and not is_matrix(1.0)
    assert elements(matrix) == (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    assert reshape_elements(elements(matrix), (2, 3)) == matrix
    assert as_nested_lists(matrix) == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert [shape_text(s) for s in [(), (1,), (3,), (2, 3)]] == [
        "a number", "1 element", "3 elements", "2×3"]


def test_set_takes_a_matrix_and_json_gives_matrices_as_nested_lists(capsys):
    assert main(["trace", LAYER, "--set", "W=[[1, 0, 0], [0, 1, 0]]", "--json"]) == 0
    variables = json.loads(capsys.readouterr().out)["variables"]
    assert variables["W"]["value"] == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    grad = variables["W"]["grad"]
    assert len(grad) == 2 and all(len(row) == 3 for row in grad)
    assert variables["y"]["value"] == [1.1, 1.8]


def test_a_ragged_set_value_exits_2_naming_the_row(capsys):
    assert main(["trace", LAYER, "--set", "W=[[1, 0, 0], [0, 1]]"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--set W" in err and "row 2 has 2 numbers" in err


def test_a_session_keeps_matrices(tmp_path):
    session = Session(LAYER, {"W": ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)), "x": (1.0, 2.0, 3.0),
                              "b": (0.0, 0.0)}, ("W", "b"), 0.1)
    save_session(session, tmp_path / "m.bplab")
    loaded = load_session(tmp_path / "m.bplab")
    assert loaded.values["W"] == ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0))


def test_a_matrix_answer_is_checked_per_element_and_a_wrong_shape_is_a_format_error():
    question = Question(0, "W.grad?", ((1.0, 2.0), (3.0, 4.0)), "", "")
    assert check_answer(question, "[[1, 2], [3, 4]]").correct
    wrong = check_answer(question, "[[1, 2], [3, 5]]")
    assert wrong.valid and not wrong.correct
    for text in ("[1, 2, 3, 4]", "[[1, 2, 3], [4, 5, 6]]", "1.0"):
        verdict = check_answer(question, text)
        assert not verdict.valid and "2×2 matrix" in verdict.message
    assert not check_answer(Question(0, "", (1.0, 2.0), "", ""), "[[1, 2]]").valid


def test_every_step_of_a_layer_asks_a_question_with_the_right_shape():
    walk = Walkthrough(trace_program(LAYER, parameters=["W", "b"]))
    asked = [question_for(walk, step) for step in walk.steps]
    shapes = {value_shape(q.expected) for q in asked if q is not None}
    assert (2, 3) in shapes and (2,) in shapes
    local = [q for q, s in zip(asked, walk.steps, strict=True) if s.stage is Stage.LOCAL and q]
    assert any("send back to W" in q.prompt for q in local)


def test_gradient_check_agrees_per_element_on_matrices():
    check = check_gradients(trace_program(LAYER, parameters=["W", "x", "b"]))
    assert check.all_agree
    (w,) = [p for p in check.parameters if p.name == "W"]
    assert value_shape(w.estimate) == (2, 3)


def test_a_backward_step_through_matmul_says_why_the_gradient_has_the_shape():
    walk = Walkthrough(trace_program(LAYER, parameters=["W", "b"]))
    (step,) = [s for s in walk.steps if s.stage is Stage.BACKWARD and s.title.endswith("∂W")]
    assert "W.grad has W's shape, 2×3: δ (2) times xᵀ (1×3)." in step.text
    it = walk.trace.first
    (edge,) = [e for e in it.edges if it.nodes[e.source].name == "W"]
    assert edge_label(it, edge).startswith("∂loss/∂W = ∂loss/∂(W @ x) · xᵀ (2×1 · 1×3 = 2×3) = ")


def test_matmul_grad_fns_are_torchs():
    names = {n.expression: n.grad_fn for n in trace_program(
        "A = [[1.0, 2.0], [3.0, 4.0]]\nv = [1.0, -1.0]\n"
        "y = sum(A @ A) + sum(A @ v) + v @ v + sum(v @ A)").first.nodes}
    assert names["A @ A"] == "MmBackward0"
    assert names["A @ v"] == "MvBackward0"
    assert names["v @ A"] == "SqueezeBackward4"  # torch: unsqueeze, mm, squeeze
    assert names["v @ v"] == "DotBackward0"


@pytest.mark.parametrize("source", ["x = [1.0]\ny = sum(outer(x, x))",
                                    "x = [1.0]\ny = sum(rowsum(x))",
                                    "x = [1.0]\ny = sum(x + [1.0])"])
def test_the_rules_functions_and_list_literals_are_not_in_the_language(source):
    with pytest.raises(ProgramError):
        parse_program(source)


def test_labels_are_never_parameters():
    program = "z = [1.0, 2.0, 0.5]\nt = 2\nloss = cross_entropy(z, t)"
    assert trace_program(program).parameters == ("z",)
    with pytest.raises(ProgramError, match="class labels"):
        trace_program(program, parameters=["z", "t"])


def test_the_exported_script_with_matrices_prints_the_traced_numbers(tmp_path):
    trace = trace_program(LAYER + "", parameters=["W", "b"], iterations=2)
    path = tmp_path / "layer.py"
    path.write_text(export_script(trace))
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"step 0 loss = {trace.first.loss!r}"
    (grad_line,) = [line for line in lines if line.startswith("step 1 W.grad = ")]
    printed = json.loads(grad_line.split(" = ", 1)[1])
    expected = as_nested_lists(trace.iterations[1].node_named("W").grad_attr)
    assert len(printed) == len(expected) == 2
    for row, want in zip(printed, expected, strict=True):
        assert row == pytest.approx(want, rel=1e-12)
