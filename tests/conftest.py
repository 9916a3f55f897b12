"""Test environment: Qt offscreen, SDL without a sound card, set before any Qt/pygame import;
English unless a test asks for the pseudo-language."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
# Keep the user's real data and cache directories out of every test run.
os.environ.pop("KIOSK_DATABASE_URL", None)
os.environ.pop("KIOSK_LANGUAGE", None)


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
