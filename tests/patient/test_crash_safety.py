"""SIGKILL at random moments of a real kiosk session, many times (tests/patient/crash_soak.py):
after each kill the database is intact, no finished set is lost or written twice, a session
with every set logged is finished, and the next check-in offers to carry on from the first
set not logged. The counts are printed with the test's result; ``make soak`` runs many more."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.patient.crash_soak import run_kills

KILLS = 24


@pytest.mark.slow
def test_killing_a_session_at_random_moments_loses_nothing_and_doubles_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = random.SystemRandom().randrange(1_000_000)
    counts = run_kills(tmp_path, KILLS, seed=seed)
    with capsys.disabled():  # the counts belong in make test's output
        print(f"\nkill -9, seed {seed}: {counts.line()}")
    assert counts.problems == []
    assert counts.kills == KILLS
    assert counts.sets_printed > 0  # the kills did land after sets had finished
    assert (counts.sets_lost, counts.sets_twice, counts.integrity_failures) == (0, 0, 0)
    assert (counts.offers_wrong, counts.unfinished_complete_sessions) == (0, 0)
