"""One item type, :class:`ProgramItemSpec`, carried whole by the builder and the prescription.

Each test enumerates the spec's fields instead of naming them, so a field added to the spec
that one of these layers drops fails here (see tests/core/every_field.py).
"""

from __future__ import annotations

from dataclasses import fields, replace

from kiosk.core.prescription import Prescription, ProgramItemSpec, build_program
from kiosk.core.program_builder import DraftItem, ProgramDraft
from media.loader import load_library
from media.schema import SidePattern
from tests.core.every_field import EVERY_FIELD, fields_left_at_default

LIBRARY = load_library()
CLAMSHELL = LIBRARY.exercise("clamshell")


def test_the_sample_item_sets_every_field_and_is_a_dose_the_builder_accepts() -> None:
    assert fields_left_at_default(EVERY_FIELD) == []
    ProgramDraft(items=(EVERY_FIELD,)).check(LIBRARY)


def test_a_draft_item_is_the_spec_and_its_variation() -> None:
    spec = EVERY_FIELD.spec()
    assert type(spec) is ProgramItemSpec
    assert [f.name for f in fields(spec)] == [
        f.name for f in fields(DraftItem) if f.name != "variation"
    ]
    assert spec.spec_fields() == {f.name: getattr(EVERY_FIELD, f.name) for f in fields(spec)}
    assert DraftItem.from_spec(spec, EVERY_FIELD.variation) == EVERY_FIELD
    assert ProgramDraft(items=(EVERY_FIELD,)).specs() == (spec,)


def test_the_builder_edits_every_field_of_the_spec() -> None:
    """``with_dose`` takes each field by its name (the exercise is chosen by adding it)."""
    draft = ProgramDraft().with_added(EVERY_FIELD.exercise_id, LIBRARY)
    changes = {k: v for k, v in EVERY_FIELD.spec_fields().items() if k != "exercise_id"}
    edited = draft.with_dose(0, LIBRARY, **changes)
    assert edited.items[0] == replace(EVERY_FIELD, variation=None)
    reset = edited.with_dose(0, LIBRARY, **dict.fromkeys(changes))
    assert reset.items[0] == DraftItem(EVERY_FIELD.exercise_id)


def test_every_dose_field_reaches_the_prescription() -> None:
    """Each override, alone, changes what the player runs; the note is not part of the dose."""
    library_dose = Prescription.from_spec(CLAMSHELL, ProgramItemSpec(CLAMSHELL.id))
    assert library_dose == Prescription.from_exercise(CLAMSHELL)
    dose_fields = {f.name for f in fields(ProgramItemSpec)} - {"exercise_id", "notes"}
    assert set(EVERY_FIELD.overrides()) == dose_fields
    for name, value in EVERY_FIELD.overrides().items():
        alone = Prescription.from_spec(CLAMSHELL, ProgramItemSpec(CLAMSHELL.id, **{name: value}))
        assert alone != library_dose, name
    noted = ProgramItemSpec(CLAMSHELL.id, notes=EVERY_FIELD.notes)
    assert Prescription.from_spec(CLAMSHELL, noted) == library_dose


def test_a_program_of_draft_items_runs_their_doses() -> None:
    (p,) = build_program("P", [EVERY_FIELD], LIBRARY.exercises).items
    assert p == Prescription.from_spec(CLAMSHELL, EVERY_FIELD.spec())
    assert (p.sets, p.reps, p.rep_hold_s, p.sides, p.rest_s) == (2, 12, 3.0, SidePattern.EACH, 20.0)
    assert [phase.seconds for phase in p.tempo] == [3.0, 2.5]
