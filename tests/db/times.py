"""Fixed aware UTC times for the database tests."""

from __future__ import annotations

from datetime import UTC, datetime


def at(minute: int, second: float = 0.0) -> datetime:
    """An aware UTC time on a fixed test day."""
    whole = int(second)
    return datetime(2025, 3, 3, 10, minute, whole, int((second - whole) * 1e6), tzinfo=UTC)
