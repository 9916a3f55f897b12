"""Spanish is said by espeak-ng's Spanish voice: through pyttsx3 (and the espeak-ng command as
fallback), whatever voice the clinic chose for English, and never by Piper, whose one voice is
English. Real espeak-ng: what the voice name "es" selects is compared, sample for sample,
with espeak-ng's Spanish (``roa/es``, Spain) and its English."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import text
from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_prescription
from kiosk.text import t
from tests.core.builders import reps_rx
from tests.voice.fakes import FakeOutput, FakeSynth
from voice.cache import WavCache
from voice.pyttsx3_backend import Pyttsx3Synthesizer
from voice.renderer import Renderer
from voice.service import VoiceService, spoken_voice
from voice.settings import Backend, VoiceSettings
from voice.synth import EspeakNgSynthesizer

WAIT_S = 30.0


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    text.use("en")


def _samples(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        frames: bytes = wav.readframes(wav.getnframes())
        return frames


def test_the_voice_follows_the_visits_language() -> None:
    text.use("en")
    assert spoken_voice(None) is None  # espeak-ng's default: English
    assert spoken_voice("en-gb") == "en-gb"  # the clinic's choice, in its language
    assert spoken_voice("es") is None  # a Spanish voice chosen for an English kiosk: not now
    text.use("es")
    assert spoken_voice(None) == "es"
    assert spoken_voice("en-gb") == "es"  # British English cannot say a Spanish visit
    assert spoken_voice("es-419") == "es-419"  # a Spanish variant the clinic chose stays
    assert spoken_voice("es+f3") == "es+f3"


class _Recording:
    """The real pyttsx3 backend, noting which voice each text was asked in."""

    name = "pyttsx3"

    def __init__(self) -> None:
        self.synth = Pyttsx3Synthesizer()
        self.voices: dict[str, str | None] = {}

    def render(self, text_: str, path: Path, *, voice: str | None, rate: int) -> None:
        self.voices[text_] = voice
        self.synth.render(text_, path, voice=voice, rate=rate)

    def close(self) -> None:
        self.synth.close()


@pytest.mark.parametrize("backend", [Backend.PIPER, Backend.PYTTSX3])
def test_a_spanish_visit_is_said_in_spanish_even_when_the_clinic_chose_natural(
    tmp_path: Path, backend: Backend
) -> None:
    text.use("es")
    piper = FakeSynth("piper/en_US-joe-medium")
    classic = _Recording()
    renderer = Renderer(WavCache(tmp_path / "cache", max_bytes=10**8), [piper, classic],
                        clock=FakeClock())  # fmt: skip
    voice = VoiceService(VoiceSettings(backend=backend, voice="en-gb"), FakeOutput(), renderer)
    try:
        timeline = compile_prescription(reps_rx())
        assert voice.prepare(timeline).wait(WAIT_S)
        phrase = t("cue.pain_stop")
        assert phrase == "Pare y descanse. No siga si siente dolor."
        assert voice.clip(phrase) is not None
    finally:
        voice.close()
    assert piper.rendered == []  # Piper's one voice is English: never asked
    assert set(classic.voices.values()) == {"es"}  # not the clinic's British English
    assert "Mantenga" in classic.voices  # the cues themselves are Spanish


def test_the_voice_named_es_is_espeak_ngs_spanish_in_both_backends(tmp_path: Path) -> None:
    """What "es" selects, heard: a fresh pyttsx3 worker and the espeak-ng command say a cue
    sample for sample as espeak-ng's Spanish (Spain) voice does, and unlike its English."""
    phrase = "Serie dos de tres, pierna izquierda."
    espeak = EspeakNgSynthesizer()
    paths = {name: tmp_path / f"{name}.wav" for name in ("pyttsx3", "command", "spain", "en")}
    worker = Pyttsx3Synthesizer()
    try:
        worker.render(phrase, paths["pyttsx3"], voice="es", rate=150)
    finally:
        worker.close()
    espeak.render(phrase, paths["command"], voice="es", rate=150)
    espeak.render(phrase, paths["spain"], voice="roa/es", rate=150)
    espeak.render(phrase, paths["en"], voice="en", rate=150)
    spanish = _samples(paths["spain"])
    assert _samples(paths["pyttsx3"]) == spanish
    assert _samples(paths["command"]) == spanish
    assert _samples(paths["en"]) != spanish
