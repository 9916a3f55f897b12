"""The natural voice: real Piper in its worker process, the chain it starts, its fallback to
the classic voice with one log line, and the staff's sample."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_prescription
from kiosk.text import t
from tests.core.builders import reps_rx
from tests.voice.fakes import FakeOutput, FakeSynth
from voice.cache import WavCache, cache_key
from voice.output import Clip, NullOutput
from voice.piper_backend import PiperSynthesizer, length_scale
from voice.renderer import Renderer, RenderParams
from voice.service import VoiceService
from voice.settings import Backend, VoiceSettings, VoiceStyle, clinic_defaults
from voice.synth import EspeakNgSynthesizer, SynthesisError
from voice.wav import check_speech

WAIT_S = 20.0
PIPER = "piper/en_US-joe-medium"


def test_real_piper_renders_speech_at_the_patients_speed_from_one_worker(
    tmp_path: Path,
) -> None:
    synth = PiperSynthesizer()
    try:
        synth.render("Set 1 of 3, left leg.", tmp_path / "a.wav", voice="en-gb", rate=150)
        # well apart: Piper varies each phoneme's length a little from one rendering to the next
        synth.render("Set 1 of 3, left leg.", tmp_path / "b.wav", voice=None, rate=220)
        normal, fast = check_speech(tmp_path / "a.wav"), check_speech(tmp_path / "b.wav")
        assert normal.rate == 22050
        assert 0.8 < normal.seconds < 4.0
        assert fast.seconds < 0.9 * normal.seconds  # Faster is faster
        assert synth.restarts == 0  # one worker serves every rate
    finally:
        synth.close()
    assert synth.name == PIPER
    assert length_scale(150) == 1.0


def test_piper_that_cannot_start_speaks_classic_with_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = PiperSynthesizer([sys.executable, "-m", "voice.piper_worker", "--model", "/no.onnx"])
    espeak = EspeakNgSynthesizer()
    cache = WavCache(tmp_path, max_bytes=10**8)
    renderer = Renderer(cache, [broken, espeak], clock=FakeClock())
    params = RenderParams(None, 150, "piper")
    try:
        with caplog.at_level(logging.INFO, logger="voice"):
            first = renderer.render_now("Halfway", params)
            second = renderer.render_now("Well done.", params)
    finally:
        renderer.close()
    assert first == cache.path_for(cache_key("espeak-ng", None, 150, "Halfway"))
    assert second is not None
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"voice: {PIPER} failed (Piper could not start")
    assert "speaking with espeak-ng" in lines[0]


def test_the_chain_starts_at_the_chosen_voice_and_each_has_its_own_cache_entries(
    tmp_path: Path,
) -> None:
    piper, pyttsx3, espeak = FakeSynth(PIPER), FakeSynth("pyttsx3"), FakeSynth("espeak-ng")
    cache = WavCache(tmp_path, max_bytes=10**8)
    renderer = Renderer(cache, [piper, pyttsx3, espeak], clock=FakeClock())
    try:
        classic = renderer.render_now("Hold", RenderParams(None, 150, "pyttsx3"))
        natural = renderer.render_now("Hold", RenderParams(None, 150, "piper"))
        plain = renderer.render_now("Hold", RenderParams(None, 150, "espeak-ng"))
    finally:
        renderer.close()
    assert [len(s.rendered) for s in (piper, pyttsx3, espeak)] == [1, 1, 1]
    assert len({classic, natural, plain}) == 3


def test_a_fault_in_the_natural_voice_falls_back_to_the_classic_one(tmp_path: Path) -> None:
    class BrokenPiper(FakeSynth):
        def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
            raise SynthesisError("Piper worker exited (code -9)")

    pyttsx3 = FakeSynth("pyttsx3")
    renderer = Renderer(
        WavCache(tmp_path, max_bytes=10**8), [BrokenPiper(PIPER), pyttsx3], clock=FakeClock()
    )
    try:
        assert renderer.render_now("Hold", RenderParams(None, 150, "piper")) is not None
    finally:
        renderer.close()
    assert pyttsx3.rendered == [("Hold", 150)]


def test_staff_style_chooses_the_backend_and_an_unknown_one_is_classic() -> None:
    natural = clinic_defaults(
        enabled=True, volume_percent=80, rate_wpm=150, voice_name="", style="natural"
    )
    assert natural.backend is Backend.PIPER
    assert VoiceStyle.CLASSIC.backend is Backend.PYTTSX3
    odd = clinic_defaults(enabled=True, volume_percent=80, rate_wpm=150, voice_name="", style="x")
    assert odd.backend is Backend.PYTTSX3


def make(tmp_path: Path, output: FakeOutput | NullOutput) -> tuple[VoiceService, FakeSynth]:
    piper, pyttsx3 = FakeSynth(PIPER), FakeSynth("pyttsx3")
    renderer = Renderer(WavCache(tmp_path, max_bytes=10**8), [piper, pyttsx3], clock=FakeClock())
    return VoiceService(VoiceSettings(), output, renderer), piper


def test_new_defaults_make_the_next_visit_render_in_the_natural_voice(tmp_path: Path) -> None:
    voice, piper = make(tmp_path, FakeOutput())
    try:
        assert voice.warm_job.wait(WAIT_S)
        assert piper.rendered == []  # classic by default
        voice.set_defaults(VoiceSettings(backend=Backend.PIPER))
        voice.reset()
        timeline = compile_prescription(reps_rx(name="Clamshell"))
        assert voice.prepare(timeline).wait(WAIT_S)
        rendered = {text for text, _ in piper.rendered}
        assert t("cue.pain_stop") in rendered
        assert "Clamshell" in " ".join(rendered)
    finally:
        voice.close()


def test_the_sample_plays_in_the_chosen_voice_and_not_without_sound(tmp_path: Path) -> None:
    played = threading.Event()

    class Output(FakeOutput):
        def play_speech(self, clip: Clip) -> None:
            super().play_speech(clip)
            played.set()

    output = Output()
    voice, piper = make(tmp_path, output)
    try:
        assert voice.play_sample(Backend.PIPER) is not None
        assert played.wait(WAIT_S)  # played once rendered, on the renderer's thread
        assert (t("cue.listen_sample"), 150) in piper.rendered
        assert len([p for p in output.spoken() if p is not None]) == 1
    finally:
        voice.close()
    silent, _ = make(tmp_path / "silent", NullOutput())
    try:
        assert silent.play_sample(Backend.PIPER) is None
    finally:
        silent.close()


def test_a_kiosk_in_another_language_speaks_with_the_classic_voice(tmp_path: Path) -> None:
    from kiosk import text

    text.use("es")  # tests/voice/test_spanish_voice.py hears it, with the real espeak-ng
    voice_, piper = make(tmp_path, FakeOutput())
    try:
        voice_.set_defaults(VoiceSettings(backend=Backend.PIPER))
        voice_.reset()
        assert voice_.prepare(compile_prescription(reps_rx())).wait(WAIT_S)
    finally:
        voice_.close()
        text.use("en")
    assert piper.rendered == []  # Piper's one voice is English
