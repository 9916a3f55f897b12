"""Idle logout: "Still there?" after 90 s without a touch, then the attract screen after 20 s
more (WCAG 2.2.1), with nothing of the patient left in any widget; never while a session
timer runs or while a call for staff waits."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ExerciseSession, SessionStatus, SetRow
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.idle import IdleState
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.idle_watch import CALL_STAFF, hold_for
from kiosk.ui.shell.still_there import QtStillThereOverlay
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, MARIA, TOM, saved
from tests.ui.conftest import LEFT, check_in, run_until, start_session, state_of, tap
from tests.ui.shell.conftest import all_texts, flush_deletes, idle_of, visible_on, wait_idle


def overlay_of(window: QtKioskWindow) -> QtStillThereOverlay:
    assert window.unattended is not None
    overlay = window.unattended.still_there
    assert overlay is not None
    return overlay


def warning_shown(window: QtKioskWindow) -> bool:
    unattended = window.unattended
    assert unattended is not None
    return unattended.still_there is not None and unattended.still_there.isVisible()


def type_on_keypad(window: QtKioskWindow, digits: str) -> None:
    tap(window.attract)
    for digit in digits:
        tap(window.checkin.digit_buttons[digit])


# -- the countdown ---------------------------------------------------------------------------


def test_nothing_counts_down_on_the_attract_screen(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    watch = idle_of(kiosk)
    assert not watch.watching
    assert not watch.timer.isActive()
    wait_idle(clock, kiosk, 3600)
    assert kiosk.current_screen() is kiosk.attract
    assert not warning_shown(kiosk)


def test_the_keypad_warns_after_90_s_then_logs_out_20_s_later(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    type_on_keypad(kiosk, "5519")
    watch = idle_of(kiosk)
    timer = watch.timer
    assert timer.timerType() == Qt.TimerType.PreciseTimer
    assert timer.isSingleShot()
    assert 89_000 < timer.remainingTime() <= 90_000  # one timer, at the policy's deadline

    wait_idle(clock, kiosk, 89.9)
    assert not warning_shown(kiosk)
    wait_idle(clock, kiosk, 0.1)
    overlay = overlay_of(kiosk)
    assert overlay.isVisible()
    assert overlay.title.text() == t("idle.title")
    assert overlay.count.text() == "20"
    assert overlay.unit.text() == t("idle.seconds")
    assert overlay.geometry() == kiosk.rect()  # the whole window, above every screen
    assert timer.remainingTime() <= 1000  # next: the next whole second on the countdown

    wait_idle(clock, kiosk, 5.5)
    assert overlay.count.text() == "15"
    wait_idle(clock, kiosk, 13.5)
    assert (overlay.count.text(), overlay.unit.text()) == ("1", t("idle.seconds_one"))
    assert kiosk.current_screen() is kiosk.checkin  # still theirs until the very end
    wait_idle(clock, kiosk, 1.0)

    assert kiosk.current_screen() is kiosk.attract
    assert not overlay.isVisible()
    assert kiosk.checkin.digits == ""
    assert kiosk.checkin.display.text() == ""
    assert not watch.timer.isActive()


def test_any_touch_starts_the_90_s_again(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    type_on_keypad(kiosk, "5")
    wait_idle(clock, kiosk, 80)
    tap(kiosk.checkin.digit_buttons["5"])  # through the application's event filter
    wait_idle(clock, kiosk, 80)
    assert not warning_shown(kiosk)
    QTest.keyClick(kiosk, Qt.Key.Key_1)  # a key (the scanner) counts as well
    wait_idle(clock, kiosk, 89)
    assert not warning_shown(kiosk)
    assert kiosk.checkin.digits == "551"


def test_im_still_here_keeps_the_screen_and_presses_nothing_beneath(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    check_in(kiosk, MARIA)
    program = kiosk.visit.program
    assert program is not None
    wait_idle(clock, kiosk, 95)
    overlay = overlay_of(kiosk)
    assert overlay.isVisible()
    # A touch right where Back is (under the overlay) answers, and does not go Back.
    back = program.back_button
    QTest.mouseClick(kiosk.windowHandle(), LEFT, pos=back.mapTo(kiosk, back.rect().center()))
    assert not overlay.isVisible()
    assert kiosk.current_screen() is program

    wait_idle(clock, kiosk, 90)
    assert overlay.isVisible()
    tap(overlay.button)
    assert not overlay.isVisible()
    wait_idle(clock, kiosk, 89)
    assert not overlay.isVisible()  # 90 s again from the answer
    assert kiosk.current_screen() is program
    # The same touch without the overlay does press Back (so the first one really was on it).
    QTest.mouseClick(kiosk.windowHandle(), LEFT, pos=back.mapTo(kiosk, back.rect().center()))
    assert kiosk.current_screen() is kiosk.checkin


def test_keys_during_the_warning_are_swallowed_and_do_not_answer(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    """A new patient's scan must not keep the previous patient's screen alive."""
    type_on_keypad(kiosk, "55")
    wait_idle(clock, kiosk, 90)
    QTest.keyClicks(kiosk, "716254")
    QTest.keyClick(kiosk, Qt.Key.Key_Return)
    assert overlay_of(kiosk).isVisible()
    assert kiosk.checkin.digits == "55"
    wait_idle(clock, kiosk, 20)
    assert kiosk.current_screen() is kiosk.attract


def test_a_touch_after_the_time_ran_out_only_logs_out(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    """The timer was late (a busy machine): the next touch must not reach the old screen."""
    type_on_keypad(kiosk, "551")
    clock.advance(200)
    tap(kiosk.checkin.digit_buttons["9"])
    assert kiosk.current_screen() is kiosk.attract
    assert kiosk.checkin.digits == ""


def test_after_logout_nothing_of_the_patient_remains_in_any_widget(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    check_in(kiosk, ANN)
    assert kiosk.visit.program is not None
    assert any("Ann" in text for text in all_texts())
    wait_idle(clock, kiosk, 90)
    wait_idle(clock, kiosk, 20)
    assert kiosk.current_screen() is kiosk.attract
    assert kiosk.visit.program is None
    flush_deletes()
    texts = all_texts()
    assert texts  # the walk did see the widgets
    name = re.compile(r"\bAnn\b")
    assert not [t for t in texts if name.search(t)]
    assert not [t for t in texts if ANN in t.replace(" ", "")]


def test_idle_time_comes_from_the_clinic_settings(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    SettingsRepository(services.database).update(
        "Anna", patient_idle_timeout_s=30, patient_idle_respond_s=25
    )
    assert kiosk.unattended is not None
    kiosk.unattended.apply_settings(services)  # what closing staff mode does
    type_on_keypad(kiosk, "1")
    wait_idle(clock, kiosk, 30)
    assert overlay_of(kiosk).count.text() == "25"
    wait_idle(clock, kiosk, 25)
    assert kiosk.current_screen() is kiosk.attract


# -- sessions --------------------------------------------------------------------------------


def test_a_running_session_never_counts_as_idle(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(kiosk, TOM)
    watch = idle_of(kiosk)
    assert watch.policy.state() is IdleState.SUSPENDED
    assert not watch.timer.isActive()
    run_until(clock, player, lambda: clock() > 1000 + 400)  # minutes without a touch
    watch.update()
    assert not warning_shown(kiosk)
    assert kiosk.current_screen() is player


def test_a_paused_session_is_logged_out_and_ended_as_stopped(
    kiosk: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    player = start_session(kiosk, ANN)
    run_until(clock, player, lambda: len(player.engine.records) >= 1)  # one set done
    tap(player.pause_button)
    assert state_of(player) is SessionState.PAUSED
    wait_idle(clock, kiosk, 90)
    assert overlay_of(kiosk).isVisible()
    assert kiosk.current_screen() is player  # the overlay is over the paused player
    wait_idle(clock, kiosk, 20)

    assert kiosk.current_screen() is kiosk.attract
    assert kiosk.visit.summary is None  # nobody is there to see a summary
    assert kiosk.visit.player is None
    with Session(saved(services)) as session:
        (row,) = session.scalars(select(ExerciseSession)).all()
        assert row.state is SessionStatus.STOPPED
        assert row.ended_at is not None
        sets = session.scalars(select(SetRow).where(SetRow.session_id == row.id)).all()
    assert len(sets) >= 1  # what was done before the pause is kept (and resumable)
    flush_deletes()
    assert not [t for t in all_texts() if re.search(r"\bAnn\b", t)]


def test_the_after_session_screen_is_logged_out_too(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(kiosk, ANN)
    run_until(clock, player, lambda: kiosk.visit.summary is not None)
    summary = kiosk.visit.summary
    assert summary is not None
    assert any("Ann" in text for text in all_texts())
    summary.timer.stop()  # (its own goodbye timer; the idle logout must work regardless)
    wait_idle(clock, kiosk, 90)
    assert warning_shown(kiosk)
    wait_idle(clock, kiosk, 20)
    assert kiosk.current_screen() is kiosk.attract
    assert kiosk.visit.summary is None
    flush_deletes()
    assert not [t for t in all_texts() if re.search(r"\bAnn\b", t)]


def test_the_pain_state_counts_down_too(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(kiosk, ANN)
    tap(player.hurts_button)
    assert state_of(player) is SessionState.PAIN
    wait_idle(clock, kiosk, 110)
    assert kiosk.current_screen() is kiosk.attract


def test_resuming_suspends_the_countdown_again(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(kiosk, TOM)
    tap(player.pause_button)
    wait_idle(clock, kiosk, 60)
    tap(player.pause_button)  # resume
    assert state_of(player) is SessionState.RUNNING
    assert idle_of(kiosk).policy.state() is IdleState.SUSPENDED
    tap(player.pause_button)
    wait_idle(clock, kiosk, 60)
    assert not warning_shown(kiosk)  # a fresh 90 s from the pause
    wait_idle(clock, kiosk, 30)
    assert warning_shown(kiosk)
    tap(overlay_of(kiosk).button)
    assert kiosk.current_screen() is player
    assert state_of(player) is SessionState.PAUSED


def test_a_call_for_staff_holds_the_countdown(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    """Decided: while the patient waits for staff they are not logged out (the banner staff
    are walking over to see must stay); staff answering the call releases the hold."""
    player = start_session(kiosk, ANN)
    tap(player.hurts_button)
    assert hold_for(player, CALL_STAFF)
    wait_idle(clock, kiosk, 600)
    assert not warning_shown(kiosk)
    assert kiosk.current_screen() is player
    assert hold_for(player, CALL_STAFF, on=False)
    wait_idle(clock, kiosk, 90)
    assert warning_shown(kiosk)


def test_staff_screens_have_their_own_lock_not_this_one(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    type_on_keypad(kiosk, "1")
    kiosk.open_staff_mode()
    assert kiosk.current_screen().objectName() == "StaffPinScreen"
    assert not idle_of(kiosk).watching
    wait_idle(clock, kiosk, 200)
    assert not warning_shown(kiosk)


def test_the_overlay_is_big_enough_to_read_across_the_room(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    type_on_keypad(kiosk, "1")
    wait_idle(clock, kiosk, 90)
    overlay = overlay_of(kiosk)
    m = kiosk.theme.metrics
    assert overlay.count.font().pixelSize() == m.font_display
    assert overlay.button.height() >= m.touch_large
    assert overlay.button.width() > overlay.panel.width() // 2
    assert visible_on(overlay.body)
    point = overlay.button.mapTo(kiosk, QPoint(5, 5))
    assert kiosk.childAt(point) is overlay.button


def test_the_overlay_follows_the_visits_large_text(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    check_in(kiosk, MARIA)
    kiosk.set_display(True, False)  # the patient chose large text on the welcome
    large = kiosk.theme
    assert large.large_text
    wait_idle(clock, kiosk, 90)
    overlay = overlay_of(kiosk)
    assert overlay.theme == large
    assert overlay.count.font().pixelSize() == large.metrics.font_display
    wait_idle(clock, kiosk, 20)
    assert not kiosk.theme.large_text  # the next patient starts from the standard look
    type_on_keypad(kiosk, "1")
    wait_idle(clock, kiosk, 90)
    assert overlay_of(kiosk).theme == kiosk.theme
    assert overlay_of(kiosk).count.font().pixelSize() == kiosk.theme.metrics.font_display


def test_still_there_asks_in_the_language_the_patient_chose(
    kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    type_on_keypad(kiosk, "55")
    wait_idle(clock, kiosk, 90)
    assert overlay_of(kiosk).title.text() == "Still there?"
    tap(overlay_of(kiosk).button)
    tap(kiosk.checkin.language_button)  # Español
    wait_idle(clock, kiosk, 90)
    assert overlay_of(kiosk).title.text() == "¿Sigue ahí?"
    assert overlay_of(kiosk).button.text() == "Sigo aquí"
    wait_idle(clock, kiosk, 20)  # nobody answers: logged out, in the clinic's language again
    assert kiosk.current_screen() is kiosk.attract
    type_on_keypad(kiosk, "55")
    wait_idle(clock, kiosk, 90)
    assert overlay_of(kiosk).title.text() == "Still there?"
