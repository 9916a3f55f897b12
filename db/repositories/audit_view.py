"""The audit log as staff read it: by kind of entry and period, newest first, a page at a time.

The kinds group the log's actions the way staff ask about them ("who tried PINs?", "was
check-in paused?"). Check-in's own entries are matched by their prefix ``check-in``, so a new
kind of check-in entry shows under Check-in without a change here. Every entry belongs to
exactly one kind; "other" is whatever no kind names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, Engine, and_, false, not_, or_, select
from sqlalchemy.orm import Session

from db.models import AuditEntryRow
from db.repositories.audit import Action, AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditKind:
    """The actions of one kind, and the prefixes of actions it also takes."""

    actions: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


#: The kinds, in the order the viewer offers them.
AUDIT_KINDS: Final[dict[str, AuditKind]] = {
    "sign_in": AuditKind(
        (
            Action.LOGIN,
            Action.PIN_FAILED,
            Action.LOCKED,
            Action.SIGN_IN_LOCKED,
            Action.UNLOCK_FAILED,
            Action.SIGN_IN_UNLOCKED,
            Action.QUIT,
        )
    ),
    "checkin": AuditKind(prefixes=("check-in",)),
    "staff": AuditKind(
        (
            Action.STAFF_ADDED,
            Action.STAFF_PIN_CHANGED,
            Action.STAFF_DEACTIVATED,
            Action.STAFF_REACTIVATED,
            Action.STAFF_REMOVED,
        )
    ),
    "patients": AuditKind(
        (
            Action.PATIENT_ADDED,
            Action.PATIENT_RENAMED,
            Action.CODE_REGENERATED,
            Action.CODE_SHOWN,
            Action.PATIENT_DEACTIVATED,
            Action.PATIENT_REACTIVATED,
        )
    ),
    "programs": AuditKind(
        (Action.PROGRAM_SAVED, Action.TEMPLATE_SAVED, Action.PROGRAM_ASSIGNED, Action.IMPORT)
    ),
    "exports": AuditKind((Action.EXPORT,)),
    "settings": AuditKind((Action.SETTINGS_CHANGED,)),
}


def _matches(kind: AuditKind) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if kind.actions:
        parts.append(AuditEntryRow.action.in_(kind.actions))
    parts.extend(AuditEntryRow.action.startswith(prefix) for prefix in kind.prefixes)
    return or_(false(), *parts)


def _of_kind(kind: str) -> ColumnElement[bool]:
    if kind == "other":
        return not_(or_(*(_matches(k) for k in AUDIT_KINDS.values())))
    return _matches(AUDIT_KINDS[kind])


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    more: bool  # older entries follow this page


def audit_page(
    engine: Engine,
    *,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Entries of ``kind`` (a key of :data:`AUDIT_KINDS`, "other", or None for all) from
    ``since`` up to, not including, ``until``; newest first, page ``page`` (0: the newest)."""
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(_of_kind(kind))
    if since is not None:
        conditions.append(AuditEntryRow.at >= since)
    if until is not None:
        conditions.append(AuditEntryRow.at < until)
    query = (
        select(AuditEntryRow)
        .where(and_(*conditions) if conditions else AuditEntryRow.id.isnot(None))
        .order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
        .offset(max(0, page) * page_size)
        .limit(page_size + 1)
    )
    with Session(engine) as session:
        rows = list(session.scalars(query))
    found = tuple(
        AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail)
        for r in rows[:page_size]
    )
    return AuditPage(found, more=len(rows) > page_size)
