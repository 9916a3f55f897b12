"""Patients: add (the code shown big), rename, new code, deactivate, a check-in card as PDF —
each checked on the screen and in the database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from kiosk.patient.writes import LogSet, SessionRef
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.patients_page import QtPatientsPage, grouped
from tests.clinic import MARIA
from tests.db.patient_records import a_set
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page, type_on_keyboard


def patients_page(home: QtStaffHome) -> QtPatientsPage:
    page = open_page(home, "patients")
    assert isinstance(page, QtPatientsPage)
    return page


def choose(page: QtPatientsPage, name: str) -> None:
    rows = page.row_texts()
    index = next(i for i, text in enumerate(rows) if text.startswith(name))
    page.list.setCurrentRow(index)
    assert page.selected is not None
    assert page.selected.display_name == name


def test_the_list_shows_every_active_patient_by_name_only(home: QtStaffHome) -> None:
    page = patients_page(home)
    assert page.row_texts() == ["Ann", "J.K.", "Maria", "Tom"]


def test_a_patients_code_shows_only_on_demand_and_is_audited(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    assert page.code.text() == t("staff.patients.code_hidden")
    assert entries(services.database, actions=(Action.CODE_SHOWN,)) == ()
    tap(page.show_code_button)
    assert page.code.text() == "482 913"
    assert not page.show_code_button.isEnabled()
    (shown,) = entries(services.database, actions=(Action.CODE_SHOWN,))
    assert (shown.actor, shown.detail) == (
        "Demo",
        f"patient {page.selected.id if page.selected else 0}",
    )
    choose(page, "Tom")
    assert page.code.text() == t("staff.patients.code_hidden")
    choose(page, "Maria")  # back: hidden again until asked again
    assert page.code.text() == t("staff.patients.code_hidden")
    tap(page.show_code_button)
    open_page(home, "today")
    page = patients_page(home)
    assert page.code.text() == t("staff.patients.code_hidden")  # left the page: hidden
    assert len(entries(services.database, actions=(Action.CODE_SHOWN,))) == 2


def test_search_filters_by_name_or_code(home: QtStaffHome) -> None:
    page = patients_page(home)
    tap(page.search_button)
    type_on_keyboard(home.keyboard, "ma")
    tap(home.keyboard.ok_button)
    assert page.row_texts() == ["Maria"]
    tap(page.search_button)
    type_on_keyboard(home.keyboard, "7162")
    tap(home.keyboard.ok_button)
    assert page.row_texts() == ["Tom"]


def test_adding_a_patient_shows_the_new_code_and_stores_it(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    tap(page.add_button)
    assert home.keyboard.isVisible()
    type_on_keyboard(home.keyboard, "Lena")
    assert home.keyboard.editor.text() == "Lena"
    tap(home.keyboard.ok_button)
    assert not home.keyboard.isVisible()
    found = PatientRepository(services.database).search("Lena")
    assert len(found) == 1
    lena = found[0]
    assert page.code_overlay.isVisible()
    assert page.code_overlay.code.text() == grouped(lena.code)
    assert lena.code.isdigit()
    assert len(lena.code) == 6
    assert page.selected == lena
    assert "Lena" in page.row_texts()
    assert page.code.text() == grouped(lena.code)  # just made: staff asked for it
    assert [e.actor for e in entries(services.database, actions=(Action.PATIENT_ADDED,))] == [
        "Demo"
    ]
    tap(page.code_overlay.done_button)
    assert not page.code_overlay.isVisible()


def test_a_refused_name_keeps_the_keyboard_open_with_the_text_and_the_reason(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    tap(page.add_button)
    type_on_keyboard(home.keyboard, "Lena 2")
    tap(home.keyboard.ok_button)
    assert home.keyboard.isVisible()
    assert home.keyboard.editor.text() == "Lena 2"  # nothing typed is lost
    assert home.keyboard.problem.isVisible()
    assert "letters" in home.keyboard.problem.text()
    assert PatientRepository(services.database).search("Lena") == ()
    tap(home.keyboard.cancel_button)
    assert not home.keyboard.isVisible()


def test_renaming_a_patient(home: QtStaffHome, services: KioskServices) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    tap(page.rename_button)
    assert home.keyboard.editor.text() == "Maria"
    type_on_keyboard(home.keyboard, "Mia")
    tap(home.keyboard.ok_button)
    patient = PatientRepository(services.database).find_by_code(MARIA)
    assert patient is not None
    assert patient.display_name == "Mia"
    assert page.name.text() == "Mia"
    assert "Mia" in page.row_texts()
    assert page.message.text() == t("staff.patients.renamed", name="Mia")


def test_a_new_code_retires_the_old_one(home: QtStaffHome, services: KioskServices) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    tap(page.recode_button)
    assert home.confirm.isVisible()
    tap(home.confirm.confirm_button)
    maria = PatientRepository(services.database).get(page.selected.id if page.selected else -1)
    assert maria is not None
    assert maria.code != MARIA
    assert page.code_overlay.isVisible()
    assert page.code_overlay.code.text() == grouped(maria.code)
    assert page.code.text() == grouped(maria.code)
    assert services.patient.check_in(MARIA) is None  # the old card no longer works
    assert services.patient.check_in(maria.code) is not None
    assert len(entries(services.database, actions=(Action.CODE_REGENERATED,))) == 1


def test_deactivating_asks_first_then_stops_the_code(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    tap(page.active_button)
    tap(home.confirm.cancel_button)
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    assert maria.active
    tap(page.active_button)
    tap(home.confirm.confirm_button)
    assert PatientRepository(services.database).find_by_code(MARIA) is None
    assert page.status.text() == t("staff.patients.inactive")
    assert "Maria  (deactivated)" in page.row_texts()
    assert page.active_button.text() == t("staff.patients.reactivate")
    assert not page.card_button.isEnabled()
    tap(page.active_button)  # reactivating needs no confirmation
    assert PatientRepository(services.database).find_by_code(MARIA) is not None


def test_saving_a_check_in_card_as_pdf(
    home: QtStaffHome, services: KioskServices, stick: Path
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    tap(page.card_button)
    assert home.files.isVisible()
    target = stick / "maria-card.pdf"
    home.files.choose(target)
    assert not home.files.isVisible()
    assert target.read_bytes().startswith(b"%PDF-")
    assert page.message.kind == "ok"
    assert page.message.text() == t("staff.saved.file", name=target)
    exports = entries(services.database, actions=(Action.EXPORT,))
    assert [e.actor for e in exports] == ["Demo"]


def test_a_card_that_cannot_be_written_says_why(
    home: QtStaffHome, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    assert page.selected is not None
    name = t("staff.patients.card_name", id=page.selected.id)  # what the file browser suggests
    page.save_card(tmp_path / "a stick that was pulled out" / name)  # what Save calls
    assert page.message.kind == "error"
    assert name in page.message.text()
    assert not (tmp_path / "a stick that was pulled out").exists()
    # The log says it, without the file's name (staff may have typed anything in it).
    assert "card for patient" in caplog.text
    assert MARIA not in caplog.text


def deactivate(home: QtStaffHome, page: QtPatientsPage) -> None:
    tap(page.active_button)
    tap(home.confirm.confirm_button)


def test_erasing_asks_for_the_name_then_removes_the_patient(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    assert page.selected is not None
    maria = page.selected.id
    # Only a deactivated patient can be erased: in its place, "Assign program…".
    assert not page.erase_button.isVisible()
    assert page.program_button.isVisible()
    deactivate(home, page)
    assert page.erase_button.isVisible()
    assert not page.program_button.isVisible()
    tap(page.erase_button)
    assert home.keyboard.isVisible()
    assert home.keyboard.title.text() == t("staff.patients.erase_title", name="Maria")
    type_on_keyboard(home.keyboard, "Tom")
    tap(home.keyboard.ok_button)
    assert home.keyboard.isVisible()  # not the patient's name: nothing happens
    assert home.keyboard.problem.text() == t("staff.patients.erase_mismatch", name="Maria")
    assert PatientRepository(services.database).get(maria) is not None
    type_on_keyboard(home.keyboard, "maria")
    tap(home.keyboard.ok_button)
    assert not home.keyboard.isVisible()
    assert PatientRepository(services.database).get(maria) is None
    assert not any(row.startswith("Maria") for row in page.row_texts())
    assert page.message.kind == "ok"
    said = page.message.text()
    assert said.startswith("Maria was erased. The audit log now calls them patient #")
    (erasure,) = entries(services.database, actions=(Action.PATIENT_ERASED,))
    assert erasure.actor == "Demo"
    assert erasure.detail is not None
    assert "Maria" not in erasure.detail
    assert MARIA not in erasure.detail


def test_erasing_waits_until_no_record_waits_to_be_saved(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices, window: QtKioskWindow
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    deactivate(home, page)
    # A record the database will not take (its session was never written): it waits.
    services.writer.submit(LogSet(SessionRef("never-written"), a_set(datetime.now(UTC))))
    status = window.writer_status
    assert status is not None
    qtbot.waitUntil(lambda: not status.status.all_saved)
    tap(page.erase_button)
    assert not home.keyboard.isVisible()
    assert page.message.kind == "error"
    assert page.message.text() == t("staff.patients.erase_waiting")
    assert PatientRepository(services.database).by_codes({MARIA}) != {}


def test_staff_set_a_patients_language_and_it_goes_round(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = patients_page(home)
    choose(page, "Maria")
    assert page.language_button.text() == "Language: the clinic's"
    tap(page.language_button)
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    assert maria.language == "en"
    tap(page.language_button)
    assert page.language_button.text() == "Language: Español"  # the language's own name
    assert page.message.text() == "Maria: Español from the next check-in."
    assert PatientRepository(services.database).get(maria.id).language == "es"  # type: ignore[union-attr]
    tap(page.language_button)
    assert PatientRepository(services.database).get(maria.id).language is None  # type: ignore[union-attr]
    assert page.language_button.text() == "Language: the clinic's"
