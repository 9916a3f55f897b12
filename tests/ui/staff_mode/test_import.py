"""Load today's programs: a file with errors is shown line by line and nothing is written; a
valid one is previewed, imported on Import, and a second import changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from kiosk.services import KioskServices
from kiosk.staff.today import programs_for_day
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.import_page import QtImportPage
from kiosk.ui.staff_mode.tables import table_text
from tests.clinic import ANN, MARIA, TODAY
from tests.paths import REPO_ROOT
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page, visible


def import_page(home: QtStaffHome) -> QtImportPage:
    page = open_page(home, "import")
    assert isinstance(page, QtImportPage)
    return page


def choose_file(home: QtStaffHome, page: QtImportPage, path: Path) -> None:
    tap(page.choose_button)
    assert home.files.isVisible()
    home.files.choose(path)
    assert not home.files.isVisible()


def test_a_file_with_errors_lists_them_by_line_and_field_and_imports_nothing(
    home: QtStaffHome, services: KioskServices, stick: Path
) -> None:
    source = stick / "today-with-errors.csv"
    shutil.copy(REPO_ROOT / "docs" / "examples" / "today-with-errors.csv", source)
    page = import_page(home)
    assert not page.import_button.isEnabled()
    choose_file(home, page, source)
    preview = page.preview
    assert preview is not None
    assert preview.problems
    assert page.summary.kind == "error"
    assert visible(page.problems)
    assert not visible(page.rows)  # the problems come first
    shown = [
        tuple(table_text(page.problems, r, c) for c in range(3))
        for r in range(page.problems.rowCount())
    ]
    assert shown == [(str(p.line) if p.line else "", p.field, p.message) for p in preview.problems]
    assert ("2", "date") in {(line, field) for line, field, _ in shown}
    assert not page.import_button.isEnabled()
    assert entries(services.database, actions=(Action.IMPORT,)) == ()


def test_a_valid_file_is_previewed_then_imported_once(
    home: QtStaffHome, services: KioskServices, stick: Path
) -> None:
    day = TODAY.isoformat()
    source = stick / "today.csv"
    source.write_bytes(
        (
            "\ufeffdate,code,exercise,sets,reps,hold_s,sides,rest_s,notes\r\n"
            f"{day},{MARIA},CLAMSHELL,2,12,,each,20,Slowly\r\n"
            f"{day},{MARIA},standing-wall-press,1,,15,,,\r\n"
            "\r\n"
            f" {day} , {ANN} , big-leg-lifts ,,,,,,\r\n"
        ).encode()
    )
    page = import_page(home)
    choose_file(home, page, source)
    assert page.summary.kind == "ok"
    assert page.summary.text() == "today.csv: 3 rows, 2 programs for 2 patients. Ready."
    assert page.rows.rowCount() == 3
    assert [table_text(page.rows, r, 2) for r in range(3)] == [
        f"Maria · {MARIA}",
        f"Maria · {MARIA}",
        f"Ann · {ANN}",
    ]
    assert table_text(page.rows, 0, 3).startswith("Clamshell\n2 sets of 12 reps")
    assert not visible(page.problems)
    assert page.import_button.isEnabled()
    assert entries(services.database, actions=(Action.IMPORT,)) == ()  # a preview writes nothing

    tap(page.import_button)
    assert page.result.kind == "ok"
    assert page.result.text() == "Imported: 2 programs written, 0 already in place."
    assert not page.import_button.isEnabled()
    today = {p.code: p for p in programs_for_day(services.database, TODAY, services.library)}
    assert [i.exercise_id for i in today[MARIA].items] == ["clamshell", "standing-wall-press"]
    clamshell = today[MARIA].items[0]
    assert (clamshell.sets, clamshell.reps, clamshell.sides, clamshell.rest_s) == (
        2,
        12,
        "each",
        20.0,
    )
    assert [i.exercise_id for i in today[ANN].items] == ["big-leg-lifts"]
    checkin = services.patient.check_in(MARIA)  # what Maria is coached through at the kiosk
    assert checkin is not None
    assert [p.exercise_id for p in checkin.program.items] == ["clamshell", "standing-wall-press"]

    choose_file(home, page, source)  # the same file again
    tap(page.import_button)
    assert page.result.text() == "Nothing new: all 2 programs were already in place."
    assert [e.actor for e in entries(services.database, actions=(Action.IMPORT,))] == ["Demo"] * 2


def test_an_unreadable_file_is_a_problem_not_a_crash(home: QtStaffHome, stick: Path) -> None:
    source = stick / "photo.csv"
    source.write_bytes(bytes(range(256)) * 8)
    page = import_page(home)
    choose_file(home, page, source)
    assert page.summary.kind == "error"
    assert page.problems.rowCount() >= 1
    assert not page.import_button.isEnabled()


def test_a_refused_import_names_the_patient_to_staff_but_not_in_the_log(
    home: QtStaffHome, services: KioskServices, stick: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = stick / "today.csv"
    source.write_text(f"date,code,exercise\n{TODAY.isoformat()},{MARIA},clamshell\n")
    page = import_page(home)
    choose_file(home, page, source)
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    PatientRepository(services.database).set_active(maria.id, False)  # meanwhile, elsewhere
    tap(page.import_button)
    assert page.result.kind == "error"
    assert "Maria is no longer active" in page.result.text()
    assert "import of today.csv refused" in caplog.text
    assert "Maria" not in caplog.text
