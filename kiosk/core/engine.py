"""The session engine: walks a compiled timeline against an injected clock.

Modelled on h11's ``_state.py``: every legal move is one entry of :data:`TRANSITIONS`, and
anything else raises :class:`~kiosk.core.events.IllegalTransitionError`. The engine never
reads the time itself; the UI timer (or a test's :class:`~kiosk.core.clock.FakeClock`) calls
:meth:`SessionEngine.update`, which emits everything whose moment has passed, in timeline order.
Remaining time is always a deadline minus the clock, so a late or coarse timer never stretches
or shortens a hold.

Decisions worth knowing:

* The timeline is flattened into one ordered list of moments (step start, phase start, cue,
  set end, session end). At one instant the order is: the ending step's cues (a hold's
  HOLD_END), its SetFinished, then StepStarted, PhaseStarted, the new step's cues.
* ``next()`` / ``skip_exercise()`` while PAUSED move the position but stay paused; the new
  step's StepStarted/PhaseStarted are emitted at once (the screen follows), its cues on resume.
* ``skip_exercise()`` from PAIN resumes (PAIN → RUNNING): the patient chose to carry on with
  something else, and what follows is a gentle intro or rest, not effort. It jumps past the
  current *block*: the run of steps that share the exercise index (an exercise's intro, sets
  and the rest after it; in a side series, that exercise on the current side only).
* ``repeat()`` re-emits the latest spoken INSTRUCTION cue with ``late_s = 0`` (it is fresh).
* With a ``lead_s`` (the kiosk's voice), every cue is also announced that much before its
  moment (CueAhead, with the clock reading it is due at), so the voice can hand its sound to
  the mixer early, placed to start on the exact sample; ``next_deadline()`` then includes
  those announcements. Leaving RUNNING or jumping withdraws what was announced and is not yet
  due (AheadCancelled, before the StateChanged). The CueDue still comes at the moment.
* A command arriving after the timeline has run out without an ``update()`` first catches up;
  if that ends the session the command does nothing more, except ``hurt()``, whose pain event
  is still recorded and reported.
* A rep set with a final hold reports that hold as ``hold_target_s``/``hold_done_s``.
* A moment found more than ``stall_s`` late means the kiosk itself stood still (a frozen
  screen, a machine that slept), not the patient: the session carries on from ``stall_s``
  past that moment, the rest of the gap counted as paused time, instead of rushing through
  steps nobody was coached through. The position never runs backwards for it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kiosk.core.clock import Clock, utc_now
from kiosk.core.events import (
    AheadCancelled,
    Command,
    CueAhead,
    CueDue,
    Event,
    IllegalTransitionError,
    Listener,
    PainReported,
    PhaseStarted,
    SessionEnded,
    SessionState,
    SetFinished,
    StateChanged,
    StepStarted,
)
from kiosk.core.records import PainEvent, SetRecord, SetStatus
from kiosk.core.schedule import (
    WORK_KINDS,
    Moment,
    MomentKind,
    SetSpan,
    moments,
    next_blocks,
    set_spans,
)
from kiosk.core.timeline import Cue, CuePriority, PhaseSpan, Side, Step, StepKind, Timeline

_log = logging.getLogger(__name__)

#: How late a moment may be found before the engine treats the delay as the kiosk standing
#: still (see the module docstring). Well above a busy UI's hiccup, well below a set.
STALL_S = 1.0
#: How far ahead the kiosk's sessions announce their cues (CueAhead), so the voice can place
#: each sound on its moment's sample: more than a mixer buffer (10.7 ms) plus a sound
#: server's burst (PipeWire's 21 ms quantum) plus a busy Qt thread's timer lateness.
ANNOUNCE_AHEAD_S = 0.08
#: Moments this close past the position count as reached: a timer armed for ``next_deadline()``
#: lands a float rounding away from it, and must not find nothing to do.
EPSILON_S = 1e-6

S = SessionState
C = Command
TRANSITIONS: dict[tuple[SessionState, Command], SessionState] = {
    (S.READY, C.START): S.RUNNING,
    (S.READY, C.STOP): S.STOPPED,
    (S.RUNNING, C.PAUSE): S.PAUSED,
    (S.RUNNING, C.NEXT): S.RUNNING,
    (S.RUNNING, C.REPEAT): S.RUNNING,
    (S.RUNNING, C.HURT): S.PAIN,
    (S.RUNNING, C.SKIP_EXERCISE): S.RUNNING,
    (S.RUNNING, C.STOP): S.STOPPED,
    (S.RUNNING, C.FINISH): S.FINISHED,
    (S.PAUSED, C.RESUME): S.RUNNING,
    (S.PAUSED, C.NEXT): S.PAUSED,
    (S.PAUSED, C.REPEAT): S.PAUSED,
    (S.PAUSED, C.HURT): S.PAIN,
    (S.PAUSED, C.SKIP_EXERCISE): S.PAUSED,
    (S.PAUSED, C.STOP): S.STOPPED,
    (S.PAUSED, C.FINISH): S.FINISHED,  # next() on the DONE step while paused
    (S.PAIN, C.RESUME): S.RUNNING,
    (S.PAIN, C.SKIP_EXERCISE): S.RUNNING,
    (S.PAIN, C.STOP): S.STOPPED,
}
FINAL_STATES = frozenset({S.FINISHED, S.STOPPED})
_FROZEN = frozenset({S.PAUSED, S.PAIN})


@dataclass(slots=True)
class _OpenSet:
    span: SetSpan
    started_at: datetime
    paused_base_s: float


@dataclass(frozen=True)
class SetProgress:
    """What the player shows during a set: "Set 2 of 3, left — rep 7 of 10"."""

    exercise_index: int | None
    exercise_id: str | None
    set_number: int
    sets_total: int | None
    side: Side | None
    rep: int | None  # the repetition under way
    reps_done: int | None
    reps_total: int | None
    hold_elapsed_s: float | None
    hold_total_s: float | None


class SessionEngine:
    """Runs one session.

    Events, delivered to listeners in order (see :mod:`kiosk.core.events`): StateChanged,
    StepStarted, PhaseStarted, CueDue, SetFinished, PainReported, SessionEnded. A listener may
    call engine commands; the events that causes are queued behind the one being delivered.
    """

    def __init__(
        self,
        timeline: Timeline,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime] = utc_now,
        stall_s: float = STALL_S,
        lead_s: float = 0.0,
    ) -> None:
        if not timeline.steps:
            raise ValueError("an empty timeline cannot be run")
        self._timeline = timeline
        self._clock = clock
        self._wall = wall_clock
        self._stall_s = stall_s
        self._spans = set_spans(timeline)
        self._span_of_first = {span.first: span for span in self._spans}
        self._moments, self._first_moment = moments(timeline, self._spans)
        self._lead_s = lead_s
        # The first CUE moment at or after each index (len(moments) if none): where the next
        # announcement ahead is, without a scan.
        self._next_cue = [len(self._moments)] * (len(self._moments) + 1)
        for index in range(len(self._moments) - 1, -1, -1):
            is_cue = self._moments[index].kind is MomentKind.CUE
            self._next_cue[index] = index if is_cue else self._next_cue[index + 1]
        self._ahead = 0  # moments before this index were announced ahead (if at the cursor+)
        self._next_block = next_blocks(timeline)
        self._state = S.READY
        self._cursor = 0
        self._base = 0.0  # clock reading at timeline time 0 (moved by pauses and jumps)
        self._frozen_at: float | None = None  # clock reading when the position froze
        self._paused_total_s = 0.0
        self._step_index = 0
        self._open: _OpenSet | None = None
        self._records: list[SetRecord] = []
        self._pain: list[PainEvent] = []
        self._last_instruction: Cue | None = None
        self._listeners: list[Listener] = []
        self._queue: deque[Event] = deque()
        self._dispatching = False
        self._walking = False

    # -- read side ----------------------------------------------------------------------
    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def records(self) -> tuple[SetRecord, ...]:
        return tuple(self._records)

    @property
    def pain_events(self) -> tuple[PainEvent, ...]:
        return tuple(self._pain)

    def position_s(self) -> float:
        """Timeline time now: frozen while paused, in pain, or over; never past the end."""
        return min(self._position(), self._timeline.total_s)

    def _position(self) -> float:
        """Unclamped, so lateness is measured truly even past the end of the timeline; at
        most ``stall_s`` past the next moment due (a longer delay is the kiosk standing still,
        absorbed here as paused time so every reader sees the same, steadily rising time)."""
        if self._state is S.READY:
            return 0.0
        if self._frozen_at is not None:
            return self._frozen_at - self._base
        position = self._clock() - self._base
        if self._state is S.RUNNING and self._cursor < len(self._moments):
            late = position - self._moments[self._cursor].t
            if late > self._stall_s:
                gap = late - self._stall_s
                self._base += gap
                self._paused_total_s += gap
                position -= gap
                _log.warning("the session stood still for %.1f s (the kiosk was held up): it "
                             "carries on from there, the time counted as paused", gap)  # fmt: skip
        return position

    def current_step(self) -> Step:
        """The step whose StepStarted was emitted last (the first one before ``start()``)."""
        return self._timeline.steps[self._step_index]

    def current_phase(self) -> PhaseSpan | None:
        return self.current_step().phase_at(self.position_s())

    def remaining_in_step_s(self) -> float:
        return max(0.0, self.current_step().end_s - self.position_s())

    def next_deadline(self) -> float | None:
        """Clock reading of the next moment to emit, or of the next cue to announce ahead;
        None unless RUNNING."""
        if self._state is not S.RUNNING or self._cursor >= len(self._moments):
            return None
        deadline = self._base + self._moments[self._cursor].t
        if self._lead_s > 0:
            ahead = self._next_cue[max(self._ahead, self._cursor)]
            if ahead < len(self._moments):
                deadline = min(deadline, self._base + self._moments[ahead].t - self._lead_s)
        return deadline

    def set_progress(self) -> SetProgress | None:
        """Progress through the current set; None outside countdowns and work steps."""
        step = self.current_step()
        if step.set is None or step.kind not in (StepKind.COUNTDOWN, *WORK_KINDS):
            return None
        reps_total = step.reps_total
        hold_elapsed: float | None = None
        hold_total: float | None = None
        if step.kind is StepKind.REP:
            reps_done: int | None = (step.rep or 1) - 1
        elif step.kind is StepKind.HOLD:
            reps_done = reps_total
            hold_total = step.duration_s
            hold_elapsed = min(max(0.0, self.position_s() - step.start_s), step.duration_s)
        else:
            reps_done = 0 if reps_total is not None else None
        return SetProgress(
            exercise_index=step.exercise_index,
            exercise_id=step.exercise_id,
            set_number=step.set,
            sets_total=step.sets_total,
            side=step.side,
            rep=step.rep,
            reps_done=reps_done,
            reps_total=reps_total,
            hold_elapsed_s=hold_elapsed,
            hold_total_s=hold_total,
        )

    # -- listeners ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: Event) -> None:
        """Deliver in order; a command called from a listener queues its events behind."""
        self._queue.append(event)
        if self._dispatching:
            return
        self._dispatching = True
        try:
            while self._queue:
                current = self._queue.popleft()
                for listener in tuple(self._listeners):
                    try:
                        listener(current)
                    except Exception:
                        _log.exception("session listener %r failed on %r", listener, current)
        finally:
            self._dispatching = False

    # -- state machine ------------------------------------------------------------------
    def _target(self, command: Command) -> SessionState:
        try:
            return TRANSITIONS[(self._state, command)]
        except KeyError:
            raise IllegalTransitionError(self._state, command) from None

    def _set_state(self, new: SessionState) -> None:
        old, self._state = self._state, new
        if old is not new:
            if new is not S.RUNNING:
                self._withdraw_ahead()
            self._emit(StateChanged(old, new))

    def _withdraw_ahead(self) -> None:
        """Cues announced ahead and not yet due will not come at their moments."""
        if self._ahead > self._cursor:
            self._ahead = self._cursor
            self._emit(AheadCancelled())

    def _paused_total_now(self) -> float:
        if self._state in _FROZEN and self._frozen_at is not None:
            return self._paused_total_s + (self._clock() - self._frozen_at)
        return self._paused_total_s

    def _freeze(self) -> None:
        if self._frozen_at is None:
            self._frozen_at = self._clock()

    def _unfreeze(self) -> None:
        if self._frozen_at is not None:
            gap = self._clock() - self._frozen_at
            self._paused_total_s += gap
            self._base += gap
            self._frozen_at = None

    def _catch_up(self) -> bool:
        """Emit what is due before a command acts; False if that ended the session.

        A command from a listener (we are inside the walk) acts at the moment being delivered:
        pausing on a StepStarted keeps that step's cues for the resume.
        """
        if self._state is S.RUNNING and not self._walking:
            self._process()
        return self._state not in FINAL_STATES

    # -- commands -----------------------------------------------------------------------
    def start(self, from_step: int = 0) -> None:
        """The position is the start of ``from_step`` now (0: the beginning); its first
        moments are emitted. A resumed session starts past the sets it already logged; what
        lies before ``from_step`` is never emitted, and its sets get no records here."""
        new = self._target(C.START)
        if not 0 <= from_step < len(self._timeline.steps):
            raise ValueError(f"no step {from_step} in a timeline of {len(self._timeline.steps)}")
        self._base = self._clock() - self._timeline.steps[from_step].start_s
        self._cursor = self._first_moment[from_step]
        self._set_state(new)
        self._process()

    def update(self) -> None:
        """Emit everything whose moment has passed. Cheap when nothing is due."""
        if self._state is S.RUNNING:
            self._process()

    def pause(self) -> None:
        """Freeze the position; time paused inside a set goes into its ``paused_s``."""
        new = self._target(C.PAUSE)
        if not self._catch_up():
            return
        self._freeze()
        self._set_state(new)

    def resume(self) -> None:
        """Carry on from the frozen position (from PAUSED or PAIN); due cues follow at once."""
        new = self._target(C.RESUME)
        self._unfreeze()
        self._set_state(new)
        self._process()

    def next(self) -> None:
        """Skip to the next step; inside a set, end the set as SKIPPED and leave it."""
        self._target(C.NEXT)
        if not self._catch_up():
            return
        step = self.current_step()
        target = step.index + 1
        if self._open is not None and step.kind in WORK_KINDS:
            target = self._open.span.last + 1
            self._close_set(SetStatus.SKIPPED)
        self._jump(target if target < len(self._timeline.steps) else None)

    def repeat(self) -> None:
        """Say the latest instruction again, without moving time."""
        self._target(C.REPEAT)
        if self._last_instruction is not None:
            self._emit(CueDue(self._last_instruction, 0.0))

    def hurt(self) -> None:
        """Freeze time and log where it hurt; the open set waits for resume, skip or stop."""
        new = self._target(C.HURT)
        ended = not self._catch_up()
        step = self.current_step()
        event = PainEvent(
            exercise_index=step.exercise_index,
            exercise_id=step.exercise_id,
            set_number=step.set,
            side=step.side,
            rep=step.rep if step.kind is StepKind.REP else None,
            at=self._wall(),
        )
        self._pain.append(event)
        if not ended:
            self._freeze()
            self._set_state(new)
        self._emit(PainReported(event))

    def skip_exercise(self) -> None:
        """Leave the current exercise block (usually after pain); a started set is SKIPPED."""
        new = self._target(C.SKIP_EXERCISE)
        if not self._catch_up():
            return
        if self._open is not None:
            self._close_set(SetStatus.SKIPPED)
        target = self._next_block[self._step_index]
        if new is S.RUNNING and self._state is not S.RUNNING:
            self._unfreeze()
        self._set_state(new)
        self._jump(target)

    def stop(self) -> None:
        """End the session now; a set in progress is logged as STOPPED, not lost."""
        new = self._target(C.STOP)
        if not self._catch_up():
            return
        if self._open is not None:
            self._close_set(SetStatus.STOPPED)
        if self._state is S.READY:
            self._base = self._clock()  # position 0, frozen
        self._freeze()
        self._set_state(new)
        self._emit(SessionEnded(new, self.records))

    # -- walking the timeline -----------------------------------------------------------
    def _process(self) -> None:
        if self._walking:
            return  # a listener's command inside the walk: the outer loop carries on
        self._walking = True
        try:
            # Re-read cursor and position every time: a listener may have paused or jumped.
            while self._state is S.RUNNING and self._cursor < len(self._moments):
                moment = self._moments[self._cursor]
                position = self._position()
                if moment.t > position + EPSILON_S:
                    break
                self._cursor += 1
                self._handle(moment, position)
            if self._lead_s > 0 and self._state is S.RUNNING:
                self._announce_ahead()
        finally:
            self._walking = False

    def _announce_ahead(self) -> None:
        horizon = self._position() + self._lead_s + EPSILON_S
        index = self._next_cue[max(self._ahead, self._cursor)]
        while index < len(self._moments) and self._moments[index].t <= horizon:
            moment = self._moments[index]
            assert moment.cue is not None
            self._ahead = index + 1
            self._emit(CueAhead(moment.cue, self._base + moment.t))
            index = self._next_cue[index + 1]

    def _handle(self, moment: Moment, position: float) -> None:
        if moment.kind is MomentKind.STEP:
            self._step_index = moment.step
            span = self._span_of_first.get(moment.step)
            if span is not None:
                self._open = _OpenSet(span, self._wall(), self._paused_total_now())
            self._emit(StepStarted(self._timeline.steps[moment.step]))
        elif moment.kind is MomentKind.PHASE:
            assert moment.phase is not None
            self._emit(PhaseStarted(self._timeline.steps[moment.step], moment.phase))
        elif moment.kind is MomentKind.CUE:
            assert moment.cue is not None
            if moment.cue.text is not None and moment.cue.priority is CuePriority.INSTRUCTION:
                self._last_instruction = moment.cue
            self._emit(CueDue(moment.cue, max(0.0, position - moment.t)))
        elif moment.kind is MomentKind.SET_END:
            if self._open is not None:
                self._close_set(SetStatus.COMPLETED)
        else:
            self._finish()

    def _finish(self) -> None:
        new = self._target(C.FINISH)
        self._frozen_at = self._base + self._timeline.total_s
        self._cursor = len(self._moments)
        self._set_state(new)
        self._emit(SessionEnded(new, self.records))

    def _jump(self, step_index: int | None) -> None:
        """Move the position to the start of a step (None: the end), skipping what lies between."""
        if step_index is None:
            self._withdraw_ahead()
            if self._state is S.RUNNING:
                self._base = self._clock() - self._timeline.total_s
                self._cursor = len(self._moments) - 1
                self._process()
            else:
                self._finish()
            return
        self._withdraw_ahead()
        t = self._timeline.steps[step_index].start_s
        now = self._frozen_at if self._frozen_at is not None else self._clock()
        self._base = now - t
        self._cursor = self._first_moment[step_index]
        if self._state is S.RUNNING:
            self._process()
            return
        # Paused: let the screen follow now; the step's cues wait for resume().
        while self._cursor < len(self._moments):
            moment = self._moments[self._cursor]
            if moment.kind not in (MomentKind.STEP, MomentKind.PHASE) or moment.t > t + EPSILON_S:
                break
            self._cursor += 1
            self._handle(moment, t)

    def _close_set(self, status: SetStatus) -> None:
        assert self._open is not None
        opened, self._open = self._open, None
        span = opened.span
        position = self.position_s()
        reps_done = span.reps_target
        hold_done = span.hold_target_s
        if status is not SetStatus.COMPLETED:
            if reps_done is not None:
                reps_done = sum(
                    1
                    for s in span.steps
                    if s.kind is StepKind.REP and s.end_s <= position + EPSILON_S
                )
            if hold_done is not None:
                hold_done = sum(
                    min(max(0.0, position - s.start_s), s.duration_s)
                    for s in span.steps
                    if s.kind is StepKind.HOLD
                )
        first = span.steps[0]
        assert first.exercise_index is not None
        assert first.exercise_id is not None
        assert first.set is not None
        record = SetRecord(
            exercise_index=first.exercise_index,
            exercise_id=first.exercise_id,
            set_number=first.set,
            side=first.side,
            reps_target=span.reps_target,
            reps_done=reps_done,
            hold_target_s=span.hold_target_s,
            hold_done_s=hold_done,
            started_at=opened.started_at,
            ended_at=self._wall(),
            paused_s=self._paused_total_now() - opened.paused_base_s,
            status=status,
        )
        self._records.append(record)
        self._emit(SetFinished(record))
