"""Renders utterances in the background: cache first, then the backends in order.

One thread does all synthesis, so nothing slow ever runs on the Qt thread or while a cue is
due: the kiosk asks for every text of a session at check-in (:meth:`Renderer.request`) and
plays only what is ready. A backend that fails (missing, crashing, hanging past its timeout) is
set aside for ``retry_after_s`` and the next one is used; the fault is logged once, when it
starts, and once more when the backend works again. If every backend is down, the texts wait
and are tried again when the first backend's time-out ends; meanwhile the session goes on with
tones and captions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voice.cache import WavCache, cache_key
from voice.synth import SynthesisError, Synthesizer
from voice.wav import WavError

log = logging.getLogger(__name__)

RETRY_AFTER_S = 60.0

Ready = Callable[[str, Path], None]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RenderParams:
    """What the cache key needs besides the backend and the text, and where the chain starts.

    ``start`` names the backend to try first (its name, or the part before a "/": "piper"
    for "piper/en_US-joe-medium"); the backends after it are its fallbacks, those before it
    are not used. "" starts at the first. So one renderer serves the natural voice (Piper,
    then the classic ones) and the classic voice (pyttsx3, then espeak-ng) alike, and a
    backend that fails is set aside for both.
    """

    voice: str | None
    rate: int
    start: str = ""


@dataclass(eq=False)
class RenderJob:
    """A batch of texts (one session's cues): progress, completion and cancellation.

    ``on_ready`` and ``on_progress`` are called on the renderer's thread.
    """

    texts: tuple[str, ...]
    params: RenderParams
    on_ready: Ready
    on_progress: Progress | None = None
    done_count: int = 0
    failed: list[str] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False

    @property
    def total(self) -> int:
        return len(self.texts)

    def cancel(self) -> None:
        self.cancelled = True
        self.finished.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """True once every text has been tried (rendered or failed)."""
        return self.finished.wait(timeout_s)


class _Backend:
    def __init__(self, synth: Synthesizer) -> None:
        self.synth = synth
        self.down_until: float | None = None
        self.reason = ""

    @property
    def name(self) -> str:
        return self.synth.name


class Renderer:
    """The background synthesis thread over a :class:`WavCache` and a chain of backends."""

    def __init__(
        self,
        cache: WavCache,
        backends: Sequence[Synthesizer],
        *,
        clock: Callable[[], float] = time.monotonic,
        retry_after_s: float = RETRY_AFTER_S,
    ) -> None:
        if not backends:
            raise ValueError("at least one backend")
        self.cache = cache
        self._backends = [_Backend(b) for b in backends]
        self._clock = clock
        self._retry_after_s = retry_after_s
        self._queue: deque[tuple[RenderJob, str]] = deque()
        self._waiting: list[tuple[RenderJob, str]] = []  # every backend was down
        self._condition = threading.Condition()
        self._closed = False
        self._all_down_logged = False
        self._thread = threading.Thread(target=self._run, name="voice-renderer", daemon=True)
        self._thread.start()

    @property
    def backend_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self._backends)

    def _chain(self, params: RenderParams) -> list[_Backend]:
        for i, backend in enumerate(self._backends):
            if params.start in ("", backend.name, backend.name.split("/")[0]):
                return self._backends[i:]
        return self._backends  # an unknown start: every backend, in order

    def first_choice(self, params: RenderParams) -> str:
        """The backend ``params`` asks for (its fallbacks follow it)."""
        return self._chain(params)[0].name

    def speech_available(self) -> bool:
        """False while every backend is set aside after a failure."""
        now = self._clock()
        return any(b.down_until is None or now >= b.down_until for b in self._backends)

    # -- requests -------------------------------------------------------------------------

    def request(
        self,
        texts: Sequence[str],
        params: RenderParams,
        on_ready: Ready,
        on_progress: Progress | None = None,
    ) -> RenderJob:
        """Render ``texts`` (duplicates removed, order kept: first needed, first rendered)."""
        unique = tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))
        job = RenderJob(unique, params, on_ready, on_progress)
        with self._condition:
            if not unique:
                job.finished.set()
            self._queue.extend((job, text) for text in unique)
            self._condition.notify()
        return job

    def wake(self) -> None:
        """Re-check the backends' time-outs now (tests move their clock, then call this)."""
        with self._condition:
            self._condition.notify()

    def close(self, timeout_s: float = 5.0) -> None:
        with self._condition:
            self._closed = True
            for job, _ in (*self._queue, *self._waiting):
                job.cancel()
            self._queue.clear()
            self._waiting.clear()
            self._condition.notify()
        self._thread.join(timeout_s)
        for backend in self._backends:
            backend.synth.close()

    # -- the thread -----------------------------------------------------------------------

    def _next(self) -> tuple[RenderJob, str] | None:
        with self._condition:
            while not self._closed:
                if self._waiting and self.speech_available():
                    self._queue.extend(self._waiting)
                    self._waiting.clear()
                while self._queue:
                    job, text = self._queue.popleft()
                    if not job.cancelled:
                        return job, text
                self._condition.wait(self._seconds_to_retry())
            return None

    def _seconds_to_retry(self) -> float | None:
        if not self._waiting:
            return None
        times = [b.down_until for b in self._backends if b.down_until is not None]
        return max(0.05, min(times) - self._clock()) if times else 0.05

    def _run(self) -> None:
        while (item := self._next()) is not None:
            job, text = item
            try:
                path = self.render_now(text, job.params)
            except Exception:  # a bug must not kill the thread and with it all speech
                log.exception("voice: rendering %r failed unexpectedly", text)
                path = None
            if job.cancelled:
                continue
            if path is None:
                with self._condition:
                    self._waiting.append((job, text))
                    if text not in job.failed:
                        job.failed.append(text)
                        self._count(job)
                continue
            if text in job.failed:
                job.failed.remove(text)
            else:
                self._count(job)
            try:
                job.on_ready(text, path)
            except Exception:
                log.exception("voice: could not use the rendering of %r", text)

    def _count(self, job: RenderJob) -> None:
        job.done_count += 1
        if job.on_progress is not None:
            try:
                job.on_progress(job.done_count, job.total)
            except Exception:
                log.exception("voice: progress listener failed")
        if job.done_count >= job.total:
            job.finished.set()

    # -- one text -------------------------------------------------------------------------

    def cached(self, text: str, params: RenderParams) -> Path | None:
        """A rendering already on disk, from the first backend that is up (else any)."""
        now = self._clock()
        chain = self._chain(params)
        up = [b for b in chain if b.down_until is None or now >= b.down_until]
        for backend in up or chain:
            path = self.cache.get(cache_key(backend.name, params.voice, params.rate, text))
            if path is not None:
                return path
            if up:
                break  # the preferred working backend renders it afresh: one voice per session
        return None

    def render_now(self, text: str, params: RenderParams) -> Path | None:
        """Cache, else the first working backend. Runs on the renderer's thread."""
        hit = self.cached(text, params)
        if hit is not None:
            return hit
        failures: list[str] = []
        newly_down: list[_Backend] = []
        for backend in self._chain(params):
            now = self._clock()
            if backend.down_until is not None and now < backend.down_until:
                failures.append(f"{backend.name}: {backend.reason}")
                continue
            key = cache_key(backend.name, params.voice, params.rate, text)

            def render(path: Path, synth: Synthesizer = backend.synth) -> None:
                synth.render(text, path, voice=params.voice, rate=params.rate)

            try:
                path = self.cache.put(key, render)
            except (SynthesisError, WavError, OSError) as error:
                if backend.down_until is None:
                    newly_down.append(backend)
                backend.down_until = self._clock() + self._retry_after_s
                backend.reason = str(error)
                failures.append(f"{backend.name}: {error}")
                continue
            for down in newly_down:  # one line per fault, saying what happens instead
                log.warning("voice: %s failed (%s); speaking with %s, retrying %s in %g s",
                            down.name, down.reason, backend.name, down.name,
                            self._retry_after_s)  # fmt: skip
            self._recovered(backend)
            return path
        if not self._all_down_logged:
            self._all_down_logged = True
            log.error("voice: no speech (%s); coaching with tones and captions, retrying in %g s",
                      "; ".join(failures), self._retry_after_s)  # fmt: skip
        return None

    def _recovered(self, backend: _Backend) -> None:
        if backend.down_until is not None:
            log.info("voice: %s works again", backend.name)
        backend.down_until = None
        backend.reason = ""
        self._all_down_logged = False
