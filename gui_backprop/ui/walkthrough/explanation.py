"""The explanation of the current step: title, typeset formula, sentence with numbers.

A read-only rich-text browser: it wraps and scrolls the text on its own, and the
formula is an image (typeset by mathtext) inside the document, with the plain formula
as its alternative text for screen readers and as a fallback.

A lesson's texts (its intro and stage texts) quote the lesson's own numbers. When the
walkthrough shows other values (a value edit, a training result, a session, a learner's
own values), they are shown below a line that says so, with the output both give, and a
link back to the lesson's values: the screen never presents them as describing what
it shows.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QUrl, Slot
from PySide6.QtGui import QFontInfo, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.formatting import format_number, format_value
from gui_backprop.core.graph import Trace
from gui_backprop.core.lessons import Lesson
from gui_backprop.core.walkthrough import Step
from gui_backprop.ui.lesson_model import LessonModel
from gui_backprop.ui.looks.style_sheet import colours_for
from gui_backprop.ui.walkthrough.rich_text import lesson_text_html
from gui_backprop.ui.widgets.math_render import FormulaError, render_fitted

log = logging.getLogger(__name__)

FORMULA_SCALE = 1.6
MARGIN = 12
FORMULA_URL = "formula://current"
LESSON_VALUES_URL = "lesson:values"
NOTES_DIGITS = 4  # the outputs compared above a lesson's notes, as lesson texts round them


@dataclass(frozen=True)
class Explanation:
    """What the panel shows; ``sentence``, ``stage_text`` and ``notes_heading`` are HTML.

    ``stage_text`` is the lesson's own text (at the start, its intro). A non-empty
    ``notes_heading`` says that this text describes the lesson's values, not the ones
    shown, and is shown above it.
    """

    where: str
    title: str
    latex: str = ""
    formula: str = ""
    sentence: str = ""
    stage_text: str = ""
    code_note: str = ""
    notes_heading: str = ""

    @property
    def notes_describe_shown_values(self) -> bool:
        """True when the lesson's text is shown as describing what is on screen."""
        return not self.notes_heading


class ExplanationPanel(QTextBrowser):
    """Shows what the model's current step does and why, with the real numbers."""

    def __init__(self, model: LessonModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.setObjectName("explanationPanel")
        self.setAccessibleName("Explanation of the current step")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document().setDocumentMargin(MARGIN)
        self._explanation = Explanation("", "")
        self._typeset = False
        self._width = 0
        # setHtml may show or hide the scroll bar, which resizes the viewport and asks for
        # a render from inside this one; that nested render showed the text twice.
        self._rendering = False
        self._render_again = False
        # each lesson's own trace (what its texts describe), by id(lesson): the one shown
        # at its own values, else traced once when first needed
        self._own_traces: dict[int, tuple[Lesson, Trace | None]] = {}
        self.anchorClicked.connect(self._follow_link)
        model.moved.connect(self._follow)

    def _follow(self, *_args) -> None:
        model = self.model
        step = model.step
        if model.shows_lesson_values:  # the lesson's own trace: kept, not made again
            self._own_traces[id(model.lesson)] = (model.lesson, model.walkthrough.trace)
            heading = ""
        else:
            heading = self._notes_heading()
        if step is None:
            self.show_intro(model.lesson, model.step_count, heading, model.example)
        else:
            self.show_step(step, model.lesson, model.step_count,
                           len(model.walkthrough.trace.iterations), model.code_note(step),
                           heading, own_texts=model.example is None)

    def _notes_heading(self) -> str:
        """The line above a lesson's texts when the walkthrough shows other values."""
        model = self.model
        lesson, shown = model.lesson, model.walkthrough.trace
        own = self._own_trace(lesson)
        loss_differs = own is None or own.first.loss != shown.first.loss
        rate_differs = shown.learning_rate != lesson.learning_rate
        own_items, shown_items = [], []
        if loss_differs or not rate_differs:
            if own is not None:
                own_items.append(f"{own.output_name} = "
                                 f"{format_value(own.first.loss, NOTES_DIGITS)}")
            shown_items.append(f"{shown.output_name} = "
                               f"{format_value(shown.first.loss, NOTES_DIGITS)}")
        if rate_differs:
            own_items.append(f"lr = {format_number(lesson.learning_rate)}")
            shown_items.append(f"lr = {format_number(shown.learning_rate)}")
        if own is not None and not loss_differs and not rate_differs:
            # other values, the same loss (t = -0.8 for 0.8): no number to set against
            # another, but the notes' other numbers (y - t, the gradients) differ
            return (f"The lesson's notes below were written for its own values; the "
                    f"walkthrough now shows other values (with the same "
                    f"{html.escape(shown_items[0])}), so some of their numbers are not the "
                    f"ones on screen. <a href='{LESSON_VALUES_URL}'>Back to the lesson's "
                    "values</a>")
        own_text = ", ".join(own_items)
        written = "its own values" + (f" ({html.escape(own_text)})" if own_text else "")
        return (f"The lesson's notes below were written for {written}; the walkthrough "
                f"now shows {html.escape(', '.join(shown_items))}, so their numbers are "
                f"not the ones on screen. <a href='{LESSON_VALUES_URL}'>Back to the "
                "lesson's values</a>")

    def _own_trace(self, lesson: Lesson) -> Trace | None:
        kept = self._own_traces.get(id(lesson))
        if kept is None or kept[0] is not lesson:
            try:
                kept = (lesson, lesson.trace())
            except ProgramError:  # checked when it was loaded: not expected
                log.warning("could not trace lesson %s at its own values", lesson.id)
                kept = (lesson, None)
            self._own_traces[id(lesson)] = kept
        return kept[1]

    @Slot(QUrl)
    def _follow_link(self, url: QUrl) -> None:
        if url.toString() == LESSON_VALUES_URL:
            self.model.back_to_lesson_values()

    # -- content -------------------------------------------------------------------

    def show_intro(self, lesson: Lesson, step_count: int, notes_heading: str = "",
                   example: str | None = None) -> None:
        """The lesson's introduction, before the first step (below ``notes_heading``
        when the walkthrough shows other values than the lesson's; for ``example``, what
        that example is instead: the lesson's texts describe its own program)."""
        intro = lesson_text_html(lesson.intro)
        prompt = "<p>Press <b>Next</b> (or Space) to take the first step.</p>"
        where = f"Lesson · {step_count} steps"
        if example is not None:
            sentence = (f"<p>{html.escape(example[0].upper() + example[1:])}: the training "
                        "program followed for this one point, at the run's parameters.</p>")
            explanation = Explanation(where, lesson.title, sentence=sentence, stage_text=prompt)
        elif notes_heading:
            explanation = Explanation(where, lesson.title, sentence=prompt, stage_text=intro,
                                      notes_heading=notes_heading)
        else:
            explanation = Explanation(where, lesson.title, sentence=intro, stage_text=prompt)
        self._set(explanation)

    def show_step(self, step: Step, lesson: Lesson, step_count: int, iterations: int,
                  code_note: str = "", notes_heading: str = "", own_texts: bool = True) -> None:
        """A step: its stage, title, formula, sentence, which code line it highlights
        and the lesson's stage text (below ``notes_heading`` when the walkthrough shows
        other values than the lesson's; none unless ``own_texts``: another program)."""
        where = f"{step.stage.title} · step {step.index + 1} of {step_count}"
        if iterations > 1:
            where += f" · iteration {step.iteration + 1} of {iterations}"
        stage_text = (lesson_text_html(lesson.stage_texts.get(step.stage, ""))
                      if own_texts else "")
        self._set(Explanation(
            where=where, title=step.title, latex=step.latex, formula=step.formula,
            sentence=f"<p>{html.escape(step.text)}</p>", stage_text=stage_text,
            code_note=code_note, notes_heading=notes_heading if stage_text else ""))

    def explanation(self) -> Explanation:
        """What is shown."""
        return self._explanation

    def title_text(self) -> str:
        """The title of the step (or lesson)."""
        return self._explanation.title

    def formula_text(self) -> str:
        """The formula as plain text (what a screen reader reads)."""
        return self._explanation.formula

    def formula_is_typeset(self) -> bool:
        """True when the formula shows as a typeset image, not as fallback text."""
        return self._typeset

    def _set(self, explanation: Explanation) -> None:
        self._explanation = explanation
        self._render()
        self.verticalScrollBar().setValue(0)

    # -- rendering -----------------------------------------------------------------------

    def _render(self) -> None:
        if self._rendering:
            self._render_again = True
            return
        self._rendering = True
        try:
            for _attempt in range(2):  # once more if the width changed while filling
                self._render_again = False
                self._fill()
                if not self._render_again:
                    break
        finally:
            self._rendering = False

    def _fill(self) -> None:
        shown = self._explanation
        colours = colours_for(self.palette())
        base = self.font().pointSizeF()
        parts = [
            f"<p style='color:{colours['accent']}; font-weight:bold; "
            f"font-size:{base * 0.95:.1f}pt; margin-bottom:2px'>{html.escape(shown.where)}</p>",
            f"<p style='font-size:{base * 1.35:.1f}pt; font-weight:bold; margin-top:0px'>"
            f"{html.escape(shown.title)}</p>",
        ]
        self._typeset = False
        if shown.formula:
            parts.append(self._formula_html(shown))
        parts.append(shown.sentence)
        if shown.code_note:
            parts.append(f"<p style='font-family:monospace'>{html.escape(shown.code_note)}</p>")
        if shown.stage_text and shown.notes_heading:
            parts.append(f"<p style='color:{colours['muted']}; margin-top:10px'>"
                         f"{shown.notes_heading}</p>")
            parts.append(f"<div style='color:{colours['muted']}; margin-left:14px'>"
                         f"<i>{shown.stage_text}</i></div>")
        elif shown.stage_text:
            parts.append(f"<div style='color:{colours['muted']}'>{shown.stage_text}</div>")
        scroll = self.verticalScrollBar().value()
        self.setHtml("".join(parts))
        self.verticalScrollBar().setValue(scroll)
        self.setAccessibleDescription(f"{shown.title}. {shown.formula}")

    def _formula_html(self, shown: Explanation) -> str:
        color = self.palette().color(QPalette.ColorRole.Text)
        size = QFontInfo(self.font()).pixelSize() * FORMULA_SCALE
        available = max(120, self.viewport().width() - 2 * MARGIN - 8)
        ratio = self.devicePixelRatioF()
        try:
            # Never smaller than the text around it: a narrow panel scrolls beyond that.
            image = render_fitted(shown.latex, size, color, ratio, available,
                                  smallest_scale=1 / FORMULA_SCALE)
        except FormulaError as exc:
            log.warning("could not typeset %r: %s", shown.latex, exc)
            return f"<p style='font-size:large'>{html.escape(shown.formula)}</p>"
        url = QUrl(FORMULA_URL)  # replaced each time, so images never pile up
        self.document().addResource(QTextDocument.ResourceType.ImageResource, url, image)
        width, height = round(image.width() / ratio), round(image.height() / ratio)
        self._typeset = True
        return (f"<p style='margin-top:4px; margin-bottom:8px'><img src='{url.toString()}' "
                f"width='{width}' height='{height}' alt='{html.escape(shown.formula)}' "
                f"title='{html.escape(shown.formula)}'></p>")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Re-typeset when the font or palette changes (text size, dark mode)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._render()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """A narrower panel may need the formula broken into more lines."""
        super().resizeEvent(event)
        if event.size().width() != self._width:
            self._width = event.size().width()
            if self._explanation.formula:
                self._render()
