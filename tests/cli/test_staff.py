"""The staff commands, called in-process through ``kiosk.cli.main`` on a real database."""

from __future__ import annotations

import csv
import getpass
import io
import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from db.connection import open_database
from db.repositories.audit import Action, entries
from kiosk.core.clock import utc_now
from media.loader import load_library
from tests.cli.test_cli import run
from tests.paths import REPO_ROOT
from tests.printing.pdf_pages import pdf_pages

EXAMPLES = REPO_ROOT / "docs" / "examples"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    open_database(url, create=True).dispose()  # what `kiosk db upgrade --create-db` does
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    return url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.usefixtures("db")
def test_staff_add_reads_the_pin_twice_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "583920\n583920\n")
    code, out, _ = run(capsys, "staff", "add", "Anna B.")
    assert code == 0
    assert "Anna B." in out
    assert "583920" not in out
    _stdin(monkeypatch, "740261\n740262\n")
    code, _, err = run(capsys, "staff", "add", "Ben")
    assert (code, "differ" in err) == (1, True)
    _stdin(monkeypatch, "12345\n12345\n")
    code, _, err = run(capsys, "staff", "add", "Ben")
    assert (code, "6 to 12 digits" in err) == (1, True)
    _stdin(monkeypatch, "654321\r\n654321\r\n")
    code, _, err = run(capsys, "staff", "add", "Ben")
    assert (code, "too easy" in err) == (1, True)
    code, out, _ = run(capsys, "staff", "list")
    assert out.split("\n")[0] == "Anna B."


def test_patients_add_list_and_card(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, qapp: QApplication
) -> None:
    code, out, _ = run(capsys, "patients", "add", "Maria")
    assert code == 0
    maria = out.strip()
    assert maria.isdigit()
    assert len(maria) == 6
    code, out, _ = run(capsys, "patients", "add", "Tom", "--json")
    tom = json.loads(out)["code"]
    code, out, _ = run(capsys, "patients", "list", "--json")
    assert json.loads(out) == [
        {"code": maria, "display_name": "Maria", "active": True},
        {"code": tom, "display_name": "Tom", "active": True},
    ]
    code, out, _ = run(capsys, "patients", "list")
    assert f"{maria}  Maria" in out
    code, _, err = run(capsys, "patients", "add", "Maria 1970")
    assert code == 1
    assert "display name" in err
    card = tmp_path / "card.pdf"
    code, _, _ = run(capsys, "patients", "card", maria, "--out", str(card))
    assert code == 0
    (text,), _ = pdf_pages(card)
    assert f"{maria[:3]} {maria[3:]}" in text
    assert run(capsys, "patients", "card", "999999", "--out", str(card))[0] == 1
    assert run(capsys, "patients", "card", maria, "--out", str(tmp_path / "c.png"))[0] == 2
    engine = open_database(db)
    assert {e.action for e in entries(engine)} >= {Action.PATIENT_ADDED, Action.EXPORT}
    engine.dispose()


def _demo(db: str) -> None:
    from db.demo import ensure_demo_data

    engine = open_database(db)
    ensure_demo_data(engine, date(2025, 3, 1))
    engine.dispose()


def test_import_programs_and_today(capsys: pytest.CaptureFixture[str], db: str) -> None:
    _demo(db)
    example = str(EXAMPLES / "today.csv")
    code, out, _ = run(capsys, "import-programs", example, "--dry-run")
    assert (code, "dry run" in out) == (0, True)
    code, out, _ = run(capsys, "today", "--date", "2025-03-03", "--json")
    before = json.loads(out)
    assert [p["code"] for p in before["patients"]] == ["305718", "482913", "551937", "716254"]
    code, out, _ = run(capsys, "import-programs", example)
    assert (code, "imported: 3 programs written" in out) == (0, True)
    code, out, _ = run(capsys, "import-programs", str(EXAMPLES / "today.json"))
    assert (code, "nothing changed" in out) == (0, True)
    code, out, _ = run(capsys, "today", "--date", "2025-03-03", "--json")
    today = {p["code"]: p for p in json.loads(out)["patients"]}
    tom = today["716254"]["items"]
    assert [i["exercise"] for i in tom] == [
        "standing-lateral-leg-raise", "standing-wall-press", "functional-clamshell",
    ]  # fmt: skip
    assert (tom[1]["sets"], tom[1]["hold_s"], tom[1]["sides"], tom[1]["rest_s"]) == (
        2, 20.0, "each", 30.0,
    )  # fmt: skip
    assert tom[2]["sets"] == 2  # the library's default, filled in
    assert today["305718"]["side_series"] is True  # not in the file: keeps the demo program
    code, out, _ = run(capsys, "today", "--date", "2025-03-04")
    assert "482913  Maria: Side-lying hip strength" in out  # the next day: back to usual
    code, out, _ = run(capsys, "today", "--date", "2025-03-03", "--code", "716254")
    assert "1. standing-lateral-leg-raise: 3 sets of 8 reps" in out


def test_import_programs_exit_codes(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    _demo(db)
    code, out, err = run(capsys, "import-programs", str(EXAMPLES / "today-with-errors.csv"))
    assert code == 1
    assert "line 2: date: expected a date as YYYY-MM-DD" in err
    assert "6 problems: nothing imported" in err
    assert out == ""
    code, _, err = run(capsys, "import-programs", str(tmp_path / "missing.csv"))
    assert (code, "no such file" in err) == (2, True)
    assert run(capsys, "import-programs")[0] == 2
    engine = open_database(db)
    assert entries(engine, actions=(Action.IMPORT,)) == ()
    engine.dispose()


def test_report_csv(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    _demo(db)
    out_file = tmp_path / "report.csv"
    code, out, _ = run(
        capsys, "report", "--from", "2025-03-01", "--to", "2025-03-02", "--csv", str(out_file)
    )
    assert (code, "wrote 8 rows" in out) == (0, True)
    with out_file.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["date"] == "2025-03-01"
    assert {r["scheduled"] for r in rows} == {"yes"}
    assert {r["adherent"] for r in rows} == {"no"}
    code, out, _ = run(capsys, "report", "--from", "2025-03-01", "--to", "2025-03-02",
                       "--code", "482913", "--csv", str(out_file))  # fmt: skip
    assert "wrote 2 rows" in out
    bad = ["report", "--from", "2025-03-02", "--to", "2025-03-01", "--csv", str(out_file)]
    assert run(capsys, *bad)[0] == 2
    assert run(capsys, "report", "--from", "yesterday", "--to", "2025-03-01",
               "--csv", str(out_file))[0] == 2  # fmt: skip
    assert run(capsys, "report", "--from", "2025-03-01", "--to", "2025-03-01",
               "--code", "999999", "--csv", str(out_file))[0] == 1  # fmt: skip


def test_handout(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, qapp: QApplication
) -> None:
    _demo(db)
    out_file = tmp_path / "tom.pdf"
    code, out, _ = run(capsys, "handout", "716254", "--out", str(out_file), "--date", "2025-03-03")
    assert code == 0
    texts, _ = pdf_pages(out_file)
    assert f"saved a {len(texts)}-page handout" in out
    everything = " ".join(" ".join(texts).split())
    for exercise_id in ("standing-lateral-leg-raise", "standing-wall-press"):
        assert load_library().exercise(exercise_id).name in everything
    code, _, err = run(capsys, "handout", "716254", "--out", str(out_file), "--date", "2025-01-01")
    assert (code, "no program" in err) == (1, True)


def _staff_names(db: str) -> list[str]:
    from db.repositories.staff import StaffRepository

    engine = open_database(db)
    names = [s.name for s in StaffRepository(engine).list(include_inactive=True)]
    engine.dispose()
    return names


def test_staff_remove_takes_the_demo_staff_member_away_audited(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _demo(db)
    code, out, err = run(capsys, "staff", "list")
    assert (code, out) == (0, "Demo\n")
    assert "472915 is printed in the README" in err
    assert "kiosk staff remove Demo" in err
    code, _, err = run(capsys, "staff", "remove", "Demo")  # nobody else could sign in
    assert code == 1
    assert "'Demo' is the only staff member: add another first" in err
    _stdin(monkeypatch, "472915\n472915\n")  # the published PIN is nobody's own
    code, _, err = run(capsys, "staff", "add", "Anna B.")
    assert (code, "that PIN cannot be used" in err) == (1, True)
    _stdin(monkeypatch, "583920\n583920\n")
    assert run(capsys, "staff", "add", "Anna B.")[0] == 0
    code, out, _ = run(capsys, "staff", "remove", "Demo")
    assert code == 0
    assert "removed staff member 'Demo'" in out
    assert _staff_names(db) == ["Anna B."]
    code, out, err = run(capsys, "staff", "list")
    assert (code, out, err) == (0, "Anna B.\n", "")
    code, _, err = run(capsys, "staff", "remove", "Demo")
    assert (code, "no staff member called 'Demo'" in err) == (1, True)
    engine = open_database(db)
    (entry,) = entries(engine, actions=(Action.STAFF_REMOVED,))
    engine.dispose()
    assert entry.detail == "Demo"
    assert entry.actor.startswith("cli:")


def _audit_text(db: str) -> str:
    engine = open_database(db)
    try:
        return "\n".join(f"{e.actor} {e.action} {e.detail}" for e in entries(engine))
    finally:
        engine.dispose()


def test_staff_deactivate_reactivate_and_pin_from_a_shell(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    for name, pin in (("Anna", "583920"), ("Ben", "740261")):
        _stdin(monkeypatch, f"{pin}\n{pin}\n")
        assert run(capsys, "staff", "add", name)[0] == 0
    code, out, _ = run(capsys, "staff", "deactivate", "Anna")
    assert (code, "opens nothing from now on" in out) == (0, True)
    assert run(capsys, "staff", "list")[1].split("\n")[0] == "Ben"
    assert "Anna  (deactivated)" in run(capsys, "staff", "list", "--all")[1]
    code, _, err = run(capsys, "staff", "deactivate", "Ben")
    assert (code, "only active staff member" in err) == (1, True)
    code, _, err = run(capsys, "staff", "pin", "Anna")
    assert (code, "kiosk staff reactivate" in err) == (1, True)
    assert run(capsys, "staff", "deactivate", "Nobody")[0] == 1
    _stdin(monkeypatch, "740261\n740261\n")  # Ben's: refused, Anna stays out
    code, _, err = run(capsys, "staff", "reactivate", "Anna")
    assert (code, "cannot be used" in err) == (1, True)
    _stdin(monkeypatch, "318276\n318276\n")
    code, out, _ = run(capsys, "staff", "reactivate", "Anna")
    assert (code, "reactivated 'Anna'" in out) == (0, True)
    _stdin(monkeypatch, "926153\n926153\n")
    code, out, err = run(capsys, "staff", "pin", "Ben")
    assert (code, "new PIN saved for 'Ben'" in out) == (0, True)
    engine = open_database(db)
    from db.repositories.staff import StaffRepository

    staff = StaffRepository(engine)
    assert [s.name for s in (staff.identify("318276"), staff.identify("926153")) if s] == [
        "Anna", "Ben",
    ]  # fmt: skip
    assert staff.identify("740261") is None
    engine.dispose()
    logged = _audit_text(db)
    for action in (Action.STAFF_DEACTIVATED, Action.STAFF_REACTIVATED, Action.STAFF_PIN_CHANGED):
        assert f"cli:{getpass.getuser()} {action}" in logged
    assert not any(pin in logged for pin in ("583920", "740261", "318276", "926153"))


def test_staff_unlock_from_a_shell(capsys: pytest.CaptureFixture[str], db: str) -> None:
    from db.repositories.sign_in import SignInLog

    code, out, _ = run(capsys, "staff", "unlock")
    assert (code, "was not locked" in out) == (0, True)
    engine = open_database(db)
    for _ in range(20):
        SignInLog(engine).record_failure(utc_now())
    engine.dispose()
    _, _, err = run(capsys, "staff", "list")
    assert "staff sign-in is locked after 20 wrong PINs" in err
    code, out, _ = run(capsys, "staff", "unlock")
    assert (code, "unlocked on every kiosk (it was locked after 20 wrong PINs" in out) == (0, True)
    assert "locked" not in run(capsys, "staff", "list")[2]
    assert f"cli:{getpass.getuser()} {Action.SIGN_IN_UNLOCKED} from a shell" in _audit_text(db)
