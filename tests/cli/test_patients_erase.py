"""``kiosk patients erase CODE``: confirmed by typing the name (or ``--yes``), the patient and
their records gone from the database and the journal beside it, audited without the name."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.connection import open_database
from db.in_use import FolderLock
from db.models import Patient
from db.repositories.audit import Action, entries
from kiosk.patient.writes import SessionRef, StartSession, to_entry
from tests.cli.test_cli import run
from tests.db.faults import TRACEBACK, kiosk
from tests.db.patient_records import full_patient
from tests.paths import REPO_ROOT

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, int]]:
    """Zebulon 482913 and Maria 716254 with their visits; KIOSK_DATABASE_URL names it."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    engine = open_database(url, create=True)
    ids = {code: full_patient(engine, name, code, START)
           for name, code in (("Zebulon", "482913"), ("Maria", "716254"))}  # fmt: skip
    engine.dispose()
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    return url, ids


def _current_code(url: str, patient_id: int) -> str:
    engine = open_database(url)
    with engine.connect() as connection:
        code = connection.scalar(select(Patient.code).where(Patient.id == patient_id))
    engine.dispose()
    assert code is not None
    return code


def _names(url: str) -> list[str]:
    engine = open_database(url)
    with engine.connect() as connection:
        names = list(connection.scalars(select(Patient.display_name).order_by(Patient.id)))
    engine.dispose()
    return names


def test_erase_asks_for_the_name_and_refuses_anything_else(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clinic: tuple[str, dict[str, int]],
) -> None:
    url, ids = clinic
    code = _current_code(url, ids["482913"])
    monkeypatch.setattr("sys.stdin", io.StringIO("Maria\n"))
    status, out, err = run(capsys, "patients", "erase", code)
    assert status == 1
    assert "Type their name to confirm" in out
    assert "nothing erased" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all (end of input)
    assert run(capsys, "patients", "erase", code)[0] == 1
    assert _names(url) == ["Zebulon", "Maria"]
    assert run(capsys, "patients", "erase", "999999", "--yes")[0] == 1
    assert run(capsys, "patients", "erase")[0] == 2


def test_erase_with_the_name_typed_removes_them_and_their_journal_records(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clinic: tuple[str, dict[str, int]],
    tmp_path: Path,
) -> None:
    url, ids = clinic
    zebulon = ids["482913"]
    code = _current_code(url, zebulon)
    pending = tmp_path / "clinic.pending.jsonl"  # the journal beside the database
    theirs = StartSession(SessionRef("waiting"), zebulon, 1, START)
    others = StartSession(SessionRef("other"), ids["716254"], 1, START)
    pending.write_text("".join(json.dumps(to_entry(w)) + "\n" for w in (theirs, others)))
    monkeypatch.setattr("sys.stdin", io.StringIO("  zebulon \n"))
    status, out, _ = run(capsys, "patients", "erase", code)
    assert status == 0, out
    assert "erased: 2 sessions, 4 sets" in out
    assert _names(url) == ["Maria"]
    assert [json.loads(line)["uid"] for line in pending.read_text().splitlines()] == [others.uid]
    engine = open_database(url)
    erasure = entries(engine, actions=(Action.PATIENT_ERASED,))
    engine.dispose()
    assert len(erasure) == 1
    assert erasure[0].actor.startswith("cli:")
    assert erasure[0].detail is not None
    assert "Zebulon" not in erasure[0].detail


def test_the_real_command_erases_with_yes(clinic: tuple[str, dict[str, int]]) -> None:
    url, ids = clinic
    code = _current_code(url, ids["716254"])
    child = subprocess.run(
        kiosk("patients", "erase", code, "--yes", "--db", url),
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert TRACEBACK not in child.stderr
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("erased: 2 sessions")
    assert _names(url) == ["Zebulon"]


def test_a_kiosk_still_holding_their_unsaved_records_stops_the_erasure(
    capsys: pytest.CaptureFixture[str], clinic: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    url, ids = clinic
    zebulon, maria = ids["482913"], ids["716254"]
    pending = tmp_path / "clinic.pending.jsonl"
    others = StartSession(SessionRef("other"), maria, 1, START)
    pending.write_text(json.dumps(to_entry(others)) + "\n")
    running = FolderLock(tmp_path / "clinic.sqlite3", exclusive=False)  # as a kiosk holds it
    try:
        # Nothing of Zebulon waits in that kiosk: erased.
        assert run(capsys, "patients", "erase", _current_code(url, zebulon), "--yes")[0] == 0
        theirs = StartSession(SessionRef("waiting"), maria, 1, START)
        with pending.open("a") as journal:
            journal.write(json.dumps(to_entry(theirs)) + "\n")
        code, out, err = run(capsys, "patients", "erase", _current_code(url, maria), "--yes")
        assert (code, out) == (1, "")
        assert "still holds records of this patient that are not saved" in err
        assert _names(url) == ["Maria"]
    finally:
        running.release()
    assert run(capsys, "patients", "erase", _current_code(url, maria), "--yes")[0] == 0
    assert _names(url) == []
    assert not pending.exists()  # nothing left in it: removed
