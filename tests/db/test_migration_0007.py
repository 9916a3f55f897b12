"""Migration 0007 (staff accounts): the audit log's index on (action, at), both ways."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.audit import Action, audit, entries


def _indexes(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {str(i["name"]) for i in inspect(connection).get_indexes("audit_log")}


def test_0007_indexes_the_audit_log_by_action_and_time_and_keeps_its_entries(
    engine: Engine,
) -> None:
    audit(engine, "Anna", Action.LOGIN)
    assert "ix_audit_log_action_at" in _indexes(engine)
    downgrade(engine, "0005")
    assert "ix_audit_log_action_at" not in _indexes(engine)
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert "ix_audit_log_action_at" in _indexes(engine)
    assert [e.actor for e in entries(engine)] == ["Anna"]
