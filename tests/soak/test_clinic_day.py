"""The clinic-day soak (``make soak-day``) kept from rotting: a short day of its hardest
parts on the real window, and the verdict's rules on made-up days."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from kiosk.ui.timers import TimerFactory
from tests.soak.day import run_day
from tests.soak.probes import RSS_BUDGET_MB, Sample, judge
from tests.soak.visits import (
    ann_whole_session,
    lockout,
    staff_round,
    tom_carries_on,
    tom_pauses_and_walks_away,
)
from tests.voice.fakes import FakeOutput


@pytest.mark.slow
@pytest.mark.usefixtures("utc")
def test_three_visits_a_staff_round_and_a_lockout_on_the_real_window(tmp_path: Path) -> None:
    timers = TimerFactory()
    day = [
        (ann_whole_session,),
        (tom_pauses_and_walks_away, partial(staff_round, idle_lock=True)),
        (tom_carries_on, lockout),
    ]
    result = run_day(day, tmp_path, every=1, timers=timers, output=FakeOutput)
    assert [s.visits for s in result.samples] == [0, 1, 2, 3]
    tally = result.tally
    assert (tally["sessions started"], tally["sessions finished"]) == (2, 2)
    assert (tally["idle logouts"], tally["sessions carried on"]) == (1, 1)
    assert (tally["staff called"], tally["balance checks"]) == (1, 1)
    assert (tally["staff idle locks"], tally["check-in lockouts"]) == (1, 1)
    assert [t.objectName() for t in timers.active()] == []
    assert {g.key for g in judge(result.samples, warm_up=1)} >= {"rss_kb", "widgets", "files"}


def _day(widgets: list[int], rss_mb: list[float] | None = None) -> list[Sample]:
    """Samples after every ten visits, all alike but for widgets and resident memory."""
    same = Sample(
        visits=0, at="07:30", rss_kb=200_000, rss_raw_kb=200_000, peak_kb=200_000, files=12,
        db_files=3, db_in_use=0, threads=3, tasks=7, widgets=0, qobjects=100, gestures=4,
        timers=9, py_objects=10, py_blocks=10,
    )  # fmt: skip
    rss = rss_mb or [200.0] * len(widgets)
    return [
        replace(same, visits=10 * n, widgets=w, rss_kb=round(r * 1024))
        for n, (w, r) in enumerate(zip(widgets, rss, strict=True))
    ]


def _problems(samples: list[Sample]) -> list[str]:
    return [g.problem for g in judge(samples, warm_up=10) if g.problem]


def test_a_day_that_settles_after_the_warm_up_passes() -> None:
    assert _problems(_day([30, 60, 60, 60, 60, 60, 60])) == []


def test_a_count_that_steps_up_once_then_stays_is_no_leak() -> None:
    assert _problems(_day([30, 60, 60, 65, 65, 65, 65])) == []


def test_a_count_that_comes_and_goes_is_no_leak() -> None:
    assert _problems(_day([30, 61, 60, 61, 60, 60, 61])) == []


def test_a_count_still_growing_in_the_last_third_is_a_leak() -> None:
    (problem,) = _problems(_day([30, 60, 61, 60, 61, 61, 62]))
    assert problem == "widgets keep growing: at most 61 until 40 visits, 62 after 60"


def test_memory_past_its_budget_after_the_warm_up_fails() -> None:
    rss = [150.0, 190.0, 195.0, 196.0, 197.0, 198.0, 190.0 + RSS_BUDGET_MB + 0.5]
    (problem,) = _problems(_day([60] * 7, rss))
    assert problem == "RSS grew by 10.5 MB after the warm-up (budget 10 MB)"
