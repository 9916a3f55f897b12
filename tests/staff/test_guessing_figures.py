"""The figures in docs/security.md ("Staff accounts"): how many PINs a guesser at the pad gets
in a day, at the loosest, default and strictest back-off settings, with nobody unlocking.

A fake clock and a real database; the guesser types a wrong PIN the moment the pad allows it
and, once sign-in is locked, tries the named unlock under one staff member's name.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from db.repositories.audit import Action, entries
from db.repositories.settings import SettingsRepository
from db.repositories.staff import StaffRepository
from kiosk.core.clock import FakeClock
from kiosk.core.pin import ScryptParams
from kiosk.staff.auth import LoginOutcome, StaffGate

CHEAP = ScryptParams(log2_n=4, r=8, p=1)
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DAY_S = 24 * 3600.0

LOOSEST = {"pin_free_failures": 10, "pin_backoff_base_s": 0.1, "pin_backoff_max_s": 1}
STRICTEST = {"pin_free_failures": 0, "pin_backoff_base_s": 60, "pin_backoff_max_s": 3600}


def _a_day_of_guessing(engine: Engine, settings: dict[str, float]) -> tuple[int, int, float]:
    """(PINs tried at the pad, PINs tried to unlock, seconds until sign-in locked)."""
    anna = StaffRepository(engine, CHEAP).add("Anna", "583920")
    if settings:
        SettingsRepository(engine).update("IT", **settings)
    clock = FakeClock()
    began = clock()

    def wall_clock() -> datetime:
        return START + timedelta(seconds=clock() - began)

    gate = StaffGate(engine, clock, wall_clock=wall_clock, pin_params=CHEAP)
    guesses = (f"{n:06d}" for n in range(100_000, 1_000_000) if n != 583920)
    while (result := gate.try_pin(next(guesses))).outcome is not LoginOutcome.LOCKED:
        clock.advance(result.wait_s)  # the guesser types again the moment the pad allows
    locked_after_s = clock() - began
    while gate.try_unlock(anna.id, next(guesses)).outcome is LoginOutcome.WRONG:
        pass
    clock.advance(DAY_S - (clock() - began))
    assert gate.try_pin(next(guesses)).outcome is LoginOutcome.LOCKED  # still, a day later
    counted = Counter(e.action for e in entries(engine, limit=1000))
    return counted[Action.PIN_FAILED], counted[Action.UNLOCK_FAILED], locked_after_s


@pytest.mark.parametrize(
    ("settings", "seconds_to_lock"),
    [(LOOSEST, 6.5), ({}, 2611), (STRICTEST, 50580)],
    ids=["loosest", "default", "strictest"],
)
def test_a_guesser_gets_25_pins_a_day_whatever_the_settings(
    engine: Engine, settings: dict[str, float], seconds_to_lock: float
) -> None:
    pad, unlocks, locked_after = _a_day_of_guessing(engine, settings)
    assert (pad, unlocks) == (20, 5)
    assert locked_after == pytest.approx(seconds_to_lock)  # 6.5 s, 43.5 min, 14 h
