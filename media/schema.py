"""Typed schema of the exercise library.

The data files under ``media/library/`` are TOML; :mod:`media.loader` validates each one
against these frozen dataclasses and names the file and the field when something is wrong.
Everything downstream (the timeline compiler, the player, the CLI) reads only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SidePattern(StrEnum):
    """How the sets of an exercise are spread over the two sides of the body."""

    ALTERNATE = "alternate"  # switch sides between sets: L, R, L, R ...
    EACH = "each"  # all sets on one side, then all sets on the other
    NONE = "none"  # both legs together, or no side at all


class Position(StrEnum):
    """Starting positions used by the library (the demonstrations draw these)."""

    STANDING = "standing"
    SIDE_LYING = "side-lying"
    PRONE = "prone"
    HANDS_AND_KNEES = "hands-and-knees"
    WALL = "wall"
    ATHLETIC_STANCE = "athletic-stance"


@dataclass(frozen=True)
class IntRange:
    """A dose from the seed: ``low`` is today's default, ``high`` the progression target."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low < 0 or self.high < self.low:
            raise ValueError(f"invalid range {self.low}-{self.high}")

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    def __str__(self) -> str:
        return f"{self.low}-{self.high}" if self.is_range else str(self.low)


@dataclass(frozen=True)
class Phase:
    """One timed part of a repetition, e.g. ``Phase("raise", 2.0, "Lift")``.

    ``word`` is what the screen shows and the voice says as the phase starts.
    """

    name: str
    seconds: float
    word: str


@dataclass(frozen=True)
class Dosage:
    """The seed's sample program for an exercise.

    Either ``reps`` is set (a repetition exercise, paced by ``tempo``) or ``reps`` is None and
    ``hold_s`` is the length of the single hold that makes up each set. ``rep_hold_s`` is a hold
    at the top of every repetition; ``final_hold_s`` a hold after the last repetition of each set
    (the side-lying lift and sweep's 10 seconds). ``defaults`` lists the field names that are our
    conservative choice rather than a figure from the seed: the clinic may change them.
    """

    sets: IntRange
    reps: IntRange | None
    hold_s: IntRange | None
    sides: SidePattern
    rest_s: int
    tempo: tuple[Phase, ...]
    rep_hold_s: int | None = None
    final_hold_s: int | None = None
    defaults: tuple[str, ...] = ()

    @property
    def is_hold(self) -> bool:
        return self.reps is None


@dataclass(frozen=True)
class Variation:
    """A progression (harder) or regression (easier) of an exercise."""

    name: str
    description: str
    source: str


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    summary: str
    position: Position
    equipment: tuple[str, ...]
    target_muscles: tuple[str, ...]
    steps: tuple[str, ...]
    key_points: tuple[str, ...]
    breathing: tuple[str, ...]
    dosage: Dosage
    progressions: tuple[Variation, ...]
    regressions: tuple[Variation, ...]
    safety: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """A timed self-check, e.g. the single-leg stance: stand on one leg per side and watch."""

    id: str
    name: str
    summary: str
    position: Position
    steps: tuple[str, ...]
    hold_s: int
    sides: SidePattern
    watch_for: tuple[str, ...]
    safety: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Routine:
    """A preset program; ``side_series``: every exercise on one side, then all on the other."""

    id: str
    name: str
    summary: str
    exercise_ids: tuple[str, ...]
    side_series: bool
    rest_s: int
    notes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyNote:
    text: str
    source: str


@dataclass(frozen=True)
class Fact:
    """A short fact about the hip muscles, for the attract screen."""

    text: str
    source: str


@dataclass(frozen=True)
class Library:
    exercises: dict[str, Exercise]
    assessments: dict[str, Assessment] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    safety: tuple[SafetyNote, ...] = ()
    facts: tuple[Fact, ...] = ()
    language: str = "en"  # the language of the text; doses and ids are the same in every one

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise with id {exercise_id!r}") from None
