"""The voice service: check-in rendering, shared number phrases, the patient's settings."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_prescription
from kiosk.text import t
from tests.core.builders import hold_rx, reps_rx
from tests.voice.fakes import FakeClip, FakeOutput, FakeSynth
from voice.cache import WavCache
from voice.output import NullOutput
from voice.renderer import Renderer
from voice.service import VoiceService, common_phrases, spoken_texts
from voice.settings import VoiceMode, VoiceSettings

WAIT_S = 20.0


def make(
    tmp_path: Path, synth: FakeSynth, output: FakeOutput | NullOutput | None = None
) -> VoiceService:
    renderer = Renderer(WavCache(tmp_path / "cache", max_bytes=10**8), [synth], clock=FakeClock())
    return VoiceService(VoiceSettings(volume=0.6), output or FakeOutput(), renderer)


def test_check_in_renders_every_cue_with_progress(tmp_path: Path, fake_synth: FakeSynth) -> None:
    voice = make(tmp_path, fake_synth)
    try:
        timeline = compile_prescription(reps_rx())
        progress: list[tuple[int, int]] = []
        job = voice.prepare(timeline, lambda done, total: progress.append((done, total)))
        assert job.wait(WAIT_S)
        texts = spoken_texts(timeline)
        assert t("cue.pain_stop") in texts
        assert progress[-1] == (len(texts), len(texts))
        assert all(isinstance(voice.clip(t), FakeClip) for t in texts)
    finally:
        voice.close()


def test_number_phrases_are_rendered_once_and_reused(tmp_path: Path, fake_synth: FakeSynth) -> None:
    voice = make(tmp_path, fake_synth)
    try:
        assert voice.warm_job.wait(WAIT_S)
        for rx in (reps_rx(reps=8), hold_rx(hold_s=20.0), reps_rx(reps=12, sets=3)):
            assert voice.prepare(compile_prescription(rx)).wait(WAIT_S)
        rendered = [text for text, _ in fake_synth.rendered]
        assert len(rendered) == len(set(rendered))  # nothing twice
        assert set(common_phrases()) <= set(rendered)
        assert rendered[: len(common_phrases())] == list(common_phrases())  # before any check-in
    finally:
        voice.close()


def test_only_one_sessions_clips_stay_in_memory(tmp_path: Path, fake_synth: FakeSynth) -> None:
    voice = make(tmp_path, fake_synth)
    try:
        first = compile_prescription(reps_rx(name="Clamshell"))
        assert voice.prepare(first).wait(WAIT_S)
        intro = first.steps[0].cues[0].text
        assert intro is not None
        assert voice.clip(intro) is not None
        assert voice.prepare(compile_prescription(hold_rx())).wait(WAIT_S)
        assert voice.clip(intro) is None
        assert voice.clip("3") is not None  # the shared phrases stay
    finally:
        voice.close()


def test_the_patients_settings_apply_at_once_and_reset(
    tmp_path: Path, fake_synth: FakeSynth
) -> None:
    output = FakeOutput()
    voice = make(tmp_path, fake_synth, output)
    try:
        assert output.volume == 0.6
        assert voice.prepare(compile_prescription(hold_rx())).wait(WAIT_S)
        slower = voice.settings.slower()
        voice.update(slower)
        assert voice.job is not None
        assert voice.job.wait(WAIT_S)
        assert ("Hold", slower.rate) in fake_synth.rendered  # re-rendered at the new speed
        voice.update(voice.settings.louder().with_mode(VoiceMode.TONES))
        assert output.volume == 0.7
        assert ("stop_speech", None) in output.events
        assert not voice.settings.speaks
        voice.reset()
        assert voice.settings == voice.defaults
        assert output.volume == 0.6
    finally:
        voice.close()


def test_tones_audible(tmp_path: Path, fake_synth: FakeSynth) -> None:
    silent_kiosk = make(tmp_path, fake_synth, NullOutput())
    assert not silent_kiosk.tones_audible
    silent_kiosk.close()
    voice = make(tmp_path, FakeSynth())
    assert voice.tones_audible
    voice.update(voice.settings.with_mode(VoiceMode.OFF))
    assert not voice.tones_audible
    voice.close()
    voice.close()  # twice is fine


def test_a_session_on_the_sound_clock_places_its_cues_and_one_on_another_clock_does_not(
    tmp_path: Path, fake_synth: FakeSynth
) -> None:
    from kiosk.core.events import CueAhead
    from kiosk.core.timeline import Cue, CuePriority, Tone
    from voice.sound_clock import SoundClock

    output = FakeOutput(places=True)
    voice = make(tmp_path, fake_synth, output)
    try:
        cue = Cue(at_s=1.0, tone=Tone.GO, priority=CuePriority.COUNT)
        voice.scheduler(clock=FakeClock())(CueAhead(cue, 1.0))
        assert output.events == []
        sound_clock = SoundClock(FakeClock())
        sound_clock.attach(FollowedDevice())
        sound_clock()
        voice.scheduler(clock=sound_clock)(CueAhead(cue, 1.0))
        assert [kind for kind, _ in output.events] == ["place_tone"]
    finally:
        voice.close()


class FollowedDevice:
    """A device that is always taking sound, at 10 s of its own time."""

    def running(self) -> bool:
        return True

    def __call__(self) -> float:
        return 10.0
