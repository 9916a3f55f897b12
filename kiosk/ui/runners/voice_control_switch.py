"""The staff's voice-control switch, applied while the kiosk runs (docs/voice.md).

:class:`VoiceControlSwitch` holds the kiosk's one :class:`QtVoiceControl` (None while voice
control is off) and brings it in line with the settings in force — read by
:func:`voice.control_settings.load_control`, so ``KIOSK_VOICE_CONTROL`` and
``KIOSK_MICROPHONE`` still win over the staff's file. On: a control is made (the recogniser and
the microphone open on its own thread when a session starts, never here). Another microphone
or capture folder: the same control listens to it from its next start. Off: the control stops
(its listener thread joined, the microphone closed; nothing to stop between sessions) and goes.
The same settings again change nothing: never two listeners.

A visit in progress keeps the control it started with: :meth:`apply` during a visit is held
and done by :meth:`visit_ended`. (Staff mode opens only between visits, from the attract
screen or the keypad, so a staff change normally applies at once.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.text import t
from kiosk.ui.runners.voice_control import QtVoiceControl, SourceFactory, microphone_source

if TYPE_CHECKING:
    from voice.control_settings import ControlSettings

log = logging.getLogger(__name__)

#: Opens the microphone named (None: the system's default) when a session starts.
MicrophoneOpener = Callable[[str | None], SourceFactory]
Gate = Callable[[float], bool]


class VoiceControlSwitch:
    """Voice control for one kiosk window: on, off or another microphone, while it runs."""

    def __init__(
        self,
        parent: QObject,
        *,
        gate: Callable[[], Gate | None],
        in_visit: Callable[[], bool],
        open_microphone: MicrophoneOpener = microphone_source,
    ) -> None:
        """``gate()``: the voice's "our speech is playing" test, when the kiosk has a voice;
        ``in_visit()``: True while a patient's visit runs."""
        self._parent = parent
        self._gate = gate
        self._in_visit = in_visit
        self.open_microphone = open_microphone
        self.control: QtVoiceControl | None = None
        self.applied: ControlSettings | None = None  # what ``control`` was set up with
        self._held = False  # a change made during a visit, for when it ends

    def use(self, control: QtVoiceControl | None) -> None:
        """Use ``control`` as it is (tests and tools feed their own); the next :meth:`apply`
        replaces it unless the settings are off."""
        self.control = control
        self.applied = None

    def use_microphones(self, open_microphone: MicrophoneOpener) -> None:
        """Open microphones with ``open_microphone(name)`` (tests and tools feed their own
        sound); a control made from the settings listens through it from its next start."""
        self.open_microphone = open_microphone
        if self.control is not None and self.applied is not None:
            self.applied = None
            self.apply()

    def apply(self, settings: ControlSettings | None = None) -> None:
        """Bring voice control in line with ``settings`` (default: the settings in force now,
        the environment over the file). During a visit: from its end."""
        if self._in_visit():
            self._held = True
            return
        self._held = False
        if settings is None:
            from voice.control_settings import load_control

            settings = load_control()
        if not settings.enabled:
            self._switch_off()
        elif self.control is None:
            self._switch_on(settings)
        elif settings != self.applied:
            self.control.use_source(
                self.open_microphone(settings.microphone), self._capture_folder(settings)
            )
            self.control.set_gate(self._gate())
            self.applied = settings
            log.info("voice control: now listening to %s", settings.microphone or "the default")

    def visit_ended(self) -> None:
        """A visit ended: a change staff made during it applies now."""
        if self._held:
            self.apply()

    def close(self) -> None:
        """The kiosk is closing: stop listening."""
        if self.control is not None:
            self.control.stop()

    def _switch_on(self, settings: ControlSettings) -> None:
        from voice.commands import Vocabulary

        self.control = QtVoiceControl(
            Vocabulary.from_catalog(t),
            self.open_microphone(settings.microphone),
            gate=self._gate(),
            capture=self._capture_folder(settings),
            parent=self._parent,
        )
        self.applied = settings

    def _switch_off(self) -> None:
        control, self.control = self.control, None
        self.applied = None
        if control is None:
            return
        control.stop()  # the listener thread joined, the microphone closed (if any)
        control.deleteLater()
        log.info("voice control: switched off")

    @staticmethod
    def _capture_folder(settings: ControlSettings) -> Path | None:
        from voice.control_settings import capture_folder

        return capture_folder() if settings.capture else None
