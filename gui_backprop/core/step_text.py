"""The title, sentence and formula of each walkthrough step, with the real numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gui_backprop.core import formulas as f
from gui_backprop.core.formatting import format_value
from gui_backprop.core.functions import OPERATIONS
from gui_backprop.core.graph import Edge, Iteration, Node, NodeKind, ParameterUpdate, Trace
from gui_backprop.core.nonfinite import is_finite
from gui_backprop.core.tensor_functions import shape_check
from gui_backprop.core.values import elements, is_matrix, shape_text, value_shape


@dataclass(frozen=True)
class StepText:
    """What a step says: a short title, a sentence and a formula."""

    title: str
    sentence: str
    formula: f.Formula


def _v(value, parens: bool = True) -> str:
    text = format_value(value)
    if parens and not isinstance(value, tuple) and value is not None and value < 0:
        return f"({text})"
    return text


def _operation_with_values(it: Iteration, node: Node) -> f.Formula:
    operands = [it.nodes[e.source] for e in it.inputs_of(node.id)]
    values = [f.number(o.value, parens=True) for o in operands]
    labels = [f.symbol(o.label) for o in operands]
    if node.op in f.SYMBOLS:
        sym, lsym = f.SYMBOLS[node.op], f.LATEX_SYMBOLS[node.op]
        if node.op == "pow":
            constant = operands[1].value if operands[1].kind is NodeKind.CONSTANT else None
            return (f.power(labels[0], labels[1], constant),
                    f.power(values[0], values[1], constant))
        return (f.Formula(f"{labels[0].text} {sym} {labels[1].text}",
                          f"{labels[0].latex} {lsym} {labels[1].latex}"),
                f.Formula(f"{values[0].text} {sym} {values[1].text}",
                          f"{values[0].latex} {lsym} {values[1].latex}"))
    if node.op == "neg":
        return (f.Formula(f"-{labels[0].text}", f"-{labels[0].latex}"),
                f.Formula(f"-{values[0].text}", f"-{values[0].latex}"))
    if node.op == "matmul" and len(operands) == 2:  # written W @ x, as the program does
        return (f.Formula(f"{labels[0].text} @ {labels[1].text}",
                          rf"{labels[0].latex} \,@\, {labels[1].latex}"),
                f.Formula(f"{values[0].text} @ {values[1].text}",
                          rf"{values[0].latex} \,@\, {values[1].latex}"))
    # every operand (a call's own parentheses suffice around a value), then a dim
    extra = [] if node.dim is None else [f.Formula(str(node.dim), str(node.dim))]
    inner = [f.Formula(o.label, f.expression_to_latex(o.label)) for o in operands] + extra
    arguments = [f.number(o.value) for o in operands] + extra
    return (_call(node.op, inner), _call(node.op, arguments))


def _call(name: str, arguments: list[f.Formula]) -> f.Formula:
    return f.Formula(f"{name}({', '.join(a.text for a in arguments)})",
                     rf"\mathrm{{{name}}}({', '.join(a.latex for a in arguments)})")


def forward_text(it: Iteration, node: Node) -> StepText:
    """Forward step: compute one operation from values already known."""
    symbolic, numeric = _operation_with_values(it, node)
    result = f.number(node.value)
    op = OPERATIONS[node.op]
    if node.name is not None:
        formula = f.equals(f.symbol(node.name), symbolic, numeric, result)
        title = f"Forward: {node.name}"
    else:
        formula = f.equals(symbolic, numeric, result)
        title = f"Forward: {node.expression}"
    sentence = (f"Compute {node.label} from values already known ({op.describe}): "
                f"{numeric.text} = {result.text}.")
    if node.grad_fn:
        sentence += (f" PyTorch records the operation in the graph as {node.grad_fn}, "
                     "to use in the backward pass.")
    if node.note:
        sentence += f" Not a finite number: {node.note}. PyTorch carries on without a warning."
    return StepText(title, sentence, formula)


def edge_label(it: Iteration, edge: Edge) -> str:
    """The text an edge shows once revealed, such as ``∂y_pred/∂w = x = 1.0`` (for an
    operation that is not element-wise, the rule with shapes: ``∂L/∂W = ∂L/∂y · xᵀ (2×1 ·
    1×3 = 2×3) = [[...]]``)."""
    if not edge.tracked:
        return ""
    return f"{edge_rule(it, edge)} = {format_value(edge.local_grad)}"


def edge_rule(it: Iteration, edge: Edge) -> str:
    """An edge's derivative and its rule, naming what its numbers are: ``∂y_pred/∂w =
    x`` (a local derivative), or for an operation that is not element-wise, whose edge
    carries the gradient of the output, ``∂loss/∂W = ∂loss/∂(W @ x) · xᵀ (…)``."""
    target, source = it.nodes[edge.target], it.nodes[edge.source]
    of = it.nodes[it.output].label if edge.vector_jacobian \
        else target.name or target.expression
    return f"{f.derivative(of, source.label).text} = {edge.derivative_shown}"


def local_text(it: Iteration, edge: Edge) -> StepText:
    """Local-gradient step: how the operation's output changes with one input."""
    target, source = it.nodes[edge.target], it.nodes[edge.source]
    if edge.vector_jacobian:
        return _vector_jacobian_text(it, edge)
    of = target.name or target.expression
    d = f.derivative(of, source.label)
    value = f.number(edge.local_grad)
    rhs = f.raw(edge.derivative_shown or "", f.expression_to_latex(edge.derivative_shown or ""))
    formula = f.equals(d, rhs, value)
    sentence = (f"How much {of} changes when {source.label} changes a little, the other inputs "
                f"held fixed: {d.text} = {rhs.text}, which is {value.text} here.")
    if is_matrix(edge.local_grad):
        sentence += " One number per element of the matrix."
    elif isinstance(edge.local_grad, tuple):
        sentence += " One number per element of the vector."
    return StepText(f"Local gradient {d.text}", sentence, formula)


_UPSTREAM = re.compile(r"∂([^/\s]+)/∂(\([^()]*\)|[^\s·]+)")
_SHAPES = re.compile(r"\s*(\([^()]*=[^()]*\))\s*$")


_NOTE = re.compile(r"\s*\(([^()=]*[A-Za-z]{2,}\s[^()=]*)\)\s*$")
_NAMED = re.compile(r"\b(softmax|onehot|rowsum|log|exp|tanh|sigmoid|relu|transpose)\(")


def rule_latex(rule: str) -> str:
    """A rule with shapes (``∂L/∂y · xᵀ (2×1 · 1×3 = 2×3)``) for mathtext: the
    upstream gradient as a fraction, the shapes in one group (a line never breaks at
    their ``=``), a closing note in words (``(Σ over each row; 3)``) as text, with its
    spaces, and function names upright."""
    note = _NOTE.search(rule)
    ending = ""
    if note:  # words in math mode lose their spaces: "Σovereachrow"
        rule, ending = rule[:note.start()], r"\quad{(\text{" + note.group(1) + "})}"
    shapes = _SHAPES.search(rule)
    if shapes:
        rule = rule[:shapes.start()] + r"\quad{" + shapes.group(1) + "}"
    rule = _UPSTREAM.sub(lambda m: "\\frac{∂" + m.group(1) + "}{∂" + m.group(2) + "}", rule)
    rule = _NAMED.sub(r"\\mathrm{\1}(", rule)
    for plain, latex in (("∂", r"\partial "), ("ᵀ", "^{T}"), ("⊙", r"\odot "),
                         ("Σ", r"\Sigma "), ("·", r"\cdot "), ("×", r"\times "),
                         ("−", "-"), ("→", r"\rightarrow "), ("_", r"\_")):
        rule = rule.replace(plain, latex)
    return rule + ending


def _vector_jacobian_text(it: Iteration, edge: Edge) -> StepText:
    target, source = it.nodes[edge.target], it.nodes[edge.source]
    out = it.nodes[it.output]
    d = f.derivative(out.label, source.label)
    rule = f.raw(edge.derivative_shown or "", rule_latex(edge.derivative_shown or ""))
    value = f.number(edge.local_grad)
    op = OPERATIONS[target.op]
    sentence = (f"{op.describe.capitalize()} is not element by element, so there is no "
                f"single local derivative per element. What {target.label} sends back to "
                f"{source.label} is the gradient arriving at {target.label} carried through "
                f"the operation (the vector-Jacobian product that {target.grad_fn} computes): "
                f"{d.text} = {rule.text}, which is {value.text} here, "
                f"{shape_text(source.shape)} like {source.label}.")
    check = _shape_check(it, edge)
    if check:
        sentence += " " + check
    if edge.local_grad is None:
        sentence = (f"{target.label} does not lead to {out.label}, so nothing comes back "
                    f"through it to {source.label}.")
    return StepText(f"What {target.label} sends to {source.label}", sentence,
                    f.equals(d, rule, value))


def _shape_check(it: Iteration, edge: Edge) -> str | None:
    target = it.nodes[edge.target]
    operands = [it.nodes[e.source] for e in it.inputs_of(edge.target)]
    return shape_check(target.op, edge.position, [o.label for o in operands],
                       [o.shape for o in operands], target.shape)


def backward_text(it: Iteration, node: Node, trace: Trace) -> StepText:
    """Backward step: upstream gradient times local gradient (summed over paths)."""
    out = it.nodes[it.output]
    d = f.derivative(out.label, node.label)
    if node.id == it.output:
        formula = f.equals(d, f.number(1.0))
        sentence = (f"The backward pass starts at the output: the gradient of {out.label} "
                    "with respect to itself is 1.")
        return StepText(f"Backward: start at {out.label}", sentence, formula)
    uses = [e for e in it.uses_of(node.id) if e.tracked and e.contribution is not None]
    symbolic, numeric, paths = [], [], []
    checks = []
    for edge in uses:
        target = it.nodes[edge.target]
        if edge.vector_jacobian:
            rule = edge.derivative_shown or ""
            symbolic.append(f.raw(rule, rule_latex(rule)))
            numeric.append(f.number(edge.contribution, parens=True))
            paths.append(f"through {target.label}: {rule} = "
                         f"{_v(edge.contribution, parens=False)}")
            checks.append(_shape_check(it, edge))
            continue
        upstream = f.derivative(out.label, target.label)
        local = f.derivative(target.name or target.expression, node.label)
        summed = _summed_over(node, target)
        # an operand broadcast against a bigger one: its gradient adds up the product's
        # elements (a number or a one-element list) or rows (a row added to a matrix)
        total = f.summed if summed else (lambda formula, tall=False: formula)
        symbolic.append(total(f.times(upstream, local), tall=True))
        numeric.append(total(f.times(f.number(target.grad, parens=True),
                                     f.number(edge.local_grad, parens=True))))
        paths.append(f"through {target.label}: {_v(target.grad)} × {_v(edge.local_grad)}"
                     + (f" summed over the {summed}" if summed else "")
                     + f" = {_v(edge.contribution, parens=False)}")
    result = f.number(node.grad)
    if len(uses) == 1 and uses[0].vector_jacobian:  # the product's value is the result
        formula = f.equals(d, f.plus(symbolic), result)
    else:
        formula = f.equals(d, f.plus(symbolic), f.plus(numeric), result)
    before = it.grad_before.get(node.name) if node.kind is NodeKind.LEAF else None
    if _holds(before):
        # the node shows .grad, which is this sum: the formula says so too
        grad_attr = f.symbol(node.name)
        stored = f.Formula(f"{grad_attr.text}.grad", rf"{grad_attr.latex}.\mathrm{{grad}}")
        formula = f.Formula(f"{formula.text};  ", formula.latex + r",\quad ") + f.equals(
            stored, f.plus([f.number(before), f.number(node.grad, parens=True)]),
            f.number(node.grad_attr))
    if len(uses) == 1 and uses[0].vector_jacobian:
        sentence = (f"Chain rule through {it.nodes[uses[0].target].label}, which is not element "
                    f"by element: the gradient arriving there, carried back through the "
                    f"operation: {paths[0].split(': ', 1)[1]}.")
    elif len(uses) == 1:
        sentence = (f"Chain rule: multiply the gradient arriving from "
                    f"{it.nodes[uses[0].target].label} (upstream) by the local gradient: "
                    f"{paths[0].split(': ', 1)[1]}.")
    else:
        sentence = (f"{node.label} is used in {len(uses)} places, so the gradients of all paths "
                    f"add up: " + "; ".join(paths) + f". Together: {result.text}.")
    sentence += "".join(f" {check}" for check in checks if check)
    if node.kind is NodeKind.LEAF:
        sentence += _leaf_note(it, node)
    if node.grad_note:
        sentence += f" Not a finite number: {node.grad_note}."
    title = f"Backward: {d.text}"
    return StepText(title, sentence, formula)


def _summed_over(node: Node, target: Node) -> str | None:
    """What an element-wise operand's gradient adds up when the operand was broadcast
    (torch sums the product over the repeated dimensions): "elements" for a number or a
    one-element list against more elements, "rows" for a row against a matrix."""
    if node.value is None or target.value is None:
        return None
    shape, target_shape = value_shape(node.value), value_shape(target.value)
    if shape == target_shape:
        return None
    if len(elements(node.value)) == 1:
        return "elements" if len(elements(target.value)) > 1 else None
    if len(target_shape) == 2 and target_shape[0] > 1 and \
            shape in ((target_shape[1],), (1, target_shape[1])):
        return "rows"
    return None


def _holds(grad) -> bool:
    return grad is not None and any(v != 0 for v in elements(grad))


def _leaf_note(it: Iteration, node: Node) -> str:
    before = it.grad_before.get(node.name)
    if _holds(before):
        return (f" {node.name}.grad still held {_v(before, parens=False)} from the previous pass "
                f"(it was not zeroed), and PyTorch adds to it: {node.name}.grad is now "
                f"{_v(node.grad_attr, parens=False)}.")
    return f" {it.nodes[it.output].label}.backward() stores this in {node.name}.grad."


def update_text(update: ParameterUpdate, learning_rate: float) -> StepText:
    """Update step: ``w -= lr * w.grad`` under ``torch.no_grad()``."""
    name = update.name
    numeric = f"{_v(update.before)} - {_v(learning_rate)} × {_v(update.grad)}"
    after = _v(update.after, parens=False)
    latex_name = f.symbol(name).latex
    latex_numeric = numeric.replace("×", r"\times")
    formula = f.Formula(
        f"{name} ← {name} - lr × {name}.grad = {numeric} = {after}",
        rf"{latex_name} \leftarrow {latex_name} - \mathrm{{lr}} \cdot {latex_name}.\mathrm{{grad}}"
        + f.counts_as_text(f" = {latex_numeric} = {after}"))
    sentence = (f"Inside torch.no_grad(), move {name} a small step against its gradient: "
                f"{numeric} = {_v(update.after, parens=False)}. The update itself is not "
                "recorded in the graph.")
    if not is_finite(update.after):
        sentence += (f" Careful: {name} is now {_v(update.after, parens=False)}, because its "
                     f"gradient {_v(update.grad, parens=False)} is not finite. This is not "
                     "a step downhill: every later number is undefined too; change the "
                     "values or the program.")
    if update.after_if_zeroed is not None:
        sentence += (f" But {name}.grad held old gradients too: with {name}.grad zeroed, "
                     f"this pass's gradient {_v(update.pass_grad, parens=False)} would have "
                     f"given {_v(update.before)} - {_v(learning_rate)} × "
                     f"{_v(update.pass_grad)} = {_v(update.after_if_zeroed, parens=False)}, "
                     f"the {name} that would have been right.")
    return StepText(f"Update {name}", sentence, formula)


def zero_grad_text(update: ParameterUpdate) -> StepText:
    """Zero-grad step: ``w.grad.zero_()``."""
    name = update.name
    formula = f.Formula(f"{name}.grad ← {_v(update.grad_after_zero, parens=False)}",
                        rf"{f.symbol(name).latex}.\mathrm{{grad}} \leftarrow "
                        + f.counts_as_text(_v(update.grad_after_zero, parens=False)))
    sentence = (f"{name}.grad.zero_() sets the stored gradient back to zero (it was "
                f"{_v(update.grad, parens=False)}). Without it, the next backward pass would "
                "add its gradient to this old one instead of replacing it.")
    return StepText(f"Zero {name}.grad", sentence, formula)
