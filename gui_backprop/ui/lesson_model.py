"""The window's model: the open lesson, its settings, its walkthrough and the position.

Widgets never talk to each other: they call this object's methods and listen to its
signals. Every edit re-traces the program through PyTorch; a bad edit returns a
message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.graph import Iteration
from gui_backprop.core.idiomatic_code import idiomatic_code
from gui_backprop.core.layout import GraphLayout
from gui_backprop.core.lessons import Lesson
from gui_backprop.core.program import Program, parse_program
from gui_backprop.core.program_source import with_values
from gui_backprop.core.session_file import LessonWork, Session
from gui_backprop.core.tracer import OutputNotANumber, trace_program
from gui_backprop.core.values import Value, parse_learning_rate, parse_value
from gui_backprop.core.walkthrough import Stage, Step, WalkState, Walkthrough
from gui_backprop.ui.background_trace import BACKGROUND_STATEMENTS, BackgroundTrace, Traced


class LessonModel(QObject):
    """One lesson (or playground program) being walked through.

    Signals, in the order they fire after a change:
    ``lesson_opened(Lesson)`` when another lesson is opened; ``traced(Walkthrough)``
    after every successful trace; ``moved(int)`` with the position after any move or
    trace; ``failed(str)`` when an edit was refused (nothing else changed);
    ``lessons_changed`` when lessons were added (a teacher's folder);
    ``tracing(bool)`` when a big program's trace starts and ends off the GUI thread.

    A big program (more than ``BACKGROUND_STATEMENTS`` statements) run in the playground
    or edited in the Values tab is traced and laid out off the GUI thread
    (:class:`BackgroundTrace`): the method returns at once, everything shown stays as it
    was, and ``traced`` (or ``failed``) follows when the trace is ready; any newer edit
    makes it stale (dropped). Small programs are traced at once, as before.
    """

    lessons_changed = Signal()
    lesson_opened = Signal(object)
    traced = Signal(object)
    moved = Signal(int)
    failed = Signal(str)
    tracing = Signal(bool)

    def __init__(self, lessons: list[Lesson], parent: QObject | None = None):
        super().__init__(parent)
        if not lessons:
            raise ValueError("there are no lessons to open")
        self.lessons = list(lessons)
        self.lesson: Lesson = self.lessons[0]
        self.program: Program = self.lesson.program
        self.values: dict[str, Value] = dict(self.program.leaves)
        self.parameters: tuple[str, ...] = ()
        self.learning_rate: float = self.lesson.learning_rate
        self.walkthrough: Walkthrough | None = None
        # Layouts computed with the walkthrough off the GUI thread (iteration -> layout).
        self.layouts: dict[int, GraphLayout] = {}
        self.background = BackgroundTrace(self)
        self.background.started.connect(lambda: self.tracing.emit(True))
        self.background.delivered.connect(lambda _generation: self.tracing.emit(False))
        self.position = 0
        # While the walkthrough shows a training run's result: what it says (for headings)
        # and the values the run started from (the one way back to them).
        self.trained_note: str | None = None
        # While the walkthrough shows one example of a classifier's batch (not the
        # lesson's own program): what it is, else None.
        self.example: str | None = None
        self._before_example: LessonWork | None = None
        self.starting_values: dict[str, Value] | None = None
        self._state: WalkState | None = None
        # The other lessons' work, kept while the learner is elsewhere (and in a session
        # file): switching lessons never discards anything.
        self.kept: dict[str, LessonWork] = {}
        # The playground editor's text when it differs from the program that ran.
        self.draft: str | None = None
        self._drafts: dict[str, str] = {}
        # A kept lesson's training result: its note and starting values (by lesson id).
        self._trained: dict[str, tuple[str, dict[str, Value]]] = {}
        # Asked with the index of the step Next is about to take; False keeps the position
        # (the exercise mode asks its question first).
        self.next_gate: Callable[[int], bool] | None = None

    # -- what is open --------------------------------------------------------------

    @property
    def state(self) -> WalkState:
        """What is revealed at the current position."""
        if self._state is None or self._state.position != self.position:
            self._state = self.walkthrough.state_at(self.position)
        return self._state

    @property
    def step(self) -> Step | None:
        """The step just taken (``None`` at the start)."""
        return self.state.step

    @property
    def iteration(self) -> Iteration:
        """The iteration the current position belongs to."""
        return self.walkthrough.trace.iterations[self.state.iteration]

    @property
    def step_count(self) -> int:
        """How many steps the walkthrough has."""
        return len(self.walkthrough) if self.walkthrough else 0

    @property
    def is_playground(self) -> bool:
        """True when the open lesson takes the learner's own program."""
        return self.lesson.playground

    @property
    def shows_lesson_values(self) -> bool:
        """True when the walkthrough shows what the open lesson's texts (intro, stage
        texts) describe: its own program, values and learning rate. Not after a value
        edit, a training result, a session's or a learner's own values. A playground's
        texts name no numbers: always True there."""
        lesson = self.lesson
        if lesson.playground or self.walkthrough is None:
            return True
        shown = self.walkthrough.trace  # what is on screen, however it was made
        return (shown.program.source == lesson.program.source
                and dict(shown.values) == dict(lesson.program.leaves)
                and shown.learning_rate == lesson.learning_rate)

    @property
    def code_text(self) -> str:
        """The PyTorch code listing shown beside the graph: the program that the trace
        ran, with its current values, parameters and learning rate."""
        return self.walkthrough.listing.text

    @property
    def idiomatic_text(self) -> str:
        """The lesson's model written the idiomatic way (nn.Linear, F, torch.optim) on the
        current values and learning rate; "" when the lesson has none, or when the
        walkthrough runs another program (one example of a classifier: the idiomatic code
        is written for the lesson's own model)."""
        if not self.lesson.idiomatic or self.walkthrough is None \
                or self.walkthrough.trace.program.source != self.lesson.program.source:
            return ""
        return idiomatic_code(self.walkthrough.trace, self.lesson.idiomatic)

    def code_line(self, step: Step | None = None) -> int | None:
        """The 1-based line of :attr:`code_text` that ``step`` (default: current) runs."""
        step = self.step if step is None else step
        return None if step is None else step.code_line

    def code_note(self, step: Step | None = None) -> str:
        """Which line of the code on screen ``step`` highlights, and why (the PyTorch
        listing's rule; in the playground, the line of the learner's program)."""
        step = self.step if step is None else step
        if step is None:
            return ""
        if not self.is_playground:
            return step.code_note
        line = self.program_line(step)
        if line is None:
            return ""
        text = self.program.source.splitlines()[line - 1].strip()
        # "as it last ran": the editor may hold edits not run yet (or refused)
        return f"Your program as it last ran: line {line}, {text}. The playground " \
               "highlights the line of the step's node."

    def program_line(self, step: Step | None = None) -> int | None:
        """The line of the program's source that computes ``step``'s node (or edge's
        target, or a parameter's value)."""
        step = self.step if step is None else step
        if step is None:
            return None
        it = self.walkthrough.trace.iterations[step.iteration]
        node = step.node if step.node is not None else it.edges[step.edge].target
        return it.nodes[node].line

    # -- opening and editing -------------------------------------------------------

    def add_lessons(self, lessons: list[Lesson]) -> list[Lesson]:
        """Add lessons after the ones there are (a teacher's folder); a lesson whose id
        is taken already is left out. Returns the lessons left out."""
        taken = {lesson.id for lesson in self.lessons}
        added = [lesson for lesson in lessons if lesson.id not in taken]
        if added:
            self.lessons.extend(added)
            self.lessons_changed.emit()
        return [lesson for lesson in lessons if lesson.id in taken]

    def open_lesson(self, lesson: Lesson | str) -> None:
        """Open a lesson (or its id) as the learner left it (its own work and position),
        or at its start with its own settings the first time."""
        if isinstance(lesson, str):
            lesson = next(item for item in self.lessons if item.id == lesson)
        if self.walkthrough is not None:
            self._keep_open_work()
        work = self.kept.pop(lesson.id, None)
        self.draft = self._drafts.pop(lesson.id, None)  # read by lesson_opened's slots
        if work is None or self._open_work(lesson, work) is not None:
            self._open_fresh(lesson)

    def start_over(self) -> None:
        """The open lesson at its start with its own settings (its work is dropped)."""
        self.draft = None
        self._open_fresh(self.lesson)

    def _open_fresh(self, lesson: Lesson) -> None:
        walkthrough = lesson.walkthrough()
        self.lesson = lesson
        self.program = lesson.program
        self.values = dict(lesson.program.leaves)
        self.parameters = walkthrough.trace.parameters
        self.learning_rate = lesson.learning_rate
        self._forget_trained()
        self.lesson_opened.emit(lesson)
        self._show(walkthrough, 0)

    def work(self) -> LessonWork:
        """The open lesson's work (while an example is shown: the work before it)."""
        if self.example is not None and self._before_example is not None:
            return self._before_example
        return LessonWork(self.program.source, dict(self.values), tuple(self.parameters),
                          self.learning_rate, self.position)

    def workspace(self) -> dict[str, LessonWork]:
        """Every lesson's work as the learner left it, the open one's included."""
        return {**self.kept, self.lesson.id: self.work()}

    def _keep_open_work(self) -> None:
        self.kept[self.lesson.id] = self.work()
        if self.draft is not None:
            self._drafts[self.lesson.id] = self.draft
        if self.trained_note is not None and self.starting_values is not None:
            self._trained[self.lesson.id] = (self.trained_note, dict(self.starting_values))

    def restore(self, saved: Session) -> str | None:
        """Open what a session file describes: its lesson (or, for another program, the
        playground showing that program), values, parameters, learning rate and position,
        with the other lessons' work kept for when the learner goes there.

        Returns a message and changes nothing when it cannot be opened.
        """
        lesson = next((item for item in self.lessons if item.id == saved.lesson), None)
        if lesson is None or lesson.playground or lesson.program.source != saved.program:
            lesson = next((item for item in self.lessons if item.playground), None)
            if lesson is None:
                return self._refuse("this version has no playground to show the "
                                    "session's program in")
        work = LessonWork(saved.program, saved.values, saved.parameters,
                          saved.learning_rate, saved.position)
        draft, self.draft = self.draft, None
        trained, self._trained = self._trained, {}  # the file's own run, if it has one
        if saved.starting_values is not None and saved.trained_note:
            self._trained[lesson.id] = (saved.trained_note, dict(saved.starting_values))
        message = self._open_work(lesson, work)
        if message is not None:
            self.draft, self._trained = draft, trained
            return self._refuse(f"the session cannot be opened: {message}")
        known = {item.id: item for item in self.lessons}
        self.kept = {lesson_id: entry for lesson_id, entry in saved.workspace.items()
                     if lesson_id in known and lesson_id != lesson.id
                     and (known[lesson_id].playground
                          or known[lesson_id].program.source == entry.program)}
        self._drafts = {}
        return None

    def _open_work(self, lesson: Lesson, work: LessonWork) -> str | None:
        """Show ``work`` in ``lesson``; the reason (and nothing changed) if it cannot run."""
        try:
            program = lesson.program if lesson.program.source == work.program \
                else parse_program(work.program)
            trace = trace_program(
                program, values=work.values, parameters=work.parameters,
                learning_rate=work.learning_rate,
                output=lesson.output if program is lesson.program else None,
                iterations=lesson.iterations, zero_grad=lesson.zero_grad)
        except ProgramError as exc:
            return str(exc)
        self.lesson = lesson
        self.program = program
        self.values = dict(trace.values)
        self.parameters = trace.parameters
        self.learning_rate = trace.learning_rate
        self._forget_trained()
        # back to a training result: it is still one, with its way back
        self.trained_note, self.starting_values = self._trained.pop(lesson.id, (None, None))
        self.lesson_opened.emit(lesson)
        self._show(Walkthrough(trace, lesson.code_comments), work.position)
        return None

    def set_value(self, name: str, text: str) -> str | None:
        """Give leaf ``name`` a typed value and re-trace; the error message if refused."""
        def refused(exc: ProgramError) -> str:
            if isinstance(exc, OutputNotANumber) and isinstance(value, tuple) \
                    and not isinstance(self.values.get(name), tuple):
                # the program's advice (mean or sum) is not what a value edit can do
                return self._refuse(f"{name} is a single number here: a list makes the "
                                    "output a list too, and backward() needs one number")
            return self._refuse(f"{name}: {exc.message}" if not exc.message.startswith(name)
                                else exc.message)

        value = None

        def show(walkthrough: Walkthrough, layouts=None) -> None:
            self.values[name] = value
            self._forget_trained()  # an edited value is where training starts from now on
            self._show(walkthrough, self.position, layouts)

        try:
            value = parse_value(text)  # checked once more, as every value, by the trace
            job = self._trace_job(values={**self.values, name: value})
            if self._in_background(self.program, job, show, refused):
                return None
            walkthrough = job()
        except ProgramError as exc:
            return refused(exc)
        show(walkthrough)
        return None

    def set_values(self, values: dict[str, Value]) -> str | None:
        """Give several leaves new values at once (such as trained parameters and the
        data they were trained on) and re-trace; the error message if refused."""
        try:
            walkthrough = self.trace_with(values)
        except ProgramError as exc:
            return self._refuse(exc.message)
        self.values.update({name: walkthrough.trace.values[name] for name in values})
        self._forget_trained()
        self._show(walkthrough, self.position)
        return None

    def show_lesson_at(self, values: dict[str, Value]) -> str | None:
        """The open lesson's own program, parameters and learning rate at these leaf
        values (a learner's numbers for the questions), the position kept; the error
        message if refused. A changed program (in a playground) reopens the lesson."""
        lesson = self.lesson
        try:
            walkthrough = lesson.walkthrough(values={**lesson.program.leaves, **values})
        except ProgramError as exc:
            return self._refuse(exc.message)
        reopened = self.program.source != lesson.program.source
        trace = walkthrough.trace
        self.program = lesson.program
        self.values = {name: trace.values[name] for name in lesson.program.leaves}
        self.parameters = trace.parameters
        self.learning_rate = trace.learning_rate
        self._forget_trained()
        if reopened:
            self.draft = None
            self.lesson_opened.emit(lesson)
        self._show(walkthrough, self.position)
        return None

    def back_to_lesson_values(self) -> str | None:
        """The open lesson's own program, values and learning rate again (what its texts
        describe), the position kept; the error message if refused."""
        return self.show_lesson_at({})

    def adopt_trained(self, values: dict[str, Value], note: str) -> str | None:
        """Show a training run's result in the whole walkthrough: its parameters and the
        data it trained on, described by ``note`` (such as "trained to epoch 300 of 300").

        The values shown before are kept for :meth:`back_to_starting_values` (the first
        ones, when results of several runs or pauses follow each other). The reason
        if refused (not emitted as ``failed``: nothing the learner typed was refused).
        """
        try:
            walkthrough = self.trace_with(values)
        except ProgramError as exc:  # the caller says it where the run is reported
            return exc.message
        if self.starting_values is None:
            self.starting_values = dict(self.values)
        self.values.update({name: walkthrough.trace.values[name] for name in values})
        self.trained_note = note
        self._show(walkthrough, self.position)
        return None

    def show_example(self, program: Program, values: dict[str, Value],
                     parameters: tuple[str, ...], output: str, note: str,
                     learning_rate: float | None = None) -> str | None:
        """Walk through ``program`` (a classifier's training program) at ``values`` (one
        example of its batch at a run's parameters), from the first step; ``note`` names
        the example in the headings; ``learning_rate`` is the run's (its update step
        then says what the run did). The lesson's own texts and code comments do not
        describe it (:attr:`example` says so). Until another change, :meth:`work` is the lesson's
        work before it, so opening the lesson goes back to it. The error message if
        refused."""
        lesson = self.lesson
        try:
            walkthrough = Walkthrough(trace_program(
                program, values=values, parameters=parameters, output=output,
                learning_rate=self.learning_rate if learning_rate is None else learning_rate,
                zero_grad=lesson.zero_grad))
        except ProgramError as exc:
            return exc.message
        before = self.work()  # what a session keeps, and opening the lesson brings back
        self.program, self.values = program, dict(program.leaves) | dict(values)
        self.parameters = walkthrough.trace.parameters
        self.learning_rate = walkthrough.trace.learning_rate  # the Values panel says it too
        self._forget_trained()
        self.trained_note = self.example = note
        self._before_example = before
        self._show(walkthrough, 0)
        return None

    def back_to_starting_values(self) -> str | None:
        """Show the values training started from again (nothing happens when the
        walkthrough does not show a training result); the error message if refused."""
        if self.starting_values is None:
            return None
        try:
            walkthrough = self._trace(values=self.starting_values)
        except ProgramError as exc:
            return self._refuse(exc.message)
        self.values = dict(self.starting_values)
        self._forget_trained()
        self._show(walkthrough, self.position)
        return None

    def _forget_trained(self) -> None:
        self.trained_note = self.example = None
        self.starting_values = None

    def set_learning_rate(self, text: str) -> str | None:
        """Set the learning rate from text and re-trace; the error message if refused."""
        def show(walkthrough: Walkthrough, layouts=None) -> None:
            self.learning_rate = rate
            self._show(walkthrough, self.position, layouts)

        try:
            rate = parse_learning_rate(text)
            job = self._trace_job(learning_rate=rate)
            if self._in_background(self.program, job, show,
                                   lambda exc: self._refuse(exc.message)):
                return None
            walkthrough = job()
        except ProgramError as exc:
            return self._refuse(exc.message)
        show(walkthrough)
        return None

    def set_program(self, text: str, parameters: list[str] | tuple[str, ...]) -> \
            ProgramError | None:
        """Run a learner's program with the chosen parameters; the error if refused.

        The values are the ones written in the program. A new graph starts at step 0;
        running the same program with the same parameters again keeps the position.
        """
        def show(walkthrough: Walkthrough, layouts=None) -> None:
            same = (program.source == self.program.source
                    and walkthrough.trace.parameters == self.parameters)
            self.program = program
            self.values = dict(program.leaves)
            self.parameters = walkthrough.trace.parameters
            self.draft = None
            self._forget_trained()
            self._show(walkthrough, self.position if same else 0, layouts)

        try:
            program = parse_program(text)
            job = self._trace_job(program=program, values=dict(program.leaves),
                                  parameters=tuple(parameters))
            if self._in_background(program, job, show, lambda exc: self._refuse(str(exc))):
                return None  # a refusal comes later, as ``failed``
            walkthrough = job()
        except ProgramError as exc:
            self._refuse(str(exc))
            return exc
        show(walkthrough)
        return None

    def trace_with(self, values: dict[str, Value]) -> Walkthrough:
        """The open work traced at these leaf values, without showing it; raises
        :class:`ProgramError` for values it refuses."""
        return self._trace(values={**self.values, **values})  # the trace checks them

    def _trace(self, program: Program | None = None, values: dict | None = None,
               parameters: tuple[str, ...] | None = None,
               learning_rate: float | None = None) -> Walkthrough:
        return self._trace_job(program, values, parameters, learning_rate)()

    def _trace_job(self, program: Program | None = None, values: dict | None = None,
                   parameters: tuple[str, ...] | None = None,
                   learning_rate: float | None = None) -> Callable[[], Walkthrough]:
        """The trace of the open work with these changes, as a function of nothing:
        everything it reads is taken now, so it may run on another thread."""
        lesson = self.lesson
        arguments = dict(
            values=dict(self.values if values is None else values),
            parameters=self.parameters if parameters is None else parameters,
            learning_rate=self.learning_rate if learning_rate is None else learning_rate,
            output=lesson.output if program is None else None,
            iterations=lesson.iterations, zero_grad=lesson.zero_grad)
        program = program or self.program
        comments = lesson.code_comments
        return lambda: Walkthrough(trace_program(program, **arguments), comments)

    def _in_background(self, program: Program, job: Callable[[], Walkthrough],
                       show: Callable[..., None], refused: Callable[[ProgramError], object]) \
            -> bool:
        """Start ``job`` off the GUI thread when ``program`` is big (True); then
        ``show(walkthrough, layouts)`` or ``refused(error)`` follow, unless a newer edit
        came first. A small program: False, and the caller traces at once."""
        if len(program.statements) <= BACKGROUND_STATEMENTS:
            return False

        def done(result: Traced) -> None:
            show(result.walkthrough, result.layouts)

        self.background.run(job, done, refused)
        return True

    def _refuse(self, message: str) -> str:
        self.failed.emit(message)
        return message

    def _show(self, walkthrough: Walkthrough, position: int,
              layouts: dict[int, GraphLayout] | None = None) -> None:
        if self.background.busy:  # what is shown now is newer than the job's result
            self.background.cancel()
            self.tracing.emit(False)
        if self.is_playground:  # the learner's program is the code: it shows the values
            self.program = _with_values(self.program, self.values)
        if walkthrough.trained_note != self.trained_note:  # its listing names the run
            walkthrough = walkthrough.with_trained_note(self.trained_note)
        self.walkthrough = walkthrough
        self.layouts = layouts or {}
        self._state = None
        self.position = max(0, min(position, len(walkthrough)))
        self.traced.emit(walkthrough)
        self.moved.emit(self.position)

    # -- moving through the walkthrough --------------------------------------------

    def jump(self, position: int) -> None:
        """Go to ``position`` (clamped to the walkthrough); emits ``moved`` on a change."""
        position = max(0, min(int(position), self.step_count))
        if position != self.position:
            self.position = position
            self.moved.emit(position)

    def next(self) -> bool:
        """One step forward; False at the end (or when :attr:`next_gate` holds it)."""
        if self.position >= self.step_count:
            return False
        if self.next_gate is not None and not self.next_gate(self.position):
            return False
        self.jump(self.position + 1)
        return True

    def back(self) -> bool:
        """Undo one step; False at the start."""
        if self.position <= 0:
            return False
        self.jump(self.position - 1)
        return True

    def reset(self) -> None:
        """Back to the start: nothing computed yet."""
        self.jump(0)

    def jump_to_stage(self, stage: Stage) -> bool:
        """Go to the first step of ``stage`` in the current iteration (or the first one)."""
        target = self.walkthrough.first_of(stage, self.state.iteration)
        if target is None:
            target = self.walkthrough.first_of(stage)
        if target is None:
            return False
        self.jump(target)
        return True

    def has_stage(self, stage: Stage) -> bool:
        """Whether the walkthrough has any step of ``stage``."""
        return self.walkthrough.first_of(stage) is not None

    def jump_to_node(self, node_id: int) -> bool:
        """Go to the step about node ``node_id`` in the current iteration and stage.

        Without such a step in the current stage, go to the node's first step in the
        iteration (its forward step, or its backward step for a leaf).
        """
        state = self.state
        about = [s for s in self.walkthrough.steps
                 if s.iteration == state.iteration and s.node == node_id]
        if not about:
            return False
        same_stage = [s for s in about if state.step is not None and s.stage is state.step.stage]
        self.jump((same_stage or about)[0].index + 1)
        return True


def _with_values(program: Program, values: dict[str, Value]) -> Program:
    """``program`` with ``values`` written into its literals; unchanged if the text would
    be refused (longer than a program may be)."""
    try:
        return with_values(program, values)
    except ProgramError:
        return program
