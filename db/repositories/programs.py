"""Programs, their items in order, and which program a patient does on a given day.

The one owner of a program's rows: :func:`program_row` writes a program with its items,
:func:`read_program` reads one back in the form a caller needs (:class:`AssignedProgram` for
the kiosk here; a draft or a summary for the staff builder in
:mod:`db.repositories.program_store`), and :func:`item_row` and :func:`stored_item` are the
only place an item's fields meet the ``program_items`` columns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import EXERCISE_ID_MAX, Assignment, Program, ProgramItem
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.program_builder import DraftItem

ALL_WEEKDAYS = 0b111_1111
T = TypeVar("T")


class ProgramError(ValueError):
    """A program or assignment that cannot be stored (no items, a zero set count, bad dates)."""


@dataclass(frozen=True)
class AssignedProgram:
    """A stored program, ready for :func:`kiosk.core.prescription.build_program`."""

    id: int
    name: str
    side_series: bool
    items: tuple[ProgramItemSpec, ...]
    routine_id: str | None = None


def weekday_mask(days: Iterable[int]) -> int:
    """The ``weekdays`` mask for ``date.weekday()`` numbers (0 Monday ... 6 Sunday)."""
    mask = 0
    for day in days:
        if not 0 <= day <= 6:
            raise ProgramError(f"weekday must be 0 (Monday) to 6 (Sunday): {day}")
        mask |= 1 << day
    return mask


def format_tempo(tempo_s: Sequence[float] | None) -> str | None:
    """``program_items.tempo``: seconds per phase, comma-separated ("2,1.5,2"); None stays None."""
    if tempo_s is None:
        return None
    return ",".join(f"{float(seconds):g}" for seconds in tempo_s)


def parse_tempo(text: str | None) -> tuple[float, ...] | None:
    """The inverse of :func:`format_tempo`; an empty or NULL column is the library's tempo."""
    if text is None or not text.strip():
        return None
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ProgramError(f"a stored tempo is not a list of seconds: {text!r}") from None


def item_row(item: ProgramItemSpec, position: int) -> ProgramItem:
    """The ``program_items`` row of ``item``.

    Each field of a stored item (a :class:`DraftItem`: the spec and its variation, None for a
    bare spec) goes to the column of its name, found by enumerating the fields, so a new field
    needs only its column. The one field stored in another form is the tempo, as text
    (:func:`format_tempo`); ``sides`` is stored by the column's own enum type.
    """
    stored = item if isinstance(item, DraftItem) else DraftItem.from_spec(item)
    values = {f.name: getattr(stored, f.name) for f in fields(DraftItem)}
    return ProgramItem(position=position, tempo=format_tempo(values.pop("tempo_s")), **values)


def stored_item(row: ProgramItem) -> DraftItem:
    """The inverse of :func:`item_row`: the item a ``program_items`` row stores."""
    values = {f.name: getattr(row, f.name) for f in fields(DraftItem) if f.name != "tempo_s"}
    return DraftItem(**values, tempo_s=parse_tempo(row.tempo))


def _check_item(index: int, item: ProgramItemSpec) -> None:
    """Refuse doses the session could never run; None (the library default) is always fine."""
    where = f"item {index} ({item.exercise_id!r})"
    if not item.exercise_id or len(item.exercise_id) > EXERCISE_ID_MAX:
        raise ProgramError(f"{where}: exercise id must be 1 to {EXERCISE_ID_MAX} characters")
    if item.sets is not None and item.sets < 1:
        raise ProgramError(f"{where}: sets must be at least 1")
    if item.reps is not None and item.reps < 1:
        raise ProgramError(f"{where}: reps must be at least 1")
    if item.hold_s is not None and not (math.isfinite(item.hold_s) and item.hold_s > 0):
        raise ProgramError(f"{where}: hold_s must be positive")
    if item.rest_s is not None and not (math.isfinite(item.rest_s) and item.rest_s >= 0):
        raise ProgramError(f"{where}: rest_s cannot be negative")
    if item.tempo_s is not None and not (
        item.tempo_s and all(math.isfinite(s) and s > 0 for s in item.tempo_s)
    ):
        raise ProgramError(f"{where}: a tempo needs a positive number of seconds per phase")


def program_row(
    name: str,
    items: Sequence[ProgramItemSpec],
    side_series: bool,
    routine_id: str | None,
    notes: str | None,
    *,
    is_template: bool = False,
    import_batch_id: int | None = None,
) -> Program:
    """A new program with its items, checked, to add inside any transaction.

    A :class:`DraftItem` keeps its variation; any other item is the exercise itself.
    """
    if not name.strip():
        raise ProgramError("a program needs a name")
    if not items:
        raise ProgramError(f"program {name!r} has no exercises")
    for index, item in enumerate(items):
        _check_item(index, item)
    return Program(
        name=name.strip(),
        side_series=side_series,
        routine_id=routine_id,
        notes=notes,
        is_template=is_template,
        import_batch_id=import_batch_id,
        items=[item_row(item, position) for position, item in enumerate(items)],
    )


def assignment_row(
    program_id: int, patient_id: int, start: date, end: date | None, weekdays: int | None
) -> Assignment:
    """A new assignment, checked, to add inside any transaction."""
    if end is not None and end < start:
        raise ProgramError(f"assignment ends ({end}) before it starts ({start})")
    if weekdays is not None and not 1 <= weekdays <= ALL_WEEKDAYS:
        raise ProgramError(f"weekdays mask must be 1 to {ALL_WEEKDAYS}: {weekdays}")
    return Assignment(
        program_id=program_id,
        patient_id=patient_id,
        start_date=start,
        end_date=end,
        weekdays=weekdays,
    )


def program_with_items(session: Session, program_id: int) -> Program | None:
    """Program ``program_id`` with its items loaded, inside the caller's session."""
    query = select(Program).where(Program.id == program_id).options(selectinload(Program.items))
    return session.scalars(query).one_or_none()


def read_program(engine: Engine, program_id: int, view: Callable[[Program], T]) -> T | None:
    """Program ``program_id`` as ``view`` makes it, or None if there is no such program.

    ``view`` runs inside the session, so the rows never leave it.
    """
    with Session(engine) as session:
        program = program_with_items(session, program_id)
        return None if program is None else view(program)


def _assigned(program: Program) -> AssignedProgram:
    return AssignedProgram(
        id=program.id,
        name=program.name,
        side_series=program.side_series,
        items=tuple(stored_item(item).spec() for item in program.items),
        routine_id=program.routine_id,
    )


class ProgramRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        name: str,
        items: Sequence[ProgramItemSpec],
        side_series: bool = False,
        routine_id: str | None = None,
        notes: str | None = None,
    ) -> int:
        """Store a program; its items keep the order given. Returns the program id."""
        program = program_row(name, items, side_series, routine_id, notes)
        with Session(self._engine) as session:
            session.add(program)
            session.commit()
            return program.id

    def get(self, program_id: int) -> AssignedProgram | None:
        return read_program(self._engine, program_id, _assigned)

    def assign(
        self,
        program_id: int,
        patient_id: int,
        start: date,
        end: date | None,
        weekdays: int | None = None,
    ) -> int:
        """Give a program to a patient from ``start`` to ``end`` inclusive (None: open-ended).

        ``weekdays``: a :func:`weekday_mask`; None means every day. Returns the assignment id.
        """
        assignment = assignment_row(program_id, patient_id, start, end, weekdays)
        with Session(self._engine) as session:
            session.add(assignment)
            session.commit()
            return assignment.id

    def program_for(self, patient_id: int, day: date) -> AssignedProgram | None:
        """The program a patient does on ``day``, or None.

        If several assignments cover the day, the one that started last wins (a progression
        scheduled ahead takes over on its start date); on the same start date, the one made
        last wins (staff correcting an assignment).
        """
        covering = (
            select(Assignment.program_id)
            .where(
                Assignment.patient_id == patient_id,
                Assignment.start_date <= day,
                or_(Assignment.end_date.is_(None), Assignment.end_date >= day),
                or_(
                    Assignment.weekdays.is_(None),
                    Assignment.weekdays.bitwise_and(1 << day.weekday()) != 0,
                ),
            )
            .order_by(Assignment.start_date.desc(), Assignment.id.desc())
            .limit(1)
        )
        with Session(self._engine) as session:
            program_id = session.scalars(covering).first()
            if program_id is None:
                return None
            program = program_with_items(session, program_id)
            return None if program is None else _assigned(program)
