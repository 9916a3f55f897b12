"""Clinic settings: typed, with defaults, validated, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from db.repositories.audit import Action, entries
from db.repositories.settings import DEFAULTS, ClinicSettings, SettingsError, SettingsRepository
from kiosk import text as kiosk_text
from kiosk.text import pseudo


def test_a_new_database_has_every_default(engine: Engine) -> None:
    settings = SettingsRepository(engine).load()
    assert settings == ClinicSettings()
    assert settings.staff_idle_timeout_s == 180
    assert settings.clinic_video_folder == ""


def test_update_stores_validates_and_audits(engine: Engine) -> None:
    repo = SettingsRepository(engine)
    after = repo.update(
        "Anna", clinic_name="  Riverside Physio ", staff_idle_timeout_s=300, voice_enabled=False
    )
    assert after.clinic_name == "Riverside Physio"
    assert repo.load() == after
    assert repo.load().pin_backoff_max_s == DEFAULTS.pin_backoff_max_s
    (entry,) = entries(engine, actions=(Action.SETTINGS_CHANGED,))
    assert entry.actor == "Anna"
    assert "staff_idle_timeout_s=300" in (entry.detail or "")
    repo.update("Anna", staff_idle_timeout_s=300)  # no change: no second entry
    assert len(entries(engine, actions=(Action.SETTINGS_CHANGED,))) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"staff_idle_timeout_s": 5},
        {"staff_idle_timeout_s": 90.5},
        {"voice_volume": 101},
        {"voice_enabled": "yes"},
        {"clinic_name": ""},
        {"clinic_name": "x" * 61},
        {"no_such_setting": 1},
        {"pin_backoff_base_s": 10, "pin_backoff_max_s": 5},
        {"pin_free_failures": True},
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    engine: Engine, change: dict[str, object]
) -> None:
    repo = SettingsRepository(engine)
    with pytest.raises(SettingsError):
        repo.update("Anna", **{"voice_rate_wpm": 120, **change})
    assert repo.load() == DEFAULTS


def test_unusable_stored_values_fall_back_to_defaults(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinic_settings (key, value, updated_at) VALUES "
                "('staff_idle_timeout_s', 'not json', '2025-03-03 10:00:00'),"
                "('voice_volume', '500', '2025-03-03 10:00:00'),"
                "('from_a_newer_version', '1', '2025-03-03 10:00:00'),"
                "('clinic_name', '\"Riverside\"', '2025-03-03 10:00:00')"
            )
        )
    settings = SettingsRepository(engine).load()
    assert settings.staff_idle_timeout_s == 180
    assert settings.voice_volume == DEFAULTS.voice_volume
    assert settings.clinic_name == "Riverside"


def test_a_refusal_names_the_setting_in_the_kiosk_language(engine: Engine) -> None:
    repo = SettingsRepository(engine)
    with pytest.raises(SettingsError) as refused:
        repo.update("Anna", pin_backoff_base_s=10, pin_backoff_max_s=5)
    assert str(refused.value) == "pin_backoff_max_s cannot be below pin_backoff_base_s"
    assert refused.value.rule == "below"
    with pytest.raises(SettingsError) as out_of_range:
        repo.update("Anna", voice_volume=101)
    assert str(out_of_range.value) == "voice_volume must be 0 to 100, got 101"
    try:
        kiosk_text.use("pseudo")
        shown = str(out_of_range.value)  # worded when shown: the language in use then
    finally:
        kiosk_text.use(kiosk_text.REFERENCE)
    assert shown.startswith(pseudo.OPEN)
    assert "voice_volume" in shown  # the settings screen puts the setting's label there


@pytest.mark.parametrize(
    ("name", "value", "low", "high"),
    [
        ("checkin_lockout_failures", 2, "3", "10"),
        ("checkin_lockout_failures", 11, "3", "10"),
        ("checkin_lockout_window_s", 3600, "86400", "604800"),
        ("checkin_lockout_window_s", 8 * 86400, "86400", "604800"),
        ("checkin_lockout_pause_s", 5, "10", "3600"),
        ("checkin_lockout_pause_s", 7200, "10", "3600"),
    ],
)
def test_no_lockout_setting_that_makes_guessing_pay_is_taken(
    engine: Engine, name: str, value: int, low: str, high: str
) -> None:
    repo = SettingsRepository(engine)
    with pytest.raises(SettingsError) as refused:
        repo.update("Anna", **{name: value})
    assert refused.value.rule == "lockout_range"
    assert str(refused.value) == (
        f"{name} must be {low} to {high}, got {value}. "
        "Outside that, someone at the keypad could guess patients' check-in codes."
    )
    assert repo.load() == DEFAULTS


def test_lockout_settings_from_before_the_bounds_fall_back_to_the_defaults(
    engine: Engine,
) -> None:
    with engine.begin() as connection:  # what issue 12's kiosk allowed: 100 codes in 30 s
        connection.execute(
            text(
                "INSERT INTO clinic_settings (key, value, updated_at) VALUES "
                "('checkin_lockout_failures', '100', '2025-03-03 10:00:00'),"
                "('checkin_lockout_window_s', '30', '2025-03-03 10:00:00')"
            )
        )
    settings = SettingsRepository(engine).load()
    assert (settings.checkin_lockout_failures, settings.checkin_lockout_window_s) == (10, 86400)


def test_the_kind_of_voice_is_natural_or_classic(engine: Engine) -> None:
    repo = SettingsRepository(engine)
    assert repo.load().voice_style == "classic"
    assert repo.update("Anna", voice_style="natural").voice_style == "natural"
    assert repo.load().voice_style == "natural"
    for bad in ("robot", "Natural", "", 1):
        with pytest.raises(SettingsError) as refused:
            repo.update("Anna", voice_style=bad)
        assert refused.value.rule in ("choice", "not_text")
    assert "must be one of classic, natural, got 'robot'" in _refusal(repo, "robot")
    assert repo.load().voice_style == "natural"  # nothing stored


def test_a_stored_kind_of_voice_this_version_does_not_know_is_classic(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinic_settings (key, value, updated_at, updated_by) "
                "VALUES ('voice_style', '\"robot\"', CURRENT_TIMESTAMP, 'x')"
            )
        )
    assert SettingsRepository(engine).load().voice_style == "classic"


def _refusal(repo: SettingsRepository, value: object) -> str:
    with pytest.raises(SettingsError) as refused:
        repo.update("Anna", voice_style=value)
    return str(refused.value)
