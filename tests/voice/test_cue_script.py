"""The cue script the voice reads: breathing, encouragement, the safety message."""

from __future__ import annotations

from kiosk.core import cue_text
from kiosk.core.compiler import ENCOURAGE_MIN_REST_S, compile_prescription, compile_program
from kiosk.core.prescription import Prescription
from kiosk.core.timeline import CuePriority, StepKind
from media.loader import load_library
from tests.core.builders import hold_rx, program, reps_rx


def test_the_intro_says_the_breathing_after_the_key_points() -> None:
    rx = reps_rx(breathing=("Breathe out as you lift your knee",))
    intro = compile_prescription(rx).steps[0]
    texts = [c.text for c in intro.cues]
    assert texts == [
        "Clamshell. Keep your hips stacked. Move slowly.",
        "Breathe out as you lift your knee.",
    ]
    first, breath = intro.cues
    assert breath.at_s == first.at_s + cue_text.speech_s(first.text or "")
    assert breath.priority is CuePriority.INSTRUCTION
    assert intro.duration_s >= breath.at_s + cue_text.speech_s(breath.text or "")


def test_the_library_breathing_reaches_the_voice() -> None:
    clamshell = load_library().exercise("clamshell")
    intro = compile_prescription(Prescription.from_exercise(clamshell)).steps[0]
    assert any(c.text and c.text.startswith("Breathe") for c in intro.cues)


def test_encouragement_is_sparing() -> None:
    tl = compile_program(
        program(
            reps_rx(exercise_id="a", sets=3, rest_s=ENCOURAGE_MIN_REST_S),
            hold_rx(exercise_id="b", sets=2, rest_s=ENCOURAGE_MIN_REST_S),
            reps_rx(exercise_id="c", sets=3, rest_s=10.0),  # short rests: no room
        )
    )
    kind = {c: s for s in tl.steps for c in s.cues}
    nice = [c for c in tl.cues() if c.text in cue_text.encouragements()]
    assert len(nice) == 2  # once per exercise with long rests
    assert len({c.text for c in nice}) == 2  # not the same phrase twice
    for cue in nice:
        step = kind[cue]
        assert step.kind is StepKind.REST
        assert cue.priority is CuePriority.ENCOURAGEMENT
        assert cue.at_s > step.start_s  # after the rest's own words
        assert cue.at_s + cue_text.speech_s(cue.text or "") <= step.end_s - 1.0


def test_the_safety_message_is_what_the_pain_overlay_shows() -> None:
    from kiosk.text import t

    title, rest = t("cue.pain_stop").split(". ", 1)
    assert f"{title}." == t("pain.title")
    assert t("pain.body").startswith(rest)
