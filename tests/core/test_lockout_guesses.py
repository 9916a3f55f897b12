"""How many codes a guesser gets through the check-in lockout, at the strictest and loosest
settings staff can choose: simulated guessers against the real rule, a year on a fake clock.

The guesser types a new code every :data:`TYPE_S` seconds whenever check-in is open, around
the clock, on every kiosk of the clinic at once (the count is shared, so more kiosks give no
more guesses). Several ways of guessing are tried and the best one counts: as fast as allowed;
paced to stay just under the count that pauses; and waiting out days of calm after each pause
for shorter pauses. The figures are in ``docs/security.md`` ("Check-in codes"); this test
checks them there, so the document cannot drift from the rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.lockout import (
    CALM_S,
    FAILURES_BOUNDS,
    PAUSE_BOUNDS_S,
    WINDOW_BOUNDS_S,
    LockoutSettings,
    LockoutState,
)

#: Seconds per guess: six digits and OK, as fast as a hand goes (the answer floor included).
TYPE_S = 2.0
DAYS = 365
#: Codes a guesser who knows how codes are made picks from (kiosk/core/codes.py: six digits,
#: no leading 0, no trivial ones), and the patients who have a program on a day.
CODE_SPACE = 896_112
SCHEDULED = 60

STRICTEST = LockoutSettings(
    max_failures=FAILURES_BOUNDS[0], window_s=WINDOW_BOUNDS_S[1], pause_s=PAUSE_BOUNDS_S[1]
)
LOOSEST = LockoutSettings(
    max_failures=FAILURES_BOUNDS[1], window_s=WINDOW_BOUNDS_S[0], pause_s=PAUSE_BOUNDS_S[0]
)
START = datetime(2026, 1, 5, tzinfo=UTC)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

Strategy = Callable[[LockoutState, datetime, LockoutSettings], datetime]


def as_fast_as_allowed(state: LockoutState, now: datetime, _s: LockoutSettings) -> datetime:
    """When to type the next code: now, or when the pause ends."""
    return now + timedelta(seconds=state.seconds_left(now))


def just_under_the_count(state: LockoutState, now: datetime, s: LockoutSettings) -> datetime:
    """Never the code that would pause: wait for the oldest counted one to leave the window."""
    now = as_fast_as_allowed(state, now, s)
    counted = state.counted(now, s)
    if len(counted) < s.max_failures - 1:
        return now
    return counted[0].at + timedelta(seconds=s.window_s, microseconds=1)


def calm_after_each_pause(days: int) -> Strategy:
    def strategy(state: LockoutState, now: datetime, s: LockoutSettings) -> datetime:
        if state.is_paused(now) and state.paused_until is not None:
            return state.paused_until + timedelta(seconds=days * CALM_S)
        return now

    strategy.__name__ = f"calm_{days}_days_after_each_pause"
    return strategy


STRATEGIES: tuple[Strategy, ...] = (
    as_fast_as_allowed,
    just_under_the_count,
    *(calm_after_each_pause(d) for d in (1, 2, 3, 7)),
)


@dataclass(frozen=True)
class Attack:
    strategy: str
    first_day: int
    year: int

    @property
    def per_day(self) -> float:
        return self.year / DAYS

    @property
    def hits_per_year(self) -> float:
        return self.year * SCHEDULED / CODE_SPACE


def fingerprints() -> Iterator[str]:
    return (f"{n:012x}" for n in itertools.count())


def attack(settings: LockoutSettings, strategy: Strategy) -> Attack:
    """A year of guessing by ``strategy``; every code a different one."""
    state, now, guesses = LockoutState(), START, 0
    first_day = 0
    end, day_one = START + timedelta(days=DAYS), START + timedelta(days=1)
    marks = fingerprints()
    while True:
        now = strategy(state, now, settings)
        if now >= end:
            break
        assert not state.is_paused(now), "a guess during a pause"
        state = state.record_wrong(now, next(marks), settings)
        guesses += 1
        first_day += now < day_one
        now += timedelta(seconds=TYPE_S)
    return Attack(strategy.__name__, first_day, guesses)


def best_attack(settings: LockoutSettings) -> Attack:
    return max((attack(settings, s) for s in STRATEGIES), key=lambda a: a.year)


def old_rule_guesses_per_day() -> int:
    """The rule before issue 13, per kiosk: ten wrong codes within 300 s, then 60 s."""
    return int(86400 // (10 * TYPE_S + 60)) * 10


@pytest.mark.parametrize(
    ("settings", "most_per_day", "most_hits_per_year"),
    [(STRICTEST, 6, 0.15), (LOOSEST, 15, 0.4)],
    ids=["strictest", "loosest"],
)
def test_no_setting_makes_guessing_pay(
    settings: LockoutSettings, most_per_day: float, most_hits_per_year: float
) -> None:
    best = best_attack(settings)
    assert best.per_day <= most_per_day, best
    assert best.hits_per_year <= most_hits_per_year, best
    # Each way of guessing was really held back by the rule (it is the rule that limits them,
    # not the typing speed): the fastest guesser gets thousands of times fewer than typing allows.
    assert attack(settings, as_fast_as_allowed).year * TYPE_S < DAYS * 86400 / 1000


def test_the_old_rule_let_a_guesser_find_a_patient_about_every_day() -> None:
    per_day = old_rule_guesses_per_day()
    assert per_day > 10_000
    assert per_day * SCHEDULED / CODE_SPACE > 0.7  # hits a day, per kiosk


def test_security_md_states_these_figures() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Check-in codes", 1)[1].split("\n## ", 1)[0]
    for name, settings in (("strictest", STRICTEST), ("loosest", LOOSEST)):
        best = best_attack(settings)
        line = next(row for row in section.splitlines() if row.startswith(f"| {name}"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[2:6] == [
            f"{best.first_day:,}",
            f"{best.per_day:.1f}",
            f"{best.per_day * SCHEDULED / CODE_SPACE:.5f}",
            f"{best.hits_per_year:.2f}",
        ], (name, best)
    assert re.search(rf"\b{old_rule_guesses_per_day():,}\b", section)


if __name__ == "__main__":  # the figures for docs/security.md
    for label, s in (("strictest", STRICTEST), ("loosest", LOOSEST)):
        for strat in STRATEGIES:
            print(label, attack(s, strat))
        b = best_attack(s)
        print(label, "BEST", b, f"{b.per_day:.1f}/day {b.hits_per_year:.3f} hits/yr")
    print("old", old_rule_guesses_per_day())
