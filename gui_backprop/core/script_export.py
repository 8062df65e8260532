"""Export a trace as a standalone, readable PyTorch script in the tutorial's style.

The script is generated from the *validated* program AST (never from raw text): each
whitelisted function becomes ``torch.<name>``, leaves become ``torch.tensor(...)`` with
``requires_grad=True`` for parameters, and the loop runs forward, ``backward()``, the
update under ``torch.no_grad()`` and ``zero_()``, printing the numbers the app shows.
"""

from __future__ import annotations

from gui_backprop.core.graph import Trace
from gui_backprop.core.torch_source import (
    FUNCTIONAL_IMPORT,
    leaf_line,
    torch_expression,
    uses_functional,
)
from gui_backprop.core.torch_source import literal as literal_text
from gui_backprop.core.training_program import CompiledProgram
from gui_backprop.core.values import Value

__all__ = ["export_script", "export_training_script", "literal_text", "torch_expression"]

HEADER = '''"""{title}

Exported from Backprop Lab. Run it with:  python {filename}
It prints the same numbers the app shows.
"""

import torch

# Backprop Lab computes in double precision; so does this script.
torch.set_default_dtype(torch.float64)
'''


def _free(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name


def _functional(header: str, program) -> str:
    """``header`` with ``import torch.nn.functional as F`` where the program needs it."""
    if uses_functional(program):
        return header.replace("import torch\n", f"import torch\n{FUNCTIONAL_IMPORT}\n", 1)
    return header


def _show(name: str, vector: bool = False) -> str:
    return f"{name}.tolist()" if vector else f"{name}.item()"


def export_script(trace: Trace, title: str = "A program traced by Backprop Lab",
                  filename: str = "backprop_lab_export.py",
                  trained_note: str | None = None) -> str:
    """The source of a script that reproduces ``trace``'s numbers; ``trained_note``
    names the training run whose result its values are (its update stays the manual
    one, as in the walkthrough)."""
    program = trace.program
    taken = set(program.names)
    step_var = _free("step", taken)
    rate_var = _free("learning_rate", taken)
    updated = [u.name for u in trace.first.updates]

    def vec(name: str) -> bool:
        return isinstance(trace.values[name], tuple)

    lines = [_functional(HEADER.format(title=title.replace('"""', "'''"), filename=filename),
                         program)]
    if trained_note:
        lines.append(f"# the values, Backprop Lab's Train tab: {trained_note};")
        lines.append("# the update below is the manual rule, whichever rule trained them")
    lines.append("# the leaves: parameters have requires_grad=True")
    for name, value in trace.values.items():
        lines.append(leaf_line(program, name, value, name in trace.parameters))
    lines.append(f"{rate_var} = {trace.learning_rate!r}")
    lines.append("")
    zero_grad = trace.iterations[0].zero_grad
    lines.append(f"for {step_var} in range({len(trace.iterations)}):")
    lines.append("    # forward pass: compute the output")
    for stmt in program.statements:
        if stmt.literal is not None:
            continue
        lines.append(f"    {stmt.target} = {torch_expression(stmt.expression)}")
    output = trace.output_name
    lines.append(f'    print("step", {step_var}, "{output} =", {_show(output)})')
    lines.append("")
    lines.append("    # backward pass: the chain rule, from the output back to every parameter")
    lines.append(f"    {output}.backward()")
    for name in updated:
        shown = _show(name + ".grad", vec(name))
        lines.append(f'    print("step", {step_var}, "{name}.grad =", {shown})')
    lines.append("")
    lines.append("    # update the parameters; this must not be recorded in the graph")
    lines.append("    with torch.no_grad():")
    for name in updated:
        lines.append(f"        {name} -= {rate_var} * {name}.grad")
    for name in updated:
        lines.append(f'    print("step", {step_var}, "{name} =", {_show(name, vec(name))})')
    lines.append("")
    if zero_grad:
        lines.append("    # zero the gradients, or the next backward() would add to them")
        for name in updated:
            lines.append(f"    {name}.grad.zero_()")
    else:
        lines.append("    # the gradients are NOT zeroed here, so they accumulate")
    return "\n".join(lines).rstrip() + "\n"


TRAINING_HEADER = '''"""{title}

Exported from Backprop Lab: the training run, as the app ran it: {epochs:,} epochs of
gradient descent on the data below, learning rate {rate!r}. Run it with:
python {filename}
It prints the loss the app plotted (and its loss history CSV holds) at step 0, every
{every:,} steps and at the end, then the trained parameters.
"""

import torch

# Backprop Lab computes in double precision; so does this script.
torch.set_default_dtype(torch.float64)
'''


OPTIMIZER_CALLS = {
    "sgd": "torch.optim.SGD([{params}], lr={rate})",
    "momentum": "torch.optim.SGD([{params}], lr={rate}, momentum=0.9)",
    "adam": "torch.optim.Adam([{params}], lr={rate})",
}
"""The ``torch.optim`` call of each update rule the Train tab offers (the manual rule has
none); the same as :func:`~gui_backprop.core.training_optimizers.make_optimizer`."""


def export_training_script(program, values: dict[str, Value], parameters: tuple[str, ...],
                           output: str, learning_rate: float, epochs: int, sgd: bool = False,
                           title: str = "A training run of Backprop Lab",
                           filename: str = "backprop_lab_training.py", *,
                           rule: str | None = None, batch_size: int | None = None,
                           seed: int = 0, data_names: tuple[str, str] | None = None,
                           zero_grad: bool = True) -> str:
    """The source of a script that trains ``program`` as the Train tab did: from
    ``values`` (the data trained on included), ``epochs`` updates of ``parameters`` at
    ``learning_rate``: by hand, or with the ``torch.optim`` optimizer of ``rule``
    (``"sgd"``, ``"momentum"``, ``"adam"``; ``sgd`` is the older way to say ``"sgd"``).

    With ``batch_size`` smaller than the data (``data_names``: the input and the target)
    each epoch draws the mini-batches as the app does (``torch.randperm`` with a generator
    seeded with ``seed``), and the loss printed is the loss on all the points. Without
    ``zero_grad`` (a lesson that leaves it out) the gradients are never zeroed."""
    rule = rule or ("sgd" if sgd else "manual")
    used = CompiledProgram(program).depends_on(output)
    parameters = tuple(name for name in parameters if name in used)  # the ones with a .grad
    taken = set(program.names)
    epoch_var, epochs_var = _free("step", taken), _free("epochs", taken)
    rate_var, optimizer_var = _free("learning_rate", taken), _free("optimizer", taken)
    batched = batch_size is not None and data_names is not None \
        and batch_size < len(values[data_names[1]])
    every = max(1, epochs // 10)
    lines = [_functional(TRAINING_HEADER.format(
        title=title.replace('"""', "'''"), filename=filename, epochs=epochs,
        rate=learning_rate, every=every), program)]
    lines.append("# the data and the starting values: parameters have requires_grad=True")
    whole = {}
    if batched:
        whole = {name: _free(f"{name}_all", taken) for name in data_names}
    for name, value in values.items():
        line = leaf_line(program, name, value, name in parameters)
        lines.append(whole.get(name, name) + line[len(name):])  # data: all the points
    lines.append(f"{rate_var} = {learning_rate!r}")
    lines.append(f"{epochs_var} = {epochs!r}")
    if rule != "manual":
        call = OPTIMIZER_CALLS[rule].format(params=", ".join(parameters), rate=rate_var)
        lines.append(f"{optimizer_var} = {call}")
    forward = []
    for stmt in program.statements:
        if stmt.literal is not None:
            continue
        forward.append(f"{stmt.target} = {torch_expression(stmt.expression)}")
    show = f'print("step", {epoch_var}, "{output} =", {_show(output)})'
    update = []
    if rule != "manual":
        update += ["# the update, by PyTorch's optimizer", f"{optimizer_var}.step()"]
        zeroing = [f"{optimizer_var}.zero_grad()"]
    else:
        update += ["# update the parameters; this must not be recorded in the graph",
                   "with torch.no_grad():"]
        update += [f"    {name} -= {rate_var} * {name}.grad" for name in parameters]
        zeroing = [f"{name}.grad.zero_()" for name in parameters]
    if zero_grad:
        update += ["# zero the gradients, or the next backward() would add to them",
                   *zeroing]
    else:
        update.append("# the gradients are NOT zeroed (as in the lesson): they accumulate")
    if batched:
        lines += _batched_loop(forward, update, show, whole, batch_size, seed,
                               len(values[data_names[1]]), epoch_var, epochs_var, every,
                               output, taken)
        lines += ["", "# the loss on all the points after the last epoch",
                  f"{epoch_var} = {epochs_var}", *_assign_whole(whole, "", "")]
    else:
        lines += ["", f"for {epoch_var} in range({epochs_var}):", "    # forward pass"]
        lines += [f"    {line}" for line in forward]
        lines.append(f"    if {epoch_var} % {every} == 0:")
        lines.append(f"        {show}")
        lines += ["    # backward pass", f"    {output}.backward()"]
        lines += [f"    {line}" for line in update]
        lines += ["", "# the loss after the last update", f"{epoch_var} = {epochs_var}"]
    lines += forward + [show]
    for name in parameters:
        lines.append(f'print("step", {epoch_var}, "{name} =", '
                     f"{_show(name, isinstance(values[name], tuple))})")
    return "\n".join(lines).rstrip() + "\n"


def _assign_whole(whole: dict[str, str], indent: str, index: str) -> list[str]:
    names = list(whole)
    return [f"{indent}{', '.join(names)} = "
            f"{', '.join(f'{whole[n]}{index}' for n in names)}"]


def _batched_loop(forward, update, show, whole, batch_size, seed, points, epoch_var,
                  epochs_var, every, output, taken) -> list[str]:
    """The epochs of mini-batches; the loss on all the points every ``every`` epochs."""
    generator, batch = _free("generator", taken), _free("batch", taken)
    out = [f"# mini-batches of {batch_size}: a new order of the {points} points each epoch",
           f"{generator} = torch.Generator().manual_seed({seed!r})",
           "", f"for {epoch_var} in range({epochs_var}):",
           f"    if {epoch_var} % {every} == 0:  # the loss on all the points",
           *_assign_whole(whole, "        ", ""),
           *[f"        {line}" for line in forward], f"        {show}",
           f"    for {batch} in torch.split(torch.randperm({points}, generator={generator}), "
           f"{batch_size!r}):",
           *_assign_whole(whole, "        ", f"[{batch}]"),
           "        # forward pass on the batch",
           *[f"        {line}" for line in forward],
           "        # backward pass", f"        {output}.backward()",
           *[f"        {line}" for line in update]]
    return out
