"""The staff screens' part of ``make screenshots`` (called by ``tools/screenshots.py``).

Walks a staff member's morning on the running kiosk: the corner hold, the PIN pad (right,
wrong, waiting), today's board with some activity, loading a schedule from a "USB stick"
(a temporary folder with the example files), patients, the program builder with its panels,
a patient's progress with the pain chart, the clinic day, settings, and Quit's question.
Everything goes through the same widgets a finger would use; only the slow or rare states
(a back-off, a kiosk without staff) are set directly on the PIN pad for their picture.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from db.demo import DEMO_STAFF_PIN
from db.models import SessionStatus
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import SessionLog
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.audit_page import QtAuditPage
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.import_page import QtImportPage
from kiosk.ui.staff_mode.patients_page import QtPatientsPage
from kiosk.ui.staff_mode.programs_page import QtProgramsPage
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from kiosk.ui.staff_mode.staff_page import QtStaffAccountsPage
from media.schema import Position, SidePattern

ROOT = Path(__file__).resolve().parent.parent


class Shooter(Protocol):
    def __call__(self, name: str) -> None: ...

    def settle(self) -> None: ...

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None: ...


def _some_activity(services: KioskServices) -> None:
    """A morning in progress: Maria practised on five days (pain falling) and is done today,
    Ann is checked in and pressed "It hurts", J.K. is part-way through."""
    engine = services.database
    patients = PatientRepository(engine)
    programs = ProgramRepository(engine)
    log = SessionLog(engine)
    today = services.today()
    now = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    maria = patients.find_by_code("482913")
    ann = patients.find_by_code("551937")
    jk = patients.find_by_code("305718")
    assert maria is not None
    assert ann is not None
    assert jk is not None
    program = programs.program_for(maria.id, today)
    assert program is not None
    for days_ago, before, after, feeling in (
        (6, 6, 4, "hard"),
        (5, 5, 4, "hard"),
        (3, 5, 3, "just right"),
        (1, 4, 2, "just right"),
        (0, 3, 1, "easy"),
    ):
        start = now - timedelta(days=days_ago, hours=1)
        session = log.start(maria.id, program.id, start)
        log.log_feedback(session, FeedbackKind.PAIN_BEFORE, str(before), start)
        log.log_feedback(session, FeedbackKind.DIFFICULTY, feeling, start, exercise_id="clamshell")
        end = start + timedelta(minutes=12)
        if days_ago == 3:
            log.log_pain(session, PainEvent(1, "side-lying-lift-and-sweep", 2, Side.LEFT, 4, end))
        log.log_feedback(session, FeedbackKind.PAIN_AFTER, str(after), end)
        log.finish(session, SessionStatus.FINISHED, end)
    ann_program = programs.program_for(ann.id, today)
    assert ann_program is not None
    session = log.start(ann.id, ann_program.id, now)
    log.log_pain(session, PainEvent(0, "clamshell", 1, Side.LEFT, 2, now + timedelta(minutes=1)))
    jk_program = programs.program_for(jk.id, today)
    assert jk_program is not None
    session = log.start(jk.id, jk_program.id, now - timedelta(minutes=4))
    log.log_set(
        session,
        SetRecord(
            0, "small-leg-raises", 1, Side.LEFT, 10, 10, None, None,
            now - timedelta(minutes=3), now - timedelta(minutes=2), 0.0, SetStatus.COMPLETED,
        ),
    )  # fmt: skip


def _usb_stick(folder: Path) -> Path:
    stick = folder / "USB-STICK"
    stick.mkdir(parents=True, exist_ok=True)
    day = datetime.now().date().isoformat()
    for name in ("today.csv", "today-with-errors.csv", "today.json"):
        text = (ROOT / "docs" / "examples" / name).read_text(encoding="utf-8")
        (stick / name).write_text(text.replace("2025-03-03", day), encoding="utf-8")
    shutil.copy(ROOT / "docs" / "examples" / "today.csv", stick / "last-week.csv")
    return stick


def walk_staff(
    window: QtKioskWindow, services: KioskServices, shoot: Shooter, folder: Path
) -> None:
    _some_activity(services)
    stick = _usb_stick(folder)

    window.open_staff_mode()  # what holding the top-left corner for 3 s does
    mode = window.staff
    assert mode is not None
    pad = mode.pin_screen
    shoot("staff-pin")
    for digit in "5839":
        pad.digit_buttons[digit].click()
    shoot("staff-pin-digits")
    for digit in "20":
        pad.digit_buttons[digit].click()
    pad.ok_button.click()
    shoot.wait_for(lambda: not pad.checking)
    shoot("staff-pin-wrong")
    pad.show_wait(4)  # what the fourth wrong PIN in a row earns
    shoot("staff-pin-wait")
    pad.show_no_staff()  # a fresh install before `kiosk staff add`
    shoot("staff-pin-no-staff")
    pad.show_locked(5)  # 20 wrong PINs within a day, on any kiosk of the clinic
    shoot("staff-pin-locked")
    assert mode.gate is not None
    pad.show_names([(s.id, s.name) for s in mode.gate.active_staff()])  # Unlock: who are you?
    shoot("staff-pin-unlock-who")
    pad.names.hide()
    pad.show_locked(0)  # the named unlocks used up
    shoot("staff-pin-locked-for-good")
    pad.reset()
    for digit in DEMO_STAFF_PIN:
        pad.digit_buttons[digit].click()
    pad.ok_button.click()
    shoot("staff-pin-checking")
    shoot.wait_for(lambda: mode.home is not None)
    home = mode.home
    assert isinstance(home, QtStaffHome)
    places = home.files.places
    home.files.places = lambda: replace(  # the "USB stick" is the one mounted
        places(), removable=(stick,), export_folder=folder / "exports"
    )
    today = home.pages["today"]  # read on a worker thread: the picture waits for it
    shoot.wait_for(lambda: not getattr(today, "loading", False))
    shoot("staff-today")

    page = home.show_page("import")
    assert isinstance(page, QtImportPage)
    shoot("staff-import")
    page.choose_button.click()
    shoot("staff-import-choose-file")
    database = services.database.url.database
    if database is not None:  # the kiosk's own file, typed in full: refused, and why
        home.files.choose(Path(database))
        shoot("staff-files-refused")
    home.files.choose(stick / "today-with-errors.csv")
    shoot("staff-import-errors")
    page.choose_button.click()
    home.files.choose(stick / "today.csv")
    shoot("staff-import-preview")
    page.import_button.click()
    shoot("staff-import-done")

    patients = home.show_page("patients")
    assert isinstance(patients, QtPatientsPage)
    patients.list.setCurrentRow(2)
    shoot("staff-patients")
    patients.show_code_button.click()
    shoot("staff-patients-code-shown")
    patients.add_button.click()
    home.keyboard.type_text("Lena")
    shoot("staff-patients-add-keyboard")
    home.keyboard.ok_button.click()
    shoot("staff-patients-new-code")
    patients.code_overlay.done_button.click()
    patients.active_button.click()
    shoot("staff-patients-deactivate-confirm")
    home.confirm.confirm_button.click()  # Lena, just added: deactivated, then erased
    patients.erase_button.click()
    home.keyboard.type_text("Maria")
    home.keyboard.ok_button.click()  # not the patient's name: refused, nothing erased
    shoot("staff-patients-erase-typed-name")
    home.keyboard.editor.clear()
    home.keyboard.type_text("Lena")
    home.keyboard.ok_button.click()
    shoot("staff-patients-erased")

    programs = home.show_page("programs")
    assert isinstance(programs, QtProgramsPage)
    shoot("staff-programs-empty")
    programs.add_button.click()
    programs.library_overlay.positions.buttons[Position.SIDE_LYING.value].click()
    shoot("staff-programs-library")
    for exercise_id in ("clamshell", "side-lying-lift-and-sweep", "big-leg-lifts"):
        programs.library_overlay.choose(exercise_id)
        programs.library_overlay.add_button.click()
    programs.library_overlay.done_button.click()
    programs.model.rename("Hip strength, week 3")
    programs.items.setCurrentRow(0)
    programs.editor.sets.plus_button.click()
    programs.editor.progress_button.click()
    programs.editor.progress_button.click()
    programs.editor.sides.buttons[SidePattern.EACH.value].click()
    shoot("staff-programs-builder")
    programs.templates_button.click()
    shoot("staff-programs-templates")
    programs.templates_overlay.cancel_button.click()
    programs.assign_button.click()
    maria = PatientRepository(services.database).find_by_code("482913")
    assert maria is not None
    programs.assign_overlay.choose_patient(maria.id)
    programs.assign_overlay.weeks.plus_button.click()
    programs.assign_overlay.weeks.plus_button.click()
    programs.assign_overlay.days.buttons["5"].click()
    programs.assign_overlay.days.buttons["6"].click()
    shoot("staff-programs-assign")
    programs.assign_overlay.assign_button.click()
    shoot("staff-programs-assigned")

    progress = home.show_page("progress")
    assert isinstance(progress, QtProgressPage)
    progress.select_patient(maria.id)
    progress.period_row.buttons["7"].click()
    shoot.wait_for(lambda: not progress.loading)  # the figures are read on a worker thread
    shoot("staff-progress-patient")
    progress.mode.buttons["day"].click()
    shoot.wait_for(lambda: not progress.loading)
    shoot("staff-progress-day")

    settings = home.show_page("settings")
    assert isinstance(settings, QtSettingsPage)
    shoot("staff-settings")
    settings.set_value("pin_backoff_base_s", 60.0)
    settings.set_value("pin_backoff_max_s", 30.0)
    settings.save_button.click()
    shoot("staff-settings-refused")
    settings.undo_button.click()

    accounts = home.show_page("staff")
    assert isinstance(accounts, QtStaffAccountsPage)
    accounts.list.setCurrentRow(0)
    shoot("staff-accounts")
    accounts.pin_button.click()
    for digit in "4729":
        accounts.pins.entry.type_digit(digit)
    shoot("staff-accounts-pin")
    accounts.pins.finish()

    audit = home.show_page("audit")
    assert isinstance(audit, QtAuditPage)
    shoot("staff-audit")

    home.quit_button.click()
    shoot("staff-quit-confirm")
    home.confirm.cancel_button.click()
    home.lock_button.click()
    shoot("attract-after-staff")
