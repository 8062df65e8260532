"""Predict-the-gradient: right answers accepted and wrong ones rejected at every stage."""

import pytest

from gui_backprop.core.exercise import (
    Question,
    Scoreboard,
    check_answer,
    check_shape,
    parse_shape,
    question_for,
)
from gui_backprop.core.formatting import format_value
from gui_backprop.core.lessons import load_lessons
from gui_backprop.core.walkthrough import Stage
from tests.shared_helpers import typed_answer, wrong_answer

LESSONS = load_lessons()




@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_asked_step_accepts_the_right_answer_and_rejects_a_wrong_one(lesson):
    walkthrough = lesson.walkthrough()
    asked = set()
    for step in walkthrough.steps:
        question = question_for(walkthrough, step)
        if question is None:
            # nothing to predict: an update, a zero_grad, or an edge that does not lead
            # to the output (the softmax classifier's p, computed only to look at)
            it = walkthrough.trace.iterations[step.iteration]
            dead_end = step.stage is Stage.LOCAL and next(
                e for e in it.edges if e.id == step.edge).local_grad is None
            assert step.stage in (Stage.UPDATE, Stage.ZERO_GRAD) or dead_end, step.title
            continue
        asked.add(step.stage)
        assert check_answer(question, typed_answer(question.expected)).correct
        if not isinstance(question.expected, tuple):
            assert check_answer(question, format_value(question.expected, digits=4)).correct
        verdict = check_answer(question, typed_answer(wrong_answer(question.expected)))
        assert verdict.valid and not verdict.correct
        assert format_value(question.expected) in verdict.message
    assert asked == {Stage.FORWARD, Stage.LOCAL, Stage.BACKWARD}


def test_tolerance_accepts_rounding_but_not_a_different_number():
    walkthrough = LESSONS[2].walkthrough()  # one training step
    backward_w = next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD
                      and walkthrough.trace.first.nodes[s.node].name == "w")
    question = question_for(walkthrough, backward_w)
    assert question.expected == -2.0
    assert check_answer(question, "-2").correct
    assert check_answer(question, " -2.001 ").correct
    assert not check_answer(question, "2").correct
    assert not check_answer(question, "-1.9").correct


def test_text_that_is_not_a_number_is_not_counted():
    walkthrough = LESSONS[0].walkthrough()
    question = question_for(walkthrough, walkthrough.steps[0])
    board = Scoreboard()
    for text in ("", "two", "__import__('os')", "nan", "1e999", "[1, 'a']"):
        verdict = check_answer(question, text)
        assert not verdict.valid and "number" in verdict.message
        board.record("chain-rule", verdict)
    assert board.score("chain-rule") == (0, 0)
    board.record("chain-rule", check_answer(question, typed_answer(question.expected)))
    board.record("chain-rule", check_answer(question, "12345"))
    assert board.score("chain-rule") == (1, 2)


def test_a_forward_prompt_names_an_unnamed_node_once():
    walkthrough = load_lessons()[2].walkthrough()
    prompts = [question_for(walkthrough, step).prompt for step in walkthrough.steps[:3]]
    assert prompts[0] == "What is the value of y_pred = w * x?"
    assert prompts[1] == "What is the value of y_pred - y?"


def test_the_headline_is_the_verdict_without_the_working():
    walkthrough = load_lessons()[2].walkthrough()
    question = question_for(walkthrough, walkthrough.steps[9])
    right, wrong = check_answer(question, "-2"), check_answer(question, "3")
    assert right.headline == "Right: -2.0" and wrong.headline == "Not quite: it is -2.0"
    assert wrong.message == f"Not quite: it is -2.0. Working: {question.working}"
    invalid = check_answer(question, "two")
    assert not invalid.valid and invalid.headline == invalid.message


def test_a_backward_question_says_it_wants_this_pass_when_grad_holds_more():
    lesson = next(x for x in load_lessons() if x.id == "forgetting-zero-grad")
    walkthrough = lesson.walkthrough()
    asked = [question_for(walkthrough, step) for step in walkthrough.steps
             if step.iteration == 1 and step.stage is Stage.BACKWARD and step.node is not None
             and walkthrough.trace.iterations[1].nodes[step.node].name == "w"]
    [question] = asked
    assert question.prompt == ("What is ∂loss/∂w in this backward pass? (Not w.grad: it "
                               "still holds -2.0 and adds this to it.)")
    assert question.expected == pytest.approx(-1.96)


def test_a_tiny_gradient_is_graded_on_its_own_scale_not_the_largest_elements():
    # lesson 10's saturated unit: W1.grad's second column is about +0.0008 beside -1.6;
    # 0 or the wrong sign there is wrong, however small
    expected = ((-1.686, 0.000788), (-1.526, 0.000674))
    question = Question(0, "What is W1.grad?", expected, "", "")
    assert check_answer(question, "[[-1.686, 0.000788], [-1.526, 0.000674]]").correct
    assert check_answer(question, "[[-1.69, 0.00079], [-1.53, 0.00067]]").correct
    assert not check_answer(question, "[[-1.686, -0.0008], [-1.526, -0.0007]]").correct
    assert not check_answer(question, "[[-1.686, 0], [-1.526, 0]]").correct


# -- the shape question at a backward step whose gradient is a tensor ----------------------

@pytest.mark.parametrize(("text", "shape"), [
    ("2×3", (2, 3)), ("2x3", (2, 3)), (" 2 X 3 ", (2, 3)), ("(2, 3)", (2, 3)),
    ("torch.Size([2, 3])", (2, 3)), ("2 3", (2, 3)), ("3", (3,)), ("[3]", (3,)),
    ("two by three", None), ("2×3×4", None), ("0×3", None), ("-2x3", None), ("", None),
    ("2.5x3", None), ("99999999x2", None)])
def test_a_typed_shape_is_read_or_refused(text, shape):
    assert parse_shape(text) == shape


def test_the_backward_step_at_w_asks_w_grads_real_shape_first():
    import torch

    from gui_backprop.core.lessons import find_lesson
    walkthrough = find_lesson("layer-as-matrix").walkthrough()
    trace = walkthrough.trace
    step = next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD
                and s.node is not None and trace.first.nodes[s.node].name == "W")
    question = question_for(walkthrough, step)
    # W.grad's shape from autograd, computed here
    W = torch.tensor(trace.values["W"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(trace.values["b"], dtype=torch.float64, requires_grad=True)
    x, t = (torch.tensor(trace.values[n], dtype=torch.float64) for n in ("x", "t"))
    ((W @ x + b - t) ** 2).sum().backward()
    assert question.shape == tuple(W.grad.shape) == (2, 3)
    assert question.shape_prompt.startswith("What shape is W.grad?")
    right = check_shape(question, "2×3")
    assert right.valid and right.correct and right.message == "Right: 2×3, the shape of W."
    wrong = check_shape(question, "3x2")
    assert wrong.valid and not wrong.correct
    assert wrong.message == ("Not quite: it is 2×3, not 3×2. A gradient always has the shape "
                             "of its value: W is 2×3.")
    refused = check_shape(question, "six")
    assert not refused.valid and "rows×columns such as 4×5" in refused.message


def test_only_backward_steps_with_a_tensor_gradient_ask_a_shape():
    from gui_backprop.core.lessons import find_lesson
    walkthrough = find_lesson("layer-as-matrix").walkthrough()
    for step in walkthrough.steps:
        question = question_for(walkthrough, step)
        if question is None:
            continue
        tensor = isinstance(question.expected, tuple)
        assert (question.shape is not None) == (step.stage is Stage.BACKWARD and tensor)
    scalar = question_for(*_first_backward("one-training-step"))
    assert scalar.shape is None


def _first_backward(lesson_id):
    from gui_backprop.core.lessons import find_lesson
    walkthrough = find_lesson(lesson_id).walkthrough()
    return walkthrough, next(s for s in walkthrough.steps if s.stage is Stage.BACKWARD)
