"""The audit log: who did what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import AuditEntryRow
from db.types import utc_now


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str | None


def audit(
    engine: Engine,
    actor: str,
    action: str,
    detail: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Record that ``actor`` (a staff name, or "system") did ``action``."""
    with Session(engine) as session:
        session.add(audit_row(actor, action, detail, at))
        session.commit()


def audit_row(actor: str, action: str, detail: str | None, at: datetime | None) -> AuditEntryRow:
    """An entry to add inside another operation's transaction (e.g. the demo data)."""
    return AuditEntryRow(at=at or utc_now(), actor=actor, action=action, detail=detail)


def recent_entries(engine: Engine, limit: int = 100) -> tuple[AuditEntry, ...]:
    """The newest entries first."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
    with Session(engine) as session:
        return tuple(
            AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail)
            for r in session.scalars(query.limit(limit))
        )
