"""The library is written in our own words: no run of 8 words from a seed appears in it."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from media.loader import DEFAULT_ROOT
from tests.paths import REPO_ROOT

RUN = 8
SEEDS_DIR = Path(os.environ.get("KIOSK_SEEDS_DIR", REPO_ROOT.parent / "shared" / "seeds"))


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9']+", text)


def _runs(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _library_strings() -> Iterator[tuple[str, str]]:
    for path in sorted(DEFAULT_ROOT.rglob("*.toml")):
        with path.open("rb") as f:
            for text in _strings(tomllib.load(f)):
                yield path.name, text


def test_the_guard_catches_a_copied_sentence() -> None:
    seed = _runs(_words("Make sure you make the motion slow and controlled, try to minimize it"))
    copied = _words("Make sure you make the motion slow and controlled.")
    assert _runs(copied) & seed


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"no seed documents at {SEEDS_DIR}")
def test_no_seed_sentence_is_copied() -> None:
    seed_runs: set[tuple[str, ...]] = set()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    assert seeds
    for path in seeds:
        seed_runs |= _runs(_words(path.read_text(encoding="utf-8")))
    copied = [
        (name, text, " ".join(run))
        for name, text in _library_strings()
        for run in _runs(_words(text)) & seed_runs
    ]
    assert not copied, copied
