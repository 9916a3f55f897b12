"""What happens at the kiosk in a clinic day: the demo patients' visits, staff rounds, and a
run of wrong codes.

The day repeats :data:`ROUND`, ten visits and a staff round, so that samples taken after each
round are taken at the same point of it (``tests/soak/probes.py``). One round holds every way a
visit goes at this clinic: a whole session with the ratings and pain after; a pause, and
nobody there ("Still there?" unanswered, logged out); carrying that session on half an hour
later; "It hurts" with a call for staff, then carrying on; "It hurts", skip the exercise, stop;
the balance check from the welcome and from the totals; a wrong code first; "Still there?"
answered; a summary left to its own timers; large text and the voice switched off for one
visit; and a check-in that goes back without a session. Each visit is a function of the
:class:`~tests.soak.kiosk.Kiosk`; each ends on the attract screen with its records written.
"""

from __future__ import annotations

from collections.abc import Callable

from db.demo import DEMO_STAFF_PIN
from db.repositories.assessments import Answer
from db.repositories.patients import PatientRepository
from kiosk.core.timeline import StepKind
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.visit.player_screen import QtPlayerScreen
from kiosk.ui.visit.program_screen import QtProgramScreen
from tests.clinic import ANN, MARIA, TOM
from tests.soak.kiosk import Kiosk, SoakError, wait_until
from tests.ui.staff_mode.conftest import hold_corner

JK = "305718"  # the 3-minute hip series: one side, then the other
#: Codes nobody has (a typo, or someone trying codes at random).
WRONG_CODES = tuple(f"{900_000 + n * 7:06d}" for n in range(12))

Visit = Callable[[Kiosk], None]


def _welcome(k: Kiosk) -> QtProgramScreen:
    program = k.window.visit.program
    k.expect(program, "the welcome")
    assert program is not None
    return program


def _in_a_rep(k: Kiosk, rep: int, exercise: int | None = None) -> Callable[[], bool]:
    player = k.player()

    def reached() -> bool:
        step = player.engine.current_step()
        there = exercise is None or step.exercise_index == exercise
        return there and step.kind is StepKind.REP and step.rep == rep

    return reached


def _in_session(k: Kiosk, code: str, *, sets: int) -> QtPlayerScreen:
    """Check in, Start, and run until ``sets`` sets are logged."""
    k.check_in(code)
    player = k.start()
    k.run(player, k.sets_logged(player, sets))
    return player


def _pause(k: Kiosk, player: QtPlayerScreen) -> None:
    k.tap(player.pause_button)
    k.tally["pauses"] += 1


def _balance_check(k: Kiosk, *, foot_down_after_s: float | None) -> None:
    """Both sides timed (the left foot put down early, maybe), a Yes and a No each, saved."""
    check = k.window.visit.balance
    k.expect(check, "the balance check")
    assert check is not None
    k.tap(check.start_button)
    if foot_down_after_s is not None:
        k.run(check, lambda: check.engine.current_step().kind is StepKind.HOLD)
        k.clock.advance(foot_down_after_s)
        check.driver.update()
        k.tap(check.foot_down_button)
    k.run(check)
    if check.page != "questions":
        raise SoakError(f"the balance check ended on its {check.page} page, not the questions")
    for side, next_button in zip(check.sides, check.next_buttons, strict=True):
        k.tap(side.buttons[0][Answer.NO])
        k.tap(side.buttons[-1][Answer.YES])
        k.tap(next_button)
    if check.page != "saved":
        raise SoakError(f"the balance check's answers left it on its {check.page} page")
    k.tap(check.done_button)
    k.tally["balance checks"] += 1


# -- the visits, in the order of a round -------------------------------------------------------


def ann_whole_session(k: Kiosk) -> None:
    """Pain before, the whole session, pain after and the last exercise rated, goodbye."""
    k.check_in(ANN)
    k.tap(_welcome(k).pain_scale.buttons[3])
    k.tally["pain before"] += 1
    summary = k.run_to_end(k.start())
    k.goodbye(summary, pain=2, rate="just right")


def tom_pauses_and_walks_away(k: Kiosk) -> None:
    """Two sets, Pause, and nobody comes back: logged out, the session kept as stopped."""
    _pause(k, _in_session(k, TOM, sets=2))
    k.walk_away()


def tom_carries_on(k: Kiosk) -> None:
    """Back within the half hour: Continue; "It hurts", staff called, staff say carry on; no
    pain answer; the balance check from the totals; Finish."""
    k.check_in(TOM, carry_on=True)
    player = k.player()
    k.run(player, _in_a_rep(k, 2))
    k.it_hurts(player, call_staff=True)
    k.tap(player.pain_overlay.resume_button)
    summary = k.run_to_end(player)
    k.tap(summary.skip_button)
    k.tap(summary.balance_button)
    _balance_check(k, foot_down_after_s=None)
    k.expect(summary, "the totals again")
    k.goodbye(summary, pain=None, rate=None)


def maria_walks_away_from_the_welcome(k: Kiosk) -> None:
    """Large text, then nobody there: logged out from the welcome, in the standard look."""
    k.check_in(MARIA)
    k.tap(_welcome(k).toggles.large_button)
    if not k.window.theme.large_text:
        raise SoakError("large text did not re-theme the window")
    k.tally["large text"] += 1
    k.walk_away()
    if k.window.theme.large_text:
        raise SoakError("the next patient would get the last one's large text")


def maria_hurts_and_skips(k: Kiosk) -> None:
    """It hurts in the second rep: skip the exercise; Stop during the next one; pain after."""
    k.check_in(MARIA)
    player = k.start()
    k.run(player, _in_a_rep(k, 2))
    k.it_hurts(player, call_staff=False)
    k.tap(player.pain_overlay.skip_button)
    k.tally["exercises skipped"] += 1
    k.run(player, _in_a_rep(k, 1, exercise=1))
    k.goodbye(k.stop(player), pain=4, rate=None)


def staff_round(k: Kiosk, *, idle_lock: bool) -> None:
    """The corner held, the PIN on the pad, Today, Patients, Programs and Progress (a patient's
    chart), then Lock (or nobody touches staff mode until it locks itself)."""
    hold_corner(k.window, k.clock)
    k.pump()
    mode = k.window.staff
    if mode is None:
        raise SoakError("holding the corner did not open the staff PIN pad")
    pad = mode.pin_screen
    k.expect(pad, "the staff PIN pad")
    for digit in DEMO_STAFF_PIN:
        k.tap(pad.digit_buttons[digit])
    k.tap(pad.ok_button)
    wait_until(lambda: mode.home is not None, "the staff PIN check")
    home = mode.home
    assert home is not None
    k.expect(home, "the staff home")
    for key in ("today", "patients", "programs", "progress"):
        k.tap(home.tab_buttons[key])
        if home.current_page_key != key:
            raise SoakError(f"the {key} tab did not open its page")
    page = home.pages["progress"]
    maria = PatientRepository(k.services.database).find_by_code(MARIA)
    if isinstance(page, QtProgressPage) and maria is not None:
        page.select_patient(maria.id)
        k.pump()
    if idle_lock:
        assert mode.gate is not None
        k.wait(mode.gate.idle.timeout_s)
        mode.idle_timer.timeout.emit()  # what the lock's timer does when it is due
        k.tally["staff idle locks"] += 1
    else:
        k.tap(home.lock_button)
    k.pump()
    k.tally["staff rounds"] += 1
    k.at_rest()


def jk_balance_check_then_series(k: Kiosk) -> None:
    """The balance check from the welcome (the left foot down after 12 s), the voice off for
    this visit, the whole series, the first exercise rated in its rest, pain after."""
    k.check_in(JK)
    k.tap(_welcome(k).balance_button)
    _balance_check(k, foot_down_after_s=12.0)
    program = _welcome(k)
    if program.toggles.voice_button.isVisibleTo(program):
        k.tap(program.toggles.voice_button)
        k.tally["voice switched off"] += 1
    player = k.start()
    k.rate_when_asked(player, "easy")
    k.goodbye(k.run_to_end(player), pain=1, rate="just right")


def ann_mistypes_then_goes_back(k: Kiosk) -> None:
    """A wrong code ("not found"), the right one, then Back to the keypad and Cancel."""
    k.type_code(WRONG_CODES[-1])
    k.expect(k.window.checkin, "the keypad saying the code was not found")
    k.tally["wrong codes"] += 1
    pad = k.window.checkin
    k.tap(pad.clear_button)
    for digit in ANN:
        k.tap(pad.digit_buttons[digit])
    k.tap(pad.ok_button)
    k.answer()
    k.voice_ready()
    k.tap(_welcome(k).back_button)
    k.expect(pad, "the keypad")
    k.tap(pad.cancel_button)
    k.tally["went back without a session"] += 1
    k.at_rest()


def tom_answers_still_there(k: Kiosk) -> None:
    """A pause long enough for "Still there?", answered; Resume, to the end; then nobody
    touches the totals: each page's timer moves on to the start."""
    player = _in_session(k, TOM, sets=1)
    _pause(k, player)
    k.still_here()
    k.tap(player.pause_button)
    k.unattended_goodbye(k.run_to_end(player))


def jk_hurts_and_leaves(k: Kiosk) -> None:
    """It hurts after the first set, and the patient goes: logged out from the pain screen."""
    k.it_hurts(_in_session(k, JK, sets=1), call_staff=False)
    k.walk_away()


def jk_starts_again_then_leaves(k: Kiosk) -> None:
    """Back after the pain: "Start again" rather than carry on, then Back and Cancel."""
    k.check_in(JK, carry_on=False)
    k.tap(_welcome(k).back_button)
    k.tap(k.window.checkin.cancel_button)
    k.tally["went back without a session"] += 1
    k.at_rest()


def check_in_and_cancel(k: Kiosk) -> None:
    """The baseline's visit: check in, Back, Cancel; no session."""
    k.check_in(ANN)
    k.tap(_welcome(k).back_button)
    k.tap(k.window.checkin.cancel_button)
    k.at_rest()


def lockout(k: Kiosk) -> None:
    """Wrong codes until check-in pauses itself (ten different ones), the pause waited out,
    Cancel."""
    pad = k.window.checkin
    for code in WRONG_CODES:
        if pad.paused:
            break
        k.type_code(code)
        k.tally["wrong codes"] += 1
    if not pad.paused:
        raise SoakError(f"{len(WRONG_CODES)} wrong codes did not pause check-in")
    k.tally["check-in lockouts"] += 1
    lock = k.window.unattended.lock if k.window.unattended is not None else None
    assert lock is not None
    k.wait(lock.seconds_left())
    if pad.paused:
        raise SoakError("check-in stayed paused after its pause")
    k.tap(pad.cancel_button)
    k.at_rest()


#: One round of the day: ten visits, and staff looking in half-way (the day repeats it).
ROUND: tuple[Visit, ...] = (
    ann_whole_session,
    tom_pauses_and_walks_away,
    tom_carries_on,
    maria_walks_away_from_the_welcome,
    maria_hurts_and_skips,
    jk_balance_check_then_series,
    ann_mistypes_then_goes_back,
    tom_answers_still_there,
    jk_hurts_and_leaves,
    jk_starts_again_then_leaves,
)
#: Staff look in after this many visits of each round.
STAFF_AFTER = 5
