"""Staff screens in another language: every word comes from the catalog, dates included.

The kiosk runs in the pseudo-language (each catalog text accented and wrapped in ⟦ ⟧); at
each stop, what is left of the visible text once the catalog's parts, the clinic's data and
the library's content are taken out must hold no words (``tools/text_audit.py``). Anything
left would still be English on a German or Spanish clinic's staff screens.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import ClinicSetting, Patient, Program, StaffUser
from db.repositories.assessments import AssessmentLog, SideResult
from db.repositories.settings import DEFAULTS
from kiosk.core.clock import FakeClock
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.text.pseudo import CLOSE, OPEN
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.import_page import QtImportPage
from kiosk.ui.staff_mode.programs_page import QtProgramsPage
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from tests.clinic import ANN, MARIA, TODAY, WALL_START, saved
from tests.paths import REPO_ROOT
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import figures_read, open_page, sign_in, use_stick

sys.path.insert(0, str(REPO_ROOT / "tools"))

from text_audit import foreign_texts, library_texts, visible_texts


def _clinic_data(services: KioskServices) -> set[str]:
    """Names the clinic chose: patients, staff, programs, settings, the default settings
    it has not changed yet (not interface text)."""
    with services.database.connect() as connection:
        names = set(connection.scalars(select(Patient.display_name)))
        names |= set(connection.scalars(select(StaffUser.name)))
        names |= set(connection.scalars(select(Program.name)))
        names |= {str(v) for v in connection.scalars(select(ClinicSetting.value))}
    return names | {str(v) for v in asdict(DEFAULTS).values()}


class _Audit:
    def __init__(self, window: QtKioskWindow, services: KioskServices) -> None:
        self.window = window
        self.services = services
        # The microphones' names, as the system gives them (the voice-control settings).
        from voice.microphone import microphones

        self.data = library_texts() | set(microphones())
        self.found: dict[str, list[str]] = {}

    def __call__(self, stop: str) -> None:
        allowed = self.data | _clinic_data(self.services)
        foreign = foreign_texts(visible_texts(self.window), allowed)
        if foreign:
            self.found[stop] = foreign


def test_staff_screens_have_no_words_outside_the_catalog(
    qtbot: QtBot,
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    maria_sessions: int,
    tmp_path: Path,
    pseudo_language: None,
) -> None:
    AssessmentLog(saved(services)).record(
        maria_sessions,
        "single-leg-stance",
        [SideResult(Side.LEFT, 12.0, 30.0, ()), SideResult(None, None, 30.0, ())],
        WALL_START - timedelta(hours=1),
    )
    home: QtStaffHome = sign_in(qtbot, window, clock)  # built now: in the pseudo-language
    use_stick(home, tmp_path / "stick")
    audit = _Audit(window, services)
    audit("today")

    progress = open_page(home, "progress")
    assert isinstance(progress, QtProgressPage)
    progress.select_patient(maria_sessions)
    figures_read(progress)
    assert progress.detail.period.text().startswith(OPEN)  # the audit reads what is shown
    audit("progress-patient")
    for label in progress.detail.chart.x_axis.categoriesLabels():
        assert (label[:1], label[-1:]) == (OPEN, CLOSE), label
    tap(progress.mode.buttons["day"])
    figures_read(progress)
    audit("progress-day")

    programs = open_page(home, "programs")
    assert isinstance(programs, QtProgramsPage)
    tap(programs.add_button)
    programs.library_overlay.choose("clamshell")
    tap(programs.library_overlay.add_button)
    audit("programs-library")
    tap(programs.library_overlay.done_button)
    audit("programs-builder")
    tap(programs.templates_button)
    audit("programs-templates")
    tap(programs.templates_overlay.cancel_button)
    tap(programs.assign_button)
    overlay = programs.assign_overlay
    overlay.choose_patient(maria_sessions)
    tap(overlay.weeks.plus_button)
    tap(overlay.days.buttons["6"])  # not on Sundays
    audit("programs-assign")
    tap(overlay.assign_button)
    assert not overlay.isVisible()
    audit("programs-assigned")

    page = open_page(home, "import")
    assert isinstance(page, QtImportPage)
    schedule = tmp_path / "stick" / "today.csv"
    schedule.write_text(
        "date,code,exercise,sets,reps,hold_s,sides,rest_s,notes\n"
        f"{TODAY},{MARIA},clamshell,2,12,,each,20,\n"
        f"{TODAY},{ANN},big-leg-lifts,,,,,,\n",
        encoding="utf-8",
    )
    audit.data.add(schedule.name)  # the file staff chose
    page.load_file(schedule)
    assert page.preview is not None
    assert page.preview.ok, page.preview.problems
    audit("import-preview")
    tap(page.import_button)
    audit("import-done")

    settings = open_page(home, "settings")
    assert isinstance(settings, QtSettingsPage)
    audit("settings")
    tap(settings.text_buttons["clinic_name"])
    home.keyboard.editor.clear()
    tap(home.keyboard.ok_button)
    assert home.keyboard.problem.isVisible()
    audit("settings-clinic-name-empty")
    tap(home.keyboard.cancel_button)

    for stop, words in audit.found.items():
        print(f"FOREIGN {stop}: {words!r}")
    assert audit.found == {}
