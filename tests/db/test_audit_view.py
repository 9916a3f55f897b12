"""The audit log as staff read it: by kind, by period, newest first, a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from db.repositories.audit import Action, audit
from db.repositories.audit_view import AUDIT_KINDS, audit_page

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_each_kind_finds_its_entries_and_other_the_rest(engine: Engine) -> None:
    audit(engine, "unknown", Action.PIN_FAILED, at=_at(0))
    audit(engine, "system", Action.SIGN_IN_LOCKED, at=_at(1))
    audit(engine, "kiosk", "check-in failed", "code fingerprint 1a2b", at=_at(2))
    audit(engine, "kiosk", "check-in paused", at=_at(3))
    audit(engine, "Anna", Action.STAFF_DEACTIVATED, "Ben", at=_at(4))
    audit(engine, "Anna", Action.CODE_SHOWN, "patient 3", at=_at(5))
    audit(engine, "Anna", "something a newer kiosk writes", at=_at(6))

    def actions(kind: str | None) -> list[str]:
        return [e.action for e in audit_page(engine, kind=kind).entries]

    assert actions("sign_in") == [Action.SIGN_IN_LOCKED, Action.PIN_FAILED]
    assert actions("checkin") == ["check-in paused", "check-in failed"]
    assert actions("staff") == [Action.STAFF_DEACTIVATED]
    assert actions("patients") == [Action.CODE_SHOWN]
    assert actions("other") == ["something a newer kiosk writes"]
    assert len(actions(None)) == 7
    every = [a for kind in (*AUDIT_KINDS, "other") for a in actions(kind)]
    assert sorted(every) == sorted(actions(None))  # each entry in exactly one kind


def test_newest_first_by_period_and_page(engine: Engine) -> None:
    for minute in range(120):
        audit(engine, "unknown", Action.PIN_FAILED, f"#{minute}", at=_at(minute))
    first = audit_page(engine, page_size=50)
    assert [e.detail for e in first.entries[:2]] == ["#119", "#118"]
    assert first.more
    last = audit_page(engine, page=2, page_size=50)
    assert [e.detail for e in last.entries] == [f"#{m}" for m in range(19, -1, -1)]
    assert not last.more
    window = audit_page(engine, since=_at(10), until=_at(20))
    assert [e.detail for e in window.entries] == [f"#{m}" for m in range(19, 9, -1)]
    assert audit_page(engine, kind="checkin").entries == ()
