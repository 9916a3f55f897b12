"""Migration 0008 (a retired code may belong to nobody: an erased patient's) with data in it,
both ways."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.erasure import erase_patient
from db.repositories.patients import PatientRepository


def _nullable(engine: Engine) -> bool:
    with engine.connect() as connection:
        columns = inspect(connection).get_columns("retired_codes")
    return next(c for c in columns if c["name"] == "patient_id")["nullable"]


def _retired(engine: Engine) -> list[tuple[str, int | None]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT code, patient_id FROM retired_codes ORDER BY code"))
        return [(r.code, r.patient_id) for r in rows]


def test_0008_lets_a_retired_code_belong_to_nobody_and_back(engine: Engine) -> None:
    repo = PatientRepository(engine)
    maria = repo.add("Maria", "482913")
    tom = repo.add("Tom", "716254")
    repo.regenerate_code(maria.id, actor="Anna")
    erase_patient(engine, tom.id, actor="Anna")
    assert _nullable(engine)
    assert ("716254", None) in _retired(engine)

    downgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    assert not _nullable(engine)
    # The erased patient's code cannot be kept without a patient; Maria's old one stays.
    assert _retired(engine) == [("482913", maria.id)]

    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert _nullable(engine)
    assert _retired(engine) == [("482913", maria.id)]
    assert repo.get(maria.id) is not None
