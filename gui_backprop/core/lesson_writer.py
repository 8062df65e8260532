"""A lesson file from a program: what File › Save as lesson… writes.

The program, its values, parameters and learning rate become the lesson's fields (the
app writes the PyTorch listing from the program, as for every lesson); the teacher's
texts are written as TOML strings that read back exactly. The result passes
``gui-backprop check-lesson``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping

from gui_backprop.core.graph import Trace
from gui_backprop.core.script_export import literal_text
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



def lesson_file_text(trace: Trace, title: str, summary: str, intro: str,
                     stage_texts: Mapping[Stage, str] | None = None,
                     order: int = 100) -> str:
    """The TOML of a lesson that walks through ``trace``'s program, values, parameters
    and learning rate, with the teacher's texts (empty stage texts take a default)."""
    texts = {stage: (stage_texts or {}).get(stage, "").strip() or DEFAULT_STAGE_TEXTS[stage]
             for stage in Stage}
    source = "".join(f"{s.target} = {literal_text(trace.values[s.target])}\n"
                     if s.literal is not None else f"{s.text}\n" for s in trace.program.statements)
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
    text = "\n".join(out) + "\n"
    tomllib.loads(text)  # every string above reads back; a failure here is a bug
    return text
