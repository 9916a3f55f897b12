"""Prescriptions: how one exercise is done today, and a program of them in order."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from media.schema import Exercise, Phase, Position, SidePattern


class PrescriptionError(ValueError):
    """A dosage that cannot be run (no sets, a negative rest, reps and no tempo...)."""


@dataclass(frozen=True)
class Prescription:
    """One exercise as it is done today.

    ``reps`` None means a hold exercise: each set is one hold of ``hold_s`` seconds.
    Otherwise each repetition runs through ``tempo``; ``rep_hold_s`` is added at the top of each
    repetition (between the tempo's first and remaining phases) and ``final_hold_s`` after the
    last repetition of each set.
    """

    exercise_id: str
    name: str
    sets: int
    reps: int | None
    hold_s: float | None
    tempo: tuple[Phase, ...]
    sides: SidePattern
    rest_s: float
    rep_hold_s: float | None = None
    final_hold_s: float | None = None
    key_points: tuple[str, ...] = ()
    breathing: tuple[str, ...] = ()
    # The starting position, when known: the compiler gives side-lying and prone exercises a
    # longer switch-sides step (the patient has to turn over).
    position: Position | None = None

    def __post_init__(self) -> None:
        if self.sets < 1:
            raise PrescriptionError(f"{self.exercise_id}: sets must be at least 1")
        if self.reps is None:
            if self.hold_s is None or self.hold_s <= 0:
                raise PrescriptionError(f"{self.exercise_id}: a hold exercise needs hold_s > 0")
        else:
            if self.reps < 1:
                raise PrescriptionError(f"{self.exercise_id}: reps must be at least 1")
            if not self.tempo or any(p.seconds <= 0 for p in self.tempo):
                raise PrescriptionError(f"{self.exercise_id}: a rep exercise needs a tempo")
        if self.rest_s < 0:
            raise PrescriptionError(f"{self.exercise_id}: rest cannot be negative")
        for name in ("rep_hold_s", "final_hold_s"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise PrescriptionError(f"{self.exercise_id}: {name} must be positive")

    @property
    def is_hold(self) -> bool:
        return self.reps is None

    @property
    def side_count(self) -> int:
        return 1 if self.sides is SidePattern.NONE else 2

    @classmethod
    def from_exercise(
        cls,
        exercise: Exercise,
        *,
        sets: int | None = None,
        reps: int | None = None,
        hold_s: float | None = None,
        sides: SidePattern | None = None,
        rest_s: float | None = None,
        tempo_s: Sequence[float] | None = None,
    ) -> Prescription:
        """The seed's default dose (the low end of each range), with today's overrides.

        A program item comes here through :meth:`from_spec`; this is where each dose field
        takes its meaning. ``hold_s`` on a repetition exercise sets the hold at the top of
        each repetition. ``tempo_s`` gives the seconds of each of the library's tempo phases,
        in the library's order (the phases' names and words stay the library's); a hold
        exercise has none.
        """
        d = exercise.dosage
        is_hold = d.reps is None
        return cls(
            exercise_id=exercise.id,
            name=exercise.name,
            sets=sets if sets is not None else d.sets.low,
            reps=None if is_hold else (reps if reps is not None else d.reps.low),  # type: ignore[union-attr]
            hold_s=(
                (hold_s if hold_s is not None else float(d.hold_s.low))  # type: ignore[union-attr]
                if is_hold
                else None
            ),
            tempo=d.tempo if tempo_s is None else _retimed(exercise, tempo_s),
            sides=sides if sides is not None else d.sides,
            rest_s=rest_s if rest_s is not None else float(d.rest_s),
            rep_hold_s=(
                hold_s
                if (not is_hold and hold_s is not None)
                else (float(d.rep_hold_s) if d.rep_hold_s else None)
            ),
            final_hold_s=float(d.final_hold_s) if d.final_hold_s else None,
            key_points=exercise.key_points,
            breathing=exercise.breathing,
            position=exercise.position,
        )

    @classmethod
    def from_spec(cls, exercise: Exercise, spec: ProgramItemSpec) -> Prescription:
        """A program item as it is done today: the library's dose with the item's overrides.

        The one way from a stored, drafted or imported item to a prescription, so every
        screen, the handout and the player read an item's dose alike.
        """
        return cls.from_exercise(exercise, **spec.overrides())

    def with_changes(self, **changes: object) -> Prescription:
        return replace(self, **changes)  # type: ignore[arg-type]


def _retimed(exercise: Exercise, tempo_s: Sequence[float]) -> tuple[Phase, ...]:
    """The library's tempo phases with other seconds; refuses a tempo that does not fit."""
    phases = exercise.dosage.tempo
    if exercise.dosage.is_hold:
        raise PrescriptionError(f"{exercise.id}: a hold exercise has no tempo to set")
    if len(tempo_s) != len(phases):
        words = ", ".join(p.word or p.name for p in phases)
        raise PrescriptionError(
            f"{exercise.id}: the tempo needs {len(phases)} phase time(s) ({words}), "
            f"got {len(tempo_s)}"
        )
    for phase, seconds in zip(phases, tempo_s, strict=True):
        if not (math.isfinite(seconds) and seconds > 0):
            raise PrescriptionError(
                f"{exercise.id}: the {phase.word or phase.name!r} phase needs a positive "
                f"number of seconds, got {seconds:g}"
            )
    return tuple(
        replace(phase, seconds=float(seconds))
        for phase, seconds in zip(phases, tempo_s, strict=True)
    )


@dataclass(frozen=True)
class Program:
    """An ordered list of prescriptions.

    ``side_series``: run the whole list on one side, then the whole list on the other (the
    3-minute hip series). Each item's own side pattern is then ignored for the switch.
    """

    name: str
    items: tuple[Prescription, ...]
    side_series: bool = False
    rest_between_exercises_s: float = 15.0

    def __post_init__(self) -> None:
        if not self.items:
            raise PrescriptionError(f"program {self.name!r} has no exercises")


@dataclass(frozen=True)
class ProgramItemSpec:
    """One item of a program as staff prescribed it: an exercise id and its dose overrides.

    The one list of an item's fields: the builder's draft items and the import's rows are
    this type with their own additions (a variation; a place in the file), the database stores
    it field by field, and :meth:`Prescription.from_spec` reads it. Each layer copies an item
    through :meth:`spec_fields`, so a new field is written here, in
    :meth:`Prescription.from_exercise` (what it means), in its column and migration and in
    what edits it, nowhere else.

    ``None`` means "the library's default" for that field. ``tempo_s`` is the seconds of each
    of the exercise's tempo phases, in the library's order (None: the library's tempo; always
    None for a hold exercise). ``notes`` is staff's note to the patient, not part of the dose.
    """

    exercise_id: str
    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    sides: SidePattern | None = None
    rest_s: float | None = None
    notes: str | None = None
    tempo_s: tuple[float, ...] | None = None

    def spec_fields(self) -> dict[str, Any]:
        """This type's fields by name (a subclass's own left out)."""
        return {f.name: getattr(self, f.name) for f in fields(ProgramItemSpec)}

    def spec(self) -> ProgramItemSpec:
        """The item alone, without what a subclass adds (a draft's variation, a file's line)."""
        return ProgramItemSpec(**self.spec_fields())

    def overrides(self) -> dict[str, Any]:
        """The dose fields, as :meth:`Prescription.from_exercise` takes them by name."""
        values = self.spec_fields()
        del values["exercise_id"], values["notes"]
        return values


def build_program(
    name: str,
    items: Sequence[ProgramItemSpec],
    exercises: Mapping[str, Exercise],
    *,
    side_series: bool = False,
    rest_between_exercises_s: float = 15.0,
) -> Program:
    """Resolve stored items against the library; an unknown id raises :class:`PrescriptionError`."""
    prescriptions = []
    for item in items:
        exercise = exercises.get(item.exercise_id)
        if exercise is None:
            raise PrescriptionError(f"program {name!r}: no exercise {item.exercise_id!r}")
        prescriptions.append(Prescription.from_spec(exercise, item))
    return Program(
        name=name,
        items=tuple(prescriptions),
        side_series=side_series,
        rest_between_exercises_s=rest_between_exercises_s,
    )
