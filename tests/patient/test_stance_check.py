"""The library's balance check compiles into an ordinary timeline: one hold per side."""

from __future__ import annotations

import pytest

from kiosk.core.compiler import compile_stance_check
from kiosk.core.events import SessionState
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Side, StepKind
from kiosk.patient.balance import STANCE_CHECK_ID, stance_check
from kiosk.text import t
from media.loader import load_library
from tests.core.builders import hold_rx, make_engine, reps_rx, run_by_deadlines

CHECK = stance_check(load_library().assessments[STANCE_CHECK_ID])


def test_the_check_is_a_hold_on_each_side_with_a_rest_and_switch_between() -> None:
    kinds = [(s.kind, s.side) for s in CHECK.timeline.steps]
    assert kinds == [
        (StepKind.INTRO, None),
        (StepKind.COUNTDOWN, Side.LEFT),
        (StepKind.HOLD, Side.LEFT),
        (StepKind.REST, Side.RIGHT),
        (StepKind.SWITCH_SIDE, Side.RIGHT),
        (StepKind.COUNTDOWN, Side.RIGHT),
        (StepKind.HOLD, Side.RIGHT),
        (StepKind.DONE, None),
    ]
    holds = [s for s in CHECK.timeline.steps if s.kind is StepKind.HOLD]
    assert [h.duration_s for h in holds] == [30.0, 30.0]  # the library's hold_s per side


def test_the_voice_counts_down_says_switch_legs_and_counts_the_last_five_seconds() -> None:
    said = [c.text for c in CHECK.timeline.cues() if c.text]
    assert said[0].startswith("One-leg balance check. Keep a hand close to your support")
    assert "Stand on your left leg." in said
    assert "Stand on your right leg." in said
    assert t("cue.stance_switch") in said
    assert t("cue.stance_rest") in said
    assert said[-1] == t("cue.stance_done")
    for hold in (s for s in CHECK.timeline.steps if s.kind is StepKind.HOLD):
        counts = [c.text for c in hold.cues if c.text and c.text.isdigit()]
        assert counts == ["5", "4", "3", "2", "1"]
        assert any(c.text == t("cue.halfway") for c in hold.cues)
    countdown = next(s for s in CHECK.timeline.steps if s.kind is StepKind.COUNTDOWN)
    assert [c.text for c in countdown.cues if c.text][1:] == ["3", "2", "1"]


def test_the_engine_runs_it_and_records_each_side() -> None:
    engine, clock, _ = make_engine(CHECK.timeline)
    engine.start()
    run_by_deadlines(engine, clock)
    assert engine.state is SessionState.FINISHED
    assert [(r.side, r.hold_done_s, r.status) for r in engine.records] == [
        (Side.LEFT, 30.0, SetStatus.COMPLETED),
        (Side.RIGHT, 30.0, SetStatus.COMPLETED),
    ]
    assert CHECK.questions == load_library().assessments[STANCE_CHECK_ID].watch_for


def test_only_a_hold_can_be_a_stance_check() -> None:
    with pytest.raises(ValueError, match="a stance check is a hold"):
        compile_stance_check(reps_rx())
    assert compile_stance_check(hold_rx()).steps[-1].kind is StepKind.DONE
