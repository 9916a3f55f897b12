"""Retention: session records older than the clinic keeps them are deleted.

The clinic setting ``retention_years`` (default 10, 1 to 30: docs/security.md says why) is how
long a session and what it recorded are kept: its sets, "It hurts" presses, feedback, and
balance checks (those done with it, and any other older than the limit). A session is as old as
its start. Patients, their programs and the audit log are not session records and stay (a
patient who should go altogether is erased: :mod:`db.repositories.erasure`).

:func:`apply_retention` runs when the kiosk starts (``kiosk.services``) and each night before
the backup (``kiosk db retention``, from ``clinic-kiosk-backup.service``), so the night's
backup holds nothing past the limit either. It is idempotent, cheap when nothing is due, and
deletes through :func:`db.secure_delete.deleting_session`; when it deleted anything it says how
much in one audit entry (``old records deleted``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Delete, Engine, delete, or_, select

from db.models import AssessmentResult, ExerciseSession, FeedbackEventRow, PainEventRow, SetRow
from db.repositories.audit import SYSTEM, Action, audit_row
from db.repositories.settings import SettingsRepository
from db.secure_delete import deleting_session


@dataclass(frozen=True)
class Expired:
    """What one run deleted: records from before ``cutoff``."""

    cutoff: datetime
    sessions: int
    sets: int
    pain_events: int
    feedback_events: int
    assessments: int

    @property
    def total(self) -> int:
        return (
            self.sessions + self.sets + self.pain_events + self.feedback_events + self.assessments
        )


def cutoff(now: datetime, years: int) -> datetime:
    """The same moment ``years`` earlier (29 February → 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def apply_retention(
    engine: Engine, *, now: datetime, years: int | None = None, actor: str = SYSTEM
) -> Expired:
    """Delete session records that started before ``now`` less ``years`` (default: the clinic
    setting)."""
    if years is None:
        years = SettingsRepository(engine).load().retention_years
    limit = cutoff(now, years)
    old = select(ExerciseSession.id).where(ExerciseSession.started_at < limit)
    if not _anything_due(engine, limit):  # every start and night but rarely: read, no write
        return Expired(limit, 0, 0, 0, 0, 0)
    with deleting_session(engine) as session:

        def gone(statement: Delete) -> int:
            return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]

        expired = Expired(
            cutoff=limit,
            sets=gone(delete(SetRow).where(SetRow.session_id.in_(old))),
            pain_events=gone(delete(PainEventRow).where(PainEventRow.session_id.in_(old))),
            feedback_events=gone(
                delete(FeedbackEventRow).where(FeedbackEventRow.session_id.in_(old))
            ),
            assessments=gone(
                delete(AssessmentResult).where(
                    or_(AssessmentResult.at < limit, AssessmentResult.session_id.in_(old))
                )
            ),
            sessions=gone(delete(ExerciseSession).where(ExerciseSession.started_at < limit)),
        )
        if expired.total:
            detail = (
                f"kept {years} years: {expired.sessions} sessions, {expired.sets} sets, "
                f"{expired.pain_events} pain, {expired.feedback_events} feedback, "
                f"{expired.assessments} balance checks from before {limit:%Y-%m-%d}"
            )
            session.add(audit_row(actor, Action.RETENTION, detail, now))
        session.commit()
    return expired


def _anything_due(engine: Engine, limit: datetime) -> bool:
    with engine.connect() as connection:
        for when in (ExerciseSession.started_at, AssessmentResult.at):
            if connection.scalar(select(when).where(when < limit).limit(1)) is not None:
                return True
    return False
