"""The WAV cache: keys, atomic writes from several processes, the size bound."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT
from tests.voice.fakes import sine_pcm
from voice.cache import WavCache, cache_key
from voice.wav import WavError, check_speech, first_loud_frame, read_wav, write_wav


def write_sine(path: Path) -> None:
    write_wav(path, sine_pcm(0.3, lead_s=0.2))


def test_the_key_covers_backend_voice_rate_and_text() -> None:
    base = cache_key("pyttsx3", None, 150, "Hold")
    variants = {
        cache_key("espeak-ng", None, 150, "Hold"),
        cache_key("pyttsx3", "en-gb", 150, "Hold"),
        cache_key("pyttsx3", None, 170, "Hold"),
        cache_key("pyttsx3", None, 150, "Hold."),
    }
    assert base not in variants
    assert len(variants) == 4
    assert cache_key("pyttsx3", None, 150, "Hold") == base


def test_put_stores_a_checked_trimmed_file_and_get_finds_it(tmp_path: Path) -> None:
    cache = WavCache(tmp_path, max_bytes=10**7)
    key = cache_key("fake", None, 150, "Hold")
    assert cache.get(key) is None
    path = cache.put(key, write_sine)
    assert cache.get(key) == path
    stored = read_wav(path)
    onset = first_loud_frame(stored)
    assert onset is not None
    assert onset < 5  # the 0.2 s of leading silence is gone
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_a_failed_render_stores_nothing(tmp_path: Path) -> None:
    cache = WavCache(tmp_path, max_bytes=10**7)

    def silent(path: Path) -> None:
        path.write_bytes(b"RIFF")

    with pytest.raises(WavError):
        cache.put(cache_key("fake", None, 150, "x"), silent)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


WRITER = """
import sys
from pathlib import Path
from voice.cache import WavCache, cache_key
from tests.voice.test_cache import write_sine

cache = WavCache(Path(sys.argv[1]), max_bytes=10**8)
for _ in range(int(sys.argv[2])):
    cache.put(cache_key("fake", None, 150, "Shared"), write_sine)
"""


def test_two_processes_writing_one_entry_never_leave_a_broken_file(tmp_path: Path) -> None:
    """Two kiosks on a shared cache: readers always find a whole, valid file (or none)."""
    root = REPO_ROOT
    env = dict(os.environ, PYTHONPATH=str(root))
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "30"], cwd=root, env=env)
        for _ in range(2)
    ]
    cache = WavCache(tmp_path, max_bytes=10**8)
    key = cache_key("fake", None, 150, "Shared")
    checked = 0
    while any(w.poll() is None for w in writers):
        path = cache.get(key)
        if path is not None:
            try:
                assert check_speech(path).seconds > 0.25
                checked += 1
            except FileNotFoundError:  # replaced between get and open: fine, never half a file
                pass
    assert [w.returncode for w in writers] == [0, 0]
    path = cache.get(key)
    assert path is not None
    assert check_speech(path).seconds > 0.25
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_size_bound_removes_the_least_recently_used(tmp_path: Path) -> None:
    cache = WavCache(tmp_path, max_bytes=10**9)
    paths = [cache.put(cache_key("fake", None, 150, f"text {i}"), write_sine) for i in range(6)]
    size = paths[0].stat().st_size
    now = time.time()
    for age, path in enumerate(reversed(paths)):  # paths[0] is the oldest
        os.utime(path, (now - 100 * age, now - 100 * age))
    cache.get(cache_key("fake", None, 150, "text 0"))  # used just now: kept
    orphan = paths[0].parent / ".half-written.123.abcd.tmp.wav"
    orphan.write_bytes(b"x")
    os.utime(orphan, (now - 7200, now - 7200))
    cache.max_bytes = size * 4
    removed = cache.prune()
    assert removed == 3  # 6 entries down to 80 % of 4
    kept = {p for p in paths if p.exists()}
    assert kept == {paths[0], paths[4], paths[5]}
    assert not orphan.exists()
    assert cache.total_bytes() <= cache.max_bytes


def test_writing_past_the_bound_prunes_by_itself(tmp_path: Path) -> None:
    cache = WavCache(tmp_path, max_bytes=10**9)
    first = cache.put(cache_key("fake", None, 150, "first"), write_sine)
    cache.max_bytes = first.stat().st_size * 3
    for i in range(8):
        cache.put(cache_key("fake", None, 150, f"more {i}"), write_sine)
    assert cache.total_bytes() <= cache.max_bytes
