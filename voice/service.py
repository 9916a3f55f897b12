"""The kiosk's voice: settings, background rendering, decoded clips and one scheduler per session.

Qt-free (the Qt side, ``kiosk/ui/runners/voice_bridge.py``, only wires it to the window and the
player). The life of a visit: :meth:`VoiceService.prepare` at check-in renders and decodes every
cue of the patient's timeline in the background, first needed first; :meth:`scheduler` gives
the listener that the session engine calls at each cue's moment; :meth:`reset` at the end puts
the staff's defaults back for the next patient.

Numbers come from a small set of phrases (counts, the countdown, "Hold", "Halfway"...) rendered
once when the service opens and reused by every session: a cue's text is its cache key, so
"7" is rendered once for all the sevens of the day.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from kiosk.core import cue_text
from kiosk.core.timeline import Timeline
from kiosk.text import REFERENCE, current, t
from voice.cache import WavCache, cache_key
from voice.output import AudioOutput, Clip, open_output
from voice.renderer import Progress, Renderer, RenderJob, RenderParams
from voice.scheduler import CueScheduler, DeviceTime, Outcomes
from voice.settings import Backend, VoiceSettings, load_settings
from voice.sound_clock import SoundClock
from voice.synth import EspeakNgSynthesizer, Synthesizer

log = logging.getLogger(__name__)

MAX_COUNT = 30


def common_phrases() -> tuple[str, ...]:
    """Counts and fixed phrases, rendered once per voice and reused by every session."""
    return (*(cue_text.count(n) for n in range(1, MAX_COUNT + 1)), *cue_text.fixed_phrases())


def _language_voice() -> str | None:
    """The kiosk's language's espeak-ng voice when staff chose none (None: espeak's default,
    which is English)."""
    lang = current()
    return None if lang.code == REFERENCE else lang.espeak_voice


def spoken_voice(chosen: str | None) -> str | None:
    """The espeak-ng voice that speaks the kiosk's language now: the clinic's ``chosen`` one
    ("en-gb", "es+f3") when it speaks that language, else the language's own. A clinic that
    chose British English still hears a Spanish patient's visit in Spanish."""
    if chosen is None:
        return _language_voice()
    wanted = current().espeak_voice.split("-")[0].split("+")[0]
    return chosen if chosen.split("+")[0].split("-")[0] == wanted else _language_voice()


def spoken_texts(timeline: Timeline) -> tuple[str, ...]:
    """Every text the session may say, in the order it is first needed."""
    texts = [cue.text for cue in timeline.cues() if cue.text]
    return tuple(dict.fromkeys([*texts, t("cue.pain_stop")]))


def default_backends() -> list[Synthesizer]:
    """Piper, pyttsx3, espeak-ng: the settings' backend says where speech starts
    (:class:`~voice.renderer.RenderParams`), the ones after it are its fallbacks. A worker
    starts only when its backend is first used."""
    from voice.piper_backend import PiperSynthesizer
    from voice.pyttsx3_backend import Pyttsx3Synthesizer

    return [PiperSynthesizer(), Pyttsx3Synthesizer(), EspeakNgSynthesizer()]


def speaks_english() -> bool:
    """Piper's one voice is English: in another language the natural voice is the classic."""
    return current().espeak_voice.split("-")[0] == "en"


class VoiceService:
    """Everything the kiosk says and plays. Build with :meth:`open`; tests inject the parts."""

    def __init__(self, settings: VoiceSettings, output: AudioOutput, renderer: Renderer) -> None:
        self._defaults = settings
        self._settings = settings
        self.output = output
        self.renderer = renderer
        self._lock = threading.Lock()
        self._clips: dict[str, tuple[RenderParams, Clip]] = {}
        self._session_texts: tuple[str, ...] = ()
        self._job: RenderJob | None = None
        self._closed = False
        output.set_volume(settings.volume)
        self.warm_job = self._request(common_phrases())

    @classmethod
    def open(
        cls,
        settings: VoiceSettings | None = None,
        *,
        output: AudioOutput | None = None,
        backends: Sequence[Synthesizer] | None = None,
    ) -> VoiceService:
        """The real voice: the staff's settings, the user cache, the mixer, both backends."""
        settings = settings or load_settings()
        cache = WavCache(settings.resolved_cache_dir(), max_bytes=settings.cache_mb * 1024 * 1024)
        renderer = Renderer(cache, backends or default_backends())
        return cls(settings, output or open_output(), renderer)

    # -- settings -------------------------------------------------------------------------

    @property
    def settings(self) -> VoiceSettings:
        return self._settings

    @property
    def defaults(self) -> VoiceSettings:
        return self._defaults

    @property
    def tones_audible(self) -> bool:
        """False when no tone will be heard (no device, or the patient chose silence): the
        player then flashes on each tone."""
        return self.output.available and self._settings.plays_tones

    def update(self, settings: VoiceSettings) -> None:
        """Apply the patient's change at once; a new rate or voice re-renders in the
        background (until then the cue plays as it was rendered before)."""
        old, self._settings = self._settings, settings
        if settings.volume != old.volume:
            self.output.set_volume(settings.volume)
        if not settings.speaks and old.speaks:
            self.output.stop_speech()
        if (settings.voice, settings.rate, settings.backend) != (old.voice, old.rate, old.backend):
            self._job = self._request(self._session_texts)
            self._request(common_phrases())

    def set_defaults(self, defaults: VoiceSettings) -> None:
        """Staff changed the clinic's defaults: the next visit starts from them (call
        :meth:`reset` to apply them now, between visits)."""
        self._defaults = defaults

    def play_sample(
        self, backend: Backend, on_fallback: Callable[[], None] | None = None
    ) -> RenderJob | None:
        """Say the staff's sample sentence in ``backend``'s voice (with its fallbacks), at the
        default speed, as soon as it is rendered: the settings screen's Listen button.

        None when nothing would be heard (no sound device). Rendered on the renderer's
        thread like any cue, and cached, so a second Listen plays at once. ``on_fallback`` is
        called (on the renderer's thread, before it plays) when another voice than
        ``backend``'s speaks it: that voice could not start, or does not speak the language,
        and sessions would be spoken by the other too.
        """
        if not self.output.available:
            return None
        params = self._params(replace(self._defaults, backend=backend))
        chosen = self.renderer.first_choice(params)
        cache = self.renderer.cache

        def play(text: str, path: Path) -> None:
            own = cache.path_for(cache_key(chosen, params.voice, params.rate, text))
            elsewhere = path != own or chosen.split("/")[0] != backend.value  # (not English)
            if elsewhere and on_fallback is not None:
                on_fallback()  # said before it plays: once it plays, this is decided
            clip = self.output.load(path)
            if clip is not None and not self._closed:
                self.output.play_speech(clip)

        return self.renderer.request([t("cue.listen_sample")], params, play)

    def reset(self) -> None:
        """Back to the staff's defaults (the next patient starts from them)."""
        self.update(self._defaults)

    def _params(self, settings: VoiceSettings | None = None) -> RenderParams:
        settings = settings or self._settings
        backend = settings.backend
        if backend is Backend.PIPER and not speaks_english():
            backend = Backend.PYTTSX3
        return RenderParams(spoken_voice(settings.voice), settings.rate, backend.value)

    # -- rendering ------------------------------------------------------------------------

    def prepare(self, timeline: Timeline, on_progress: Progress | None = None) -> RenderJob:
        """Render and decode every cue of ``timeline`` in the background (check-in)."""
        texts = spoken_texts(timeline)
        if self._job is not None:
            self._job.cancel()
        keep = set(texts) | set(common_phrases())
        with self._lock:  # one session's clips in memory at a time
            self._clips = {text: c for text, c in self._clips.items() if text in keep}
        self._session_texts = texts
        self._job = self._request(texts, on_progress)
        return self._job

    @property
    def job(self) -> RenderJob | None:
        """The latest session's rendering job."""
        return self._job

    def _request(self, texts: Sequence[str], on_progress: Progress | None = None) -> RenderJob:
        params = self._params()
        ready = {text for text in texts if self._has(text, params)}
        todo = [text for text in texts if text not in ready]
        total = len(dict.fromkeys(texts))
        progress: Progress | None = None
        if on_progress is not None:
            report = on_progress

            def progress(done: int, _todo: int) -> None:
                report(len(ready) + done, total)

        if on_progress is not None:
            on_progress(len(ready), total)  # at once: the screen knows there is work
        return self.renderer.request(todo, params, self._store_for(params), progress)

    def _store_for(self, params: RenderParams) -> Callable[[str, Path], None]:
        def store(text: str, path: Path) -> None:
            clip = self.output.load(path)
            if clip is None:
                return
            with self._lock:
                current = self._clips.get(text)
                # A rendering for older settings only fills a gap; it never replaces a newer one.
                if current is None or params == self._params() or current[0] != self._params():
                    self._clips[text] = (params, clip)

        return store

    def _has(self, text: str, params: RenderParams) -> bool:
        with self._lock:
            entry = self._clips.get(text)
        return entry is not None and entry[0] == params

    def clip(self, text: str) -> Clip | None:
        with self._lock:
            entry = self._clips.get(text.strip())
        return entry[1] if entry is not None else None

    def _on_missing(self, text: str) -> None:
        self.renderer.request([text], self._params(), self._store_for(self._params()))

    # -- sessions -------------------------------------------------------------------------

    def scheduler(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_outcome: Outcomes | None = None,
        device_time: DeviceTime | None = None,
    ) -> CueScheduler:
        """A listener for one session engine (subscribe it before the screen's).

        Cues announced ahead are placed on their sample when the clock's readings map to the
        device's time: ``device_time`` if given, else a :class:`SoundClock`'s own mapping."""
        if device_time is None and isinstance(clock, SoundClock):
            device_time = clock.device_time
        return CueScheduler(
            self.output,
            self.clip,
            lambda: self._settings,
            clock=clock,
            on_outcome=on_outcome,
            on_missing=self._on_missing,
            device_time=device_time,
        )

    def close(self) -> None:
        """Stop rendering and playing; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._job is not None:
            self._job.cancel()
        self.renderer.close()
        self.output.stop()
