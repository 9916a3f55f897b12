"""The background renderer: cache first, backends in order, faults logged once, retried later."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from kiosk.core.clock import FakeClock
from tests.voice.fakes import EmptyFileSynth, FailingSynth, FakeSynth
from tests.voice.test_synth import HANGS
from voice.cache import WavCache
from voice.pyttsx3_backend import Pyttsx3Synthesizer
from voice.renderer import Renderer, RenderParams
from voice.synth import EspeakNgSynthesizer, SynthesisError
from voice.wav import check_speech

PARAMS = RenderParams(None, 150)
WAIT_S = 20.0  # a real wait on a real thread, with a bound


class Collected:
    def __init__(self) -> None:
        self.ready: dict[str, Path] = {}
        self.progress: list[tuple[int, int]] = []
        self.event = threading.Event()

    def on_ready(self, text: str, path: Path) -> None:
        self.ready[text] = path
        self.event.set()

    def on_progress(self, done: int, total: int) -> None:
        self.progress.append((done, total))


def make(tmp_path: Path, *backends: object, clock: FakeClock | None = None) -> Renderer:
    cache = WavCache(tmp_path / "cache", max_bytes=10**8)
    return Renderer(cache, backends, clock=clock or FakeClock(), retry_after_s=60.0)  # type: ignore[arg-type]


def test_texts_render_in_order_once_with_progress(tmp_path: Path, fake_synth: FakeSynth) -> None:
    renderer = make(tmp_path, fake_synth)
    got = Collected()
    try:
        job = renderer.request(
            ["Hold", "3", "Hold", " 2 ", ""], PARAMS, got.on_ready, got.on_progress
        )
        assert job.wait(WAIT_S)
        assert job.texts == ("Hold", "3", "2")
        assert [t for t, _ in fake_synth.rendered] == ["Hold", "3", "2"]
        assert got.progress == [(1, 3), (2, 3), (3, 3)]
        again = renderer.request(["3"], PARAMS, got.on_ready)
        assert again.wait(WAIT_S)
        assert len(fake_synth.rendered) == 3  # "3" came from the cache
    finally:
        renderer.close()


def test_request_never_waits_for_the_backend(tmp_path: Path) -> None:
    gate = threading.Event()

    class Slow(FakeSynth):
        def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
            gate.wait(WAIT_S)
            super().render(text, path, voice=voice, rate=rate)

    renderer = make(tmp_path, Slow())
    try:
        job = renderer.request(["Hold"], PARAMS, Collected().on_ready)
        assert not job.finished.is_set()  # request() returned while the backend is still busy
        gate.set()
        assert job.wait(WAIT_S)
    finally:
        gate.set()
        renderer.close()


def test_a_hanging_pyttsx3_falls_back_to_espeak_ng_with_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hanging = Pyttsx3Synthesizer([sys.executable, "-c", HANGS], timeout_s=0.3)
    renderer = make(tmp_path, hanging, EspeakNgSynthesizer())
    got = Collected()
    try:
        with caplog.at_level(logging.WARNING, logger="voice.renderer"):
            job = renderer.request(["Hold", "Halfway", "3"], PARAMS, got.on_ready)
            assert job.wait(WAIT_S)
        assert set(got.ready) == {"Hold", "Halfway", "3"}
        for path in got.ready.values():
            assert check_speech(path).seconds > 0.1
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 1, lines  # one clear line, not one per cue
        assert "pyttsx3" in lines[0]
        assert "espeak-ng" in lines[0]
        assert "0.3 s" in lines[0]
        assert hanging._worker is None  # the hung worker was killed, not left behind
    finally:
        renderer.close()


def test_an_empty_file_is_not_used_and_the_next_backend_renders(tmp_path: Path) -> None:
    fallback = FakeSynth("fallback")
    renderer = make(tmp_path, EmptyFileSynth(), fallback)
    got = Collected()
    try:
        assert renderer.request(["Hold"], PARAMS, got.on_ready).wait(WAIT_S)
        assert fallback.rendered == [("Hold", 150)]
        assert check_speech(got.ready["Hold"]).seconds > 0.1
    finally:
        renderer.close()


def test_with_every_backend_down_texts_wait_and_are_retried_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    primary = FailingSynth("primary", "crashed")
    renderer = make(tmp_path, primary, clock=clock)
    got = Collected()
    try:
        with caplog.at_level(logging.INFO, logger="voice.renderer"):
            job = renderer.request(["Hold", "Rest."], PARAMS, got.on_ready, got.on_progress)
            assert job.wait(WAIT_S)  # tried once: the session goes on without speech
            assert sorted(job.failed) == ["Hold", "Rest."]
            assert got.ready == {}
            assert not renderer.speech_available()
            assert primary.calls == 1  # set aside after its first failure, not hammered
            errors = [r for r in caplog.records if r.levelno == logging.ERROR]
            assert len(errors) == 1
            assert "tones and captions" in errors[0].getMessage()
            # It comes back: the time-out passes and the waiting texts are tried again.
            primary.render = FakeSynth("primary").render  # type: ignore[method-assign]
            clock.advance(61.0)
            renderer.wake()
            got.event.wait(WAIT_S)
            for _ in range(100):
                if len(got.ready) == 2:
                    break
                got.event.clear()
                got.event.wait(WAIT_S)
        assert set(got.ready) == {"Hold", "Rest."}
        assert job.failed == []
        assert any("works again" in r.getMessage() for r in caplog.records)
    finally:
        renderer.close()


def test_close_cancels_what_is_waiting(tmp_path: Path) -> None:
    renderer = make(tmp_path, FailingSynth())
    job = renderer.request(["a", "b"], PARAMS, Collected().on_ready)
    job.wait(WAIT_S)
    renderer.close()
    assert job.cancelled
    with pytest.raises(SynthesisError):
        FailingSynth().render("x", tmp_path / "x.wav", voice=None, rate=150)
