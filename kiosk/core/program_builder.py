"""The program builder's model: dose limits, a draft program, and progress/regress steps.

Qt-free and immutable: every operation returns a new :class:`ProgramDraft`, so the staff
screen can keep the previous one for undo, and tests need no database. The importer and the
repositories use the same :data:`LIMITS` and :func:`dose_problems`, so a dose the builder
refuses is refused in an import file too.

**What "one step" means.** The library gives each exercise a dose range (the seed's "10,
working up to 12") and named progressions (harder) and regressions (easier), nearest first.
Together they form one ladder per exercise::

    ... regression 1 (low, high) → the exercise (low → high) → progression 1 (low → high) ...

Inside one rung the steps are: reps (or the hold of a hold exercise) from the range's low end
to its high end, then sets from low to high. Past the top of a rung the next step is the next
variation back at its low end; below the bottom, the previous variation at its top. Each
state is compared as ``(rung, reps-or-hold, sets)``, so an item with a hand-set dose moves to
the nearest state above (progress) or below (regress) it. A dose equal to the library's low
end is stored as None ("the library's default"), so it follows later library edits.

**Tempo.** A repetition item may set the seconds of each of its exercise's tempo phases
(``tempo_s``, in the library's order: "Lift 2 s · Lower 3 s"), within :data:`LIMITS`
``"tempo_s"`` per phase and in steps of :data:`TEMPO_STEP_S`; a hold exercise has no tempo. A
tempo equal to the library's is stored as None, like the doses. Progress and regress keep the
tempo: a variation has no tempo of its own in the library (the player runs the base
exercise's phases), so the phases always still match. "Library dose" resets it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Final

from kiosk.core.prescription import ProgramItemSpec
from kiosk.text import t
from media.schema import Exercise, Library, Position, SidePattern


@dataclass(frozen=True)
class Limit:
    """Sensible bounds for one dose field, inclusive."""

    low: float
    high: float
    unit: str = ""

    def contains(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.low:g} to {self.high:g}{self.unit}"


#: Bounds on what a program item may prescribe (per side). Wider than any seed's range, narrow
#: enough that a typo (500 reps, a 3-hour hold) is refused before a patient is coached through it.
LIMITS: Final[dict[str, Limit]] = {
    "sets": Limit(1, 10),
    "reps": Limit(1, 50),
    "hold_s": Limit(1, 300, " s"),
    "rest_s": Limit(0, 600, " s"),
    "tempo_s": Limit(0.5, 10, " s"),  # each phase of one repetition
}
#: The tempo's phases are set in half seconds (the voice and the screen count in them).
TEMPO_STEP_S: Final = 0.5
NOTES_MAX = 500
NAME_MAX = 100


@dataclass(frozen=True)
class DoseProblem:
    """One thing wrong with a dose: the field it is about and a sentence for staff.

    The sentence is in the kiosk's language (the catalog's ``problem.*`` keys), written when
    the problem is found: staff see it as it is, and a log shows what they saw.
    """

    field: str
    message: str


def dose_problems(
    exercise: Exercise | None,
    *,
    sets: int | None = None,
    reps: int | None = None,
    hold_s: float | None = None,
    rest_s: float | None = None,
    tempo_s: Sequence[float] | None = None,
) -> list[DoseProblem]:
    """Every problem with a dose (None fields mean "the library's default" and are fine).

    ``exercise`` None skips the checks that need the library (an unknown id is reported by
    the caller). A hold exercise given reps is refused: each of its sets is one hold. A tempo
    must give each of the exercise's phases a time within the limit, in half seconds.
    """
    problems = []
    for name, value in (("sets", sets), ("reps", reps), ("hold_s", hold_s), ("rest_s", rest_s)):
        if value is None:
            continue
        limit = LIMITS[name]
        if name in ("sets", "reps") and value != int(value):
            problems.append(
                DoseProblem(name, t("problem.dose.not_whole", name=name, value=f"{value:g}"))
            )
        elif not limit.contains(float(value)):
            problems.append(DoseProblem(name, _out_of_range(name, limit, value)))
    if exercise is not None and exercise.dosage.is_hold and reps is not None:
        problems.append(DoseProblem("reps", t("problem.dose.hold_not_reps", exercise=exercise.id)))
    if tempo_s is not None:
        problems.extend(_tempo_problems(exercise, tempo_s))
    return problems


def _out_of_range(name: str, limit: Limit, value: float) -> str:
    key = "problem.dose.range_seconds" if limit.unit else "problem.dose.range"
    return t(key, name=name, low=f"{limit.low:g}", high=f"{limit.high:g}", value=f"{value:g}")


def _tempo_problems(exercise: Exercise | None, tempo_s: Sequence[float]) -> list[DoseProblem]:
    if exercise is not None and exercise.dosage.is_hold:
        return [DoseProblem("tempo_s", t("problem.dose.hold_no_tempo", exercise=exercise.id))]
    phases = exercise.dosage.tempo if exercise is not None else ()
    if exercise is not None and len(tempo_s) != len(phases):
        words = ", ".join(p.word or p.name for p in phases)
        message = t(
            "problem.dose.tempo_phases",
            exercise=exercise.id,
            count=len(phases),
            words=words,
            given=len(tempo_s),
        )
        return [DoseProblem("tempo_s", message)]
    limit = LIMITS["tempo_s"]
    problems = []
    for index, seconds in enumerate(tempo_s):
        phase = (
            (phases[index].word or phases[index].name)
            if index < len(phases)
            else t("problem.dose.phase_number", number=index + 1)
        )
        if not limit.contains(float(seconds)):
            message = t(
                "problem.dose.phase_range",
                phase=phase,
                low=f"{limit.low:g}",
                high=f"{limit.high:g}",
                seconds=f"{seconds:g}",
            )
            problems.append(DoseProblem("tempo_s", message))
        elif not float(seconds / TEMPO_STEP_S).is_integer():
            message = t(
                "problem.dose.phase_step",
                phase=phase,
                step=f"{TEMPO_STEP_S:g}",
                seconds=f"{seconds:g}",
            )
            problems.append(DoseProblem("tempo_s", message))
    return problems


def library_tempo(exercise: Exercise) -> tuple[float, ...]:
    """The library's seconds for each tempo phase (empty for a hold exercise)."""
    return tuple(float(p.seconds) for p in exercise.dosage.tempo)


class BuilderError(ValueError):
    """An operation the draft cannot do: an unknown exercise, a bad dose, a bad position.

    Its text is for staff, in the kiosk's language (the program screen shows ``str()`` of
    it), except for a position outside the draft: that is a bug, and stays English.
    """


class _Unset(Enum):
    UNSET = 0


UNSET: Final = _Unset.UNSET


@dataclass(frozen=True, kw_only=True)
class DraftItem(ProgramItemSpec):
    """One exercise of a draft: its spec (today's overrides, None: library default) and the
    variation staff chose on its ladder; what the database stores for a program item.

    ``variation`` names one of the exercise's progressions or regressions in the library (None:
    the exercise itself). The session player runs the base exercise's timing either way; the
    handout and the screens show the variation's description.
    """

    variation: str | None = None

    @classmethod
    def from_spec(cls, spec: ProgramItemSpec, variation: str | None = None) -> DraftItem:
        return cls(**spec.spec_fields(), variation=variation)


def _exercise(library: Library, exercise_id: str) -> Exercise:
    exercise = library.exercises.get(exercise_id)
    if exercise is None:
        raise BuilderError(t("problem.exercise.unknown", exercise=exercise_id))
    return exercise


def check_item(item: DraftItem, library: Library) -> None:
    """Raise :class:`BuilderError` naming every problem with one item."""
    exercise = _exercise(library, item.exercise_id)
    problems = dose_problems(
        exercise,
        sets=item.sets,
        reps=item.reps,
        hold_s=item.hold_s,
        rest_s=item.rest_s,
        tempo_s=item.tempo_s,
    )
    if item.variation is not None and item.variation not in variation_names(exercise):
        problems.append(
            DoseProblem(
                "variation",
                t("problem.program.no_variation", exercise=exercise.id, variation=item.variation),
            )
        )
    if item.notes is not None and len(item.notes) > NOTES_MAX:
        problems.append(DoseProblem("notes", t("problem.program.notes_too_long", max=NOTES_MAX)))
    if problems:
        raise BuilderError(
            t(
                "problem.program.item",
                exercise=item.exercise_id,
                problems="; ".join(p.message for p in problems),
            )
        )


def variation_names(exercise: Exercise) -> tuple[str, ...]:
    return tuple(v.name for v in (*exercise.regressions, *exercise.progressions))


# --- progress / regress ---------------------------------------------------------------------


def _rungs(exercise: Exercise) -> list[str | None]:
    """Variation names from easiest to hardest; None is the exercise itself."""
    return [
        *(v.name for v in reversed(exercise.regressions)),
        None,
        *(v.name for v in exercise.progressions),
    ]


def _primary_range(exercise: Exercise) -> tuple[float, float]:
    d = exercise.dosage
    r = d.hold_s if d.is_hold else d.reps
    assert r is not None  # the loader guarantees reps or hold_s
    return float(r.low), float(r.high)


def _states(exercise: Exercise) -> list[tuple[int, float, float]]:
    """Every ladder state as (rung, reps-or-hold, sets), easiest first, without repeats."""
    p_low, p_high = _primary_range(exercise)
    s_low, s_high = float(exercise.dosage.sets.low), float(exercise.dosage.sets.high)
    states: list[tuple[int, float, float]] = []
    for rung in range(len(_rungs(exercise))):
        for state in ((rung, p_low, s_low), (rung, p_high, s_low), (rung, p_high, s_high)):
            if state not in states:
                states.append(state)
    return states


def _current_state(item: DraftItem, exercise: Exercise) -> tuple[int, float, float]:
    rungs = _rungs(exercise)
    rung = rungs.index(item.variation) if item.variation in rungs else rungs.index(None)
    p_low, _ = _primary_range(exercise)
    value = item.hold_s if exercise.dosage.is_hold else item.reps
    sets = item.sets if item.sets is not None else exercise.dosage.sets.low
    return rung, float(value) if value is not None else p_low, float(sets)


def _apply_state(item: DraftItem, exercise: Exercise, state: tuple[int, float, float]) -> DraftItem:
    rung, primary, sets = state
    p_low, _ = _primary_range(exercise)
    stored_primary = None if primary == p_low else primary
    return replace(
        item,
        variation=_rungs(exercise)[rung],
        sets=None if sets == exercise.dosage.sets.low else int(sets),
        reps=None if exercise.dosage.is_hold else _int_or_none(stored_primary),
        hold_s=stored_primary if exercise.dosage.is_hold else item.hold_s,
    )


def _int_or_none(value: float | None) -> int | None:
    return None if value is None else int(value)


def step(item: DraftItem, library: Library, direction: int) -> DraftItem:
    """The item one step up (``direction`` +1, progress) or down (-1, regress) its ladder.

    Raises :class:`BuilderError` at either end ("already the hardest variation").
    """
    exercise = _exercise(library, item.exercise_id)
    current = _current_state(item, exercise)
    states = _states(exercise)
    if direction > 0:
        candidates = [s for s in states if s > current]
        if not candidates:
            raise BuilderError(t("problem.program.hardest", exercise=exercise.name))
        return _apply_state(item, exercise, candidates[0])
    candidates = [s for s in states if s < current]
    if not candidates:
        raise BuilderError(t("problem.program.easiest", exercise=exercise.name))
    return _apply_state(item, exercise, candidates[-1])


# --- the draft ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramDraft:
    """A program being built: a name, items in order, and whether it runs as a side series."""

    name: str = field(default_factory=lambda: t("staff.programs.default_name"))
    items: tuple[DraftItem, ...] = ()
    side_series: bool = False
    notes: str | None = None
    routine_id: str | None = field(default=None, compare=False)

    def _index(self, index: int) -> int:
        if not 0 <= index < len(self.items):
            raise BuilderError(f"no item {index}: the program has {len(self.items)}")
        return index

    def _with_items(self, items: Iterable[DraftItem]) -> ProgramDraft:
        return replace(self, items=tuple(items))

    def renamed(self, name: str) -> ProgramDraft:
        cleaned = name.strip()
        if not 1 <= len(cleaned) <= NAME_MAX:
            raise BuilderError(t("problem.program.name_length", max=NAME_MAX))
        return replace(self, name=cleaned)

    def with_side_series(self, side_series: bool) -> ProgramDraft:
        return replace(self, side_series=side_series)

    def with_added(self, exercise_id: str, library: Library, at: int | None = None) -> ProgramDraft:
        """Add an exercise at its library default dose (at the end unless ``at`` is given)."""
        exercise_id = exercise_id.strip().lower()
        _exercise(library, exercise_id)
        items = list(self.items)
        items.insert(
            len(items) if at is None else max(0, min(at, len(items))), DraftItem(exercise_id)
        )
        return self._with_items(items)

    def without(self, index: int) -> ProgramDraft:
        items = list(self.items)
        del items[self._index(index)]
        return self._with_items(items)

    def moved(self, index: int, to: int) -> ProgramDraft:
        """Move item ``index`` so it ends up at position ``to`` (clamped to the list)."""
        items = list(self.items)
        item = items.pop(self._index(index))
        items.insert(max(0, min(to, len(items))), item)
        return self._with_items(items)

    def with_dose(
        self,
        index: int,
        library: Library,
        *,
        sets: int | _Unset | None = UNSET,
        reps: int | _Unset | None = UNSET,
        hold_s: float | _Unset | None = UNSET,
        sides: SidePattern | _Unset | None = UNSET,
        rest_s: float | _Unset | None = UNSET,
        notes: str | _Unset | None = UNSET,
        tempo_s: Sequence[float] | _Unset | None = UNSET,
    ) -> ProgramDraft:
        """Change an item's dose; None sets a field back to the library default.

        Raises :class:`BuilderError` for a dose outside :data:`LIMITS`, reps on a hold
        exercise or a tempo that does not fit the exercise; the draft is unchanged then. A
        tempo equal to the library's is stored as None.
        """
        if tempo_s is not UNSET and tempo_s is not None:
            exercise = _exercise(library, self.items[self._index(index)].exercise_id)
            tempo_s = tuple(float(s) for s in tempo_s)
            if tempo_s == library_tempo(exercise):
                tempo_s = None
        changes = {
            name: value
            for name, value in (
                ("sets", sets),
                ("reps", reps),
                ("hold_s", hold_s),
                ("sides", sides),
                ("rest_s", rest_s),
                ("notes", notes),
                ("tempo_s", tempo_s),
            )
            if value is not UNSET
        }
        item = replace(self.items[self._index(index)], **changes)  # type: ignore[arg-type]
        check_item(item, library)
        return self._replace_item(index, item)

    def with_tempo(self, index: int, library: Library, phase: int, seconds: float) -> ProgramDraft:
        """Set one tempo phase of item ``index`` (the others keep their current seconds).

        Raises :class:`BuilderError` for a hold exercise, a phase the exercise does not have,
        or seconds outside :data:`LIMITS` ``"tempo_s"`` or not in :data:`TEMPO_STEP_S` steps.
        """
        item = self.items[self._index(index)]
        exercise = _exercise(library, item.exercise_id)
        if exercise.dosage.is_hold:
            raise BuilderError(t("problem.dose.hold_no_tempo", exercise=exercise.name))
        current = list(item.tempo_s or library_tempo(exercise))
        if not 0 <= phase < len(current):
            raise BuilderError(f"{exercise.name}: its tempo has no phase {phase + 1}")
        current[phase] = seconds
        return self.with_dose(index, library, tempo_s=current)

    def _replace_item(self, index: int, item: DraftItem) -> ProgramDraft:
        items = list(self.items)
        items[index] = item
        return self._with_items(items)

    def progressed(self, index: int, library: Library) -> ProgramDraft:
        """Item ``index`` one step harder (see the module docstring)."""
        return self._replace_item(index, step(self.items[self._index(index)], library, +1))

    def regressed(self, index: int, library: Library) -> ProgramDraft:
        """Item ``index`` one step easier (see the module docstring)."""
        return self._replace_item(index, step(self.items[self._index(index)], library, -1))

    def check(self, library: Library) -> None:
        """Raise :class:`BuilderError` unless the draft can be saved and run."""
        if not self.name.strip() or len(self.name.strip()) > NAME_MAX:
            raise BuilderError(t("problem.program.name_length", max=NAME_MAX))
        if not self.items:
            raise BuilderError(t("problem.program.no_exercises"))
        for item in self.items:
            check_item(item, library)

    def specs(self) -> tuple[ProgramItemSpec, ...]:
        return tuple(item.spec() for item in self.items)


def filter_exercises(
    library: Library, *, position: Position | None = None, equipment: str | None = None
) -> tuple[Exercise, ...]:
    """The builder's exercise list, by name: only ``position``, only those using ``equipment``."""
    return tuple(
        sorted(
            (
                e
                for e in library.exercises.values()
                if (position is None or e.position is position)
                and (equipment is None or equipment in e.equipment)
            ),
            key=lambda e: e.name.lower(),
        )
    )


def equipment_names(library: Library) -> tuple[str, ...]:
    """Every piece of equipment the library mentions, for the builder's filter."""
    return tuple(sorted({name for e in library.exercises.values() for name in e.equipment}))
