"""Clinic settings: typed, with defaults, stored as key/value rows.

A fresh database has no rows and every setting has its default, so the kiosk never needs a
settings step before it works. A stored value that does not fit (edited by hand, written by a
newer version) is ignored with a warning and the default used: a bad setting must not stop a
patient's session. Writes go through :meth:`SettingsRepository.update`, which validates, stores
only what changed and writes one audit entry, all in one transaction.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import ClinicSetting
from db.repositories.audit import Action, audit_row
from kiosk.core.clock import utc_now
from kiosk.core.lockout import FAILURES_BOUNDS, PAUSE_BOUNDS_S, WINDOW_BOUNDS_S
from kiosk.core.pin import STAFF_IDLE_MAX_S
from kiosk.core.setting_problems import setting_problem
from kiosk.text import PSEUDO, available

_log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting outside its allowed range, or a name that is not a setting.

    Carries the rule broken (a key of :data:`kiosk.core.setting_problems.SETTING_RULES`) and its
    fields; ``str()`` is the sentence for staff in the kiosk's language, naming each setting
    by its name (the settings screen shows its label instead).
    """

    def __init__(self, rule: str, /, **fields: object) -> None:
        super().__init__(rule, fields)
        self.rule = rule
        self.fields = fields

    def __str__(self) -> str:
        return setting_problem(self.rule, **self.fields)


@dataclass(frozen=True)
class ClinicSettings:
    """Every clinic setting and its default.

    Times are seconds. ``patient_idle_*``: :class:`kiosk.core.idle.IdleSettings` ("Still
    there?" after the timeout, then the time to answer); ``checkin_lockout_*``:
    :class:`kiosk.core.lockout.LockoutSettings` (different wrong codes within the window pause
    check-in for the whole clinic; bounded so that no choice makes guessing codes pay).
    ``pin_*``: :class:`kiosk.core.pin.ThrottlePolicy`; ``staff_idle_timeout_s`` is capped at
    :data:`kiosk.core.pin.STAFF_IDLE_MAX_S` (a value above is refused; one stored before the
    cap reads as the cap). ``voice_style`` is one of :data:`CHOICES` (the natural voice,
    Piper, or the classic one, espeak-ng: docs/voice.md). ``voice_*`` are the
    defaults the voice layer starts from (issue 3 decides how it applies them);
    ``clinic_video_folder`` "" means ``$KIOSK_VIDEO_DIR`` or the default folder
    (:func:`media.videos.video_folder`). ``retention_years``: sessions (with
    their sets, pain and feedback) and balance checks older than this are deleted
    (:mod:`db.repositories.retention`; docs/security.md says why 10 and why 1 to 30).
    ``clinic_language``: the staff screens', the attract screen's and the keypad's language,
    which every visit returns to at logout (one of :func:`clinic_languages`; the start-up
    ``--language`` / ``KIOSK_LANGUAGE`` override it: docs/languages.md).
    """

    clinic_name: str = "Clinic Gym"
    clinic_language: str = "en"
    patient_idle_timeout_s: int = 90
    patient_idle_respond_s: int = 20
    checkin_lockout_failures: int = 10
    checkin_lockout_window_s: int = 86400
    checkin_lockout_pause_s: int = 60
    staff_idle_timeout_s: int = 180
    pin_free_failures: int = 3
    pin_backoff_base_s: float = 1.0
    pin_backoff_max_s: float = 300.0
    voice_enabled: bool = True
    voice_volume: int = 80
    voice_rate_wpm: int = 150
    voice_name: str = ""
    voice_style: str = "classic"
    clinic_video_folder: str = ""
    retention_years: int = 10


DEFAULTS = ClinicSettings()

# (minimum, maximum) for numbers, maximum length for text.
_BOUNDS: dict[str, tuple[float, float]] = {
    "patient_idle_timeout_s": (15, 3600),
    "patient_idle_respond_s": (20, 600),  # WCAG 2.2.1: at least 20 s to say "still here"
    # kiosk/core/lockout.py says why, docs/security.md gives the guesses a day at each end.
    "checkin_lockout_failures": FAILURES_BOUNDS,
    "checkin_lockout_window_s": WINDOW_BOUNDS_S,
    "checkin_lockout_pause_s": PAUSE_BOUNDS_S,
    "staff_idle_timeout_s": (30, STAFF_IDLE_MAX_S),
    "pin_free_failures": (0, 10),
    "pin_backoff_base_s": (0.1, 60),
    "pin_backoff_max_s": (1, 3600),
    "voice_volume": (0, 100),
    "voice_rate_wpm": (80, 300),
    # Not below a year (a patient's progress over a course of treatment), not beyond 30.
    "retention_years": (1, 30),
}
_TEXT_MAX = {"clinic_name": 60, "voice_name": 64, "clinic_video_folder": 1024}


def clinic_languages() -> tuple[str, ...]:
    """The languages a clinic may choose: every catalog but the test language."""
    return tuple(code for code in available() if code != PSEUDO)


#: Settings that are one of a few words (checked before the text rules).
CHOICES: dict[str, tuple[str, ...]] = {
    "voice_style": ("classic", "natural"),
    "clinic_language": clinic_languages(),
}
_TYPES = {f.name: type(getattr(DEFAULTS, f.name)) for f in fields(ClinicSettings)}


def _checked(name: str, value: Any) -> Any:
    """``value`` converted to the setting's type, or :class:`SettingsError`."""
    kind = _TYPES.get(name)
    if kind is None:
        raise SettingsError("unknown", name=name)
    if kind is bool:
        if not isinstance(value, bool):
            raise SettingsError("not_bool", name=name, value=repr(value))
        return value
    if kind is str:
        if not isinstance(value, str):
            raise SettingsError("not_text", name=name, value=repr(value))
        if name in CHOICES:
            if value not in CHOICES[name]:
                choices = ", ".join(CHOICES[name])
                raise SettingsError("choice", name=name, choices=choices, value=repr(value))
            return value
        value = value.strip()
        if len(value) > _TEXT_MAX[name] or (name == "clinic_name" and not value):
            raise SettingsError("length", name=name, max=_TEXT_MAX[name])
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError("not_a_number", name=name, value=repr(value))
    if kind is int and value != int(value):
        raise SettingsError("not_whole", name=name, value=repr(value))
    low, high = _BOUNDS[name]
    if name == "staff_idle_timeout_s" and value > high:
        raise SettingsError("staff_idle_cap", name=name, high=f"{high:g}", value=repr(value))
    if not low <= value <= high:
        rule = "lockout_range" if name.startswith("checkin_lockout_") else "range"
        raise SettingsError(rule, name=name, low=f"{low:g}", high=f"{high:g}", value=repr(value))
    return kind(value)


class SettingsRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        #: What the last :meth:`load` could not use: setting name → the reason, in staff's
        #: words (the settings screen shows it; the default was used instead).
        self.unusable: dict[str, str] = {}

    def load(self) -> ClinicSettings:
        """The settings, stored values over defaults; a bad stored value falls back."""
        with Session(self._engine) as session:
            rows = session.execute(select(ClinicSetting.key, ClinicSetting.value)).all()
        values: dict[str, Any] = {}
        self.unusable = {}
        for key, text in rows:
            if key not in _TYPES:
                continue  # a newer version's setting: leave it alone
            try:
                values[key] = _checked(key, json.loads(text))
            except SettingsError as error:
                if error.rule != "staff_idle_cap":
                    _log.warning(
                        "clinic setting %s has an unusable value %r; using default", key, text
                    )
                    self.unusable[key] = str(error)
                    continue
                # Stored before the cap existed: the cap applies, not the (shorter) default.
                _log.warning("clinic setting %s is above its cap; using the cap", key)
                values[key] = int(STAFF_IDLE_MAX_S)
            except ValueError:
                _log.warning("clinic setting %s has an unusable value %r; using default", key, text)
        settings = replace(DEFAULTS, **values)
        if settings.pin_backoff_max_s < settings.pin_backoff_base_s:
            settings = replace(settings, pin_backoff_max_s=settings.pin_backoff_base_s)
        return settings

    def update(self, actor: str, **changes: Any) -> ClinicSettings:
        """Validate and store ``changes`` (setting name → value) with one audit entry.

        Nothing is stored if any value is refused. Returns the settings after the change.
        """
        checked = {name: _checked(name, value) for name, value in changes.items()}
        current = self.load()
        merged = replace(current, **checked)
        if merged.pin_backoff_max_s < merged.pin_backoff_base_s:
            raise SettingsError("below", name="pin_backoff_max_s", other="pin_backoff_base_s")
        changed = {k: v for k, v in checked.items() if getattr(current, k) != v}
        if not changed:
            return current
        now = utc_now()
        with Session(self._engine) as session:
            for key, value in changed.items():
                session.merge(
                    ClinicSetting(
                        key=key, value=json.dumps(value), updated_at=now, updated_by=actor
                    )
                )
            detail = ", ".join(f"{k}={v!r}" for k, v in sorted(changed.items()))
            session.add(audit_row(actor, Action.SETTINGS_CHANGED, detail, now))
            session.commit()
        return merged
