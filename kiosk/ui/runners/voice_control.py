"""Voice control in the Qt app: the listener's thread on one side, the player on the other.

:class:`QtVoiceControl` starts a :class:`voice.listening.Listener` on its own thread (the
recogniser loads there too: about a second, never on the Qt thread), gated on the kiosk's
own speech (the voice bridge knows when the speech channel plays), and hands what it heard to
the Qt thread through queued signals. Every fault — pocketsphinx missing, the model not
loading, no microphone, a microphone that goes away — ends in one log line and the state
"off": the session goes on by touch.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from voice.commands import Vocabulary
    from voice.listening import AudioSource, Listener, Utterance

log = logging.getLogger(__name__)

SourceFactory = Callable[[], "AudioSource"]


def microphone_source(name: str | None = None) -> SourceFactory:
    def open_microphone() -> AudioSource:
        from voice.microphone import MicrophoneSource

        return MicrophoneSource(name)

    return open_microphone


class QtVoiceControl(QObject):
    """Listens while a session runs (``start``/``stop``), for one kiosk.

    ``enabled`` is the patient's switch for this visit (the welcome screen); staff switch the
    whole thing on or off per kiosk (no instance at all when off).

    Signals:
        heard(object): a :class:`voice.listening.Utterance` (command or not), on the Qt thread.
        state_changed(str): "listening", "deaf" (our own voice is playing) or "off".
        level_changed(float): the input level in dBFS, about ten times a second.
    """

    heard = Signal(object)
    state_changed = Signal(str)
    level_changed = Signal(float)
    _heard = Signal(object)
    _state = Signal(str)
    _level = Signal(float)

    def __init__(
        self,
        vocabulary: Vocabulary,
        source: SourceFactory,
        *,
        gate: Callable[[float], bool] | None = None,
        capture: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``capture``: the diagnostic capture's folder, when staff switched it on."""
        super().__init__(parent)
        self._capture = capture
        self.vocabulary = vocabulary
        self._source = source
        self._gate = gate
        self._listener: Listener | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.state = "off"
        self.enabled = True
        self._heard.connect(self.heard, Qt.ConnectionType.QueuedConnection)
        self._state.connect(self._on_state, Qt.ConnectionType.QueuedConnection)
        self._level.connect(self.level_changed, Qt.ConnectionType.QueuedConnection)

    @property
    def listening(self) -> bool:
        return self.state in ("listening", "deaf")

    def set_gate(self, gate: Callable[[float], bool] | None) -> None:
        self._gate = gate

    def use_source(self, source: SourceFactory, capture: Path | None = None) -> None:
        """Listen to ``source`` (another microphone) from the next :meth:`start`; ``capture``
        as in the constructor. A listener running now keeps the microphone it opened."""
        self._source = source
        self._capture = capture

    def start(self) -> None:
        """Start listening in the background (nothing if the patient switched it off)."""
        if not self.enabled or self._thread is not None:
            if not self.enabled:
                self._on_state("off")
            return
        thread = threading.Thread(target=self._run, name="voice-control", daemon=True)
        self._thread = thread
        thread.start()

    def _run(self) -> None:
        from voice.listening import Capture, Listener, ListenerState
        from voice.recogniser import CommandRecogniser, RecogniserUnavailableError

        try:
            recogniser = CommandRecogniser(self.vocabulary)
            source = self._source()
        except RecogniserUnavailableError as error:
            log.warning("voice control off: %s", error)
            self._emit_state(ListenerState.OFF)
            return
        except Exception as error:  # no microphone, or it would not open
            log.warning("voice control off: %s", error)
            self._emit_state(ListenerState.OFF)
            return
        gate = self._gate
        capture = None
        if self._capture is not None:
            try:
                capture = Capture(self._capture)
            except OSError as error:
                log.warning("voice control: no diagnostic capture (%s)", error)
        listener = Listener(
            source,
            recogniser,
            on_heard=self._emit_heard,
            gate=gate,
            on_level=self._emit_level,
            on_state=self._emit_state,
            capture=capture,
        )
        with self._lock:
            stopped = self._thread is None
            self._listener = listener
        if stopped:
            source.close()
            return
        listener.run()
        self._emit_state(ListenerState.OFF)

    def _emit_heard(self, utterance: Utterance) -> None:
        with contextlib.suppress(RuntimeError):  # deleted while the thread finished
            self._heard.emit(utterance)

    def _emit_level(self, db: float) -> None:
        with contextlib.suppress(RuntimeError):  # deleted while the thread finished
            self._level.emit(db)

    def _emit_state(self, state: object) -> None:
        with contextlib.suppress(RuntimeError):  # deleted while the thread finished
            self._state.emit(str(state))

    def _on_state(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        self.state_changed.emit(state)

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            thread, self._thread = self._thread, None
        if listener is not None:
            listener.stop()
        if thread is not None:
            thread.join(2.0)
        self._on_state("off")
