"""The player's ears: the microphone indicator, the "You can say" line, and what a command does.

Each command does exactly what its touch does (the same handlers of the player), so the
database records the same whichever way the patient chose. "Stop session" only asks — the
stop question, with "Say yes or touch End session" — and only "yes" while that question is
open ends the session: a false accept can never end a session. Every command heard is
acknowledged by a soft tone and named on the indicator; speech that was not a command says
"not understood".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from kiosk.core.events import SessionState
from kiosk.core.timeline import Tone
from kiosk.text import t
from voice.commands import Command

if TYPE_CHECKING:
    from kiosk.ui.runners.voice_control import QtVoiceControl
    from voice.listening import Utterance


class Player(Protocol):
    """What the commands need of the player (``QtPlayerScreen``)."""

    engine: Any
    voice: Any
    stop_overlay: Any
    mic_status: QLabel
    say_hint: QLabel

    def toggle_pause(self) -> None: ...
    def skip_step(self) -> None: ...
    def say_again(self) -> None: ...
    def report_pain(self) -> None: ...
    def carry_on_after_pain(self) -> None: ...
    def ask_to_stop(self) -> None: ...
    def keep_going_from_stop_question(self) -> None: ...
    def end_from_stop_question(self) -> None: ...
    def change_sound(self, how: str) -> None: ...


#: What the "You can say" line offers, in this order (the rest work too, unadvertised).
HINTED = (Command.PAUSE, Command.RESUME, Command.REPEAT, Command.NEXT, Command.HURTS)

_LIVE = frozenset({SessionState.RUNNING, SessionState.PAUSED, SessionState.PAIN})

_STATE_TEXT = {
    "listening": "voice_control.listening",
    "deaf": "voice_control.deaf",
    "off": "voice_control.off",
}


class QtSpokenCommands(QObject):
    """Connects one player to the kiosk's voice control while the player is on screen."""

    def __init__(self, player: Player, control: QtVoiceControl, parent: QObject) -> None:
        super().__init__(parent)
        self.player = player
        self.control = control
        self.asked_to_stop = False
        self.last_heard: Command | None = None
        control.heard.connect(self._on_control_heard)
        control.state_changed.connect(self._on_control_state_changed)
        player.say_hint.setText(
            t("voice_control.you_can_say", phrases=control.vocabulary.hint(HINTED))
        )
        self._show_state(control.state)

    def start(self) -> None:
        self.control.start()

    def stop(self) -> None:
        self.control.heard.disconnect(self._on_control_heard)
        self.control.state_changed.disconnect(self._on_control_state_changed)
        self.control.stop()

    # -- indicator ----------------------------------------------------------------------------

    def _on_control_state_changed(self, state: str) -> None:
        self._show_state(state)

    def _show_state(self, state: str) -> None:
        self.player.mic_status.setText(t(_STATE_TEXT.get(state, "voice_control.off")))
        self.player.mic_status.setProperty("listening", state != "off")
        self.player.say_hint.setVisible(state != "off")

    def _on_control_heard(self, utterance: Utterance) -> None:
        heard = utterance.heard
        if heard.command is None:
            if heard.text:
                self.player.mic_status.setText(t("voice_control.not_understood"))
            return
        self.last_heard = heard.command
        self.player.mic_status.setText(t("voice_control.heard", what=heard.text))
        if self.player.voice is not None:
            self.player.voice.play_tone(Tone.TICK)  # the soft acknowledgement
        self.obey(heard.command)

    # -- commands -----------------------------------------------------------------------------

    def obey(self, command: Command) -> None:
        """Do what the patient said, as their touch would."""
        p = self.player
        state = p.engine.state
        stopping = p.stop_overlay.isVisible()
        if command is Command.YES:
            if stopping and self.asked_to_stop:
                self.asked_to_stop = False
                p.end_from_stop_question()
            return
        if state not in _LIVE:
            return
        if command is Command.STOP:
            if not stopping and state is not SessionState.PAIN:
                p.ask_to_stop()
                self.asked_to_stop = True
                yes = self.control.vocabulary.phrases[Command.YES][0]
                p.stop_overlay.body.setText(t("voice_control.confirm_stop", yes=yes))
            return
        if stopping:  # "carry on" or anything else answers the question with "keep going"
            if command in (Command.RESUME, Command.PAUSE):
                self.asked_to_stop = False
                p.keep_going_from_stop_question()
            return
        pausing = command is Command.PAUSE and state is SessionState.RUNNING
        if pausing or (command is Command.RESUME and state is SessionState.PAUSED):
            p.toggle_pause()
        elif command is Command.RESUME and state is SessionState.PAIN:
            p.carry_on_after_pain()
        elif command is Command.NEXT and state is not SessionState.PAIN:
            p.skip_step()
        elif command is Command.REPEAT and state is not SessionState.PAIN:
            p.say_again()
        elif command is Command.HURTS and state is not SessionState.PAIN:
            p.report_pain()
        elif command in (Command.LOUDER, Command.QUIETER, Command.SLOWER, Command.FASTER):
            p.change_sound(command.value)
