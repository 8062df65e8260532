"""A lesson file from a program: what File › Save as lesson… writes.

The program, its values, parameters and learning rate become the lesson's fields; a
PyTorch listing in the tutorial's style is generated from the checked program (never
from raw text) with an anchor for each step; the teacher's texts are written as TOML
strings that read back exactly. The result passes ``gui-backprop check-lesson``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping

from gui_backprop.core.graph import Trace
from gui_backprop.core.script_export import literal_text, torch_expression
from gui_backprop.core.walkthrough import Stage

DEFAULT_STAGE_TEXTS = {
    Stage.FORWARD: "The forward pass computes each line of the program in order.",
    Stage.LOCAL: "Each operation's local gradient, for every input that needs a gradient.",
    Stage.BACKWARD: "The chain rule from the output back to every parameter.",
    Stage.UPDATE: "Each parameter takes a step against its gradient, inside "
                  "torch.no_grad().",
    Stage.ZERO_GRAD: "The stored gradients are set back to zero.",
}


def lesson_id_for(title: str) -> str:
    """A file-name-safe id from a title: ``"My First Lesson!"`` -> ``my-first-lesson``."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:60] or "my-lesson"


def toml_string(text: str) -> str:
    """``text`` as a TOML string: a multi-line literal string where that reads back
    exactly (no escapes, easy to edit), else a basic string with escapes."""
    # a lone surrogate cannot be written as UTF-8: it becomes U+FFFD
    text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    plain = all(ch in "\n\t" or ch >= " " for ch in text) and "\x7f" not in text
    if "\n" in text and plain and "'''" not in text and not text.endswith("'"):
        return f"'''\n{text}'''"  # the newline after the opening quotes is not text
    # JSON's escapes (\" \\ \n \t \uXXXX) are all valid in a TOML basic string; DEL,
    # which JSON leaves as it is, TOML wants escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")



def listing_for(trace: Trace) -> tuple[str, dict[str, int]]:
    """A PyTorch listing that computes ``trace`` (one iteration) and the line each
    stage, and each variable's forward step, runs."""
    program = trace.program
    lines = ["import torch", ""]
    for name, value in trace.values.items():
        grad = ", requires_grad=True" if name in trace.parameters else ""
        lines.append(f"{name} = torch.tensor({literal_text(value)}{grad})")
    lines.append("")
    anchors: dict[str, int] = {}
    for statement in program.statements:
        if statement.literal is None:
            lines.append(f"{statement.target} = {torch_expression(statement.expression)}")
            anchors[f"forward.{statement.target}"] = len(lines)
    anchors[Stage.FORWARD.value] = len(lines)
    lines.append("")
    lines.append(f"{trace.output_name}.backward()")
    anchors[Stage.LOCAL.value] = anchors[Stage.BACKWARD.value] = len(lines)
    lines.append("")
    lines.append("with torch.no_grad():")
    for name in trace.parameters:
        lines.append(f"    {name} -= {trace.learning_rate!r} * {name}.grad")
    anchors[Stage.UPDATE.value] = len(lines) - len(trace.parameters) + 1
    for name in trace.parameters:
        lines.append(f"{name}.grad.zero_()")
    anchors[Stage.ZERO_GRAD.value] = len(lines) - len(trace.parameters) + 1
    return "\n".join(lines), anchors


def lesson_file_text(trace: Trace, title: str, summary: str, intro: str,
                     stage_texts: Mapping[Stage, str] | None = None,
                     order: int = 100) -> str:
    """The TOML of a lesson that walks through ``trace``'s program, values, parameters
    and learning rate, with the teacher's texts (empty stage texts take a default)."""
    texts = {stage: (stage_texts or {}).get(stage, "").strip() or DEFAULT_STAGE_TEXTS[stage]
             for stage in Stage}
    source = "".join(f"{s.target} = {literal_text(trace.values[s.target])}\n"
                     if s.literal is not None else f"{s.text}\n" for s in trace.program.statements)
    listing, anchors = listing_for(trace)
    out = [f"order = {int(order)}",
           f"title = {toml_string(title.strip() or 'My lesson')}",
           f"summary = {toml_string(summary.strip() or title.strip() or 'My lesson')}",
           f"intro = {toml_string(intro.strip() or 'Step through the program.')}",
           f"program = {toml_string(source)}",
           f"parameters = {json.dumps(list(trace.parameters))}",
           f"learning_rate = {trace.learning_rate!r}",
           f"output = {json.dumps(trace.output_name)}",
           "", "[stages]"]
    out += [f"{stage.value} = {toml_string(texts[stage])}" for stage in Stage]
    out += ["", "[code]", f"listing = {toml_string(listing + chr(10))}", "", "[code.lines]"]
    out += [f"{json.dumps(key) if '.' in key else key} = {line}"
            for key, line in anchors.items()]
    text = "\n".join(out) + "\n"
    tomllib.loads(text)  # every string above reads back; a failure here is a bug
    return text
