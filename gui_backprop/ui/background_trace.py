"""Tracing and laying out a big program off the GUI thread (issue 13).

A big playground program takes seconds to trace and lay out; on the GUI thread the
window would freeze that long. :class:`BackgroundTrace` runs such work on a thread of
Qt's pool and hands the result back through a queued signal; the job never touches a
widget (it computes immutable core objects: a :class:`Walkthrough` and its layouts).

Every new job obsoletes the ones before it (a generation counter): a stale result is
dropped, never shown, and a stale job stops at its next check (between the trace and
each iteration's layout). Small programs do not come here: tracing them takes a few
milliseconds, and doing it at once keeps every edit's answer immediate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.folding import opening_layout
from gui_backprop.core.layout import GraphLayout, LayoutCancelled
from gui_backprop.core.walkthrough import Walkthrough

# Statements from which a program is traced in the background: the lessons have at most
# a dozen; 40 statements (about 350 graph nodes) trace and lay out in well under 0.1 s.
BACKGROUND_STATEMENTS = 40


class Obsolete(Exception):
    """Raised inside a job that a newer one replaced: it stops there."""


@dataclass(frozen=True)
class Traced:
    """What a job made: the walkthrough and each iteration's layout (by index)."""

    walkthrough: Walkthrough
    layouts: dict[int, GraphLayout]


def trace_and_lay_out(trace: Callable[[], Walkthrough],
                      should_stop: Callable[[], bool] = lambda: False) -> Traced:
    """Run ``trace`` and lay out each of its iterations; raise :class:`Obsolete` as soon
    as ``should_stop()`` says so (checked between the steps)."""
    walkthrough = trace()
    layouts = {}
    for index, iteration in enumerate(walkthrough.trace.iterations):
        if should_stop():
            raise Obsolete
        try:  # a newer edit stops a long layout between its sweeps too
            # a big graph opens with its statements folded: that is the layout it needs
            layouts[index] = opening_layout(iteration, should_stop=should_stop)
        except LayoutCancelled:
            raise Obsolete from None
    return Traced(walkthrough, layouts)


class _Job(QRunnable):
    def __init__(self, owner: BackgroundTrace, generation: int,
                 trace: Callable[[], Walkthrough]):
        super().__init__()
        self.owner, self.generation, self.trace = owner, generation, trace

    def run(self) -> None:
        owner, generation = self.owner, self.generation
        try:
            result = trace_and_lay_out(self.trace, lambda: owner.generation != generation)
        except Obsolete:
            return
        except Exception as exc:  # a refusal, or a failure: either is told on the GUI thread
            owner.finished.emit(generation, exc)
            return
        owner.finished.emit(generation, result)


class BackgroundTrace(QObject):
    """Runs trace jobs one generation at a time; see the module docstring.

    ``started`` when a job begins; ``delivered(generation)`` after a current job's
    result (or refusal) was handed to its callback; a stale one is dropped silently.
    ``busy`` is true while a current job runs."""

    started = Signal()
    delivered = Signal(int)
    finished = Signal(int, object)  # from the pool's thread: queued to this object

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one trace at a time; a new one obsoletes the old
        self._callbacks: tuple[Callable, Callable] | None = None
        self.finished.connect(self._finish)

    @property
    def busy(self) -> bool:
        """True while a job whose result will be shown is running."""
        return self._callbacks is not None

    def cancel(self) -> None:
        """Obsolete the running job (a newer edit was done at once, or the lesson changed)."""
        self.generation += 1
        self._callbacks = None

    def run(self, trace: Callable[[], Walkthrough], done: Callable[[Traced], None],
            refused: Callable[[ProgramError], None]) -> int:
        """Start ``trace`` on the pool; ``done(result)`` or ``refused(error)`` follow on
        the GUI thread unless a newer job came first. Returns the job's generation."""
        self.cancel()
        self._callbacks = (done, refused)
        self.pool.start(_Job(self, self.generation, trace))
        self.started.emit()
        return self.generation

    def wait(self) -> None:
        """Block until the pool is idle (closing the window, tests)."""
        self.pool.waitForDone()

    @Slot(int, object)
    def _finish(self, generation: int, result: object) -> None:
        if generation != self.generation or self._callbacks is None:
            return  # stale: a newer edit replaced it
        done, refused = self._callbacks
        self._callbacks = None
        try:
            if isinstance(result, ProgramError):
                refused(result)
            elif isinstance(result, Exception):
                raise result  # unexpected: the error hook reports it like any other
            else:
                done(result)
        finally:
            self.delivered.emit(generation)
