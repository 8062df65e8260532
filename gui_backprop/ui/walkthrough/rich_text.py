"""Lesson text (wrapped in the TOML file) as HTML that a QLabel can reflow."""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    """Escaped text with `code` set as code, as the lesson guide promises."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def lesson_text_html(text: str) -> str:
    """Paragraphs split at blank lines and re-flowed; indented lines kept as formulas.

    Lesson files wrap their text at about 85 columns; a label must re-wrap it to its
    own width, so the lines of a paragraph are joined. A line indented by four spaces
    is a displayed formula and stays on its own line, centred. Text between backticks
    is set as code.
    """
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    for line in text.strip("\n").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("    "):
            flush()
            blocks.append(f"<p align='center'><i>{html.escape(line.strip())}</i></p>")
        else:
            paragraph.append(line.strip())
    flush()
    return "".join(blocks)
