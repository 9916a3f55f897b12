"""'It hurts': stop at once, don't push through, then skip, end, call staff or carry on."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from db.models import SessionStatus
from db.repositories.progress import ProgressQueries
from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.records import FeedbackKind, SetStatus
from kiosk.core.timeline import Side, StepKind, Tone
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.idle_watch import CALL_STAFF
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.tables import table_text
from kiosk.ui.staff_mode.today_page import QtTodayPage
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.clinic import ANN, TODAY, TOM, saved
from tests.ui.conftest import VoiceParts, run_until, start_session, state_of, tap
from tests.ui.staff_mode.conftest import sign_in
from tests.ui.visit.conftest import feedback, sessions


def _kind(player: QtPlayerScreen) -> StepKind:
    return player.engine.current_step().kind


def _hurt_during_rep_3(clock: FakeClock, player: QtPlayerScreen) -> None:
    run_until(clock, player, lambda: player.engine.current_step().rep == 3)
    tap(player.hurts_button)


def test_it_hurts_pauses_at_once_says_stop_and_offers_four_choices(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    _hurt_during_rep_3(clock, player)
    assert state_of(player) is SessionState.PAIN
    assert player.engine.next_deadline() is None  # time stands still
    overlay = player.pain_overlay
    assert overlay.isVisible()
    assert overlay.title.text() == "Stop and rest."
    assert "Don't push through pain." in overlay.body.text()
    assert player.caption.text() == t("cue.pain_stop")  # what the voice says, word for word
    choices = [overlay.skip_button, overlay.end_button, overlay.call_button, overlay.resume_button]
    assert [b.text() for b in choices] == [
        t("pain.skip"),
        t("pain.end"),
        t("pain.call_staff"),
        t("pain.resume"),
    ]
    assert not overlay.banner.isVisible()
    # Logged with where it hurt: exercise, set, side and rep.
    (pain,) = SessionLog(saved(services)).pains_for(1)
    assert (pain.exercise_index, pain.exercise_id, pain.set_number, pain.side, pain.rep) == (
        0,
        "standing-lateral-leg-raise",
        1,
        Side.LEFT,
        3,
    )


def test_skip_this_exercise_goes_on_with_the_next_and_logs_the_set_as_skipped(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    _hurt_during_rep_3(clock, player)
    tap(player.pain_overlay.skip_button)
    assert state_of(player) is SessionState.RUNNING
    assert not player.pain_overlay.isVisible()
    step = player.engine.current_step()
    assert (step.kind, step.exercise_index) == (StepKind.INTRO, 1)
    assert player.title.text() == "Standing wall press"
    (record,) = SessionLog(saved(services)).sets_for(1)
    assert (record.exercise_index, record.status, record.reps_done) == (0, SetStatus.SKIPPED, 2)


def test_end_the_session_from_pain(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    _hurt_during_rep_3(clock, player)
    with qtbot.waitSignal(window.screen_changed):
        tap(player.pain_overlay.end_button)
    assert window.visit.summary is not None
    assert sessions(services) == [(1, SessionStatus.STOPPED)]
    (record,) = SessionLog(saved(services)).sets_for(1)
    assert record.status is SetStatus.STOPPED


def test_call_staff_shows_a_banner_flashes_and_puts_an_alert_on_the_staff_board(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    _hurt_during_rep_3(clock, player)
    overlay = player.pain_overlay
    flashes = player.tone_flash.flashes  # every tone so far was flashed: no sound here
    tap(overlay.call_button)
    assert overlay.banner.isVisible()
    assert overlay.banner_title.text() == "Help is on the way"
    assert overlay.banner_detail.text() == "A member of staff has been called."
    assert not overlay.body.isVisible()  # the banner takes the instructions' place
    assert overlay.call_button.text() == t("pain.staff_called")
    assert not overlay.call_button.isEnabled()  # one call is enough
    assert player.tone_flash.flashes == flashes + 1  # the chime, seen instead of heard
    assert state_of(player) is SessionState.PAIN  # still paused
    # The idle logout waits while staff are on their way (it would hide the banner).
    assert window.idle is not None
    assert CALL_STAFF in window.idle.holds
    # The database: a call_staff event, placed like the pain event.
    (call,) = feedback(services, FeedbackKind.CALL_STAFF)
    assert (call.session_id, call.exercise_id, call.set_number, call.side, call.rep) == (
        1,
        "standing-lateral-leg-raise",
        1,
        Side.LEFT,
        3,
    )
    (entry,) = [e for e in ProgressQueries(saved(services)).day_board(TODAY) if e.code == TOM]
    assert entry.called_staff
    assert entry.hurt
    # Staff choose "carry on" with the patient: the banner goes, the hold is released.
    tap(overlay.resume_button)
    assert not overlay.isVisible()
    assert CALL_STAFF not in window.idle.holds
    # ...and the staff board shows who called, first, with the words on a chip.
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    window.go_to_attract()
    home = sign_in(qtbot, window, clock)
    page = home.pages["today"]
    assert isinstance(page, QtTodayPage)
    assert table_text(page.table, 0, 1) == "Tom"  # alerts first
    assert t("staff.today.called") in table_text(page.table, 0, 4)
    assert t("staff.today.hurt") in table_text(page.table, 0, 4)


def test_call_staff_chimes_when_there_is_sound(
    voice_window: QtKioskWindow, voice_parts: VoiceParts, clock: FakeClock
) -> None:
    player = start_session(voice_window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    tap(player.hurts_button)
    flashes = player.tone_flash.flashes
    tap(player.pain_overlay.call_button)
    assert voice_parts.output.tones()[-1] is Tone.CHIME
    assert player.tone_flash.flashes == flashes  # heard, so not flashed


def test_it_hurts_again_after_carrying_on_starts_fresh(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    _hurt_during_rep_3(clock, player)
    tap(player.pain_overlay.call_button)
    tap(player.pain_overlay.resume_button)
    run_until(clock, player, lambda: player.engine.current_step().rep == 5)
    tap(player.hurts_button)
    assert not player.pain_overlay.banner.isVisible()
    assert player.pain_overlay.call_button.isEnabled()
    assert len(SessionLog(saved(services)).pains_for(1)) == 2
