"""Staff defaults from a TOML file and the environment; the patient's steps."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from voice.settings import (
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    Backend,
    VoiceMode,
    VoiceSettings,
    config_path,
    load_settings,
)


def test_built_in_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / "missing.toml")
    assert settings == VoiceSettings()
    assert (settings.mode, settings.rate, settings.backend) == (
        VoiceMode.VOICE,
        DEFAULT_RATE,
        Backend.PYTTSX3,
    )


def test_the_file_then_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[voice]\nmode = "tones"\nvoice = "en-gb"\nrate = 130\nvolume = 0.5\n'
        'backend = "espeak-ng"\nrep_tick = true\ncache_mb = 20\n'
        '[database]\nurl = "ignored here"\n'
    )
    settings = load_settings({}, path)
    assert settings.mode is VoiceMode.TONES
    assert (settings.voice, settings.rate, settings.volume) == ("en-gb", 130, 0.5)
    assert settings.backend is Backend.ESPEAK_NG
    assert settings.rep_tick is True
    assert settings.cache_mb == 20
    env = {"KIOSK_VOICE_RATE": "170", "KIOSK_VOICE_MODE": "OFF", "KIOSK_VOICE_CACHE_DIR": "/x/y"}
    overridden = load_settings(env, path)
    assert (overridden.rate, overridden.mode) == (170, VoiceMode.OFF)
    assert overridden.cache_dir == Path("/x/y")
    assert overridden.voice == "en-gb"  # not overridden


def test_bad_values_are_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[voice]\nrate = 500\nvolume = "loud"\nmode = "shout"\ncolour = "red"\n')
    with caplog.at_level(logging.WARNING, logger="voice.settings"):
        settings = load_settings({"KIOSK_VOICE": "en gb; rm"}, path)
    assert settings == VoiceSettings()
    messages = " ".join(r.getMessage() for r in caplog.records)
    for word in ("rate", "volume", "mode", "colour", "voice"):
        assert word in messages


def test_a_broken_file_never_stops_the_kiosk(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[voice\nrate = ")
    assert load_settings({}, path) == VoiceSettings()


def test_config_path_follows_kiosk_config(tmp_path: Path) -> None:
    assert config_path({"KIOSK_CONFIG": str(tmp_path / "a.toml")}) == tmp_path / "a.toml"
    assert config_path({}).name == "kiosk.toml"


def test_patient_steps_stay_in_bounds() -> None:
    settings = VoiceSettings()
    slowest = settings
    for _ in range(10):
        slowest = slowest.slower()
    fastest = settings
    for _ in range(10):
        fastest = fastest.faster()
    assert (slowest.rate, fastest.rate) == (MIN_RATE, MAX_RATE)
    quiet = settings
    for _ in range(20):
        quiet = quiet.quieter()
    assert quiet.volume == pytest.approx(0.1)  # never silent by volume: that is "Silent"
    assert VoiceSettings(volume=0.95).louder().volume == 1.0
    assert settings.with_mode(VoiceMode.TONES).plays_tones
    assert not settings.with_mode(VoiceMode.TONES).speaks
    assert not settings.with_mode(VoiceMode.OFF).plays_tones


def test_the_clinic_defaults_come_first_and_the_file_and_environment_override_them(
    tmp_path: Path,
) -> None:
    from voice.settings import VoiceMode, clinic_defaults, load_settings

    base = clinic_defaults(enabled=False, volume_percent=55, rate_wpm=130, voice_name="en-gb")
    assert (base.mode, base.volume, base.rate, base.voice) == (VoiceMode.TONES, 0.55, 130, "en-gb")
    config = tmp_path / "kiosk.toml"
    config.write_text("[voice]\nrate = 170\n")
    settings = load_settings({"KIOSK_VOICE_VOLUME": "0.9"}, config, base=base)
    assert settings.mode is VoiceMode.TONES  # from the clinic
    assert settings.voice == "en-gb"  # from the clinic
    assert settings.rate == 170  # the file wins over the clinic
    assert settings.volume == 0.9  # the environment wins over both


def test_clinic_figures_outside_what_the_voice_supports_are_clamped() -> None:
    from voice.settings import MAX_RATE, MIN_RATE, clinic_defaults

    assert clinic_defaults(enabled=True, volume_percent=100, rate_wpm=300, voice_name="").rate == (
        MAX_RATE
    )
    low = clinic_defaults(enabled=True, volume_percent=0, rate_wpm=80, voice_name=" ")
    assert (low.rate, low.volume, low.voice) == (MIN_RATE, 0.0, None)
