"""``kiosk patients export CODE --out FILE.json``: every row held about the patient, in every
table, and none of another patient's; 0600; their progress as a PDF beside it; audited."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from db.connection import open_database
from db.models import Base, Patient
from db.repositories.audit import Action, audit, entries
from db.repositories.patient_data import plain
from tests.cli.test_cli import run
from tests.db.patient_records import full_patient
from tests.printing.pdf_pages import pdf_pages

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
#: Tables that can hold nothing of a patient: no column links to one. The check-in lockout's
#: wrong codes are keyed fingerprints of codes that matched nobody (docs/security.md).
NOT_A_PATIENTS = {
    "staff_users",
    "clinic_settings",
    "import_batches",
    "checkin_lockout",
    "checkin_wrong_codes",
}


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Maria and Zebulon with records in every table (each given a new code since 482913 and
    716254); KIOSK_DATABASE_URL names it."""
    url = _url(tmp_path)
    engine = open_database(url, create=True)
    ids = {name: full_patient(engine, name, code, START)
           for name, code in (("Maria", "482913"), ("Zebulon", "716254"))}  # fmt: skip
    audit(engine, "Anna", Action.EXPORT, f"handout for patient {ids['Maria']}, 1 pages, to m.pdf")
    engine.dispose()
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    return ids


def code_of(tmp_path: Path, patient_id: int) -> str:
    engine = open_database(_url(tmp_path))
    with engine.connect() as connection:
        code = connection.scalar(select(Patient.code).where(Patient.id == patient_id))
    engine.dispose()
    assert code is not None
    return code


def held_about(engine: Engine, patient_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row linked to the patient, found table by table from the columns themselves."""
    with engine.connect() as connection:

        def rows(table: str, where: str, **values: Any) -> list[dict[str, Any]]:
            """The rows as the columns' types read them (times aware, days as dates)."""
            query = select(Base.metadata.tables[table]).where(text(where))
            return [dict(r._mapping) for r in connection.execute(query, values)]

        sessions = "SELECT id FROM sessions WHERE patient_id = :p"
        programs = (
            "SELECT id FROM programs WHERE NOT is_template AND (id IN (SELECT program_id FROM "
            "assignments WHERE patient_id = :p) OR id IN (SELECT program_id FROM sessions "
            "WHERE patient_id = :p))"
        )
        found: dict[str, list[dict[str, Any]]] = {}
        for table in Base.metadata.sorted_tables:
            columns = set(table.c.keys())
            if table.name == "patients":
                found[table.name] = rows("patients", "id = :p", p=patient_id)
            elif table.name == "programs":
                found[table.name] = rows("programs", f"id IN ({programs})", p=patient_id)
            elif "patient_id" in columns:
                found[table.name] = rows(table.name, "patient_id = :p", p=patient_id)
            elif "session_id" in columns:
                found[table.name] = rows(table.name, f"session_id IN ({sessions})", p=patient_id)
            elif "program_id" in columns:
                found[table.name] = rows(table.name, f"program_id IN ({programs})", p=patient_id)
            elif table.name == "audit_log":
                mention = re.compile(rf"\bpatient {patient_id}(?!\d)")
                found[table.name] = [r for r in rows("audit_log", "detail IS NOT NULL")
                                     if mention.search(r["detail"])]  # fmt: skip
            else:
                assert table.name in NOT_A_PATIENTS, f"{table.name}: linked to patients how?"
    return found


def _ids(rows: list[dict[str, Any]]) -> set[object]:
    return {r.get("id", r.get("code")) for r in rows}


def test_every_row_about_the_patient_and_none_of_anothers(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "export" / "maria.json"
    out.parent.mkdir()
    maria_code = code_of(tmp_path, clinic["Maria"])
    zebulon_code = code_of(tmp_path, clinic["Zebulon"])
    assert run(capsys, "patients", "export", "482913", "--out", str(out))[0] == 1  # retired
    code, said, err = run(capsys, "patients", "export", maria_code, "--out", str(out))
    assert (code, err) == (0, ""), err
    assert said.startswith(f"wrote {out} (")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    pdf = out.with_suffix(".pdf")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    document = json.loads(out.read_text())
    assert (document["schema"], document["version"]) == ("clinic-gym-kiosk/patient-export", 1)
    assert document["patient_id"] == clinic["Maria"]

    engine = open_database(_url(tmp_path))
    maria, zebulon = held_about(engine, clinic["Maria"]), held_about(engine, clinic["Zebulon"])
    tables = document["tables"]
    assert set(tables) == set(maria)
    for table, rows in maria.items():
        assert rows or table in ("retired_codes",) or table == "audit_log", table
        expected = [{k: plain(v) for k, v in row.items()} for row in rows]
        if table == "audit_log":  # the export's own entry came after it was written
            expected = [r for r in expected if r["action"] != Action.PATIENT_EXPORTED]
        assert sorted(tables[table], key=str) == sorted(expected, key=str), table
        assert not _ids(tables[table]) & _ids(zebulon[table]), table
    assert len(tables["sessions"]) == 2
    assert len(tables["set_records"]) == 4
    assert len(tables["retired_codes"]) == 1
    assert "Zebulon" not in out.read_text()
    assert "716254" not in out.read_text()
    assert zebulon_code not in out.read_text()
    assert tables["patients"][0]["code"] == maria_code  # theirs: it is on their card

    (pages,), _ = pdf_pages(pdf)
    assert "Your exercise records, Maria" in pages
    assert "2 of 2 sets done." in pages
    assert "Pain before: 3, after: 2" in pages
    assert "Zebulon" not in pages
    (entry,) = entries(engine, actions=(Action.PATIENT_EXPORTED,))
    assert entry.detail is not None
    assert entry.detail.startswith(f"patient {clinic['Maria']}: ")
    assert "Maria" not in entry.detail
    assert maria_code not in entry.detail
    with engine.connect() as connection:
        assert connection.scalar(select(Patient.display_name).where(Patient.id == clinic["Maria"]))
    engine.dispose()


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'clinic.sqlite3'}"


def test_a_wrong_code_or_file_name_writes_nothing(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, int], tmp_path: Path
) -> None:
    maria = code_of(tmp_path, clinic["Maria"])
    out = tmp_path / "x.json"
    assert run(capsys, "patients", "export", "999999", "--out", str(out))[0] == 1
    assert run(capsys, "patients", "export", maria, "--out", str(tmp_path / "x.txt"))[0] == 2
    missing = tmp_path / "no" / "x.json"
    code, _, err = run(capsys, "patients", "export", maria, "--out", str(missing))
    assert code == 1
    assert "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".json", ".pdf")) == []
