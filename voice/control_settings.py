"""Whether this kiosk listens for spoken commands, and to which microphone.

Per kiosk, not per clinic: one kiosk stands by the mats, another by a noisy treadmill. Staff
set it on the settings screen, which writes ``voice-control.toml`` beside the kiosk's
configuration file (0600); the environment (``KIOSK_VOICE_CONTROL=on|off``,
``KIOSK_MICROPHONE=<name>``) wins, as for the voice. Off unless staff switch it on. A bad
file is logged and ignored: the kiosk starts, by touch.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from voice.settings import config_path, parse_flag

log = logging.getLogger(__name__)

FILE_NAME = "voice-control.toml"


@dataclass(frozen=True)
class ControlSettings:
    enabled: bool = False
    microphone: str | None = None  # None: the system's default microphone
    #: Keep each utterance as a WAV file for a day (diagnosing a kiosk that mishears):
    #: ``capture = true`` in the file or ``KIOSK_VOICE_CAPTURE=on``. Off by default.
    capture: bool = False


def capture_folder() -> Path:
    from platformdirs import user_cache_dir

    from voice.settings import APP_NAME

    return Path(user_cache_dir(APP_NAME)) / "voice-capture"


def control_path(env: Mapping[str, str] | None = None) -> Path:
    return config_path(env).with_name(FILE_NAME)


def _on(raw: object) -> bool:
    """On or off (:func:`voice.settings.parse_flag`); an empty value is off."""
    return False if str(raw).strip() == "" else parse_flag(raw)


def load_control(env: Mapping[str, str] | None = None, path: Path | None = None) -> ControlSettings:
    env = os.environ if env is None else env
    path = control_path(env) if path is None else path
    enabled, microphone, capture = False, None, False
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            enabled = _on(data.get("enabled", False))
            capture = _on(data.get("capture", False))
            microphone = str(data["microphone"]).strip() or None if "microphone" in data else None
        except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
            log.warning("voice control: %s ignored (%s)", path, error)
            enabled, microphone, capture = False, None, False
    if "KIOSK_VOICE_CAPTURE" in env:
        try:
            capture = _on(env["KIOSK_VOICE_CAPTURE"])
        except ValueError as error:
            log.warning("voice control: KIOSK_VOICE_CAPTURE ignored (%s)", error)
    if "KIOSK_VOICE_CONTROL" in env:
        try:
            enabled = _on(env["KIOSK_VOICE_CONTROL"])
        except ValueError as error:
            log.warning("voice control: KIOSK_VOICE_CONTROL ignored (%s)", error)
    if env.get("KIOSK_MICROPHONE"):
        microphone = env["KIOSK_MICROPHONE"].strip() or None
    return ControlSettings(enabled, microphone, capture)


def overridden(env: Mapping[str, str] | None = None) -> list[str]:
    """The environment variables that decide over the staff's file now (:func:`load_control`):
    a staff choice they override is saved, and applies once they are removed."""
    env = os.environ if env is None else env
    names = []
    if "KIOSK_VOICE_CONTROL" in env:
        try:
            _on(env["KIOSK_VOICE_CONTROL"])
            names.append("KIOSK_VOICE_CONTROL")
        except ValueError:
            pass  # ignored by load_control, which logs it
    if env.get("KIOSK_MICROPHONE", "").strip():
        names.append("KIOSK_MICROPHONE")
    return names


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_control(settings: ControlSettings, path: Path | None = None) -> Path:
    """Write the staff's choice (0600, replaced atomically)."""
    path = control_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"enabled = {'true' if settings.enabled else 'false'}"]
    if settings.microphone:
        lines.append(f"microphone = {_quoted(settings.microphone)}")
    if settings.capture:
        lines.append("capture = true")
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(temporary, path)
    return path
