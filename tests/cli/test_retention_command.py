"""``kiosk db retention``, as the nightly backup unit runs it before the backup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from db.connection import open_database
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.retention import cutoff
from db.repositories.sessions import SessionLog
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import utc_now
from tests.cli.test_cli import run
from tests.db.patient_records import visit
from tests.deploy.units import Unit


def test_retention_deletes_what_is_past_the_setting_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    engine = open_database(url, create=True)
    SettingsRepository(engine).update("Anna", retention_years=2)
    maria = PatientRepository(engine).add("Maria", "482913").id
    now = utc_now()
    old = visit(engine, maria, now - timedelta(days=3 * 365))
    recent = visit(engine, maria, now - timedelta(days=365))
    code, out, err = run(capsys, "db", "retention", "--db", url)
    assert (code, err) == (0, "")
    assert out == (
        "deleted 1 sessions, 2 sets, 1 pain reports, 3 answers and 1 balance checks "
        f"from before {cutoff(now, 2):%Y-%m-%d}\n"
    )
    log = SessionLog(engine)
    assert log.info(old.session_id) is None
    assert log.info(recent.session_id) is not None
    (entry,) = entries(engine, actions=(Action.RETENTION,))
    assert entry.actor.startswith("cli:")
    engine.dispose()


def test_the_nightly_backup_applies_retention_first_and_backs_up_even_if_it_fails() -> None:
    service = Unit.named("clinic-kiosk-backup.service")
    assert service.value("ExecStartPre") == "-/opt/clinic-kiosk/venv/bin/kiosk db retention"
