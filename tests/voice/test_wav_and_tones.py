"""PCM helpers and the generated tones."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from kiosk.core.timeline import Tone
from tests.voice.fakes import sine_pcm
from voice.tones import TONE_NOTES, render_tone
from voice.wav import (
    SILENCE,
    Pcm,
    WavError,
    check_speech,
    first_loud_frame,
    last_loud_frame,
    raw_to_wav,
    read_wav,
    trim,
    write_wav,
)


@pytest.mark.parametrize("tone", list(Tone))
def test_every_tone_starts_at_once_and_ends_softly(tone: Tone) -> None:
    pcm = render_tone(tone, 44100, 2)
    assert pcm.channels == 2
    assert pcm.samples[0::2] == pcm.samples[1::2]  # the same in both ears
    start = first_loud_frame(pcm)
    assert start is not None
    assert start / 44100 < 0.001  # audible within its first millisecond
    expected = sum(note.seconds for note in TONE_NOTES[tone])
    assert pcm.seconds == pytest.approx(expected, abs=0.002)
    assert max(abs(s) for s in pcm.samples[-8:]) < 2 * SILENCE  # released, no click


def test_tones_can_be_told_apart() -> None:
    assert len({TONE_NOTES[t] for t in Tone}) == len(Tone)
    go, end = TONE_NOTES[Tone.GO], TONE_NOTES[Tone.HOLD_END]
    assert go[0].hz < go[-1].hz  # rising: start
    assert end[0].hz > end[-1].hz  # falling: relax
    assert TONE_NOTES[Tone.TICK][0].level < TONE_NOTES[Tone.PIP][0].level  # soft


def test_trim_cuts_silence_and_fades_in(tmp_path: Path) -> None:
    pcm = sine_pcm(0.3, lead_s=0.25)
    trimmed = trim(pcm)
    onset = first_loud_frame(trimmed)
    assert onset is not None
    assert onset < 3
    assert trimmed.seconds < pcm.seconds - 0.2
    assert abs(trimmed.samples[0]) <= abs(pcm.samples[int(0.25 * 22050) + 1]) + 1
    assert trim(Pcm(22050, 1, array("h", [0] * 100))).frames == 0


def test_check_speech_refuses_what_cannot_be_played(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....not a wave at all")
    silent = tmp_path / "silent.wav"
    write_wav(silent, Pcm(22050, 1, array("h", [0] * 22050)))
    short = tmp_path / "short.wav"
    write_wav(short, Pcm(22050, 1, sine_pcm(0.02).samples[: int(0.02 * 22050)]))
    for path, reason in ((empty, "empty"), (junk, "junk"), (silent, "silence"), (short, "ms")):
        with pytest.raises(WavError, match=reason):
            check_speech(path)
    good = tmp_path / "good.wav"
    write_wav(good, sine_pcm(0.3))
    assert check_speech(good).seconds > 0.3


def test_raw_disk_output_becomes_a_wav_from_a_chosen_frame(tmp_path: Path) -> None:
    frames = array("h", [0, 0] * 100 + [1000, -1000] * 50)
    raw = tmp_path / "out.raw"
    raw.write_bytes(frames.tobytes())
    pcm = raw_to_wav(raw, tmp_path / "out.wav", rate=44100, channels=2, start_frame=100)
    assert pcm.frames == 50
    again = read_wav(tmp_path / "out.wav")
    assert (again.rate, again.channels, again.frames) == (44100, 2, 50)
    assert first_loud_frame(again) == 0


def test_loud_frames_found_across_blocks() -> None:
    samples = array("h", [0] * 5000)
    samples[3001] = 500
    samples[4001] = -500
    pcm = Pcm(1000, 1, samples)
    assert first_loud_frame(pcm) == 3001
    assert first_loud_frame(pcm, 3002) == 4001
    assert first_loud_frame(pcm, 3002, end_frame=4000) is None
    assert last_loud_frame(pcm) == 4001
