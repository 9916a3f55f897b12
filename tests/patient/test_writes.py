"""Every kind of write survives the journal: to a JSON line and back, unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from db.models import SessionStatus
from db.repositories.assessments import Answer, SideResult
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side
from kiosk.patient.writes import (
    AuditNote,
    FinishSession,
    LogFeedback,
    LogPain,
    LogSet,
    ReopenSession,
    SaveCheck,
    SaveLanguage,
    SessionRef,
    StartSession,
    Write,
    from_entry,
    to_entry,
)

AT = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)
REF = SessionRef("a" * 32, 7)
WRITES: list[Write] = [
    StartSession(SessionRef("b" * 32), 1, 2, AT),
    ReopenSession(REF),
    LogSet(
        REF,
        SetRecord(0, "clamshell", 1, Side.LEFT, 3, 2, None, None, AT, AT, 1.5, SetStatus.SKIPPED),
    ),
    LogPain(REF, PainEvent(1, "wall-press", 2, None, None, AT)),
    LogFeedback(REF, FeedbackKind.RESUMED, "stopped", AT),  # its own "kind" field
    LogFeedback(REF, FeedbackKind.DIFFICULTY, "hard", AT, exercise_index=0, side=Side.RIGHT),
    FinishSession(REF, SessionStatus.FINISHED, AT),
    SaveCheck(
        1,
        "single-leg-stance",
        (SideResult(Side.LEFT, 12.0, 30.0, (("Wobbly?", Answer.YES), ("Hip dropped?", None))),),
        AT,
        session=REF,
    ),
    AuditNote("kiosk", "check-in refused", "fingerprint 1a2b", AT),
    SaveLanguage(1, "es"),
    SaveLanguage(1, None),  # back to the clinic's
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: type(w).__name__)
def test_a_write_comes_back_from_its_journal_line_unchanged(write: Write) -> None:
    line = json.dumps(to_entry(write))
    assert from_entry(json.loads(line)) == write


def test_a_line_of_another_version_is_refused_not_guessed() -> None:
    entry = to_entry(WRITES[0])
    with pytest.raises(ValueError, match="not a journal record of version"):
        from_entry({**entry, "v": 2})
    with pytest.raises(ValueError, match="cannot be read"):
        from_entry({**entry, "started_at": "yesterday"})


def test_a_language_is_kept_and_an_erased_patients_is_nothing_to_keep(engine: Engine) -> None:
    from db.repositories.patients import PatientRepository
    from kiosk.patient.writes import apply

    repo = PatientRepository(engine)
    ann = repo.add("Ann", "551937")

    def no_session(_ref: SessionRef) -> int:
        raise AssertionError("a language belongs to no session")

    assert apply(engine, SaveLanguage(ann.id, "es"), no_session) is None
    assert apply(engine, SaveLanguage(ann.id, "es"), no_session) is None  # a replay: the same
    kept = repo.get(ann.id)
    assert kept is not None
    assert kept.language == "es"
    assert apply(engine, SaveLanguage(ann.id + 99, "es"), no_session) is None  # erased: gone
