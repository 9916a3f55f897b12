"""Migration 0010 (the staff side's indexes) with data in it, both ways."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import Engine, inspect

from bench.clinic_history import HistoryShape, count_rows, generate
from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.progress import ProgressQueries

NEW = {
    ("sessions", "ix_sessions_started_at"),
    ("sessions", "ix_sessions_patient_id_started_at"),
    ("set_records", "ix_set_records_session_id_status_ended_at"),
    ("feedback_events", "ix_feedback_events_session_id_kind_at"),
    ("assignments", "ix_assignments_end_date"),
}
OLD = {
    ("sessions", "ix_sessions_patient_id"),
    ("set_records", "ix_set_records_session_id"),
    ("feedback_events", "ix_feedback_events_session_id"),
}


def _indexes(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {
            (table, str(index["name"]))
            for table in ("sessions", "set_records", "feedback_events", "assignments")
            for index in inspector.get_indexes(table)
        }


def test_0010_adds_the_period_indexes_and_takes_them_away(engine: Engine) -> None:
    shape = HistoryShape(patients=40, days=14, visits_per_day=10)
    generate(engine, shape)
    before = count_rows(engine)
    rows = ProgressQueries(engine, tz=UTC).day_rows(shape.start, shape.end)
    assert _indexes(engine) >= NEW
    assert not OLD & _indexes(engine)

    downgrade(engine, "0009")
    assert current_revision(engine) == "0009"
    assert _indexes(engine) >= OLD
    assert not NEW & _indexes(engine)
    assert count_rows(engine) == before

    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert _indexes(engine) >= NEW
    assert not OLD & _indexes(engine)
    assert count_rows(engine) == before
    assert ProgressQueries(engine, tz=UTC).day_rows(shape.start, shape.end) == rows
