"""The program builder: add from the filtered library, reorder, dose within limits,
progress/regress, save as a template, assign for a span of weekdays — on screen and in the
database, down to what the patient is coached through at check-in."""

from __future__ import annotations

from datetime import timedelta

from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.programs import weekday_mask
from kiosk.core.program_builder import LIMITS
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.programs_page import QtProgramsPage
from kiosk.ui.staff_mode.steppers import QtStepper
from media.schema import Position, SidePattern
from tests.clinic import MARIA, TODAY
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page, type_on_keyboard


def programs_page(home: QtStaffHome) -> QtProgramsPage:
    page = open_page(home, "programs")
    assert isinstance(page, QtProgramsPage)
    return page


def add_exercises(page: QtProgramsPage, *exercise_ids: str) -> None:
    tap(page.add_button)
    library = page.library_overlay
    assert library.isVisible()
    for exercise_id in exercise_ids:
        library.choose(exercise_id)
        tap(library.add_button)
    tap(library.done_button)
    assert not library.isVisible()


def step(stepper: QtStepper, times: int, *, up: bool = True) -> None:
    for _ in range(times):
        tap(stepper.plus_button if up else stepper.minus_button)


def test_the_library_filters_by_position_and_equipment(home: QtStaffHome) -> None:
    page = programs_page(home)
    tap(page.add_button)
    library = page.library_overlay
    everything = library.shown_ids()
    assert len(everything) == len(home.context.library.exercises)
    assert library.positions.buttons[Position.HANDS_AND_KNEES.value].text() == "All fours"
    tap(library.positions.buttons[Position.SIDE_LYING.value])
    assert library.list.item(0).text().split("\n")[1].startswith("Side-lying")
    side_lying = library.shown_ids()
    assert "clamshell" in side_lying
    assert "standing-wall-press" not in side_lying
    assert all(home.context.library.exercise(i).position is Position.SIDE_LYING for i in side_lying)
    tap(library.positions.buttons["all"])
    tap(library.equipment.buttons["elastic band"])
    assert set(library.shown_ids()) == {"functional-clamshell", "lateral-band-walk"}
    tap(library.positions.buttons[Position.PRONE.value])
    assert library.shown_ids() == []
    assert library.message.text() == t("staff.programs.library_empty")
    assert not library.add_button.isEnabled()


def test_build_dose_reorder_save_and_assign(home: QtStaffHome, services: KioskServices) -> None:
    page = programs_page(home)
    assert not page.assign_button.isEnabled()  # nothing to assign yet
    add_exercises(page, "clamshell", "big-leg-lifts", "standing-wall-press")
    assert [t.split("\n")[0] for t in page.item_texts()] == [
        "1. Clamshell",
        "2. Big leg lifts",
        "3. Standing wall press",
    ]
    # Reorder: big leg lifts to the top, then remove the wall press.
    page.items.setCurrentRow(1)
    tap(page.up_button)
    assert [i.exercise_id for i in page.model.draft.items][:2] == ["big-leg-lifts", "clamshell"]
    assert page.model.selected == 0
    page.items.setCurrentRow(2)
    tap(page.remove_button)
    assert [i.exercise_id for i in page.model.draft.items] == ["big-leg-lifts", "clamshell"]

    # Dose the clamshell: 4 sets of 12, each side, 45 s rest, with a note.
    page.items.setCurrentRow(1)
    editor = page.editor
    assert editor.name.text() == "Clamshell"
    assert editor.sets.display.text() == t("staff.default.mark", value="3")
    step(editor.sets, 1)
    step(editor.reps, 2)
    tap(editor.sides.buttons[SidePattern.EACH.value])
    step(editor.rest, 3)
    tap(editor.notes_button)
    type_on_keyboard(home.keyboard, "Knees together")
    tap(home.keyboard.ok_button)
    clam = page.model.draft.items[1]
    assert (clam.sets, clam.reps, clam.sides, clam.rest_s, clam.notes) == (
        4,
        12,
        SidePattern.EACH,
        45.0,
        "Knees together",
    )
    assert editor.sets.display.text() == "4"
    assert page.item_texts()[1] == "2. Clamshell\n4 × 12 reps · each side"
    assert "4 sets of 12" in editor.dose.text()

    # Name it, save it as a template.
    tap(page.name_button)
    type_on_keyboard(home.keyboard, "Hip plan")
    tap(home.keyboard.ok_button)
    assert page.name_button.text() == t("staff.programs.name", name="Hip plan")
    tap(page.save_button)
    assert page.message.text() == t("staff.programs.saved_template", name="Hip plan")
    store = ProgramStore(services.database)
    saved = [t for t in store.templates() if t.name == "Hip plan"]
    assert len(saved) == 1
    assert saved[0].exercise_ids == ("big-leg-lifts", "clamshell")
    stored = store.load(saved[0].id)
    assert stored is not None
    assert stored.items[1] == clam

    # Assign it to Maria for two weeks, weekdays only.
    tap(page.assign_button)
    overlay = page.assign_overlay
    assert overlay.isVisible()
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    overlay.choose_patient(maria.id)
    assert overlay.current.text() == (  # what she has now
        "Current programs:\n• Side-lying hip strength: from Mon 2 Mar 2026, no last day"
    )
    assert [b.text() for b in overlay.days.buttons.values()] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    assert overlay.until.text() == t("staff.programs.assign_no_end")
    step(overlay.weeks, 2)
    assert overlay.until.text() == "Last day: Sun 15 Mar 2026"
    tap(overlay.days.buttons["5"])  # Saturday off
    tap(overlay.days.buttons["6"])  # Sunday off
    tap(overlay.assign_button)
    assert not overlay.isVisible()
    assert page.message.kind == "ok"
    assert page.message.text() == (
        "Assigned “Hip plan” to Maria: from Mon 2 Mar 2026 to Sun 15 Mar 2026, "
        "Mon, Tue, Wed, Thu, Fri."
    )
    latest = store.assignments_for(maria.id)[0]
    assert latest.program_name == "Hip plan"
    assert (latest.start, latest.end) == (TODAY, TODAY + timedelta(days=13))
    assert latest.weekdays == weekday_mask([0, 1, 2, 3, 4])
    checkin = services.patient.check_in(MARIA)  # TODAY is a Monday: she gets the new program
    assert checkin is not None
    assert checkin.program.name == "Hip plan"
    assert [p.exercise_id for p in checkin.program.items] == ["big-leg-lifts", "clamshell"]
    assert checkin.program.items[1].sets == 4
    assert [e.actor for e in entries(services.database, actions=(Action.PROGRAM_ASSIGNED,))] == [
        "Demo"
    ]


def test_doses_stay_within_the_limits(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell")
    editor = page.editor
    step(editor.sets, 20)
    assert page.model.draft.items[0].sets == LIMITS["sets"].high
    assert not editor.sets.plus_button.isEnabled()
    step(editor.rest, 200, up=False)
    assert page.model.draft.items[0].rest_s == LIMITS["rest_s"].low
    assert not editor.rest.minus_button.isEnabled()
    assert not editor.hold.isVisible()  # clamshell is counted in reps, not held


def test_a_hold_exercise_gets_a_hold_not_reps(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "standing-wall-press")
    editor = page.editor
    assert editor.hold.isVisibleTo(page)
    assert not editor.reps.isVisibleTo(page)
    step(editor.hold, 1)
    assert page.model.draft.items[0].hold_s == 35.0


def test_progress_and_regress_one_step(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell")
    editor = page.editor
    tap(editor.regress_button)  # already the easiest
    assert page.message.kind == "error"
    assert "easiest" in page.message.text()
    assert page.model.draft.items[0].variation is None
    tap(editor.progress_button)  # 10 → 12 reps
    assert page.model.draft.items[0].reps == 12
    tap(editor.progress_button)  # 3 × 12 is the top of the range: the next variation
    assert page.model.draft.items[0].variation == "Light band"
    assert editor.variation.text() == t("staff.programs.variation", name="Light band")
    assert "(Light band)" in page.item_texts()[0]
    tap(editor.regress_button)
    assert page.model.draft.items[0].variation is None


def test_the_seed_templates_are_there_and_open_into_the_builder(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = programs_page(home)
    tap(page.templates_button)
    overlay = page.templates_overlay
    assert overlay.isVisible()
    assert "Hip muscle training with a band" in overlay.names()
    row = overlay.names().index("Hip muscle training with a band")
    assert overlay.list.item(row).text() == "Hip muscle training with a band  ·  3 exercises"
    assert "Back and SI joint: glute med basics" in overlay.names()
    overlay.choose("Hip muscle training with a band")
    tap(overlay.open_button)
    assert [i.exercise_id for i in page.model.draft.items] == [
        "clamshell",
        "functional-clamshell",
        "lateral-band-walk",
    ]
    assert page.message.text() == t("staff.programs.loaded", name="Hip muscle training with a band")
    before = {t.id for t in ProgramStore(services.database).templates()}
    page.items.setCurrentRow(0)
    step(page.editor.sets, 1)  # an edit changes the draft, never the stored template
    after = ProgramStore(services.database).templates()
    assert {t.id for t in after} == before


def test_assign_needs_a_patient_and_a_weekday(home: QtStaffHome) -> None:
    page = programs_page(home)
    add_exercises(page, "clamshell")
    tap(page.assign_button)
    overlay = page.assign_overlay
    overlay.list.setCurrentRow(-1)
    tap(overlay.assign_button)
    assert overlay.message.text() == t("staff.programs.assign_no_patient")
    overlay.list.setCurrentRow(0)
    for key in list(overlay.days.chosen_keys):
        tap(overlay.days.buttons[key])
    tap(overlay.assign_button)
    assert overlay.message.text() == t("staff.programs.assign_no_days")
    assert overlay.isVisible()
    tap(overlay.cancel_button)
    assert not overlay.isVisible()
