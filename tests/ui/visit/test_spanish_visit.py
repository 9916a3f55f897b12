"""A visit in Spanish, end to end: the patient taps "Español" on the keypad, checks in, and
does a whole program with Spanish screens, captions and voice; the choice is remembered for
the next visit, and the kiosk is English again for the next patient."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from db.repositories.patients import PatientRepository
from kiosk import text
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.services import KioskServices
from kiosk.text import en, es
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.summary_screen import QtSummaryScreen
from media.loader import load_library
from tests.clinic import ANN, saved
from tests.ui.conftest import VoiceParts, advance_to_next_moment, answer, tap
from voice.service import spoken_texts


def _summary(window: QtKioskWindow) -> QtSummaryScreen:
    assert window.visit.summary is not None
    return window.visit.summary


def _check_in_in_spanish(window: QtKioskWindow) -> None:
    tap(window.attract)
    pad = window.checkin
    assert pad.language_button.text() == "Español"  # its own name, no flag
    tap(pad.language_button)
    for digit in ANN:
        tap(pad.digit_buttons[digit])
    tap(pad.ok_button)
    answer(window)


def test_a_patient_picks_espanol_and_does_the_whole_program_in_spanish(
    qtbot: QtBot,
    voice_window: QtKioskWindow,
    voice_parts: VoiceParts,
    services: KioskServices,
    clock: FakeClock,
) -> None:
    window = voice_window
    tap(window.attract)
    pad = window.checkin
    assert pad.title.text() == en.MESSAGES["checkin.title"]
    tap(pad.language_button)
    # The keypad itself switches at once.
    assert pad.title.text() == es.MESSAGES["checkin.title"] == "Escriba su código de registro"
    assert pad.ok_button.text() == "Aceptar"
    assert pad.language_button.text() == "English"  # the way back, in its own name
    for digit in ANN:
        tap(pad.digit_buttons[digit])
    tap(pad.ok_button)
    answer(window)

    # The welcome: the catalog's words and the library's, in Spanish.
    program = window.visit.program
    assert program is not None
    assert program.greeting.text() == "Hola, Ann"
    assert program.start_button.text() == es.MESSAGES["program.start"]
    clamshell_es = load_library(language="es").exercises["clamshell"].name
    assert clamshell_es != load_library().exercises["clamshell"].name
    assert program.cards[0].name.text() == clamshell_es
    assert "serie" in program.cards[0].dose.text()

    # Every cue of the session is rendered by the Spanish voice before it starts.
    voice = window.voice
    assert voice is not None
    qtbot.waitUntil(lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1])
    checkin = window.visit.checkin
    assert checkin is not None
    session_texts = set(spoken_texts(checkin.timeline))
    voices = dict(voice_parts.synth.voices)
    assert session_texts <= set(voices)
    assert {voices[t] for t in session_texts} == {"es"}
    assert any(t.startswith(clamshell_es) for t in session_texts)  # the intro names it

    # The whole program: every caption is Spanish (no English cue among them).
    tap(program.start_button)
    player = window.visit.player
    assert player is not None
    english_cues = {v for k, v in en.MESSAGES.items() if k.startswith("cue.")}
    captions = [player.caption.text()]  # the intro: the exercise's name first
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(10_000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
            captions.append(player.caption.text())
    shown = {c for c in captions if c.strip()}
    assert captions[0].startswith(clamshell_es)
    assert {
        "Pierna izquierda.",
        "Cambie de lado. Ahora, pierna derecha.",
        "Abra",  # the library's tempo words, in Spanish
        "Cierre",
        "Muy bien. Ha terminado la sesión de hoy.",
    } <= shown
    assert not shown & english_cues
    assert player.pause_button.text() == es.MESSAGES["player.pause"]
    # ... and every one of them was said by the Spanish voice.
    assert {voices.get(c, "es") for c in shown} == {"es"}

    summary = _summary(window)
    assert summary.after_title.text() == "Antes de irse, Ann:"
    tap(summary.skip_button)
    assert summary.title.text() == "¡Muy bien, Ann!"
    tap(summary.done_button)
    assert summary.goodbye.text() == "¡Hasta pronto, Ann!"
    with qtbot.waitSignal(window.screen_changed):
        summary.goodbye_timer.timeout.emit()

    # Logged out: the clinic's language again, for the next patient.
    assert window.current_screen() is window.attract
    assert text.current().code == "en"
    assert window.checkin.title.text() == en.MESSAGES["checkin.title"]
    # Remembered as Ann's language.
    services.writer.wait_idle(5.0)
    ann = PatientRepository(saved(services)).find_by_code(ANN)
    assert ann is not None
    assert ann.language == "es"


def test_the_next_visit_is_in_the_patients_language_without_a_tap(
    window: QtKioskWindow, services: KioskServices
) -> None:
    ann = PatientRepository(saved(services)).find_by_code(ANN)
    assert ann is not None
    PatientRepository(saved(services)).set_language(ann.id, "es")
    tap(window.attract)
    assert window.checkin.title.text() == en.MESSAGES["checkin.title"]  # nobody known yet
    for digit in ANN:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)
    answer(window)
    program = window.visit.program
    assert program is not None
    assert program.greeting.text() == "Hola, Ann"
    assert program.cards[0].name.text() == load_library(language="es").exercises["clamshell"].name
    checkin = window.visit.checkin
    assert checkin is not None
    assert "Pierna izquierda." in {cue.text for cue in checkin.timeline.cues()}
    # Back to the keypad ends the visit: English again.
    tap(program.back_button)
    assert text.current().code == "en"
    assert window.checkin.title.text() == en.MESSAGES["checkin.title"]


def test_english_on_the_welcome_switches_the_visit_back_and_is_remembered(
    window: QtKioskWindow, services: KioskServices
) -> None:
    _check_in_in_spanish(window)
    program = window.visit.program
    assert program is not None
    assert program.language_button.text() == "English"
    tap(program.pain_scale.buttons[3])
    tap(program.language_button)
    program = window.visit.program
    assert program is not None
    assert program.greeting.text() == "Hello, Ann"
    assert program.pain_scale.value == 3  # the answer given survives the switch
    assert program.cards[0].name.text() == load_library().exercises["clamshell"].name
    checkin = window.visit.checkin
    assert checkin is not None
    assert "Left leg." in {cue.text for cue in checkin.timeline.cues()}
    services.writer.wait_idle(5.0)
    ann = PatientRepository(saved(services)).find_by_code(ANN)
    assert ann is not None
    assert ann.language == "en"
