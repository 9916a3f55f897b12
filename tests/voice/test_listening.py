"""Spoken commands through the real recogniser: WAV audio fed through the microphone's path."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.text import t
from voice.commands import Command, Vocabulary
from voice.listening import (
    Listener,
    ListenerState,
    PcmSource,
    SourceLostError,
    Utterance,
    read_wav_16k,
)

pytest.importorskip("pocketsphinx")

from tests.voice.spoken import clap, said, silence, wav
from voice.recogniser import CommandRecogniser, RecogniserUnavailableError


@pytest.fixture(scope="module")
def recogniser() -> CommandRecogniser:
    return CommandRecogniser(Vocabulary.from_catalog(t))


def listen(recogniser: CommandRecogniser, pcm: bytes, **kwargs: object) -> list[Utterance]:
    heard: list[Utterance] = []
    Listener(PcmSource(pcm), recogniser, on_heard=heard.append, **kwargs).run()  # type: ignore[arg-type]
    return heard


def commands(utterances: list[Utterance]) -> list[Command | None]:
    return [u.heard.command for u in utterances]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("phrase", "command"),
    [
        ("pause", Command.PAUSE),
        ("carry on", Command.RESUME),
        ("next exercise", Command.NEXT),
        ("say again", Command.REPEAT),
        ("it hurts", Command.HURTS),
        ("stop session", Command.STOP),
        ("yes", Command.YES),
    ],
)
def test_a_spoken_command_is_recognised(
    recogniser: CommandRecogniser, phrase: str, command: Command
) -> None:
    (utterance,) = listen(recogniser, said(phrase))
    assert utterance.heard.command is command
    assert utterance.heard.text == phrase
    # Decided within the endpointer's window after the end of speech, decoded in a moment.
    assert 0 < utterance.decided_s - utterance.ended_s < 0.5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("phrase", "command"), [("faster", Command.FASTER), ("quieter", Command.QUIETER)]
)
def test_a_british_voice_is_understood(
    recogniser: CommandRecogniser, tmp_path: Path, phrase: str, command: Command
) -> None:
    # espeak-ng's British RP voice, as the bench's corpus has it: the US dictionary's "F AE S
    # T ER" alone heard this "faster" as filler ("oh with to"), and "quieter" as "two i a to".
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed")
    path = tmp_path / "rp.wav"
    voice = ["-v", "en-gb-x-rp", "-s", "130", "-p", "45"]
    subprocess.run([espeak, *voice, "-a", "60", "-w", str(path), phrase], check=True)
    heard = listen(recogniser, silence(0.5) + read_wav_16k(path) + silence(0.8, 2))
    # (espeak-ng's digital silence after the word, against the room's noise, may make a
    # second, empty utterance: not a command.)
    assert [c for c in commands(heard) if c is not None] == [command]


def test_the_filler_has_no_word_that_sounds_like_a_command(recogniser: CommandRecogniser) -> None:
    # "two" and "to" sound exactly like the "too" of "too loud": in the filler, they took it.
    filler = recogniser.grammar.split("<filler> = ")[1]
    words = {w.strip(" ;\n") for w in filler.split("|")}
    assert {"two", "to"}.isdisjoint(words)
    assert {"one", "three", "lower"} <= words


@pytest.mark.slow
def test_a_wav_file_goes_through_the_same_path(recogniser: CommandRecogniser) -> None:
    pcm = read_wav_16k(wav("wait"))
    (utterance,) = listen(recogniser, silence(0.5) + pcm + silence(0.8))
    assert utterance.heard.command is Command.PAUSE
    assert isinstance(PcmSource.from_wav(wav("wait")).read(), bytes)


@pytest.mark.slow
def test_ordinary_speech_and_claps_are_not_commands(recogniser: CommandRecogniser) -> None:
    speech = said("text me when you get home") + said("now lower your leg slowly") + clap()
    heard = listen(recogniser, speech)
    assert heard  # it listened…
    assert commands(heard) == [None] * len(heard)  # …and obeyed nothing


@pytest.mark.slow
def test_nothing_is_heard_while_our_own_voice_plays(recogniser: CommandRecogniser) -> None:
    pcm = said("stop session")
    states: list[ListenerState] = []
    assert listen(recogniser, pcm, gate=lambda _at: True, on_state=states.append) == []
    assert states == [ListenerState.LISTENING, ListenerState.DEAF]
    # The kiosk starting to speak in the middle of an utterance drops it.
    seconds = len(pcm) / 32000
    listener_heard: list[Utterance] = []
    listener = Listener(
        PcmSource(pcm),
        recogniser,
        on_heard=listener_heard.append,
        gate=lambda at: 0.8 <= at < 0.9,
    )
    listener.run()
    assert listener_heard == []
    assert listener.dropped == 1
    # Heard again once our voice and its echo (the hangover) are over.
    later = listen(recogniser, pcm, gate=lambda at: at < 0.2)
    assert commands(later) == [Command.STOP]
    assert seconds > 1


@pytest.mark.slow
def test_the_level_is_reported_for_the_meter(recogniser: CommandRecogniser) -> None:
    levels: list[float] = []
    listen(recogniser, said("pause"), on_level=levels.append)
    assert len(levels) >= 10
    assert min(levels) < -50 < -35 < max(levels)


def test_a_phrase_the_dictionary_lacks_is_a_recogniser_that_does_not_load() -> None:
    broken = Vocabulary({Command.PAUSE: ("frobnicate zyxxq",)})
    with pytest.raises(RecogniserUnavailableError, match="grammar"):
        CommandRecogniser(broken)


class _Unplugged:
    """A microphone that gives a little sound and then goes away."""

    def __init__(self) -> None:
        self.chunks = [silence(0.3)]

    def read(self) -> bytes | None:
        if self.chunks:
            return self.chunks.pop()
        raise SourceLostError("no sound from the microphone for 2 s")

    def close(self) -> None:
        pass


def test_a_microphone_that_goes_away_ends_listening_with_one_log_line(
    recogniser: CommandRecogniser, caplog: pytest.LogCaptureFixture
) -> None:
    states: list[ListenerState] = []
    with caplog.at_level(logging.WARNING):
        Listener(_Unplugged(), recogniser, on_heard=print, on_state=states.append).run()
    assert states[-1] is ListenerState.OFF
    (record,) = [r for r in caplog.records if r.name == "voice.listening"]
    assert "microphone stopped" in record.getMessage()


def test_wav_of_another_width_is_refused(tmp_path: Path) -> None:
    import wave

    path = tmp_path / "8bit.wav"
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(1)
        f.setframerate(8000)
        f.writeframes(bytes(800))
    with pytest.raises(ValueError, match="8-bit"):
        read_wav_16k(path)


@pytest.mark.slow
def test_the_diagnostic_capture_keeps_utterances_for_a_day_only(
    recogniser: CommandRecogniser, tmp_path: Path
) -> None:
    import os
    import time

    from voice.listening import Capture

    folder = tmp_path / "capture"
    old = folder / "20260101-000000-0001-none-a.wav"
    folder.mkdir()
    old.write_bytes(b"")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    capture = Capture(folder)
    assert not old.exists()  # older than a day: gone at start
    listen(recogniser, said("wait"), capture=capture)
    (kept,) = folder.glob("*.wav")
    assert kept.name.endswith("-pause-wait.wav")
    assert kept.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert read_wav_16k(kept)  # the utterance as the recogniser heard it


def test_nothing_is_captured_unless_staff_switch_it_on(
    recogniser: CommandRecogniser, tmp_path: Path
) -> None:
    from voice.control_settings import load_control

    assert load_control({"KIOSK_CONFIG": str(tmp_path / "kiosk.toml")}).capture is False
