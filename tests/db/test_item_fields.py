"""Every field of a program item survives the database, on every path that stores or reads
items: the builder's store, the kiosk's repository, an assignment and an import.

The item sets every field (tests/core/every_field.py), so a field added to the spec without
its column, or left behind by one mapping, fails here on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from sqlalchemy import Engine

from db.repositories.imports import ImportedDay, apply_import
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.programs import ProgramRepository
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.program_builder import DraftItem, ProgramDraft
from tests.core.every_field import EVERY_FIELD

DAY = date(2025, 3, 3)
DRAFT = ProgramDraft(name="Every field", items=(EVERY_FIELD, DraftItem("standing-wall-press")))


def test_the_store_and_the_repository_keep_every_field(engine: Engine) -> None:
    store, programs = ProgramStore(engine), ProgramRepository(engine)
    saved = store.save(DRAFT, actor="Anna")
    assert store.load(saved) == DRAFT
    kiosk_view = programs.get(saved)
    assert kiosk_view is not None
    assert kiosk_view.items == DRAFT.specs()

    maria = PatientRepository(engine).add("Maria", "482913")
    assigned = store.assign(DRAFT, maria.id, DAY, DAY, actor="Anna")
    assert store.load(assigned.program_id) == DRAFT
    today = programs.program_for(maria.id, DAY)
    assert today is not None
    assert today.items == DRAFT.specs()

    created = programs.create("Specs", DRAFT.specs())
    assert programs.get(created) == replace(kiosk_view, id=created, name="Specs")
    bare = tuple(DraftItem.from_spec(spec) for spec in DRAFT.specs())  # no variations
    assert store.load(created) == replace(DRAFT, name="Specs", items=bare)


def test_an_import_is_skipped_only_when_every_field_is_the_same(engine: Engine) -> None:
    """A second import of the same items writes nothing; one differing in any single field
    (each in turn, back to the library's default) is another program, and is written."""
    maria = PatientRepository(engine).add("Maria", "482913").id
    spec = EVERY_FIELD.spec()

    def imported(items: tuple[ProgramItemSpec, ...]) -> int:
        day = ImportedDay(DAY, maria, items, "Imported")
        outcome = apply_import(
            engine,
            [day],
            actor="Anna",
            filename="day.csv",
            file_format="csv",
            content_sha256="x",
            row_count=len(items),
        )
        return outcome.programs_written

    assert imported((spec,)) == 1
    assert imported((spec,)) == 0
    library_default = ProgramItemSpec(spec.exercise_id)
    for name in (f.name for f in fields(ProgramItemSpec) if f.name != "exercise_id"):
        assert imported((replace(spec, **{name: getattr(library_default, name)}),)) == 1, name
        assert imported((spec,)) == 1, name
