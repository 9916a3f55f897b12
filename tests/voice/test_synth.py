"""The backends: real espeak-ng and the real pyttsx3 worker, and workers that misbehave."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from voice.cache import WavCache, cache_key
from voice.pyttsx3_backend import Pyttsx3Synthesizer
from voice.synth import EspeakNgSynthesizer, SynthesisError, SynthesisTimeoutError
from voice.wav import WavError, check_speech

READY = "import json, sys; print(json.dumps({'ok': True, 'ready': True}), flush=True)\n"
HANGS = READY + "import time\nfor line in sys.stdin:\n    time.sleep(3600)\n"
WRITES_NOTHING = READY + "for line in sys.stdin:\n    print(json.dumps({'ok': True}), flush=True)\n"
CRASHES = READY + "sys.stdin.readline()\nsys.exit(3)\n"
NEVER_READY = "import time; time.sleep(3600)\n"


def worker(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_espeak_ng_renders_a_real_wav(tmp_path: Path) -> None:
    synth = EspeakNgSynthesizer()
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    synth.render("Set 1 of 3, left leg.", slow, voice=None, rate=130)
    synth.render("Set 1 of 3, left leg.", fast, voice="en-us", rate=190)
    assert 0.8 < check_speech(slow).seconds < 4.0
    assert check_speech(fast).seconds < check_speech(slow).seconds
    synth.render("-5 is a number, not an option", tmp_path / "dash.wav", voice=None, rate=150)
    assert check_speech(tmp_path / "dash.wav").seconds > 0.5


def test_espeak_ng_missing_or_refusing_raises(tmp_path: Path) -> None:
    with pytest.raises(SynthesisError, match="not installed"):
        EspeakNgSynthesizer("espeak-ng-that-is-not-here").render(
            "Hold", tmp_path / "x.wav", voice=None, rate=150
        )
    with pytest.raises(SynthesisError, match="voice"):
        EspeakNgSynthesizer().render("Hold", tmp_path / "x.wav", voice="xx-nowhere", rate=150)


def test_the_pyttsx3_worker_renders_real_wavs_and_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    synth = Pyttsx3Synthesizer()
    try:
        synth.render("Halfway", tmp_path / "a.wav", voice=None, rate=150)
        synth.render("Switch sides. Now your right leg.", tmp_path / "b.wav", voice=None, rate=150)
        assert check_speech(tmp_path / "a.wav").seconds > 0.2
        assert check_speech(tmp_path / "b.wav").seconds > check_speech(tmp_path / "a.wav").seconds
        assert synth.restarts == 0  # one worker, one utterance per runAndWait
        synth.render("Halfway", tmp_path / "c.wav", voice=None, rate=170)
        assert synth.restarts == 1  # a new rate is a new worker, never a racy setProperty
    finally:
        synth.close()
    captured = capfd.readouterr()
    assert "Audio saved" not in captured.out + captured.err
    assert captured.out == ""


def test_a_hanging_worker_is_killed_and_the_next_call_starts_a_new_one(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(worker(HANGS), timeout_s=0.3)
    try:
        with pytest.raises(SynthesisTimeoutError, match=r"0\.3 s"):
            synth.render("Hold", tmp_path / "x.wav", voice=None, rate=150)
        first = synth._worker
        assert first is None  # dropped and killed
        with pytest.raises(SynthesisTimeoutError):
            synth.render("Hold", tmp_path / "x.wav", voice=None, rate=150)
        assert synth.restarts == 1
    finally:
        synth.close()


def test_a_worker_that_never_starts_times_out(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(worker(NEVER_READY), start_timeout_s=0.3)
    with pytest.raises(SynthesisTimeoutError, match="start"):
        synth.render("Hold", tmp_path / "x.wav", voice=None, rate=150)
    synth.close()


def test_a_crashing_worker_raises(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(worker(CRASHES), timeout_s=5.0)
    with pytest.raises(SynthesisError, match="exited"):
        synth.render("Hold", tmp_path / "x.wav", voice=None, rate=150)
    synth.close()


def test_an_empty_file_never_reaches_the_cache(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(worker(WRITES_NOTHING))
    cache = WavCache(tmp_path / "cache", max_bytes=10**6)
    key = cache_key("pyttsx3", None, 150, "Hold")

    def render(path: Path) -> None:
        synth.render("Hold", path, voice=None, rate=150)

    try:
        with pytest.raises(WavError, match="empty"):
            cache.put(key, render)
    finally:
        synth.close()
    assert cache.get(key) is None
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []  # no leftovers


def test_the_worker_module_answers_on_a_private_channel() -> None:
    """Its stdout is /dev/null at the descriptor level, so even C code cannot corrupt replies."""
    import subprocess

    child = subprocess.run(
        [sys.executable, "-c",
         "import os, sys\n"
         "from voice.pyttsx3_worker import _private_stdout\n"
         "out = _private_stdout()\n"
         "os.write(1, b'noise from C\\n'); print('noise from Python')\n"
         "out.write('reply\\n')\n"],
        capture_output=True, text=True, check=True, env=dict(os.environ),
    )  # fmt: skip
    assert child.stdout == "reply\n"


_LAST_CALLBACK = """
import ctypes, os, sys, tempfile, wave
import pyttsx3
from pyttsx3.drivers import _espeak
from voice.pyttsx3_worker import keep_the_last_samples
if sys.argv[1] == "fixed":
    keep_the_last_samples()
engine = pyttsx3.init("espeak")
driver = engine.proxy._driver
sys.stdout = open(os.devnull, "w")  # the driver prints "Audio saved to"
path = os.path.join(tempfile.mkdtemp(), "last.wav")
driver._save_file, driver._speaking = path, True
events = (_espeak.EVENT * 2)()
events[0].type, events[1].type = _espeak.EVENT_MSG_TERMINATED, _espeak.EVENT_LIST_TERMINATED
samples = (ctypes.c_short * 4410)(*([3000, -3000] * 2205))
driver._onSynth(samples, 4410, events)  # all the audio comes with the last event
with wave.open(path) as saved:
    sys.stderr.write(str(saved.getnframes()))
"""


@pytest.mark.parametrize(("driver", "frames"), [("as-shipped", 0), ("fixed", 4410)])
def test_the_samples_that_come_with_espeaks_last_event_are_kept(driver: str, frames: int) -> None:
    """pyttsx3's espeak driver, called by espeak-ng as it is when the last samples arrive with
    the "message terminated" event: as shipped, it saves the file before adding them (an
    utterance that came in one piece is saved with no audio); the worker's fix keeps them."""
    done = subprocess.run(
        [sys.executable, "-c", _LAST_CALLBACK, driver],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert int(done.stderr.strip().splitlines()[-1]) == frames
