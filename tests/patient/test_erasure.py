"""Erasing a patient drops their records still waiting in the journal, and in an earlier
version's unsaved files, so no restart writes them back; another patient's stay."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from db.models import ExerciseSession, Patient
from db.repositories.assessments import SideResult
from db.repositories.patients import PatientRepository
from kiosk.core.records import PainEvent
from kiosk.core.timeline import Side
from kiosk.patient.erasure import erase_patient
from kiosk.patient.journal import Journal, legacy_unsaved_path
from kiosk.patient.writes import (
    LogPain,
    LogSet,
    SaveCheck,
    SessionRef,
    StartSession,
    Write,
    to_entry,
)
from tests.db.patient_records import a_set, full_patient

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def _uid_of_a_session(engine: Engine, patient_id: int) -> tuple[int, str]:
    with engine.connect() as connection:
        row = connection.execute(
            select(ExerciseSession.id, ExerciseSession.uid)
            .where(ExerciseSession.patient_id == patient_id)
            .limit(1)
        ).one()
    return row.id, row.uid


def _legacy_line(session_id: int) -> str:
    record = {k: (v.isoformat() if isinstance(v, datetime) else v)
              for k, v in asdict(a_set(START)).items()}  # fmt: skip
    return json.dumps({"session_id": session_id, "kind": "SetRecord", **record}) + "\n"


def test_the_patients_unsaved_records_are_dropped_and_no_one_elses(
    engine: Engine, tmp_path: Path
) -> None:
    zebulon = full_patient(engine, "Zebulon", "482913", START)
    maria = full_patient(engine, "Maria", "716254", START)
    z_id, z_uid = _uid_of_a_session(engine, zebulon)
    m_id, m_uid = _uid_of_a_session(engine, maria)
    later = START + timedelta(days=30)
    new_visit = SessionRef("z-new-session")  # started, not yet in the database
    writes: list[Write] = [
        StartSession(new_visit, zebulon, 1, later),
        LogSet(new_visit, a_set(later)),
        LogSet(SessionRef(z_uid), a_set(later)),
        LogPain(SessionRef(z_uid), PainEvent(0, "clamshell", 1, Side.LEFT, 3, later)),
        SaveCheck(zebulon, "single-leg-stance", (SideResult(Side.LEFT, 9.0, 30.0, ()),), later),
        LogSet(SessionRef(m_uid), a_set(later)),
        SaveCheck(maria, "single-leg-stance", (SideResult(Side.LEFT, 9.0, 30.0, ()),), later),
    ]
    journal = Journal(tmp_path / "kiosk.pending.jsonl", tmp_path / "memory" / "pending.jsonl")
    journal.append(*(to_entry(w) for w in writes[:4]))
    assert journal.fallback is not None
    journal.fallback.parent.mkdir()
    journal.fallback.write_text("".join(json.dumps(to_entry(w)) + "\n" for w in writes[4:]))
    legacy = legacy_unsaved_path(journal.primary)
    legacy.write_text(_legacy_line(z_id) + _legacy_line(m_id))
    imported = legacy.with_name(legacy.name + ".imported")
    imported.write_text(_legacy_line(m_id) + _legacy_line(z_id))

    erased = erase_patient(engine, zebulon, actor="Anna", journal=journal)

    assert erased.sessions == 2
    assert [e["uid"] for e in journal.read()] == [writes[5].uid, writes[6].uid]
    assert not journal.fallback.exists()  # rewritten into the primary file
    assert oct(journal.primary.stat().st_mode & 0o777) == "0o600"
    assert legacy.read_text() == _legacy_line(m_id)
    assert imported.read_text() == _legacy_line(m_id)
    assert oct(legacy.stat().st_mode & 0o777) == "0o600"
    with engine.connect() as connection:
        assert connection.scalars(select(Patient.id)).all() == [maria]
    assert PatientRepository(engine).get(maria) is not None


def test_without_a_journal_only_the_database_is_erased(engine: Engine) -> None:
    zebulon = full_patient(engine, "Zebulon", "482913", START)
    assert erase_patient(engine, zebulon, actor="Anna", journal=None).sessions == 2
    assert PatientRepository(engine).get(zebulon) is None
