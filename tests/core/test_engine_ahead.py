"""Cues announced ahead (an engine with ``lead_s``): every cue is announced exactly its lead
before its moment, with the clock reading it is due at, and still comes due at its moment;
what was announced and is not yet due is withdrawn when the session pauses, hurts, jumps or
ends."""

from __future__ import annotations

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import AheadCancelled, CueAhead, CueDue, SessionState, StateChanged
from kiosk.core.timeline import Cue
from tests.core.builders import Recorder, make_engine, run_by_deadlines, two_exercises

LEAD = 0.08


def test_without_a_lead_nothing_is_announced_ahead() -> None:
    engine, clock, rec = make_engine(two_exercises())
    engine.start()
    run_by_deadlines(engine, clock)
    assert rec.of(CueAhead) == []
    assert rec.of(AheadCancelled) == []


def test_every_cue_is_announced_its_lead_ahead_and_still_comes_due_at_its_moment() -> None:
    timeline = two_exercises()
    engine, clock, rec = make_engine(timeline, lead_s=LEAD)
    start = clock()
    announced: dict[int, float] = {}  # id(cue) -> clock reading when announced

    def note(event: object) -> None:
        if isinstance(event, CueAhead):
            announced[id(event.cue)] = clock()
            assert event.at == pytest.approx(start + event.cue.at_s)

    engine.subscribe(note)
    engine.start()
    run_by_deadlines(engine, clock)
    due = rec.cues()
    assert due == list(timeline.cues())  # every cue still comes due, in order
    assert all(e.late_s < 1e-6 for e in rec.of(CueDue))
    # Announced ahead: every cue not due at a step's very start (those come with start()).
    ahead = [e.cue for e in rec.of(CueAhead)]
    assert ahead == [c for c in due if start + c.at_s - LEAD > start]
    for cue in ahead:  # exactly its lead before its moment, by the deadlines the UI arms
        assert announced[id(cue)] == pytest.approx(start + cue.at_s - LEAD, abs=1e-9)
    assert rec.of(AheadCancelled) == []  # ran to the end undisturbed


def run_until_announced(engine: SessionEngine, clock: FakeClock, rec: Recorder) -> Cue:
    """Start and run by deadlines until a cue is announced and not yet due; that cue."""
    engine.start()
    while not rec.of(CueAhead):
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(deadline - clock())
        engine.update()
    pending: Cue = rec.of(CueAhead)[-1].cue
    return pending


def test_pausing_withdraws_what_was_announced_and_resuming_announces_it_again() -> None:
    timeline = two_exercises()
    engine, clock, rec = make_engine(timeline, lead_s=LEAD)
    pending = run_until_announced(engine, clock, rec)
    assert pending not in rec.cues()
    engine.pause()
    cancelled = [i for i, e in enumerate(rec.events) if isinstance(e, AheadCancelled)]
    paused = rec.events.index(StateChanged(SessionState.RUNNING, SessionState.PAUSED))
    assert len(cancelled) == 1
    assert cancelled[0] < paused
    clock.advance(5.0)
    engine.resume()
    run_by_deadlines(engine, clock)
    assert rec.cues() == list(timeline.cues())  # nothing lost, nothing twice
    assert [e.cue for e in rec.of(CueAhead)].count(pending) == 2  # announced again on resume


def test_a_jump_withdraws_what_was_announced() -> None:
    engine, clock, rec = make_engine(two_exercises(), lead_s=LEAD)
    pending = run_until_announced(engine, clock, rec)
    engine.next()
    assert len(rec.of(AheadCancelled)) == 1
    run_by_deadlines(engine, clock)
    # Withdrawn first: wherever the jump lands, the cue is due afresh (or never), so a voice
    # does not keep a sound placed for the old moment.
    withdrawn = next(i for i, e in enumerate(rec.events) if isinstance(e, AheadCancelled))
    assert all(i > withdrawn for i, e in enumerate(rec.events) if e == CueDue(pending, 0.0))
