"""The voice in the Qt app: a thin bridge between the window and the Qt-free ``voice`` package.

The bridge only wires things: it builds the :class:`~voice.service.VoiceService` on a
background thread after the first frame (pygame and the mixer load there, not on the Qt thread),
asks it to prepare each check-in's cues, subscribes one cue scheduler to each session engine
(before the screen, so sound and picture change in the same update), and carries the patient's
setting changes to it. Everything that takes time (synthesis, decoding) happens on the voice's
own thread; progress comes back to the Qt thread through a queued signal.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.core.clock import Clock

if TYPE_CHECKING:
    from kiosk.core.engine import SessionEngine
    from kiosk.core.timeline import Timeline, Tone
    from voice.scheduler import CueScheduler
    from voice.service import VoiceService
    from voice.settings import VoiceSettings

log = logging.getLogger(__name__)

VoiceFactory = Callable[[], "VoiceService"]

#: How long closing the window waits for a voice that is still starting (opening the mixer,
#: starting the speech worker: well under a second normally).
BUILD_JOIN_S = 10.0


def default_voice() -> VoiceService:
    """The real voice: the staff's settings, the user cache, the sound device (if any)."""
    from voice.service import VoiceService

    return VoiceService.open()


class QtVoiceBridge(QObject):
    """Owns the kiosk's voice service for the window's lifetime.

    Signals:
        ready(): the voice service is built (it may still have no sound device).
        progress_changed(int, int): cues of the current session prepared, of how many.
        settings_changed(object): the patient changed a setting (the new ``VoiceSettings``).
        sample_fell_back(): staff's natural-voice sample was spoken by another voice.
    """

    ready = Signal()
    progress_changed = Signal(int, int)
    settings_changed = Signal(object)
    sample_fell_back = Signal()
    _built = Signal(object)
    _progressed = Signal(int, int)

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.service: VoiceService | None = None
        self._pending: Timeline | None = None
        self._engine: SessionEngine | None = None
        self._scheduler: CueScheduler | None = None
        self._lock = threading.Lock()
        self._build_thread: threading.Thread | None = None
        self._closed = False
        self.progress = (0, 0)
        self._built.connect(self._on_built, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)

    # -- building ---------------------------------------------------------------------------

    def start(self, factory: VoiceFactory) -> None:
        """Build the service on a background thread; ``ready`` follows on the Qt thread.

        The modules are imported here first, on the Qt thread (after the first frame, about
        0.1 s): imports racing each other on two threads are where Python's import system
        can deadlock. The thread then only opens the mixer, reads the settings and starts
        the renderer.
        """
        import platformdirs  # noqa: F401

        import voice.piper_backend
        import voice.pyttsx3_backend
        import voice.service  # noqa: F401
        from voice.output import preload

        preload()
        thread = threading.Thread(target=self._build, args=(factory,), name="voice-start")
        thread.daemon = True
        self._build_thread = thread
        thread.start()

    def use(self, service: VoiceService) -> None:
        """Adopt a service built elsewhere (tests, tools), at once."""
        self._on_built(service)

    def _build(self, factory: VoiceFactory) -> None:
        try:
            service = factory()
        except Exception:
            if sys.is_finalizing():
                return  # the kiosk quit while the voice was still loading: nothing to say
            log.exception("voice: could not start; sessions run with captions only")
            return
        with self._lock:
            closed = self._closed
        if closed:
            service.close()
            return
        try:
            self._built.emit(service)
        except RuntimeError:  # the bridge was deleted meanwhile (the window closed)
            service.close()

    def _on_built(self, service: object) -> None:
        from voice.service import VoiceService

        assert isinstance(service, VoiceService)
        if self._closed:
            service.close()
            return
        self.service = service
        self.ready.emit()
        pending, self._pending = self._pending, None
        if pending is not None:
            self.prepare(pending)

    # -- sessions -----------------------------------------------------------------------------

    def prepare(self, timeline: Timeline) -> None:
        """Render the check-in's cues in the background (or as soon as the voice is built)."""
        if self.service is None:
            self._pending = timeline
            return
        self.progress = (0, 0)
        self.service.prepare(timeline, self._progressed.emit)

    def _on_progressed(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.progress_changed.emit(done, total)

    def attach(self, engine: SessionEngine) -> None:
        """Speak this session: subscribe a cue scheduler (call before the driver starts).

        The patient's settings stay: they may have chosen them on the welcome screen."""
        self.detach(reset=False)
        if self.service is None:
            return
        self._engine = engine
        self._scheduler = self.service.scheduler(clock=self._clock)
        engine.subscribe(self._scheduler)

    def detach(self, *, reset: bool = True) -> None:
        """Stop speaking for the session that is leaving; with ``reset`` (the visit is over)
        the next patient gets the staff's defaults again. A balance check or the player
        leaving mid-visit keeps the patient's choice (``reset=False``)."""
        if self._engine is not None and self._scheduler is not None:
            self._engine.unsubscribe(self._scheduler)
            self._scheduler.silence()
        self._engine = None
        self._scheduler = None
        if not reset:
            return
        if self.service is not None and self.service.settings != self.service.defaults:
            self.service.reset()
            self.settings_changed.emit(self.service.settings)

    # -- settings -------------------------------------------------------------------------

    @property
    def settings(self) -> VoiceSettings | None:
        return self.service.settings if self.service is not None else None

    @property
    def defaults(self) -> VoiceSettings | None:
        return self.service.defaults if self.service is not None else None

    @property
    def tones_audible(self) -> bool:
        return self.service is not None and self.service.tones_audible

    def speaking(self, _position_s: float = 0.0) -> bool:
        """Whether the kiosk's own voice is playing now: voice control's gate (called on the
        listener's thread; the mixer's channel query takes SDL's audio lock)."""
        service = self.service
        try:
            return service is not None and service.output.speech_busy()
        except Exception:  # the mixer closing under us: nothing is playing
            return False

    def play_tone(self, tone: Tone) -> bool:
        """Play ``tone`` now, outside any session's schedule (the call-staff chime).

        False when it would not be heard (no voice yet, no sound device, or the patient chose
        silence): the caller shows it instead.
        """
        service = self.service
        if service is None or not service.tones_audible:
            return False
        service.output.play_tone(tone)
        return True

    def set_voice(self, on: bool) -> None:
        """The welcome screen's voice toggle: words and tones, or tones only, for this visit
        (the next patient gets the staff's defaults again, see :meth:`detach`)."""
        from voice.settings import VoiceMode

        if self.service is not None:
            mode = VoiceMode.VOICE if on else VoiceMode.TONES
            self.update_settings(self.service.settings.with_mode(mode))

    def play_sample(self, style: str) -> bool:
        """Say the staff's sample in the kind of voice ``style`` names ("natural" or
        "classic"), rendered in the background; False when it would not be heard. When the
        natural voice was asked for and another spoke (it could not start, or does not speak
        the language), ``sample_fell_back`` follows on the Qt thread."""
        from voice.settings import VoiceStyle

        if self.service is None:
            return False
        chosen = VoiceStyle(style)
        fell_back = self.sample_fell_back.emit if chosen is VoiceStyle.NATURAL else None
        return self.service.play_sample(chosen.backend, fell_back) is not None

    def apply_defaults(self, defaults: VoiceSettings) -> None:
        """Staff changed the clinic's voice defaults: the next visit starts from them. Between
        visits they apply now (the next check-in renders in them); a visit under way keeps
        its own until it ends."""
        if self.service is None:
            return
        self.service.set_defaults(defaults)
        if self._engine is None:
            self.detach()

    def update_settings(self, settings: VoiceSettings) -> None:
        if self.service is None or settings == self.service.settings:
            return
        self.service.update(settings)
        self.settings_changed.emit(settings)

    def close(self) -> None:
        self.detach()
        with self._lock:
            self._closed = True
        # A kiosk quitting while the voice is still starting must not exit with the build
        # thread inside SDL or the mixer's set-up: the process would abort ("terminate called
        # without an active exception"). Wait for it, bounded; it closes what it built.
        thread, self._build_thread = self._build_thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=BUILD_JOIN_S)
            if thread.is_alive():
                log.warning("voice: still starting after %.0f s at close", BUILD_JOIN_S)
        if self.service is not None:
            self.service.close()
