"""Progress after real sessions: adherence, the pain chart (QtCharts), difficulty and "It
hurts", the clinic day, CSV export and the handout PDF."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from db.repositories.assessments import AssessmentLog, SideResult
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.progress import ProgressQueries
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.text.dates import day_month, day_short, day_time
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.staff_mode.tables import table_text
from tests.clinic import MARIA, TODAY, WALL_START, saved
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import figures_read, open_page, type_on_keyboard, visible


def progress_page(home: QtStaffHome) -> QtProgressPage:
    page = open_page(home, "progress")
    assert isinstance(page, QtProgressPage)
    return page


def test_a_patient_with_sessions_gets_a_pain_chart(home: QtStaffHome, maria_sessions: int) -> None:
    page = progress_page(home)
    figures_read(page)
    page.select_patient(maria_sessions)
    figures_read(page)
    detail = page.detail
    assert detail.name.text() == "Maria"
    assert visible(detail.chart)
    assert not visible(detail.no_pain)
    before = [(p.y()) for p in detail.chart.before.points()]
    after = [(p.y()) for p in detail.chart.after.points()]
    assert before == [4, 3]
    assert after == [2, 1]
    assert detail.chart_title.text() == t("staff.progress.chart_title")
    # The demo program was assigned today (TODAY): one prescribed day in the period, done.
    assert detail.adherence.text() == "Adherence: 1 of 1 prescribed day done (100 %)"
    yesterday, today = WALL_START.astimezone() - timedelta(days=1), WALL_START.astimezone()
    assert detail.difficulty.text().split("\n") == [
        f"{day_short(yesterday)} · Clamshell · too hard",
        f"{day_short(today)} · Clamshell · just right",
    ]
    pain_at = day_time(today + timedelta(minutes=3))
    assert detail.pain_events.text() == f"{pain_at} · Clamshell, set 2, left side, rep 7"
    assert detail.assessments.text() == t("staff.progress.no_assessments")
    # The x axis names days in the kiosk's words (every few days over the 30-day period).
    start, _end = page.period
    labels = detail.chart.x_axis.categoriesLabels()
    assert labels[0] == day_month(start) == "1 Feb"
    assert 2 <= len(labels) <= 6


def test_the_words_for_dates_and_sides(home: QtStaffHome, services: KioskServices) -> None:
    """Dates in the catalog's words, and a balance check's legs (one side not recorded)."""
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    at = datetime(2026, 3, 1, 14, 5, tzinfo=UTC).astimezone()
    AssessmentLog(saved(services)).record(
        maria.id,
        "single-leg-stance",
        [SideResult(Side.RIGHT, 12.0, 30.0, ()), SideResult(None, None, 30.0, ())],
        at,
    )
    page = progress_page(home)
    figures_read(page)
    page.select_patient(maria.id)
    figures_read(page)
    detail = page.detail
    assert detail.period.text() == "Sun 1 Feb 2026 to Mon 2 Mar 2026"
    when = day_time(at)
    assert detail.assessments.text().split("\n") == [
        f"{when} · Right leg: held 12 of 30 s · noticed nothing",
        f"{when} · One leg: held – of 30 s · noticed nothing",
    ]


def test_a_patient_without_sessions_gets_words_not_an_empty_chart(home: QtStaffHome) -> None:
    page = progress_page(home)
    figures_read(page)
    tap(home.tab_buttons["today"])
    tap(home.tab_buttons["progress"])
    figures_read(page)
    page.list.setCurrentRow(0)  # Ann
    figures_read(page)
    assert page.selected is not None
    assert not visible(page.detail.chart)
    assert page.detail.no_pain.text() == t("staff.progress.no_pain")
    assert page.detail.pain_events.text() == t("staff.progress.no_pain_events")


def test_the_period_buttons_change_the_span(home: QtStaffHome, maria_sessions: int) -> None:
    page = progress_page(home)
    figures_read(page)
    page.select_patient(maria_sessions)
    figures_read(page)
    tap(page.period_row.buttons["7"])
    figures_read(page)
    assert page.days == 7
    start, end = page.period
    assert (end - start).days == 6
    assert page.detail.period.text().endswith("Mon 2 Mar 2026")


def test_export_csv_for_a_patient(
    qtbot: QtBot, home: QtStaffHome, maria_sessions: int, services: KioskServices, stick: Path
) -> None:
    page = progress_page(home)
    figures_read(page)
    page.select_patient(maria_sessions)
    figures_read(page)
    tap(page.export_button)
    assert home.files.isVisible()
    assert home.files.dialog is not None
    suggested = home.files.dialog.selectedFiles()[0]
    assert Path(suggested).name.endswith(f"-patient-{maria_sessions}.csv")  # not her code
    target = stick / "maria.csv"
    with qtbot.waitSignal(page.exports.work.finished):
        home.files.choose(target)
        assert page.message.text() == t("staff.progress.writing")  # written on a worker
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["patient_id"] for r in rows} == {str(maria_sessions)}
    assert MARIA not in target.read_text(encoding="utf-8-sig")
    today = next(r for r in rows if r["date"] == TODAY.isoformat())
    assert (today["pain_before"], today["pain_after"], today["pain_events"]) == ("3", "1", "1")
    assert page.message.kind == "ok"
    assert page.message.text() == f"Saved {len(rows)} rows to {target}."
    exports = entries(services.database, actions=(Action.EXPORT,))
    assert len(exports) == 1
    assert "maria.csv" in (exports[0].detail or "")


def test_the_clinic_day_summary_and_its_export(
    qtbot: QtBot, home: QtStaffHome, maria_sessions: int, stick: Path
) -> None:
    page = progress_page(home)
    figures_read(page)
    tap(page.mode.buttons["day"])
    figures_read(page)
    assert not page.handout_button.isVisible()
    patients = [table_text(page.day_table, r, 0) for r in range(page.day_table.rowCount())]
    assert sorted(patients) == [
        "Ann · 551937",
        "J.K. · 305718",
        "Maria · 482913",
        "Tom · 716254",
    ]
    maria_row = patients.index(f"Maria · {MARIA}")
    assert table_text(page.day_table, maria_row, 6) == "yes"
    assert table_text(page.day_table, maria_row, 2) == "1 of 1"  # sessions finished of started
    assert table_text(page.day_table, maria_row, 5) == "3 → 1"
    assert page.day_totals.text() == (
        "4 scheduled · 1 done (25 %) · 1 session · 0 sets · 1 “It hurts”"
    )
    tap(page.day.back_button)  # yesterday: Maria practised, but nothing was prescribed
    figures_read(page)
    assert [table_text(page.day_table, r, 6) for r in range(page.day_table.rowCount())] == ["—"]
    tap(page.export_button)
    target = stick / "day.csv"
    with qtbot.waitSignal(page.exports.work.finished):
        home.files.choose(target)
    assert target.read_text(encoding="utf-8-sig").startswith("date,patient_id,display_name")


def test_a_handout_pdf_for_todays_program(
    home: QtStaffHome, maria_sessions: int, services: KioskServices, stick: Path
) -> None:
    page = progress_page(home)
    figures_read(page)
    page.select_patient(maria_sessions)
    figures_read(page)
    tap(page.handout_button)
    target = stick / "handout.pdf"
    home.files.choose(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert page.message.kind == "ok"
    assert page.message.text() == f"Saved the handout (4 pages) to {target}."
    assert any(
        "handout for patient" in (e.detail or "")
        for e in entries(services.database, actions=(Action.EXPORT,))
    )


def test_no_handout_without_a_program_today(home: QtStaffHome, services: KioskServices) -> None:
    tom = PatientRepository(services.database).find_by_code("716254")
    assert tom is not None
    store = ProgramStore(services.database)
    for assignment in store.assignments_for(tom.id):  # Tom's program ends today
        store.end_assignment(assignment.id, TODAY, actor="test")
    page = progress_page(home)
    figures_read(page)
    page.select_patient(tom.id)
    figures_read(page)
    page.context.today = lambda: TODAY + timedelta(days=1)  # ... and now it is tomorrow
    tap(page.handout_button)
    assert page.message.kind == "error"
    assert page.message.text() == t("staff.progress.no_program", name="Tom")
    assert not home.files.isVisible()


def test_the_patient_list_searches_by_name_or_code(home: QtStaffHome) -> None:
    page = progress_page(home)
    figures_read(page)
    names = [page.list.item(row).text() for row in range(page.list.count())]
    assert len(names) == 4
    tap(page.search_button)
    type_on_keyboard(home.keyboard, "ma")
    tap(home.keyboard.ok_button)
    figures_read(page)
    assert [page.list.item(row).text() for row in range(page.list.count())] == ["Maria  ·  482913"]
    assert page.search_button.text() == t("staff.patients.search", text="ma")
    assert page.search_button.property("role") == "field"  # styled as a field, as on Patients


def test_figures_are_read_off_the_ui_thread_and_the_last_asked_for_wins(
    qtbot: QtBot,
    home: QtStaffHome,
    maria_sessions: int,
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = progress_page(home)
    page.select_patient(maria_sessions)
    figures_read(page)
    gui_thread = QThread.currentThread()
    on_gui: list[bool] = []
    release = threading.Event()
    real_adherence = ProgressQueries.adherence

    def held(queries: ProgressQueries, *args: object) -> object:
        on_gui.append(QThread.currentThread() is gui_thread)
        assert release.wait(10), "the test never let the read go"
        return real_adherence(queries, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ProgressQueries, "adherence", held)
    tom = PatientRepository(services.database).find_by_code("716254")
    assert tom is not None
    page.select_patient(tom.id)  # read, held...
    assert page.loading
    page.select_patient(maria_sessions)  # ...and staff change their mind meanwhile
    assert page.detail.name.text() == "Maria"  # the last figures stay while reading
    qtbot.waitUntil(lambda: len(on_gui) >= 1)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        release.set()
    assert on_gui == [False, False]  # Tom's read ended, then Maria's was read; both off it
    assert page.detail.name.text() == "Maria"
    assert page.selected is not None
    assert page.selected.id == maria_sessions
