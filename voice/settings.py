"""Voice settings: the staff's defaults from configuration, and the patient's changes on top.

Staff set the defaults once per kiosk, in a TOML file or environment variables (the environment
wins, so a service unit can override the file). A patient's changes on the player (voice on or
off, tones only, slower or faster, louder or quieter) last for their visit only: the next patient
starts from the staff's defaults again. A bad value never stops the kiosk: it is logged and the
built-in default is used, because a kiosk that will not start coaches nobody.

File: ``$KIOSK_CONFIG``, else ``<user config dir>/clinic-gym-kiosk/kiosk.toml``, table ``[voice]``.
Environment: ``KIOSK_VOICE_MODE``, ``KIOSK_VOICE``, ``KIOSK_VOICE_RATE``, ``KIOSK_VOICE_VOLUME``,
``KIOSK_VOICE_BACKEND``, ``KIOSK_VOICE_REP_TICK``, ``KIOSK_VOICE_CACHE_DIR``,
``KIOSK_VOICE_CACHE_MB``. See ``docs/voice.md``.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

APP_NAME = "clinic-gym-kiosk"

#: Words per minute. 150 is what the timeline compiler assumes (0.4 s a word).
DEFAULT_RATE = 150
MIN_RATE = 110
MAX_RATE = 190
RATE_STEP = 20
VOLUME_STEP = 0.1
DEFAULT_CACHE_MB = 100


class VoiceMode(StrEnum):
    VOICE = "voice"  # speech and tones
    TONES = "tones"  # tones only
    OFF = "off"  # silent: captions, and a visual flash for each tone


class Backend(StrEnum):
    """The backend speech starts with; each falls back to the ones after it."""

    PIPER = "piper"  # the natural voice: Piper, neural, in a worker process (then pyttsx3)
    PYTTSX3 = "pyttsx3"  # the classic voice: pyttsx3 over espeak-ng, in a worker process
    ESPEAK_NG = "espeak-ng"  # the ``espeak-ng`` command: the last fallback


class VoiceStyle(StrEnum):
    """What staff choose on the settings screen."""

    CLASSIC = "classic"  # pyttsx3 over espeak-ng: the default, and the fallback
    NATURAL = "natural"  # Piper

    @property
    def backend(self) -> Backend:
        return Backend.PIPER if self is VoiceStyle.NATURAL else Backend.PYTTSX3


@dataclass(frozen=True)
class VoiceSettings:
    """How the kiosk sounds right now. Immutable: a change makes a new one."""

    mode: VoiceMode = VoiceMode.VOICE
    voice: str | None = None  # an espeak-ng voice name ("en-gb", "en-us"); None: the default
    rate: int = DEFAULT_RATE
    volume: float = 0.8
    backend: Backend = Backend.PYTTSX3
    rep_tick: bool = False  # a soft tick at the start of each repetition
    cache_dir: Path | None = None  # None: the user cache directory
    cache_mb: int = DEFAULT_CACHE_MB

    @property
    def speaks(self) -> bool:
        return self.mode is VoiceMode.VOICE

    @property
    def plays_tones(self) -> bool:
        return self.mode is not VoiceMode.OFF

    def slower(self) -> VoiceSettings:
        return replace(self, rate=max(MIN_RATE, self.rate - RATE_STEP))

    def faster(self) -> VoiceSettings:
        return replace(self, rate=min(MAX_RATE, self.rate + RATE_STEP))

    def quieter(self) -> VoiceSettings:
        return replace(self, volume=round(max(0.1, self.volume - VOLUME_STEP), 2))

    def louder(self) -> VoiceSettings:
        return replace(self, volume=round(min(1.0, self.volume + VOLUME_STEP), 2))

    def with_mode(self, mode: VoiceMode) -> VoiceSettings:
        return replace(self, mode=mode)

    def resolved_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        from platformdirs import user_cache_dir

        return Path(user_cache_dir(APP_NAME)) / "voice"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the staff's configuration file is (it need not exist)."""
    env = os.environ if env is None else env
    if env.get("KIOSK_CONFIG"):
        return Path(env["KIOSK_CONFIG"])
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "kiosk.toml"


def load_settings(
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
    *,
    base: VoiceSettings | None = None,
) -> VoiceSettings:
    """The staff's defaults: ``base`` (the clinic's settings from the database, else the
    built-in values), then the file's ``[voice]`` table, then the environment. Never raises:
    a bad file or value is logged and skipped."""
    env = os.environ if env is None else env
    path = config_path(env) if path is None else path
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("voice", {})
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            log.warning("voice settings: cannot read %s (%s); using the defaults", path, error)
            table = {}
        if isinstance(table, dict):
            values.update(table)
    for key, name in _ENV.items():
        if env.get(name):
            values[key] = env[name]
    settings = base or VoiceSettings()
    for key, raw in values.items():
        parse = _PARSERS.get(key)
        if parse is None:
            log.warning("voice settings: unknown setting %r ignored", key)
            continue
        try:
            settings = replace(settings, **{key: parse(raw)})
        except (TypeError, ValueError) as error:
            log.warning("voice settings: bad %s %r (%s); using %r", key, raw, error,
                        getattr(settings, key))  # fmt: skip
    return settings


_ENV = {
    "mode": "KIOSK_VOICE_MODE",
    "voice": "KIOSK_VOICE",
    "rate": "KIOSK_VOICE_RATE",
    "volume": "KIOSK_VOICE_VOLUME",
    "backend": "KIOSK_VOICE_BACKEND",
    "rep_tick": "KIOSK_VOICE_REP_TICK",
    "cache_dir": "KIOSK_VOICE_CACHE_DIR",
    "cache_mb": "KIOSK_VOICE_CACHE_MB",
}


def _rate(raw: object) -> int:
    value = int(str(raw))
    if not MIN_RATE <= value <= MAX_RATE:
        raise ValueError(f"between {MIN_RATE} and {MAX_RATE} words a minute")
    return value


def _volume(raw: object) -> float:
    value = float(str(raw))
    if not 0.0 <= value <= 1.0:
        raise ValueError("between 0.0 and 1.0")
    return value


def parse_flag(raw: object) -> bool:
    """A setting that is on or off: a TOML boolean, or 1/0, true/false, yes/no, on/off."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("true or false")


def _voice(raw: object) -> str | None:
    text = str(raw).strip()
    if not text or text.lower() == "default":
        return None
    if not all(c.isalnum() or c in "-_+/" for c in text):
        raise ValueError("letters, digits and - _ + / only")
    return text


def _cache_mb(raw: object) -> int:
    value = int(str(raw))
    if value < 1:
        raise ValueError("at least 1")
    return value


_PARSERS: dict[str, Any] = {
    "mode": lambda raw: VoiceMode(str(raw).strip().lower()),
    "voice": _voice,
    "rate": _rate,
    "volume": _volume,
    "backend": lambda raw: Backend(str(raw).strip().lower()),
    "rep_tick": parse_flag,
    "cache_dir": lambda raw: Path(str(raw)).expanduser(),
    "cache_mb": _cache_mb,
}


def clinic_defaults(
    *,
    enabled: bool,
    volume_percent: int,
    rate_wpm: int,
    voice_name: str,
    style: str = VoiceStyle.CLASSIC.value,
) -> VoiceSettings:
    """The voice defaults staff keep in the clinic settings, as voice settings.

    Out-of-range figures are clamped to what the voice supports rather than refused: the
    settings screen has its own (wider) bounds, and the kiosk must always start. A style
    this version does not know is the classic voice.
    """
    try:
        backend = VoiceStyle(style).backend
    except ValueError:
        backend = Backend.PYTTSX3
    return VoiceSettings(
        backend=backend,
        mode=VoiceMode.VOICE if enabled else VoiceMode.TONES,
        voice=voice_name.strip() or None,
        rate=max(MIN_RATE, min(MAX_RATE, rate_wpm)),
        volume=round(max(0.0, min(100, volume_percent)) / 100, 2),
    )
