"""Compiles a program into a :class:`~kiosk.core.timeline.Timeline`, once, before it runs.

Precomputing every step and cue means the voice, the screen and the log read one schedule,
the engine only has to walk it, and a test can check the whole session without running it.

Conventions (tests hold the compiler to them):

* ``sets`` is per side. ``alternate`` runs L1, R1, L2, R2 ...; ``each`` L1..Ln then R1..Rn;
  ``none`` sets without a side. A side series runs every item on the left, one SWITCH_SIDE,
  then every item on the right; intros are spoken once (first side), and the first countdown
  of each item on the second side names it ("Clamshell, right side."). Items whose pattern is
  ``none`` run once, in the first pass.
* Per exercise: INTRO, then per set ``[REST] [SWITCH_SIDE] COUNTDOWN work...``. The REST is
  the prescription's ``rest_s`` (left out when 0); SWITCH_SIDE comes when the side differs from
  the previous set's. Between exercises a REST of ``rest_between_exercises_s``; a DONE step ends.
* INTRO says the name and key points, then the exercise's breathing cues (if it has any) as
  a second instruction; it lasts ``max(5, words × SECONDS_PER_WORD + 1)`` s over both (the
  language's speech rate: 0.4 s a word in English). SWITCH_SIDE 6 s (8 s for side-lying and
  prone starting positions: the patient turns over). COUNTDOWN: the
  announcement at its start, then "3", "2", "1" with a PIP one second apart from the first
  half second after the announcement is said; the step ends one second after "1", where the
  first work step's GO tone sits. DONE lasts ``max(5, speech + 1)`` s.
* Work: one REP step per repetition (phases from the tempo, ``rep_hold_s`` inserted after the
  first phase) or one HOLD step per hold; a ``final_hold_s`` is its own HOLD step closing the
  set. A HOLD step carries its HOLD_END tone *inside itself, at exactly its end time* (the last
  cue of the step); the engine emits it before the next step starts.
* Spoken cues never overlap: a cue is only placed if the previous one has been said
  (``SECONDS_PER_WORD`` per word) and it can be said before its own step ends. Instruction
  cues are given room by construction; counts and encouragement that do not fit are dropped.
* Encouragement is sparing: "Halfway" in long sets and holds, and one gentle phrase per exercise
  in its first rest between sets of at least ``ENCOURAGE_MIN_REST_S``, after the rest's words.
"""

from __future__ import annotations

from typing import Any

from kiosk.core import cue_text
from kiosk.core.prescription import Prescription, Program
from kiosk.core.timeline import Cue, CuePriority, PhaseSpan, Side, Step, StepKind, Timeline, Tone
from kiosk.text import t
from media.schema import Position, SidePattern

INTRO_MIN_S = 5.0
INTRO_MARGIN_S = 1.0
SWITCH_S = 6.0
SWITCH_TURN_OVER_S = 8.0
DONE_MIN_S = 5.0
COUNTDOWN_FROM = 3
HOLD_COUNTDOWN_FROM = 5
HALFWAY_HOLD_MIN_S = 20.0
HALFWAY_MIN_REPS = 6
ENCOURAGE_MIN_REST_S = 25.0
ENCOURAGE_GAP_S = 0.5  # a breath between the rest's words and the encouragement
ENCOURAGE_MARGIN_S = 1.0  # silence left before the next step
_TURN_OVER = frozenset({Position.SIDE_LYING, Position.PRONE})
_EPS = 1e-9

WorkSet = tuple[int, Side | None]  # (set number, side)


def work_sets(p: Prescription, *, side: Side | None = None) -> list[WorkSet]:
    """The order of a prescription's sets; ``side`` pins every set to one side (side series)."""
    numbers = range(1, p.sets + 1)
    if p.sides is SidePattern.NONE:
        return [(n, None) for n in numbers]
    if side is not None:
        return [(n, side) for n in numbers]
    if p.sides is SidePattern.ALTERNATE:
        return [(n, s) for n in numbers for s in (Side.LEFT, Side.RIGHT)]
    return [(n, s) for s in (Side.LEFT, Side.RIGHT) for n in numbers]


class _Builder:
    """Appends steps end to end and keeps track of when the voice is free again."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.t = 0.0
        self._free_at = 0.0

    # -- cues ---------------------------------------------------------------------------
    def say(self, cues: list[Cue], at: float, text: str, priority: CuePriority, end: float) -> bool:
        """Place a spoken cue if the voice is free at ``at`` and it can finish by ``end``."""
        if at < self._free_at - _EPS or at + cue_text.speech_s(text) > end + _EPS:
            return False
        cues.append(Cue(at_s=at, text=text, priority=priority))
        self._free_at = at + cue_text.speech_s(text)
        return True

    @staticmethod
    def tone(cues: list[Cue], at: float, tone: Tone, priority: CuePriority) -> None:
        cues.append(Cue(at_s=at, tone=tone, priority=priority))

    def add(
        self,
        kind: StepKind,
        duration: float,
        cues: list[Cue],
        phases: tuple[PhaseSpan, ...] = (),
        **fields: Any,
    ) -> None:
        cues.sort(key=lambda c: c.at_s)  # stable: a tone stays before words at the same time
        self.steps.append(
            Step(
                index=len(self.steps),
                kind=kind,
                start_s=self.t,
                duration_s=float(duration),
                cues=tuple(cues),
                phases=phases,
                **fields,
            )
        )
        self.t += duration

    # -- steps --------------------------------------------------------------------------
    def intro(self, index: int, p: Prescription) -> None:
        text = cue_text.intro(p.name, p.key_points)
        breath = cue_text.breathing(p.breathing)
        words = cue_text.word_count(text) + cue_text.word_count(breath)
        duration = max(INTRO_MIN_S, cue_text.words_s(words) + INTRO_MARGIN_S)
        cues: list[Cue] = []
        self.say(cues, self.t, text, CuePriority.INSTRUCTION, self.t + duration)
        if breath:
            at = self.t + cue_text.speech_s(text)
            self.say(cues, at, breath, CuePriority.INSTRUCTION, self.t + duration)
        self.add(
            StepKind.INTRO,
            duration,
            cues,
            **_fields(index, p, None, None),
            title=p.name,
        )

    def rest(
        self,
        duration: float,
        texts: tuple[str, ...],
        *,
        index: int,
        p: Prescription,
        set_number: int | None,
        side: Side | None,
        next_up: str,
        encourage: str | None = None,
    ) -> None:
        if duration <= 0:
            return
        cues: list[Cue] = []
        text = cue_text.longest_fitting(texts, duration)
        if text is not None:
            self.say(cues, self.t, text, CuePriority.INSTRUCTION, self.t + duration)
        if encourage is not None and duration >= ENCOURAGE_MIN_REST_S:
            at = max(self.t, self._free_at + ENCOURAGE_GAP_S)
            end = self.t + duration - ENCOURAGE_MARGIN_S
            self.say(cues, at, encourage, CuePriority.ENCOURAGEMENT, end)
        self.add(
            StepKind.REST,
            duration,
            cues,
            **_fields(index, p, set_number, side),
            title=t("cue.rest_title"),
            next_up=next_up,
        )

    def switch(
        self, index: int, p: Prescription, set_number: int, side: Side, text: str | None = None
    ) -> None:
        text = cue_text.switch_sides(side) if text is None else text
        base = SWITCH_TURN_OVER_S if p.position in _TURN_OVER else SWITCH_S
        duration = max(base, cue_text.speech_s(text) + 1.0)
        cues: list[Cue] = []
        self.say(cues, self.t, text, CuePriority.INSTRUCTION, self.t + duration)
        self.add(
            StepKind.SWITCH_SIDE,
            duration,
            cues,
            **_fields(index, p, set_number, side),
            title=t("cue.switch_title"),
        )

    def countdown(
        self,
        index: int,
        p: Prescription,
        set_number: int,
        side: Side | None,
        name: str | None,
        text: str | None = None,
    ) -> None:
        if text is None:
            text = cue_text.countdown_announce(set_number, p.sets, side, name=name)
        first = max(1.0, cue_text.round_up_half(cue_text.speech_s(text) + 0.25))
        duration = first + COUNTDOWN_FROM
        start, end = self.t, self.t + duration
        cues: list[Cue] = []
        self.say(cues, start, text, CuePriority.INSTRUCTION, end)
        for i, n in enumerate(range(COUNTDOWN_FROM, 0, -1)):
            at = start + first + i
            self.tone(cues, at, Tone.PIP, CuePriority.COUNT)
            self.say(cues, at, cue_text.countdown_number(n), CuePriority.COUNT, end)
        self.add(
            StepKind.COUNTDOWN,
            duration,
            cues,
            **_fields(index, p, set_number, side),
            title=p.name,
        )

    def rep(
        self, index: int, p: Prescription, set_number: int, side: Side | None, rep: int
    ) -> None:
        assert p.reps is not None
        phases: list[PhaseSpan] = []
        at = self.t
        for i, phase in enumerate(p.tempo):
            phases.append(PhaseSpan(phase.name, phase.word, at, phase.seconds))
            at += phase.seconds
            if i == 0 and p.rep_hold_s is not None:
                phases.append(PhaseSpan(cue_text.HOLD_PHASE_NAME, t("cue.hold"), at, p.rep_hold_s))
                at += p.rep_hold_s
        start, end = self.t, at
        cues: list[Cue] = []
        if rep == 1:
            # The first rep teaches: GO, then each phase's word as an instruction.
            self.tone(cues, start, Tone.GO, CuePriority.INSTRUCTION)
            for span in phases:
                self.say(cues, span.start_s, span.word, CuePriority.INSTRUCTION, end)
        else:
            self.say(cues, start, cue_text.count(rep), CuePriority.COUNT, end)
            if p.reps >= HALFWAY_MIN_REPS and rep == halfway_rep(p.reps):
                after_count = max(start, self._free_at)
                self.say(cues, after_count, t("cue.halfway"), CuePriority.ENCOURAGEMENT, end)
            for span in phases[1:]:
                self.say(cues, span.start_s, span.word, CuePriority.COUNT, end)
        self.add(
            StepKind.REP,
            end - start,
            cues,
            tuple(phases),
            **_fields(index, p, set_number, side, rep),
            title=p.name,
        )

    def hold(
        self, index: int, p: Prescription, set_number: int, side: Side | None, seconds: float
    ) -> None:
        start, end = self.t, self.t + seconds
        cues: list[Cue] = []
        self.tone(cues, start, Tone.GO, CuePriority.INSTRUCTION)
        self.say(cues, start, t("cue.hold"), CuePriority.INSTRUCTION, end)
        if seconds >= HALFWAY_HOLD_MIN_S:
            self.say(cues, start + seconds / 2, t("cue.halfway"), CuePriority.ENCOURAGEMENT, end)
        for n in range(HOLD_COUNTDOWN_FROM, 0, -1):
            if end - n > start:
                self.say(cues, end - n, cue_text.count(n), CuePriority.COUNT, end)
        self.tone(cues, end, Tone.HOLD_END, CuePriority.INSTRUCTION)
        phase = PhaseSpan(cue_text.HOLD_PHASE_NAME, t("cue.hold"), start, seconds)
        self.add(
            StepKind.HOLD,
            seconds,
            cues,
            (phase,),
            **_fields(index, p, set_number, side),
            title=p.name,
        )

    def done(self, text: str | None = None) -> None:
        text = t("cue.done") if text is None else text
        duration = max(DONE_MIN_S, cue_text.speech_s(text) + 1.0)
        cues: list[Cue] = []
        self.say(cues, self.t, text, CuePriority.INSTRUCTION, self.t + duration)
        self.add(
            StepKind.DONE,
            duration,
            cues,
            exercise_index=None,
            exercise_id=None,
            set=None,
            side=None,
            rep=None,
            title=t("cue.done_title"),
        )

    # -- an exercise --------------------------------------------------------------------
    def exercise(
        self,
        index: int,
        p: Prescription,
        sets: list[WorkSet],
        *,
        intro: bool = True,
        announce_name: bool = False,
    ) -> None:
        """INTRO and every set; ``announce_name`` names the exercise in its first countdown."""
        if intro:
            self.intro(index, p)
        previous_side: Side | None = sets[0][1]
        for i, (number, side) in enumerate(sets):
            if i > 0:
                label = cue_text.set_label(number, p.sets, side)
                self.rest(
                    p.rest_s,
                    (cue_text.rest_next_set(number, p.sets, side), t("cue.rest_short")),
                    index=index,
                    p=p,
                    set_number=number,
                    side=side,
                    next_up=label,
                    encourage=cue_text.encouragement(index) if i == 1 else None,
                )
                if side is not None and side is not previous_side:
                    self.switch(index, p, number, side)
            previous_side = side
            self.countdown(index, p, number, side, p.name if announce_name and i == 0 else None)
            if p.reps is None:
                assert p.hold_s is not None
                self.hold(index, p, number, side, p.hold_s)
                continue
            for rep in range(1, p.reps + 1):
                self.rep(index, p, number, side, rep)
            if p.final_hold_s is not None:
                self.hold(index, p, number, side, p.final_hold_s)

    def between(self, program: Program, index: int, p: Prescription, upcoming: str) -> None:
        """The rest before the next exercise; it belongs to the one just finished."""
        self.rest(
            program.rest_between_exercises_s,
            (cue_text.next_up(upcoming), t("cue.rest_short")),
            index=index,
            p=p,
            set_number=None,
            side=None,
            next_up=upcoming,
        )


def halfway_rep(reps: int) -> int:
    """The first rep that starts once half the set is done (rep 6 of 10, rep 5 of 7)."""
    return -(-reps // 2) + 1


def _fields(
    index: int, p: Prescription, set_number: int | None, side: Side | None, rep: int | None = None
) -> dict[str, Any]:
    return {
        "exercise_index": index,
        "exercise_id": p.exercise_id,
        "set": set_number,
        "side": side,
        "rep": rep,
        "sets_total": p.sets,
        "reps_total": p.reps,
    }


def compile_program(program: Program) -> Timeline:
    """Every step of the session, end to end, from 0 s."""
    b = _Builder()
    items = program.items
    if not program.side_series:
        for i, p in enumerate(items):
            if i > 0:
                b.between(program, i - 1, items[i - 1], p.name)
            b.exercise(i, p, work_sets(p))
    else:
        for i, p in enumerate(items):
            if i > 0:
                b.between(program, i - 1, items[i - 1], p.name)
            b.exercise(i, p, work_sets(p, side=Side.LEFT))
        second = [(i, p) for i, p in enumerate(items) if p.sides is not SidePattern.NONE]
        for k, (i, p) in enumerate(second):
            if k == 0:
                b.switch(i, p, 1, Side.RIGHT)
            else:
                j, previous = second[k - 1]
                b.between(program, j, previous, p.name)
            b.exercise(i, p, work_sets(p, side=Side.RIGHT), intro=False, announce_name=True)
    b.done()
    return Timeline(name=program.name, steps=tuple(b.steps))


def compile_prescription(p: Prescription) -> Timeline:
    """A one-exercise session (the CLI's ``compile`` and the staff preview)."""
    return compile_program(Program(name=p.name, items=(p,)))


#: The pause on both feet between the two sides of a stance check.
CHECK_REST_S = 10.0


def compile_stance_check(p: Prescription) -> Timeline:
    """A timed self-check on one leg (the single-leg stance): one HOLD per side.

    The same steps as an exercise, so the engine, the voice and the screen run it unchanged:
    the intro (its name and the check's safety points), "Stand on your left leg." with 3-2-1,
    the hold (its last five seconds counted, "Halfway" when long), a rest on both feet,
    "Switch legs.", the other side, and a closing line of its own. ``p`` is a hold
    prescription (``reps`` None), one set per side.
    """
    if p.hold_s is None:
        raise ValueError(f"{p.exercise_id}: a stance check is a hold")
    b = _Builder()
    b.intro(0, p)
    for i, (number, side) in enumerate(work_sets(p)):
        if i > 0:
            label = cue_text.stance_label(side)
            b.rest(CHECK_REST_S, (t("cue.stance_rest"),), index=0, p=p, set_number=number,
                   side=side, next_up=label)  # fmt: skip
            if side is not None:
                b.switch(0, p, number, side, text=t("cue.stance_switch"))
        b.countdown(0, p, number, side, None, text=cue_text.stance_announce(side))
        b.hold(0, p, number, side, p.hold_s)
    b.done(t("cue.stance_done"))
    return Timeline(name=p.name, steps=tuple(b.steps))


def estimate_duration_s(p: Prescription) -> float:
    """Seconds one exercise takes (intro, sets and rests), without the session's closing step."""
    b = _Builder()
    b.exercise(0, p, work_sets(p))
    return b.t


def estimate_minutes(p: Prescription) -> int:
    """Whole minutes one exercise takes, never less than 1 (an exercise card's figure)."""
    return max(1, round(estimate_duration_s(p) / 60))


def _r(seconds: float) -> float:
    return round(seconds, 3)


def timeline_to_dict(tl: Timeline) -> dict[str, Any]:
    """The JSON shape the CLI prints: kinds and sides as strings, times rounded to 1 ms."""
    return {
        "exercise": tl.name,
        "total_s": _r(tl.total_s),
        "steps": [
            {
                "kind": step.kind.value,
                "set": step.set,
                "side": step.side.value if step.side is not None else None,
                "rep": step.rep,
                "start_s": _r(step.start_s),
                "duration_s": _r(step.duration_s),
                "title": step.title,
                "phases": [
                    {
                        "name": ph.name,
                        "word": ph.word,
                        "start_s": _r(ph.start_s),
                        "duration_s": _r(ph.duration_s),
                    }
                    for ph in step.phases
                ],
                "cues": [
                    {"at_s": _r(c.at_s), "text": c.text}
                    if c.text is not None
                    else {"at_s": _r(c.at_s), "tone": c.tone.value if c.tone else None}
                    for c in step.cues
                ],
            }
            for step in tl.steps
        ],
    }
