"""Migration 0004 (a program item's own tempo) on a database with data in it, both ways."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.programs import ProgramRepository
from kiosk.core.prescription import ProgramItemSpec


def _columns(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {c["name"] for c in inspect(connection).get_columns("program_items")}


def test_0004_adds_a_nullable_tempo_and_keeps_items_both_ways(engine: Engine) -> None:
    repo = ProgramRepository(engine)
    plain = repo.create("Plain", [ProgramItemSpec("clamshell", sets=2, notes="slowly")])
    paced = repo.create("Paced", [ProgramItemSpec("clamshell", tempo_s=(3.0, 1.5))])
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT tempo FROM program_items ORDER BY id")).all()
    assert [row.tempo for row in stored] == [None, "3,1.5"]

    downgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    assert "tempo" not in _columns(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT program_id, exercise_id, sets, notes FROM program_items ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        (plain, "clamshell", 2, "slowly"),
        (paced, "clamshell", None, None),
    ]

    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION  # 0004 and whatever follows it
    assert "tempo" in _columns(engine)
    # An item from before 0004 runs at the library's tempo.
    again = repo.get(paced)
    assert again is not None
    assert again.items == (ProgramItemSpec("clamshell"),)
    before = repo.get(plain)
    assert before is not None
    assert before.items == (ProgramItemSpec("clamshell", sets=2, notes="slowly"),)
