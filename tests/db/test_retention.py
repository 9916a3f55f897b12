"""Retention: session records older than the clinic keeps them go, at real dates around the
limit; newer ones, patients and programs stay; the setting is bounded; a second run is idle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from db.models import (
    AssessmentResult,
    ExerciseSession,
    FeedbackEventRow,
    PainEventRow,
    Patient,
    Program,
    SetRow,
)
from db.repositories.assessments import AssessmentLog, SideResult
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.retention import apply_retention, cutoff
from db.repositories.settings import DEFAULTS, SettingsError, SettingsRepository
from kiosk.core.timeline import Side
from tests.db.patient_records import visit

NOW = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)  # a night's run
A_MINUTE = timedelta(minutes=1)


def _starts(engine: Engine) -> list[datetime]:
    with engine.connect() as connection:
        return list(connection.scalars(select(ExerciseSession.started_at).order_by("started_at")))


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


def _clinic(engine: Engine) -> dict[str, datetime]:
    """Maria and Tom with visits either side of the 10-year limit, and a year ago."""
    repo = PatientRepository(engine)
    maria = repo.add("Maria", "482913").id
    tom = repo.add("Tom", "716254").id
    limit = cutoff(NOW, 10)
    starts = {
        "twelve years ago": (tom, limit - timedelta(days=730)),
        "a minute too old": (maria, limit - A_MINUTE),
        "a minute inside": (maria, limit + A_MINUTE),
        "a year ago": (tom, NOW - timedelta(days=365)),
    }
    for patient, start in starts.values():
        visit(engine, patient, start)
    # A balance check on its own (before a session), just too old.
    AssessmentLog(engine).record(
        maria, "single-leg-stance", [SideResult(Side.RIGHT, 20.0, 30.0, ())], limit - A_MINUTE
    )
    return {name: start for name, (_patient, start) in starts.items()}


def test_records_older_than_ten_years_go_and_the_rest_stays(engine: Engine) -> None:
    assert DEFAULTS.retention_years == 10
    starts = _clinic(engine)
    programs = _count(engine, Program)

    expired = apply_retention(engine, now=NOW)

    assert expired.cutoff == datetime(2016, 12, 6, 2, 30, tzinfo=UTC)
    assert _starts(engine) == [starts["a minute inside"], starts["a year ago"]]
    # Each visit logs 2 sets, 1 "It hurts", 3 answers and 1 balance check.
    assert (expired.sessions, expired.sets, expired.pain_events, expired.feedback_events) == (
        2, 4, 2, 6,
    )  # fmt: skip
    assert expired.assessments == 3  # the two sessions' and the one on its own
    assert (_count(engine, SetRow), _count(engine, PainEventRow)) == (4, 2)
    assert (_count(engine, FeedbackEventRow), _count(engine, AssessmentResult)) == (6, 2)
    assert _count(engine, Patient) == 2  # patients are not session records
    assert _count(engine, Program) == programs
    (entry,) = entries(engine, actions=(Action.RETENTION,))
    assert entry.actor == "system"
    assert entry.detail == (
        "kept 10 years: 2 sessions, 4 sets, 2 pain, 6 feedback, 3 balance checks "
        "from before 2016-12-06"
    )

    again = apply_retention(engine, now=NOW + timedelta(seconds=30))
    assert again.total == 0
    assert len(entries(engine, actions=(Action.RETENTION,))) == 1  # nothing deleted, no entry


def test_the_clinic_setting_decides_and_is_bounded(engine: Engine) -> None:
    starts = _clinic(engine)
    settings = SettingsRepository(engine)
    for refused in (0, 31, 2.5, "5"):
        with pytest.raises(SettingsError):
            settings.update("Anna", retention_years=refused)
    assert settings.update("Anna", retention_years=1).retention_years == 1
    expired = apply_retention(engine, now=NOW)
    assert expired.sessions == 3
    assert _starts(engine) == [starts["a year ago"]]


def test_a_leap_day_counts_back_to_the_28th() -> None:
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert cutoff(leap, 10) == datetime(2018, 2, 28, 12, 0, tzinfo=UTC)
    assert cutoff(leap, 4) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
