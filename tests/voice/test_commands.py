"""The spoken commands' vocabulary and grammar, and the kiosk's voice-control setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.text import t
from voice.commands import CATALOG_KEYS, Command, Vocabulary, filler_for, jsgf, split_phrases
from voice.control_settings import ControlSettings, load_control, overridden, save_control


def test_every_command_has_phrases_in_the_catalog() -> None:
    vocabulary = Vocabulary.from_catalog(t)
    assert set(vocabulary.phrases) == set(Command) == set(CATALOG_KEYS)
    assert all(vocabulary.phrases[c] for c in Command)
    assert vocabulary.phrases[Command.PAUSE] == ("wait", "pause")


def test_a_phrase_is_a_command_only_word_for_word() -> None:
    vocabulary = Vocabulary.from_catalog(t)
    assert vocabulary.command_for("Stop session") is Command.STOP
    assert vocabulary.command_for("carry  on") is Command.RESUME
    assert vocabulary.command_for("stop") is None  # "stop" alone is not a command
    assert vocabulary.command_for("please stop session now") is None
    assert vocabulary.command_for("") is None


def test_no_two_commands_share_a_phrase() -> None:
    phrases = [p for ps in Vocabulary.from_catalog(t).phrases.values() for p in ps]
    assert len(phrases) == len(set(phrases))


def test_the_filler_never_holds_a_word_of_a_command() -> None:
    vocabulary = Vocabulary.from_catalog(t)
    filler = filler_for(vocabulary)
    assert "lower" in filler  # the narration's word that sounds like "slower"
    assert not set(filler) & vocabulary.words()
    grammar = jsgf(vocabulary, filler, filler_weight=0.5)
    assert "( stop session )" in grammar
    assert "/0.5/ <filler>+" in grammar


def test_the_hint_names_the_first_phrasing() -> None:
    vocabulary = Vocabulary.from_catalog(t)
    assert vocabulary.hint([Command.PAUSE, Command.RESUME]) == "“wait”, “carry on”"


def test_phrases_split_and_normalise() -> None:
    assert split_phrases(" Pause | WAIT ||") == ("pause", "wait")


def test_voice_control_is_off_unless_staff_switch_it_on(tmp_path: Path) -> None:
    env = {"KIOSK_CONFIG": str(tmp_path / "kiosk.toml")}
    assert load_control(env) == ControlSettings(False, None)
    path = save_control(ControlSettings(True, 'USB "mic" 2'), tmp_path / "voice-control.toml")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_control(env) == ControlSettings(True, 'USB "mic" 2')
    assert load_control({**env, "KIOSK_VOICE_CONTROL": "off"}).enabled is False
    assert load_control({**env, "KIOSK_MICROPHONE": "Desk"}).microphone == "Desk"
    # What decides over the staff's file (the settings screen says so).
    assert overridden(env) == []
    assert overridden({**env, "KIOSK_VOICE_CONTROL": "", "KIOSK_MICROPHONE": "Desk"}) == [
        "KIOSK_VOICE_CONTROL",
        "KIOSK_MICROPHONE",
    ]
    assert overridden({**env, "KIOSK_VOICE_CONTROL": "maybe", "KIOSK_MICROPHONE": " "}) == []


def test_a_damaged_setting_file_means_off_and_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "voice-control.toml").write_text("enabled = maybe\n")
    assert load_control({"KIOSK_CONFIG": str(tmp_path / "kiosk.toml")}).enabled is False
    assert "ignored" in caplog.text
