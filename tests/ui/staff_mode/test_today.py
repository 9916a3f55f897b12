"""The live "today" board: who is scheduled, checked in, in progress, done, and who pressed
"It hurts" — refreshed by its timer while it shows, stopped when it does not."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QThread, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from db.repositories.patients import PatientRepository
from db.repositories.progress import ProgressQueries
from kiosk.core.records import PainEvent
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.programs_page import QtProgramsPage
from kiosk.ui.staff_mode.tables import table_text
from kiosk.ui.staff_mode.today_page import REFRESH_MS, QtTodayPage
from kiosk.ui.theme import MIN_TOUCH_PX
from kiosk.ui.timers import TimerFactory
from tests.clinic import ANN, TODAY, WALL_START, saved
from tests.ui.conftest import LEFT, tap
from tests.ui.staff_mode.conftest import fire, open_page, timer_named


def board(home: QtStaffHome) -> QtTodayPage:
    page = home.pages["today"]
    assert isinstance(page, QtTodayPage)
    return page


def statuses(page: QtTodayPage) -> dict[str, str]:
    return {
        table_text(page.table, r, 1): table_text(page.table, r, 3)
        for r in range(page.table.rowCount())
    }


def test_the_board_lists_todays_patients_and_refreshes(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices, timers: TimerFactory
) -> None:
    page = board(home)
    assert home.current_page_key == "today"
    assert statuses(page) == dict.fromkeys(["Ann", "J.K.", "Maria", "Tom"], "Scheduled")
    assert "Scheduled 4" in page.counts.text()
    refresh = timer_named(timers, "staff-board-refresh")
    assert refresh.interval() == REFRESH_MS

    # Ann checks in at the kiosk and presses "It hurts".
    checkin = services.patient.check_in(ANN)
    assert checkin is not None
    from db.repositories.sessions import SessionLog

    log = SessionLog(saved(services))
    session = log.start(checkin.patient.id, checkin.program_id, WALL_START)
    log.log_pain(session, PainEvent(0, "clamshell", 1, None, 2, WALL_START))
    with qtbot.waitSignal(page.loaded):
        fire(timers, "staff-board-refresh")
    assert statuses(page)["Ann"] == t("staff.status.checked_in")
    assert table_text(page.table, 0, 1) == "Ann"  # alerts first
    assert table_text(page.table, 0, 4) == t("staff.today.hurt")
    assert "Checked in 1" in page.counts.text()

    tap(home.tab_buttons["patients"])
    assert "staff-board-refresh" not in {t.objectName() for t in timers.active()}
    tap(home.tab_buttons["today"])
    assert timer_named(timers, "staff-board-refresh").isActive()


def test_touching_a_row_opens_that_patients_progress(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = board(home)
    row = next(r for r in range(page.table.rowCount()) if table_text(page.table, r, 1) == "Tom")
    rect = page.table.visualRect(page.table.model().index(row, 0))
    QTest.mouseClick(page.table.viewport(), LEFT, pos=rect.center())
    assert home.current_page_key == "progress"
    progress = home.pages["progress"]
    tom = PatientRepository(services.database).find_by_code("716254")
    assert getattr(progress, "selected", None) == tom


def test_the_board_is_for_today(home: QtStaffHome) -> None:
    assert board(home).title.text() == t("staff.today.title", day="Monday 2 March 2026")
    assert TODAY.weekday() == 0


def test_every_staff_button_is_finger_sized(home: QtStaffHome) -> None:
    """Every page, and every panel that opens over them, at 1280×800."""

    def too_small() -> list[str]:
        home.repaint()
        return [
            b.objectName() or b.text()
            for b in home.findChildren(QPushButton)
            if b.isVisibleTo(home) and b.minimumSizeHint().height() < MIN_TOUCH_PX
        ]

    checked = 0
    for key in home.tab_buttons:
        open_page(home, key)
        assert not too_small(), key
        checked += sum(1 for b in home.findChildren(QPushButton) if b.isVisibleTo(home))
    programs = home.pages["programs"]
    assert isinstance(programs, QtProgramsPage)
    for button, overlay in (
        (programs.add_button, programs.library_overlay),
        (programs.templates_button, programs.templates_overlay),
    ):
        open_page(home, "programs")
        tap(button)
        assert overlay.isVisible()
        assert not too_small(), overlay.objectName()
        overlay.hide()
    programs.model.add("clamshell")
    tap(programs.assign_button)
    assert not too_small()
    programs.assign_overlay.hide()
    tap(programs.name_button)
    assert home.keyboard.isVisible()
    assert not too_small()
    tap(home.keyboard.cancel_button)
    tap(home.quit_button)
    assert not too_small()
    tap(home.confirm.cancel_button)
    import_page = open_page(home, "import")
    tap(import_page.choose_button)  # type: ignore[attr-defined]
    assert home.files.isVisible()
    assert not too_small()
    home.files.cancel()
    assert checked > 80  # every page had its buttons looked at


def test_a_corner_hold_in_staff_mode_is_not_needed_twice(
    home: QtStaffHome, window: QtKioskWindow
) -> None:
    QTest.mousePress(home, LEFT, pos=QPoint(5, 5))  # the gesture only listens on patient screens
    QTest.mouseRelease(home, LEFT, pos=QPoint(5, 5))
    assert window.current_screen() is home


def test_the_board_shows_a_paused_check_in_and_staff_can_open_it(
    qtbot: QtBot, home: QtStaffHome, window: QtKioskWindow, services: KioskServices
) -> None:
    from db.repositories.audit import Action, entries
    from kiosk.core.lockout import LockoutSettings
    from kiosk.text.dates import time_short

    page = board(home)
    assert not page.checkin_paused.isVisibleTo(page)
    assert not page.reopen_button.isVisibleTo(page)
    lockout = services.patient.lockout
    now = home.context.wall_clock()
    for n in range(10):  # someone at a kiosk, trying codes
        lockout.record_wrong(f"90{n:04d}", now, LockoutSettings())
    paused = lockout.load()
    assert paused.is_paused(now)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert paused.paused_until is not None
    until = time_short(paused.paused_until.astimezone())
    assert page.checkin_paused.text() == t("staff.today.checkin_paused", count=10, time=until)
    assert page.checkin_paused.text().startswith("Check-in paused after 10 wrong codes, until ")
    assert page.reopen_button.isVisibleTo(page)

    with qtbot.waitSignal(page.loaded):  # the board is read again after it
        tap(page.reopen_button)
    assert not lockout.load().is_paused(now)
    assert page.checkin_paused.text() == t("staff.today.reopened")
    assert not page.reopen_button.isVisibleTo(page)
    (reopened,) = entries(services.database, actions=(Action.CHECKIN_REOPENED,))
    assert reopened.actor == home.context.actor
    assert reopened.detail == "10 wrong codes; 60 s of the pause left"


def test_the_board_is_read_off_the_ui_thread_and_the_ui_stays_responsive(
    qtbot: QtBot, home: QtStaffHome, timers: TimerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow read (held here until the test lets it go) runs on a worker thread; meanwhile
    the board keeps its rows, says it is updating, and Qt's loop keeps running timers."""
    page = board(home)
    before = statuses(page)
    gui_thread = QThread.currentThread()
    read_on: list[bool] = []
    release = threading.Event()
    real_board = ProgressQueries.day_board

    def held_board(queries: ProgressQueries, day: object) -> object:
        read_on.append(QThread.currentThread() is gui_thread)
        assert release.wait(10), "the test never let the read go"
        return real_board(queries, day)  # type: ignore[arg-type]

    monkeypatch.setattr(ProgressQueries, "day_board", held_board)
    fire(timers, "staff-board-refresh")
    assert page.loading
    assert page.updated.text() == t("staff.today.updating")
    ticks: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(1)
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the loop runs while the read is held
    ticker.stop()
    assert statuses(page) == before  # the previous board stays meanwhile
    fire(timers, "staff-board-refresh")  # due again while reading: left to the next tick
    with qtbot.waitSignal(page.loaded):
        release.set()
    assert read_on == [False]
    assert statuses(page) == before
    assert page.updated.text().startswith("Updated ")
