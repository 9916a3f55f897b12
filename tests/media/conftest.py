"""Fixtures for the library tests: a writable copy of the packaged library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from media.loader import DEFAULT_ROOT


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A copy of the packaged library that a test may break."""
    root = tmp_path / "library"
    shutil.copytree(DEFAULT_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root
