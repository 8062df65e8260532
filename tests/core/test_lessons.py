"""Every lesson loads, agrees with autograd, and its code listing matches its steps."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from gui_backprop.core.forward import evaluate_expression
from gui_backprop.core.lessons import LessonError, find_lesson, load_lesson, load_lessons
from gui_backprop.core.tracer import trace_program
from gui_backprop.core.walkthrough import Stage, Walkthrough

LESSONS = load_lessons()
IDS = [lesson.id for lesson in LESSONS]


def test_every_lesson_file_loads_in_order():
    assert len(LESSONS) >= 7
    assert IDS[:3] == ["chain-rule", "computational-graph", "one-training-step"]
    assert len(set(IDS)) == len(IDS)
    assert [lesson.order for lesson in LESSONS] == sorted(lesson.order for lesson in LESSONS)
    assert sum(lesson.playground for lesson in LESSONS) == 1
    assert LESSONS[-1].playground, "the playground stays last in the list"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_settings_are_consistent(lesson):
    leaves = lesson.program.leaves
    assert lesson.parameters, "a lesson names its parameters"
    assert set(lesson.parameters) <= set(leaves)
    assert 0 < lesson.learning_rate <= 1 and lesson.iterations >= 1
    assert lesson.title and lesson.summary and lesson.intro
    assert set(lesson.stage_texts) == set(Stage)
    trace = lesson.trace()
    assert trace.parameters == tuple(p for p in leaves if p in lesson.parameters)
    assert all(it.node_named(p).grad is not None for it in trace.iterations
               for p in trace.parameters), "every parameter gets a gradient"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_text_has_no_doubled_words_or_stray_spaces(lesson):
    texts = [lesson.title, lesson.summary, lesson.intro, *lesson.stage_texts.values()]
    for text in texts:
        doubled = re.search(r"\b(\w+)\s+\1\b", text, flags=re.IGNORECASE)
        assert doubled is None, f"doubled word in {lesson.id}: {doubled.group(0)!r}"
        assert not re.search(r"[ \t]+$", text, flags=re.MULTILINE), text
        assert "  " not in text.replace("\n    ", "\n"), text
        assert text.rstrip()[-1] in ".:!?)" or text in (lesson.title, lesson.summary), text


@pytest.mark.parametrize("lesson", [x for x in LESSONS if x.formulas], ids=lambda x: x.id)
def test_lesson_formulas_agree_with_autograd(lesson):
    trace = lesson.trace()
    for it in trace.iterations:
        variables = {n.name: n.value for n in it.nodes if n.name is not None}
        for parameter, formula in lesson.formulas.items():
            grad = it.node_named(parameter).grad
            assert evaluate_expression(formula, variables) == pytest.approx(grad, rel=1e-12), (
                f"{lesson.id}: d{trace.output_name}/d{parameter} = {formula}")
    assert set(lesson.formulas) <= set(lesson.parameters)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_each_step_points_at_the_code_line_it_runs(lesson):
    walkthrough = lesson.walkthrough()
    lines = walkthrough.listing.text.splitlines()
    program = walkthrough.trace.program
    for step in walkthrough.steps:
        assert step.code_line is not None, step
        line = lines[step.code_line - 1]
        assert f"Code: line {step.code_line}, {line.split('  #')[0].strip()}." in step.code_note
        if step.stage is Stage.FORWARD:
            target = program.statements[walkthrough.trace.first.nodes[step.node].statement].target
            assert line.lstrip().startswith(f"{target} ="), (step.title, line)
        elif step.stage in (Stage.LOCAL, Stage.BACKWARD):  # one rule for every lesson
            assert f"{walkthrough.trace.output_name}.backward()" in line, line
        elif step.stage is Stage.UPDATE:
            assert re.match(rf"\s*{step.parameter} -= ", line), line
        else:
            assert f"{step.parameter}.grad.zero_()" in line, line


def test_the_listing_is_the_program_that_runs_with_its_values_and_learning_rate():
    lesson = find_lesson("one-training-step")
    listing = lesson.walkthrough(values={"w": 3.0}, learning_rate=0.5).listing.text
    assert "w = torch.tensor(3.0, requires_grad=True)" in listing
    assert "w -= 0.5 * w.grad" in listing
    assert "0.01" not in listing and "torch.tensor(1.0, requires_grad=True)" not in listing


# The listings are written by the app from the lessons' own programs (or the test's), not
# from user input: running them checks that the code a learner reads does what the
# walkthrough shows, down to the names of the grad_fn nodes PyTorch records.
RUNNER = textwrap.dedent("""
    import json, sys
    results = {}
    for name, listing, parameters, output in json.load(sys.stdin):
        scope = {}
        exec(compile(listing, name, "exec"), scope)
        names, seen, todo = [], set(), [scope[output].grad_fn]
        while todo:
            node = todo.pop()
            if node is None or node in seen or type(node).__name__ == "AccumulateGrad":
                continue
            seen.add(node)
            names.append(type(node).__name__)
            todo.extend(following for following, _ in node.next_functions)
        results[name] = {"values": {p: scope[p].detach().tolist() for p in parameters},
                         "grad_fns": sorted(names)}
    print(json.dumps(results))
""")

MORE_PROGRAMS = {
    "numbers-on-both-sides": "x = 1.5\ny = 2 ** x + (1 - x) * 3 / x + sin(2.0) * x\n"
                             "z = -y ** 2 + 2 * x - x / 2 + x ** -1 + 1 + x",
    "vectors": "x = [1.0, 2.0]\nw = 0.5\ny = mean((w * x - 1) ** 2) + sum(exp(x * w)) / 2",
    "matrices": "X = [[1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]]\nw = [[0.1, 0.2], [-0.3, 0.4], "
                "[0.5, -0.6]]\nlabels = [2, 0, 1]\nt = [0.5, 0.5, 1.0]\n"
                "Z = X @ transpose(w)\nP = softmax(Z)\nv = sum(P, 1) @ mean(Z, 0)\n"
                "y = cross_entropy(Z, labels) + cross_entropy(log_softmax(Z), [0, 1, 1])"
                " + bce(sigmoid(mean(Z, 0)), t) + v + sum(X) / 4",
    "neuron-and-layer": "x = [1.0, -0.5, 2.0]\nW = [[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]]\n"
                        "b = [0.0, 0.1]\nw = [1.0, -1.0]\nh = tanh(W @ x + b)\n"
                        "p = sigmoid(w @ h)\n"
                        "y = bce(p, 1.0) + sum(W * W) * 0.01 + sum(h @ W) * 0.1",
}


def _walkthroughs() -> dict[str, Walkthrough]:
    walks = {lesson.id: lesson.walkthrough() for lesson in LESSONS}
    walks.update({name: Walkthrough(trace_program(source, parameters=["x"] if "x = 1.5"
                                                  in source else ["w"] + ["W"] * ("W =" in source),
                                                  iterations=2))
                  for name, source in MORE_PROGRAMS.items()})
    return walks


def test_code_listings_run_and_end_where_the_trace_ends_with_the_same_grad_fns():
    walks = _walkthroughs()
    jobs = [(name, walk.listing.text, list(walk.trace.parameters), walk.trace.output_name)
            for name, walk in walks.items()]
    result = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(jobs),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    finals = json.loads(result.stdout.splitlines()[-1])
    for name, walk in walks.items():
        last = walk.trace.iterations[-1]
        for update in last.updates:
            expected = np.ravel(update.after)
            ran = np.ravel(finals[name]["values"][update.name])
            assert list(ran) == pytest.approx(list(expected), rel=1e-5), f"{name}: {update.name}"
        # the nodes torch reaches from the output (a variable only looked at, like the
        # softmax classifier's p, is in the trace but not behind the loss)
        behind, todo = set(), [last.output]
        while todo:
            node = todo.pop()
            if node not in behind:
                behind.add(node)
                todo.extend(edge.source for edge in last.inputs_of(node))
        traced = [node.grad_fn for node in last.nodes
                  if node.grad_fn is not None and node.id in behind]
        # cross_entropy is one node (NllLossBackward0) over torch's inner log_softmax
        traced = sorted(traced + ["LogSoftmaxBackward0"] * traced.count("NllLossBackward0")
                        # vector @ matrix: torch's matmul unsqueezes, mm's and squeezes
                        + ["MmBackward0", "UnsqueezeBackward0"]
                        * traced.count("SqueezeBackward4"))
        assert finals[name]["grad_fns"] == traced, name


def test_a_number_exponent_is_a_python_number_as_in_pytorch():
    walk = find_lesson("chain-rule").walkthrough()
    assert walk.trace.first.node_named("y").grad_fn == "PowBackward0"
    assert walk.steps[0].formula == "y = x² = 1.5² = 2.25"
    assert "PowBackward0" in walk.steps[0].text


@pytest.mark.parametrize("key", ["one-training-step", "3", "One Training Step",
                                 " ONE-training-step "])
def test_find_lesson_by_id_number_or_title(key):
    assert find_lesson(key, LESSONS).id == "one-training-step"


def test_find_lesson_names_the_lessons_when_none_matches():
    with pytest.raises(LessonError, match="chain-rule"):
        find_lesson("no such lesson", LESSONS)


GOOD = """
title = "T"
summary = "S"
intro = "I"
program = "x = 1.0\\ny = x * 2"
[stages]
forward = "F"
[code]
listing = "y = x * 2"
[code.lines]
forward = 1
"""


@pytest.mark.parametrize("change, line, words", [
    (lambda t: t.replace('title = "T"\n', ""), 1, "the field 'title' is missing"),
    (lambda t: 'colour = "red"\n' + t, 1, "unknown field 'colour'"),
    (lambda t: t + 'backward = "one"\n', 12, "'backward' must be a line number"),
    (lambda t: t.replace('[stages]', 'formulas = {x = "2 *"}\n[stages]'), 6,
     "formula for 'x'"),
    (lambda t: t.replace('[stages]', 'iterations = 99\n[stages]'), 6,
     "iterations must be from 1 to 20"),
    (lambda t: t.replace("x * 2\"", "x ** \""), 5, "program: "),
    (lambda t: t.replace('program = "x = 1.0\\ny = x * 2"',
                         'program = """\nx = 1.0\ny = x **\n"""'), 7, "program: "),
    (lambda t: t.replace('forward = "F"', 'sideways = "F"'), 7, "unknown stage 'sideways'"),
    (lambda t: t.replace("forward = 1", "forward = 9"), 11, "outside the listing"),
    (lambda t: t.replace('intro = "I"', 'intro = "I'), 4, "not valid TOML"),
    (lambda t: t.replace('summary = "S"', 'summary = "S"\nparameters = ["q"]'), 4,
     "parameter 'q'"),
    (lambda t: t.replace("forward = 1", '"forward.zz" = 1'), 11, "'zz' is not a variable"),
    (lambda t: t + '[code.comments]\n"forward.q" = "c"\n', 1, "no such line"),
])
def test_a_broken_lesson_file_is_refused_with_its_line(tmp_path, change, line, words):
    path = tmp_path / "x.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_lesson(path).title == "T"
    path.write_text(change(GOOD), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and words in str(caught.value)


def test_the_softmax_classifiers_gradient_at_the_logits_is_p_minus_onehot():
    it = find_lesson("softmax-classifier").trace().first
    p, logits = it.node_named("p").value, it.node_named("logits")
    assert list(logits.grad) == pytest.approx([p[0], p[1], p[2] - 1.0], abs=1e-6)
    assert list(p) == pytest.approx([0.122, 0.547, 0.331], abs=5e-4)  # as the texts say


def test_the_saturated_tanh_unit_passes_a_thousand_times_less_gradient():
    it = find_lesson("two-layer-network").trace().first
    w1_grad = it.node_named("W1").grad  # 2×2: column 1 belongs to the saturated unit
    for row in w1_grad:
        assert abs(row[1]) < abs(row[0]) / 1000 and abs(row[1]) < 1e-3


def test_the_layer_as_matrix_numbers_are_the_ones_its_texts_give():
    lesson = find_lesson("layer-as-matrix")
    it = lesson.trace().first
    assert it.node_named("loss").value == pytest.approx(3.37, abs=1e-5)
    assert list(it.node_named("y").value) == pytest.approx([0.1, 1.6], abs=1e-6)
    assert it.node_named("W").grad == (pytest.approx((-1.8, -3.6, 1.8), abs=1e-5),
                                       pytest.approx((3.2, 6.4, -3.2), abs=1e-5))
