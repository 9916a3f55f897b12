"""The builder's tempo: one − / + stepper per phase of a repetition exercise, named by the
phase's word, within the limits; saved with the program and run by the player (issue 6)."""

from __future__ import annotations

from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from kiosk.core.compiler import compile_program
from kiosk.core.prescription import Prescription, Program
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.programs_page import QtProgramsPage
from kiosk.ui.theme import MIN_TOUCH_PX
from tests.clinic import MARIA
from tests.ui.conftest import tap
from tests.ui.staff_mode.test_programs import add_exercises, programs_page, step


def shown_tempo(page: QtProgramsPage) -> list[str]:
    editor = page.editor
    return [s.display.text() for s in editor.tempo if s.isVisibleTo(page)]


def test_each_phase_gets_a_stepper_named_by_its_word(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell", "standing-wall-press", "side-lying-lift-and-sweep")
    page.items.setCurrentRow(0)
    editor = page.editor
    assert editor.tempo_label.isVisibleTo(page)
    assert editor.tempo_label.text() == t("staff.programs.tempo")
    assert shown_tempo(page) == ["Open 2 s (library)", "Close 2 s (library)"]
    for stepper in editor.tempo[:2]:
        for button in (stepper.minus_button, stepper.plus_button):
            assert button.isVisibleTo(page)
            assert button.height() >= MIN_TOUCH_PX
            assert button.width() >= MIN_TOUCH_PX

    page.items.setCurrentRow(1)  # a hold exercise has no tempo
    assert not editor.tempo_label.isVisibleTo(page)
    assert shown_tempo(page) == []

    page.items.setCurrentRow(2)
    assert shown_tempo(page) == ["Lift 2 s (library)", "Back 2 s (library)", "Lower 2 s (library)"]


def test_tempo_steps_in_half_seconds_within_the_limits_and_resets(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell")
    editor = page.editor
    close = editor.tempo[1]
    step(close, 2)
    assert page.model.draft.items[0].tempo_s == (2.0, 3.0)
    assert shown_tempo(page) == ["Open 2 s (library)", "Close 3 s"]
    step(close, 1)
    assert shown_tempo(page)[1] == "Close 3.5 s"
    step(editor.tempo[0], 10, up=False)  # 2 s down to the 0.5 s floor, then no further
    assert page.model.draft.items[0].tempo_s == (0.5, 3.5)
    assert not editor.tempo[0].minus_button.isEnabled()
    step(close, 30)
    assert page.model.draft.items[0].tempo_s == (0.5, 10.0)
    assert not close.plus_button.isEnabled()
    assert page.message.kind != "error"
    tap(editor.reset_button)
    assert page.model.draft.items[0].tempo_s is None
    assert shown_tempo(page) == ["Open 2 s (library)", "Close 2 s (library)"]


def test_the_tempo_is_saved_and_the_patient_is_coached_at_it(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell")
    editor = page.editor
    step(editor.tempo[0], 2)  # Open 3 s
    step(editor.tempo[1], 4)  # Close 4 s
    tap(editor.progress_button)  # 12 reps: a ladder step keeps the tempo
    assert page.model.draft.items[0].tempo_s == (3.0, 4.0)
    assert shown_tempo(page) == ["Open 3 s", "Close 4 s"]

    tap(page.save_button)
    store = ProgramStore(services.database)
    (saved,) = [t for t in store.templates() if t.name == page.model.draft.name]
    stored = store.load(saved.id)
    assert stored is not None
    assert stored.items[0].tempo_s == (3.0, 4.0)

    tap(page.assign_button)
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    page.assign_overlay.choose_patient(maria.id)
    tap(page.assign_overlay.assign_button)
    assert page.message.kind == "ok"
    checkin = services.patient.check_in(MARIA)
    assert checkin is not None
    (clam,) = checkin.program.items
    assert [(p.word, p.seconds) for p in clam.tempo] == [("Open", 3.0), ("Close", 4.0)]
    at_library_pace = Prescription.from_exercise(
        services.library.exercise("clamshell"), reps=12, sides=clam.sides
    )
    library_program = Program(name="at the library's pace", items=(at_library_pace,))
    # 12 reps × 2 sides × 3 sets, each rep 3 s longer than the library's 4 s.
    longer = checkin.timeline.total_s - compile_program(library_program).total_s
    assert longer == clam.sets * clam.side_count * 12 * 3.0
