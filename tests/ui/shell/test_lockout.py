"""Check-in lockout: ten wrong codes within five minutes pause check-in on this kiosk for 60 s,
with a kind message and a countdown; every wrong code is audited as a fingerprint only."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from db.repositories.audit import entries
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.checkin_lock import FAILED, PAUSED, QtCheckInLock
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, saved
from tests.ui.conftest import check_in, tap
from tests.ui.shell.conftest import visible_on

WRONG = [f"{900_000 + n * 7:06d}" for n in range(12)]  # codes nobody has


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


def test_ten_wrong_codes_pause_check_in_for_60_s(
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
    tick(clock, kiosk, 58.5)
    assert pad.display.text() == "1 s"
    tick(clock, kiosk, 0.5)

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
    assert paused[0].detail == "10 wrong codes within 300 s; paused for 60 s"
    everything = " ".join(f"{e.action} {e.detail}" for e in entries(saved(services)))
    assert not [code for code in WRONG if code in everything]  # never a code in clear


def test_the_same_wrong_code_has_the_same_fingerprint(
    kiosk: QtKioskWindow, services: KioskServices
) -> None:
    for _ in range(3):
        check_in(kiosk, WRONG[0])
    details = {e.detail for e in entries(saved(services), actions=(FAILED,))}
    assert len(details) == 1


def test_a_right_code_between_wrong_ones_does_not_reset_the_count(
    kiosk: QtKioskWindow,
) -> None:
    wrong_codes(kiosk, 9)
    check_in(kiosk, ANN)
    assert kiosk.visit.program is not None
    tap(kiosk.visit.program.back_button)
    wrong_codes(kiosk, 1, start=9)
    assert kiosk.checkin.paused


def test_wrong_codes_spread_over_more_than_5_minutes_do_not_pause(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    for n in range(12):
        check_in(kiosk, WRONG[n])
        clock.advance(40)  # 12 codes over 8 minutes: never 10 within 5
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


def test_thresholds_come_from_the_clinic_settings(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    SettingsRepository(services.database).update(
        "Anna", checkin_lockout_failures=3, checkin_lockout_window_s=60, checkin_lockout_pause_s=30
    )
    assert kiosk.unattended is not None
    kiosk.unattended.apply_settings(services)  # what closing staff mode does
    wrong_codes(kiosk, 3)
    assert kiosk.checkin.paused
    assert kiosk.checkin.display.text() == "30 s"
    (paused,) = entries(saved(services), actions=(PAUSED,))
    assert paused.detail == "3 wrong codes within 60 s; paused for 30 s"
    tick(clock, kiosk, 30)
    assert not kiosk.checkin.paused


def test_a_database_that_fails_to_audit_does_not_stop_the_keypad(
    kiosk: QtKioskWindow, caplog: pytest.LogCaptureFixture
) -> None:
    lock = lock_of(kiosk)

    def broken(action: str, detail: str | None) -> None:
        raise OSError("database gone")

    lock._audit = broken
    wrong_codes(kiosk, 10)
    assert kiosk.checkin.paused
    assert "could not audit 'check-in failed'" in caplog.text
