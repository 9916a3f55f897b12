"""The attract screen: the clinic's name, "Touch to start", the time and rotating facts — all
but the words filled in after the first frame."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.attract_screen import FACT_EVERY_MS
from tests.clinic import WALL_START
from tests.ui.child_kiosk import run_kiosk_script
from tests.ui.conftest import OpenWindow, tap
from tests.ui.shell.conftest import visible_on


def local_hhmm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def test_the_clinic_name_comes_from_the_settings(
    open_window: OpenWindow, services: KioskServices
) -> None:
    SettingsRepository(services.database).update("Anna", clinic_name="Riverside Physio")
    window = open_window(fullscreen=True)
    assert window.attract.clinic.text() == "Riverside Physio"
    assert window.windowTitle() == "Riverside Physio"


def test_a_name_changed_in_staff_mode_shows_when_staff_mode_closes(
    kiosk: QtKioskWindow, services: KioskServices
) -> None:
    kiosk.open_staff_mode()
    SettingsRepository(services.database).update("Demo", clinic_name="Sunny Side Physio")
    assert kiosk.staff is not None
    tap(kiosk.staff.pin_screen.cancel_button)
    assert kiosk.current_screen() is kiosk.attract
    assert kiosk.attract.clinic.text() == "Sunny Side Physio"


def test_the_time_shows_and_turns_with_each_minute(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    attract = kiosk.attract
    assert attract.time is not None
    assert attract.time.text() == local_hhmm(WALL_START)
    timer = attract.clock_timer
    assert timer is not None
    assert timer.isActive()
    assert timer.isSingleShot()
    assert timer.timerType() == Qt.TimerType.PreciseTimer
    assert 59_000 < timer.remainingTime() <= 60_005  # at the minute's turn, not a 1 s poll
    clock.advance(60.0)
    timer.timeout.emit()
    assert attract.time.text() == local_hhmm(WALL_START.replace(minute=1))
    clock.advance(30.0)  # half-way through a minute: the next turn is 30 s away
    attract.update_clock()
    assert 29_000 < timer.remainingTime() <= 30_005


def test_one_fact_at_a_time_changes_every_ten_seconds(
    kiosk: QtKioskWindow, services: KioskServices
) -> None:
    attract = kiosk.attract
    facts = [f.text for f in services.library.facts]
    assert len(facts) >= 3
    assert attract.fact_card is not None
    assert visible_on(attract.fact_card)
    assert attract.fact_text == facts[0]
    timer = attract.fact_timer
    assert timer is not None
    assert timer.isActive()
    assert timer.interval() == FACT_EVERY_MS
    timer.timeout.emit()
    assert attract.fact_text == facts[1]
    for _ in range(len(facts) - 1):
        attract.next_fact()
    assert attract.fact_text == facts[0]  # round again


def test_the_clock_and_facts_stop_while_a_patient_uses_the_kiosk(kiosk: QtKioskWindow) -> None:
    attract = kiosk.attract
    tap(attract)
    assert kiosk.current_screen() is kiosk.checkin
    assert attract.clock_timer is not None
    assert not attract.clock_timer.isActive()
    assert attract.fact_timer is not None
    assert not attract.fact_timer.isActive()
    tap(kiosk.checkin.cancel_button)
    assert attract.clock_timer.isActive()
    assert attract.fact_timer.isActive()


def test_a_touch_on_the_fact_or_the_time_starts_too(kiosk: QtKioskWindow) -> None:
    assert kiosk.attract.fact is not None
    assert kiosk.attract.time is not None
    tap(kiosk.attract.fact)
    assert kiosk.current_screen() is kiosk.checkin
    tap(kiosk.checkin.cancel_button)
    tap(kiosk.attract.time)
    assert kiosk.current_screen() is kiosk.checkin


def test_before_the_first_frame_there_is_only_the_words(qtbot: QtBot, timers: TimerFactory) -> None:
    def never() -> KioskServices:
        raise AssertionError("the services must not load before the first frame")

    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)), services=never, timers=timers
    )
    qtbot.addWidget(window)
    attract = window.attract
    assert attract.call_to_action.text() == t("attract.touch")
    assert attract.clinic.text() == t("clinic.name")
    assert attract.time is None  # not even built: the first frame stays as cheap as it was
    assert attract.fact_card is None
    assert attract.fact_text == ""
    assert attract.clock_timer is None
    assert attract.fact_timer is None
    assert window.unattended is None


KIOSK = """
import sys
from kiosk.ui.shell.app import KioskOptions, run
seen = {}

def first_frame():
    seen["at_first_frame"] = sorted(
        m for m in ("kiosk.ui.shell.unattended", "kiosk.ui.runners.idle_watch",
                    "kiosk.ui.runners.checkin_lock", "kiosk.ui.shell.still_there",
                    "kiosk.ui.shell.screen_power", "media.loader", "sqlalchemy")
        if m in sys.modules)

code = run(KioskOptions(db_url=sys.argv[1], create_db=True,
                        fullscreen=False, size=(1280, 800),
                        first_frame_hook=first_frame, quit_after_first_frame=True))
print("AT_FIRST_FRAME", seen["at_first_frame"], flush=True)
sys.exit(code)
"""


def test_none_of_it_is_imported_before_the_first_frame(tmp_path: Path) -> None:
    child = run_kiosk_script(KIOSK, tmp_path)
    assert "AT_FIRST_FRAME []" in child.stdout
