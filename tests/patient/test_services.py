"""The patient side without Qt: check-in rules and a session logged through the writer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import SessionState
from kiosk.core.timeline import StepKind
from kiosk.services import KioskServices
from tests.clinic import ANN, MARIA, saved


def _state(engine: SessionEngine) -> SessionState:
    return engine.state  # through a call: mypy keeps no narrowing across engine commands


@pytest.mark.parametrize("code", ["", "12", "abcdef", "55193 7", "1234567890123", "000000"])
def test_codes_that_are_not_a_patients_get_none(services: KioskServices, code: str) -> None:
    assert services.patient.check_in(code) is None


def test_a_scanned_code_with_a_trailing_newline_still_checks_in(services: KioskServices) -> None:
    checkin = services.patient.check_in(f"{MARIA}\n")
    assert checkin is not None
    assert checkin.display_name == "Maria"
    assert checkin.timeline.steps[0].title == checkin.program.items[0].name


def test_a_session_is_logged_set_by_set_and_finished(
    services: KioskServices, clock: FakeClock, wall_clock: Callable[[], datetime]
) -> None:
    checkin = services.patient.check_in(ANN)
    assert checkin is not None
    engine = services.patient.begin_session(checkin, clock, wall_clock).engine
    assert engine.state is SessionState.READY  # the caller subscribes, then starts
    assert services.writer.wait_idle(10.0)
    log = SessionLog(services.database)
    info = log.info(1)
    assert info is not None
    assert info.state.value == "running"
    engine.start()
    engine.hurt()
    engine.resume()
    while _state(engine) is SessionState.RUNNING:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        engine.update()
    assert services.writer.wait_idle(10.0)
    assert len(log.sets_for(1)) == 2
    assert len(log.pains_for(1)) == 1
    info = log.info(1)
    assert info is not None
    assert info.state.value == "finished"
    assert info.ended_at is not None


def test_the_voice_starts_from_the_clinic_settings_staff_edit_on_screen(
    services: KioskServices,
) -> None:
    from db.repositories.settings import SettingsRepository
    from voice.settings import VoiceMode

    SettingsRepository(services.database).update(
        "Demo", voice_enabled=False, voice_volume=40, voice_rate_wpm=130
    )
    defaults = services.voice_defaults()
    assert defaults is not None
    assert (defaults.mode, defaults.volume, defaults.rate) == (VoiceMode.TONES, 0.4, 130)


def test_a_session_is_finished_when_its_last_set_ends_not_after_the_goodbye(
    services: KioskServices, clock: FakeClock, wall_clock: Callable[[], datetime]
) -> None:
    """A kiosk switched off during the "well done" has still seen every set done (it used to
    leave the session running, then abandoned)."""
    checkin = services.patient.check_in(ANN)
    assert checkin is not None
    engine = services.patient.begin_session(checkin, clock, wall_clock).engine
    engine.start()
    while engine.current_step().kind is not StepKind.DONE:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        engine.update()
    assert engine.state is SessionState.RUNNING  # the goodbye is still being said
    info = SessionLog(saved(services)).info(1)
    assert info is not None
    assert info.state.value == "finished"
    assert info.ended_at == engine.records[-1].ended_at
