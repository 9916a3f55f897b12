"""Test environment: Qt offscreen, SDL without a sound card, set before any Qt/pygame import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
# Keep the user's real data and cache directories out of every test run.
os.environ.pop("KIOSK_DATABASE_URL", None)
