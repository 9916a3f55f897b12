"""A program item's tempo is stored and read back by every path that saves or loads items."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.programs import ProgramError, ProgramRepository, format_tempo, parse_tempo
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.program_builder import DraftItem, ProgramDraft

DAY = date(2025, 3, 3)


def test_tempo_text_round_trips() -> None:
    assert format_tempo(None) is None
    assert format_tempo((2.0, 1.5, 10.0)) == "2,1.5,10"
    assert parse_tempo("2,1.5,10") == (2.0, 1.5, 10.0)
    assert parse_tempo(None) is None
    assert parse_tempo(" ") is None
    with pytest.raises(ProgramError, match="not a list of seconds"):
        parse_tempo("2,fast")


def test_program_repository_saves_and_loads_the_tempo(engine: Engine) -> None:
    repo = ProgramRepository(engine)
    items = [
        ProgramItemSpec("clamshell", reps=12, tempo_s=(3.0, 2.5)),
        ProgramItemSpec("big-leg-lifts"),
    ]
    program_id = repo.create("P", items)
    loaded = repo.get(program_id)
    assert loaded is not None
    assert loaded.items == tuple(items)
    patient = PatientRepository(engine).add("Maria", "482913")
    repo.assign(program_id, patient.id, DAY, None)
    today = repo.program_for(patient.id, DAY)
    assert today is not None
    assert today.items[0].tempo_s == (3.0, 2.5)


@pytest.mark.parametrize("tempo_s", [(), (2.0, 0.0), (float("inf"), 2.0)])
def test_a_tempo_the_player_could_not_run_is_not_stored(
    engine: Engine, tempo_s: tuple[float, ...]
) -> None:
    with pytest.raises(ProgramError, match="positive number of seconds per phase"):
        ProgramRepository(engine).create("P", [ProgramItemSpec("clamshell", tempo_s=tempo_s)])
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM programs")).scalar() == 0


def test_program_store_keeps_the_tempo_in_templates_and_assigned_copies(engine: Engine) -> None:
    store = ProgramStore(engine)
    draft = ProgramDraft(
        name="Slow hips",
        items=(
            DraftItem("side-lying-lift-and-sweep", tempo_s=(1.0, 2.0, 4.0), variation=None),
            DraftItem("clamshell", variation="Light band", tempo_s=(3.0, 3.0)),
            DraftItem("standing-wall-press", hold_s=20),
        ),
    )
    template_id = store.save(draft, actor="Anna", template=True)
    assert store.load(template_id) == draft
    patient = PatientRepository(engine).add("Maria", "482913")
    assigned = store.assign(draft, patient.id, DAY, DAY, actor="Anna")
    copy = store.load(assigned.program_id)
    assert copy == draft
    today = ProgramRepository(engine).program_for(patient.id, DAY)
    assert today is not None
    assert [i.tempo_s for i in today.items] == [(1.0, 2.0, 4.0), (3.0, 3.0), None]
