"""Voice test fixtures: a fake synthesizer (tests/voice/fakes.py) and a cache directory.

Tests that need pygame's mixer with another SDL driver run in a subprocess: the mixer is
process-global.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.voice.fakes import FakeSynth


@pytest.fixture
def fake_synth() -> FakeSynth:
    return FakeSynth()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    path = tmp_path / "voice-cache"
    path.mkdir(exist_ok=True)
    return path
