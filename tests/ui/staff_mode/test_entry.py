"""Getting into staff mode and out again: the corner hold, the PIN pad, the back-off, the idle
lock, Lock, and quitting the kiosk (staff only)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_PIN
from db.repositories.audit import Action, entries
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.staff.auth import LoginOutcome, StaffGate
from kiosk.text import t
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.timers import TimerFactory
from tests.ui.child_kiosk import run_kiosk_script
from tests.ui.conftest import LEFT, tap
from tests.ui.shell.conftest import flush_deletes
from tests.ui.staff_mode.conftest import (
    CORNER,
    fire,
    hold_corner,
    sign_in,
    staff_mode,
    submit_pin,
    timer_named,
    type_pin,
    visible,
)

WRONG_PIN = "583920"


def actions(services: KioskServices, *names: str) -> list[str]:
    return [e.action for e in entries(services.database, actions=names)]


# -- the corner hold -------------------------------------------------------------------------


def test_holding_the_corner_for_3_s_opens_the_pin_pad(
    window: QtKioskWindow, clock: FakeClock, timers: TimerFactory
) -> None:
    QTest.mousePress(window.attract, LEFT, pos=CORNER)
    clock.advance(2.9)
    fire(timers, "staff-corner-hold")  # a timer that ran early: the clock says not yet
    assert window.current_screen() is window.attract
    clock.advance(0.1)
    fire(timers, "staff-corner-hold")
    assert window.current_screen().objectName() == "StaffPinScreen"
    QTest.mouseRelease(window.attract, LEFT, pos=CORNER)  # the finger comes off: not a tap
    assert window.current_screen().objectName() == "StaffPinScreen"
    pad = staff_mode(window).pin_screen
    assert pad.digits == ""
    assert visible(pad.pad)


def test_a_release_after_3_s_counts_even_if_the_timer_was_late(
    window: QtKioskWindow, clock: FakeClock
) -> None:
    hold_corner(window, clock, seconds=3.0)
    assert window.current_screen().objectName() == "StaffPinScreen"


def test_a_short_touch_in_the_corner_is_an_ordinary_tap(
    window: QtKioskWindow, clock: FakeClock, timers: TimerFactory
) -> None:
    hold_corner(window, clock, seconds=1.0)
    assert window.current_screen() is window.checkin  # the patient's touch still works
    assert window.staff is None  # and nothing of staff mode was even built
    assert "staff-corner-hold" not in {t.objectName() for t in timers.active()}


def test_a_long_touch_elsewhere_is_an_ordinary_tap(window: QtKioskWindow, clock: FakeClock) -> None:
    middle = window.attract.rect().center()
    QTest.mousePress(window.attract, LEFT, pos=middle)
    clock.advance(5)
    QTest.mouseRelease(window.attract, LEFT, pos=middle)
    assert window.current_screen() is window.checkin


def test_back_on_the_pin_pad_returns_to_the_start(window: QtKioskWindow, clock: FakeClock) -> None:
    hold_corner(window, clock)
    type_pin(window, "47")
    tap(staff_mode(window).pin_screen.cancel_button)
    assert window.current_screen() is window.attract
    hold_corner(window, clock)
    assert staff_mode(window).pin_screen.digits == ""  # the next person starts clean


def test_only_one_key_on_the_pin_pad_is_called_back(
    window: QtKioskWindow, clock: FakeClock
) -> None:
    """Back leaves the pad; the key that takes away a digit says so, as on the check-in pad."""
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    assert pad.cancel_button.text() == "◀  Back"
    assert pad.back_button.text() == "⌫ Delete"
    assert pad.back_button.text() == t("checkin.backspace")  # the patients' keypad agrees
    type_pin(window, "47")
    tap(pad.back_button)
    assert pad.digits == "4"
    assert window.current_screen() is pad


# -- the PIN ---------------------------------------------------------------------------------


def test_the_right_pin_opens_the_staff_home_and_is_audited(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    hold_corner(window, clock)
    result = submit_pin(qtbot, window, DEMO_STAFF_PIN)
    assert getattr(result, "outcome", None) is LoginOutcome.OK
    home = staff_mode(window).home
    assert isinstance(home, QtStaffHome)
    assert window.current_screen() is home
    assert home.who.text() == t("staff.home.who", name="Demo")
    assert home.current_page_key == "today"
    assert actions(services, Action.LOGIN) == [Action.LOGIN]


def test_the_pin_is_checked_off_the_ui_thread_while_the_pad_says_checking(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    original = StaffGate.try_pin

    def recording(self: StaffGate, pin: str):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return original(self, pin)

    monkeypatch.setattr(StaffGate, "try_pin", recording)
    hold_corner(window, clock)
    mode = staff_mode(window)
    type_pin(window, DEMO_STAFF_PIN)
    with qtbot.waitSignal(mode.pin_checked, timeout=20_000):
        tap(mode.pin_screen.ok_button)
        # The tap returned at once: the hash is still running, and the pad says so.
        assert mode.pin_screen.message.text() == t("staff.pin.checking")
        assert not mode.pin_screen.accepting
        assert not mode.pin_screen.digit_buttons["1"].isEnabled()
    assert threads
    assert threads[0] != threading.get_ident()
    assert mode.home is not None


def test_a_wrong_pin_says_so_clears_the_digits_and_is_audited(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    hold_corner(window, clock)
    result = submit_pin(qtbot, window, WRONG_PIN)
    assert getattr(result, "outcome", None) is LoginOutcome.WRONG
    pad = staff_mode(window).pin_screen
    assert window.current_screen() is pad
    assert pad.message.text() == t("staff.pin.wrong")
    assert pad.digits == ""
    assert pad.accepting  # the first wrong PINs cost nothing
    assert staff_mode(window).home is None
    assert actions(services, Action.PIN_FAILED) == [Action.PIN_FAILED]


def test_wrong_pins_back_off_and_the_pad_waits(
    qtbot: QtBot,
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    timers: TimerFactory,
) -> None:
    SettingsRepository(services.database).update("test", pin_free_failures=0, pin_backoff_base_s=2)
    hold_corner(window, clock)
    submit_pin(qtbot, window, WRONG_PIN)
    pad = staff_mode(window).pin_screen
    assert pad.message.text() == t("staff.pin.wait", seconds=2)
    assert not pad.accepting
    tap(pad.digit_buttons["4"])
    assert pad.digits == ""  # typing during the wait does nothing
    clock.advance(1.0)
    fire(timers, "staff-pin-wait")
    assert pad.message.text() == t("staff.pin.wait", seconds=1)
    clock.advance(1.0)
    fire(timers, "staff-pin-wait")
    assert pad.accepting
    assert "staff-pin-wait" not in {t.objectName() for t in timers.active()}
    # The next wrong PIN doubles the wait; leaving and coming back does not reset it.
    submit_pin(qtbot, window, WRONG_PIN)
    assert pad.message.text() == t("staff.pin.wait", seconds=4)
    tap(pad.cancel_button)
    hold_corner(window, clock)  # 3 s of the 4 s go by holding the corner
    assert pad.message.text() == t("staff.pin.wait", seconds=1)
    assert not pad.accepting
    clock.advance(1.0)
    fire(timers, "staff-pin-wait")
    result = submit_pin(qtbot, window, DEMO_STAFF_PIN)
    assert getattr(result, "outcome", None) is LoginOutcome.OK
    assert len(actions(services, Action.PIN_FAILED)) == 2


def test_ok_needs_at_least_six_digits(window: QtKioskWindow, clock: FakeClock) -> None:
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    type_pin(window, "47291")
    assert not pad.ok_button.isEnabled()
    QTest.keyClick(window, Qt.Key.Key_Return)  # a keyboard's Enter says why
    assert pad.message.text() == t("staff.pin.too_short", digits=6)
    assert pad.digits == "47291"  # nothing typed is lost


def test_a_kiosk_without_staff_says_how_to_add_one(
    qtbot: QtBot,
    timers: TimerFactory,
    empty_services: KioskServices,
    clock: FakeClock,
) -> None:
    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        clock=clock,
        services=empty_services,
        timers=timers,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.started_up)
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    assert "kiosk staff add NAME" in pad.message.text()
    assert not visible(pad.pad)
    assert not pad.accepting
    tap(pad.cancel_button)
    # Back to the start, which on such a kiosk says how to set it up (tests/ui/shell/test_setup.py).
    assert window.setup is not None
    assert window.current_screen() is window.setup.screen
    window.close()


# -- staying in and leaving -------------------------------------------------------------------


def test_staff_mode_locks_itself_after_3_minutes_idle(
    qtbot: QtBot,
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    timers: TimerFactory,
) -> None:
    home = sign_in(qtbot, window, clock)
    idle = timer_named(timers, "staff-idle-lock")
    assert idle.isSingleShot()
    assert abs(idle.interval() - 180_000) <= 1
    clock.advance(100)
    tap(home.tab_buttons["patients"])  # a touch: the three minutes start again
    clock.advance(100)
    fire(timers, "staff-idle-lock")
    assert window.current_screen() is home  # 100 s since the last touch: still open
    assert 79_000 <= timer_named(timers, "staff-idle-lock").interval() <= 80_001
    clock.advance(80)
    fire(timers, "staff-idle-lock")
    assert window.current_screen() is window.attract
    assert staff_mode(window).home is None
    locks = entries(services.database, actions=(Action.LOCKED,))
    assert [e.detail for e in locks] == ["idle for 180 s"]
    running = {t.objectName() for t in timers.active()}
    assert not {n for n in running if n.startswith("staff-")}


def test_a_touch_after_the_idle_time_does_nothing_but_lock(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    home = sign_in(qtbot, window, clock)
    clock.advance(181)  # the timer has not fired yet (a busy or sleeping machine)
    tap(home.tab_buttons["settings"])
    assert window.current_screen() is window.attract
    assert "settings" not in home.pages  # the touch did not reach the staff screen


def test_lock_returns_to_the_start_and_is_audited(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    home = sign_in(qtbot, window, clock)
    tap(home.lock_button)
    assert window.current_screen() is window.attract
    locks = entries(services.database, actions=(Action.LOCKED,))
    assert [(e.actor, e.detail) for e in locks] == [("Demo", "by staff")]
    hold_corner(window, clock)  # the PIN is needed again
    assert window.current_screen().objectName() == "StaffPinScreen"


@pytest.mark.slow
def test_a_pin_check_leaves_nothing_behind_however_often_staff_sign_in(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> None:
    """Found by the clinic-day soak (``make soak-day``): every PIN check's worker stayed in
    memory for good, with the PIN as typed and the gate it was checked against."""
    for _ in range(2):
        hold_corner(window, clock)
        submit_pin(qtbot, window, WRONG_PIN)
        clock.advance(60)  # past any back-off
        tap(staff_mode(window).pin_screen.cancel_button)
        tap(sign_in(qtbot, window, clock).lock_button)
    flush_deletes()
    gc.collect()
    gates = [o for o in gc.get_objects() if isinstance(o, StaffGate)]
    assert gates == [staff_mode(window).gate]


# -- quitting ----------------------------------------------------------------------------------


def test_an_installed_kiosk_cannot_be_closed_from_a_patient_screen(
    fullscreen_window: QtKioskWindow,
) -> None:
    window = fullscreen_window
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible()
    assert not window.close()  # the window manager's close, Alt+F4...
    assert window.isVisible()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()


def test_quit_from_staff_mode_asks_then_closes_and_is_audited(
    qtbot: QtBot,
    fullscreen_window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
) -> None:
    window = fullscreen_window
    home = sign_in(qtbot, window, clock)
    tap(home.quit_button)
    assert home.confirm.isVisible()
    assert home.confirm.title.text() == t("staff.quit.title")
    tap(home.confirm.cancel_button)  # changed their mind
    assert window.isVisible()
    assert actions(services, Action.QUIT) == []
    tap(home.quit_button)
    tap(home.confirm.confirm_button)
    assert not window.isVisible()
    assert actions(services, Action.QUIT) == [Action.QUIT]


def test_a_windowed_development_kiosk_still_quits_with_ctrl_q(window: QtKioskWindow) -> None:
    assert window.dev_mode
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


# -- start-up ----------------------------------------------------------------------------------

KIOSK = """
import sys
from kiosk.ui.shell.app import KioskOptions, run

code = run(KioskOptions(db_url=sys.argv[1], create_db=True,
                        fullscreen=False, size=(800, 600),
                        quit_after_first_frame=True))
heavy = ("kiosk.ui.staff_mode.mode", "kiosk.ui.staff_mode.home", "kiosk.staff", "kiosk.printing",
         "PySide6.QtCharts")
print("LOADED", [m for m in heavy if m in sys.modules], flush=True)
sys.exit(code)
"""


def test_nothing_of_staff_mode_loads_until_the_corner_is_held(tmp_path: Path) -> None:
    child = run_kiosk_script(KIOSK, tmp_path)
    assert "LOADED []" in child.stdout


def test_leaving_the_pad_while_the_pin_is_checked_does_not_open_staff_mode_unseen(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    hold_corner(window, clock)
    mode = staff_mode(window)
    type_pin(window, DEMO_STAFF_PIN)
    with qtbot.waitSignal(mode.pin_checked, timeout=20_000):
        tap(mode.pin_screen.ok_button)
        tap(mode.pin_screen.cancel_button)  # walked away before the answer came
    assert window.current_screen() is window.attract
    assert mode.home is None
    assert mode.gate is not None
    assert mode.gate.current is None
    locks = entries(services.database, actions=(Action.LOCKED,))
    assert [e.detail for e in locks] == ["left the PIN pad before the check ended"]
