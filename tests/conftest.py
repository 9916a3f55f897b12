"""Test environment: Qt offscreen, SDL without a sound card, set before any Qt/pygame import;
English unless a test asks for the pseudo-language; never the user's voice cache or config."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
# Keep the user's real data and cache directories out of every test run.
os.environ.pop("KIOSK_DATABASE_URL", None)
os.environ.pop("KIOSK_LANGUAGE", None)
os.environ.pop("KIOSK_BACKUP_DIR", None)

# Databases on both backends, and the demo clinic (services, clock, wall clock), for every folder.
pytest_plugins = ["tests.db.fixtures", "tests.clinic"]


@pytest.fixture
def pseudo_language() -> None:
    """The kiosk in the pseudo-language (``kiosk/text/pseudo.py``) for one test (English
    comes back after it: :func:`_english_again_after_each_test`)."""
    from kiosk import text

    text.use(text.PSEUDO)


@pytest.fixture(autouse=True)
def _english_again_after_each_test() -> Iterator[None]:
    """Whatever a test switched to, the next one starts in English."""
    yield
    from kiosk import text

    text.use(text.REFERENCE)


_VOICE_ENV = (
    "KIOSK_VOICE_MODE",
    "KIOSK_VOICE",
    "KIOSK_VOICE_RATE",
    "KIOSK_VOICE_VOLUME",
    "KIOSK_VOICE_BACKEND",
    "KIOSK_VOICE_REP_TICK",
    "KIOSK_VOICE_CACHE_MB",
    "KIOSK_VOICE_CONTROL",
    "KIOSK_MICROPHONE",
)


@pytest.fixture(autouse=True)
def _isolated_voice_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's voice cache or kiosk configuration, whichever test builds a voice."""
    monkeypatch.setenv("KIOSK_VOICE_CACHE_DIR", str(tmp_path / "voice-cache"))
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "no-such-kiosk.toml"))
    for name in _VOICE_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _process_settings_restored() -> Iterator[None]:
    """``kiosk.cli.main`` sets the process's umask and its log (kiosk/cli/logs.py), as the
    kiosk must; a test that calls it in this process gets both back as they were."""
    import logging

    umask = os.umask(0o022)
    os.umask(umask)
    from kiosk.cli import logs

    root = logging.getLogger()
    level = root.level
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET_LOGGERS}
    yield
    os.umask(umask)
    for handler in [h for h in root.handlers if h.get_name() == logs.HANDLER_NAME]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)
