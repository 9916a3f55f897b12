"""A check-in code is a bearer credential: it opens the kiosk as its patient. So it is kept
out of what travels or stays: CSV reports, the audit log, and the names the kiosk suggests for
files (issue 13). The code may appear where it is the point: on the card, and in the patient's
own export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from db.connection import open_database
from db.demo import ensure_demo_data
from db.repositories.audit import entries
from db.repositories.patients import PatientRepository
from kiosk.text import t
from tests.cli.test_cli import run

TOM = "716254"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    engine = open_database(url, create=True)
    ensure_demo_data(engine, date(2025, 3, 1))
    engine.dispose()
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    return url


def test_no_audit_entry_report_or_suggested_name_holds_a_code_or_a_name(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, qapp: QApplication
) -> None:
    report = tmp_path / "report.csv"
    assert run(capsys, "patients", "card", TOM, "--out", str(tmp_path / "c.pdf"))[0] == 0
    handout = ["handout", TOM, "--out", str(tmp_path / "h.pdf"), "--date", "2025-03-03"]
    assert run(capsys, *handout)[0] == 0
    assert run(capsys, "report", "--from", "2025-03-01", "--to", "2025-03-03", "--code", TOM,
               "--csv", str(report))[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "patients", "add", "Quentin")
    assert code == 0
    engine = open_database(db)
    try:
        repo = PatientRepository(engine)
        quentin = repo.find_by_code(out.strip())
        assert quentin is not None
        repo.rename(quentin.id, "Quincy", actor="Demo")
        repo.regenerate_code(quentin.id, actor="Demo")
        patients = repo.search(include_inactive=True)
        logged = [e.detail or "" for e in entries(engine)]
    finally:
        engine.dispose()
    secrets = {p.code for p in patients} | {out.strip()} | {"Quentin", "Quincy", "Tom"}
    assert len(logged) > 5
    assert [d for d in logged if any(s in d for s in secrets)] == []
    tom = next(p for p in patients if p.code == TOM)
    assert f"patient {tom.id}" in " | ".join(logged)  # named by id instead
    with report.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    assert {r["patient_id"] for r in rows} == {str(tom.id)}
    assert TOM not in report.read_text(encoding="utf-8-sig")
    for key in ("staff.patients.card_name", "staff.progress.handout_name"):
        assert TOM not in t(key, id=tom.id)
        assert str(tom.id) in t(key, id=tom.id)
