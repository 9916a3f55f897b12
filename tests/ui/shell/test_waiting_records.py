"""A session while another process holds the database's lock, as the patient and staff see it:
the coaching goes on, the totals say "kept" rather than "saved", the attract screen and the
staff board say how many sets wait, and both clear once the database takes them. (Staff sign in
between the two locks: signing in writes to the audit log, which must wait for the lock too.)"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.patient.writes import LogSet, SessionRef
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.today_page import QtTodayPage
from tests.clinic import ANN
from tests.patient.faults import Lock
from tests.ui.conftest import OpenWindow, advance_to_next_moment, start_session, tap
from tests.ui.staff_mode.conftest import open_page, sign_in


def _database_file(services: KioskServices) -> Path:
    database = services.database.url.database
    assert database is not None
    return Path(database)


def test_sets_the_locked_database_has_not_taken_are_kept_and_shown_until_saved(
    fast_retries: None,
    qtbot: QtBot,
    open_window: OpenWindow,
    services: KioskServices,
    clock: FakeClock,
) -> None:
    window: QtKioskWindow = open_window()
    lock = Lock(_database_file(services))
    player = start_session(window, ANN)
    for _ in range(1000):
        if player.engine.state is not SessionState.RUNNING:
            break
        advance_to_next_moment(clock, player)
    assert player.engine.state is SessionState.FINISHED  # coached to the end, lock or not
    summary = window.visit.summary
    assert summary is not None
    assert [note.text() for note in summary.saved_notes] == [t("summary.kept")] * 2
    tap(summary.skip_button)
    tap(summary.done_button)
    window.go_to_attract()
    waiting = t("writer.sets_waiting.other", count=2)
    qtbot.waitUntil(lambda: window.attract.waiting.text() == waiting)
    assert window.attract.waiting.isVisible()
    assert SessionLog(services.database).sets_for(1) == ()  # not there yet, and not said to be

    lock.release()
    qtbot.waitUntil(lambda: not window.attract.waiting.isVisible(), timeout=10_000)
    assert len(SessionLog(services.database).sets_for(1)) == 2

    # Staff on the Today board while the database is locked again and a set waits.
    home = sign_in(qtbot, window, clock)
    today = open_page(home, "today")
    assert isinstance(today, QtTodayPage)
    assert not today.waiting.isVisible()
    lock = Lock(_database_file(services))
    (done, _) = player.engine.records
    services.writer.submit(LogSet(SessionRef("late", 1), replace(done, set_number=2)))
    one = t("writer.sets_waiting.one", count=1)
    qtbot.waitUntil(lambda: "locked" in today.waiting.text())
    assert today.waiting.text().startswith(f"{one}. ")
    lock.release()
    qtbot.waitUntil(lambda: not today.waiting.isVisible(), timeout=10_000)
    assert len(SessionLog(services.database).sets_for(1)) == 3
