"""Check-in lockout on the real window: ten different wrong codes pause check-in for the whole
clinic, with a kind message and a countdown; the count is the database's, so a restarted
kiosk and a second kiosk keep it; every wrong code is audited as a fingerprint only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from db.repositories.audit import Action, entries
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.checkin_lock import FAILED, PAUSED, QtCheckInLock
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, TODAY, WALL_START, saved
from tests.db.postgres_server import PostgresServer
from tests.ui.conftest import OpenWindow, check_in, tap
from tests.ui.shell.conftest import visible_on

WRONG = [f"{900_000 + n * 7:06d}" for n in range(40)]  # codes nobody has


def lock_of(window: QtKioskWindow) -> QtCheckInLock:
    assert window.unattended is not None
    assert window.unattended.lock is not None
    return window.unattended.lock


def tick(clock: FakeClock, window: QtKioskWindow, seconds: float) -> None:
    """``seconds`` pass; the lockout's timer fires."""
    clock.advance(seconds)
    lock_of(window).update()


def wrong_codes(window: QtKioskWindow, count: int, start: int = 0) -> None:
    for code in WRONG[start : start + count]:
        check_in(window, code)
        if window.current_screen() is not window.checkin:
            raise AssertionError(f"{code} checked someone in")


def keypad_enabled(window: QtKioskWindow) -> bool:
    pad = window.checkin
    buttons = [*pad.digit_buttons.values(), pad.clear_button, pad.back_button]
    states = {b.isEnabled() for b in buttons}
    assert len(states) == 1, "the keypad is half enabled"
    return states.pop()


def test_ten_different_wrong_codes_pause_check_in_for_60_s(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    wrong_codes(kiosk, 9)
    assert not lock_of(kiosk).is_locked
    assert kiosk.checkin.message.text() == t("checkin.not_found")
    wrong_codes(kiosk, 1, start=9)

    pad = kiosk.checkin
    assert pad.paused
    assert not keypad_enabled(kiosk)
    assert not pad.ok_button.isEnabled()
    assert pad.cancel_button.isEnabled()  # the patient can always go back
    effect = pad.pad.graphicsEffect()
    assert effect is not None
    assert effect.isEnabled()  # the whole keypad dimmed, in any theme
    assert visible_on(pad.message)
    assert pad.message.text() == t("checkin.paused")
    assert pad.display.text() == "60 s"
    timer = lock_of(kiosk).timer
    assert timer.isActive()
    assert timer.timerType() == Qt.TimerType.PreciseTimer

    tick(clock, kiosk, 1.0)
    assert pad.display.text() == "59 s"
    QTest.keyClicks(kiosk, ANN)  # a scanner during the pause: ignored
    QTest.keyClick(kiosk, Qt.Key.Key_Return)
    assert kiosk.current_screen() is pad
    assert pad.digits == ""
    tick(clock, kiosk, 58.0)  # the pause began at OK, its answer 0.6 s later: 0.4 s left
    assert pad.display.text() == "1 s"
    tick(clock, kiosk, 0.4)

    assert not pad.paused
    assert keypad_enabled(kiosk)
    assert not effect.isEnabled()
    assert not visible_on(pad.message)
    assert not timer.isActive()
    check_in(kiosk, ANN)
    assert kiosk.visit.program is not None

    failed = entries(saved(services), actions=(FAILED,))
    paused = entries(saved(services), actions=(PAUSED,))
    assert len(failed) == 10
    assert len(paused) == 1
    assert {e.actor for e in failed + paused} == {"kiosk"}
    details = [e.detail or "" for e in failed]
    assert all(re.fullmatch(r"[0-9a-f]{12}", d) for d in details)  # a fingerprint each
    assert len(set(details)) == 10  # ten different codes: ten fingerprints
    assert paused[0].detail == "10 wrong codes within 86400 s; paused for 60 s (pause 1 in a row)"
    everything = " ".join(f"{e.action} {e.detail}" for e in entries(saved(services)))
    assert not [code for code in WRONG if code in everything]  # never a code in clear


def test_the_same_wrong_code_again_and_again_is_one_code(
    kiosk: QtKioskWindow, services: KioskServices
) -> None:
    for _ in range(12):
        check_in(kiosk, WRONG[0])  # a patient who misremembers their code
    assert not kiosk.checkin.paused
    details = {e.detail for e in entries(saved(services), actions=(FAILED,))}
    assert len(details) == 1


def test_the_next_pause_is_twice_as_long_and_a_long_one_counts_in_minutes(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    for n in range(3):
        wrong_codes(kiosk, 10, start=n * 10)
        tick(clock, kiosk, 0)
        assert kiosk.checkin.display.text() == ["60 s", "2 min", "4 min"][n]
        tick(clock, kiosk, 60 * 2**n)
        assert not kiosk.checkin.paused


def test_a_right_code_between_wrong_ones_does_not_reset_the_count(
    kiosk: QtKioskWindow,
) -> None:
    wrong_codes(kiosk, 9)
    check_in(kiosk, ANN)
    assert kiosk.visit.program is not None
    tap(kiosk.visit.program.back_button)
    wrong_codes(kiosk, 1, start=9)
    assert kiosk.checkin.paused


def test_wrong_codes_spread_over_more_than_a_day_do_not_pause(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    for n in range(12):
        check_in(kiosk, WRONG[n])
        clock.advance(3 * 3600)  # 12 codes over 36 hours: never 10 within a day
        tap(kiosk.checkin.cancel_button)
    assert not kiosk.checkin.paused


def test_the_pause_outlasts_leaving_the_keypad(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    wrong_codes(kiosk, 10)
    tap(kiosk.checkin.cancel_button)
    assert kiosk.current_screen() is kiosk.attract
    tick(clock, kiosk, 10)
    QTest.keyClick(kiosk, Qt.Key.Key_5)  # a scan on the attract screen opens the keypad...
    assert kiosk.current_screen() is kiosk.checkin
    assert kiosk.checkin.paused  # ...still paused, and the digit was not taken
    assert kiosk.checkin.display.text() == "50 s"
    tick(clock, kiosk, 50)
    assert not kiosk.checkin.paused


def test_the_count_and_the_pause_outlast_a_restart(
    open_window: OpenWindow, clock: FakeClock
) -> None:
    first = open_window(fullscreen=True)
    wrong_codes(first, 9)
    first.close_now()  # the kiosk stops; its memory goes with it
    again = open_window(fullscreen=True)
    wrong_codes(again, 1, start=9)
    assert again.checkin.paused  # the tenth, counted with the nine from before
    tap(again.checkin.cancel_button)
    again.close_now()
    third = open_window(fullscreen=True)
    tap(third.attract)
    assert third.checkin.paused
    assert third.checkin.display.text() == "60 s"


def test_two_kiosks_on_one_database_count_together(
    open_window: OpenWindow, clock: FakeClock
) -> None:
    front, back = open_window(), open_window()
    wrong_codes(front, 5)
    wrong_codes(back, 5, start=5)
    assert back.checkin.paused
    tap(front.checkin.cancel_button)
    check_in(front, ANN)  # the other kiosk: its next OK finds check-in paused
    assert front.current_screen() is front.checkin
    assert front.checkin.paused
    assert front.checkin.message.text() == t("checkin.paused")


def test_thresholds_come_from_the_clinic_settings(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    SettingsRepository(services.database).update(
        "Anna", checkin_lockout_failures=3, checkin_lockout_pause_s=30
    )
    assert kiosk.unattended is not None
    kiosk.unattended.apply_settings(services)  # what closing staff mode does
    wrong_codes(kiosk, 3)
    assert kiosk.checkin.paused
    assert kiosk.checkin.display.text() == "30 s"
    (paused,) = entries(saved(services), actions=(PAUSED,))
    assert paused.detail == "3 wrong codes within 86400 s; paused for 30 s (pause 1 in a row)"
    tick(clock, kiosk, 30)
    assert not kiosk.checkin.paused


def test_a_database_that_will_not_count_leaves_the_kiosk_counting_itself(
    kiosk: QtKioskWindow,
    services: KioskServices,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object) -> None:
        raise OSError("database gone")

    monkeypatch.setattr(lock_of(kiosk)._store, "record_wrong", broken)
    wrong_codes(kiosk, 10)
    assert kiosk.checkin.paused  # the backstop in memory, by the same rule
    assert "counting it on this kiosk" in caplog.text
    failed = entries(saved(services), actions=(FAILED,))
    assert len({e.detail for e in failed}) == 10  # audited through the writer instead
    assert len(entries(saved(services), actions=(Action.CHECKIN_PAUSED,))) == 1
    assert not [code for code in WRONG if code in caplog.text]


def test_a_database_that_fails_to_audit_does_not_stop_the_keypad(
    kiosk: QtKioskWindow, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = lock_of(kiosk)

    def broken(*_args: object) -> None:
        raise OSError("database gone")

    def no_audit(action: str, detail: str | None) -> None:
        raise OSError("database gone")

    monkeypatch.setattr(lock._store, "record_wrong", broken)
    lock._audit = no_audit
    wrong_codes(kiosk, 10)
    assert kiosk.checkin.paused
    assert "could not audit 'check-in failed'" in caplog.text


def test_staff_opening_check_in_elsewhere_opens_this_keypad_within_15_s(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    wrong_codes(kiosk, 10)
    for _ in range(3):  # four pauses in a row: the fourth is 8 minutes
        tick(clock, kiosk, 240)
        wrong_codes(kiosk, 10, start=10)
    assert kiosk.checkin.display.text() == "8 min"
    # On another kiosk, staff open check-in from the Today board.
    now = WALL_START + timedelta(seconds=clock() - 1000.0)
    services.patient.lockout.reopen("Anna", now)
    tick(clock, kiosk, 5)
    assert kiosk.checkin.paused  # not read again yet
    tick(clock, kiosk, 10)
    assert not kiosk.checkin.paused
    assert keypad_enabled(kiosk)


@pytest.fixture
def clinic_on_postgres(postgres_server: PostgresServer) -> Iterator[str]:
    """The demo clinic on the throwaway PostgreSQL server: the database kiosks share."""
    name = "lockout_clinic"
    url = postgres_server.create_database(name)
    KioskServices.open(url, demo_data=True, today=lambda: TODAY).close()
    yield url
    postgres_server.drop_database(name)


def test_two_kiosks_on_one_postgresql_share_the_pause_and_a_restart_keeps_it(
    open_window: OpenWindow, clinic_on_postgres: str, clock: FakeClock
) -> None:
    def kiosk() -> QtKioskWindow:  # each with services of its own, as two kiosk processes
        return open_window(
            services=lambda: KioskServices.open(clinic_on_postgres, today=lambda: TODAY)
        )

    front, back = kiosk(), kiosk()
    assert front.services is not back.services
    wrong_codes(front, 6)
    wrong_codes(back, 3, start=6)
    assert not back.checkin.paused
    wrong_codes(front, 1, start=9)  # the tenth different code in the clinic
    assert front.checkin.paused
    tap(back.checkin.cancel_button)
    check_in(back, ANN)
    assert back.checkin.paused  # her code is not even looked up
    assert back.current_screen() is back.checkin

    back.close_now()  # a restart
    again = kiosk()
    tap(again.attract)
    assert again.checkin.paused
    assert again.checkin.display.text() == "60 s"
