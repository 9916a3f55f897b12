"""The compiler on hand-picked prescriptions: step order, durations, cue texts and times."""

from __future__ import annotations

import itertools
import json

import pytest

from kiosk.core import cue_text
from kiosk.core.compiler import (
    compile_prescription,
    compile_program,
    estimate_duration_s,
    halfway_rep,
    timeline_to_dict,
)
from kiosk.core.timeline import CuePriority, Side, Step, StepKind, Timeline, Tone
from kiosk.text import t
from media.schema import Phase, Position, SidePattern
from tests.core.builders import first_step, hold_rx, program, reps_rx

L, R = Side.LEFT, Side.RIGHT
K = StepKind


def kinds(tl: Timeline) -> list[StepKind]:
    return [s.kind for s in tl.steps]


def set_order(tl: Timeline) -> list[tuple[int | None, str | None, Side | None]]:
    """(set, exercise, side) of each set's first work step, in timeline order."""
    out: list[tuple[int | None, str | None, Side | None]] = []
    for prev, step in zip((None, *tl.steps), tl.steps, strict=False):
        if step.kind in (K.REP, K.HOLD) and (prev is None or prev.kind not in (K.REP, K.HOLD)):
            out.append((step.set, step.exercise_id, step.side))
    return out


def texts(step: Step) -> list[str]:
    return [c.text for c in step.cues if c.text is not None]


def tones(step: Step) -> list[tuple[float, Tone]]:
    return [(c.at_s, c.tone) for c in step.cues if c.tone is not None]


# -- order of sets and steps -------------------------------------------------------------
@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        (SidePattern.ALTERNATE, [(1, L), (1, R), (2, L), (2, R), (3, L), (3, R)]),
        (SidePattern.EACH, [(1, L), (2, L), (3, L), (1, R), (2, R), (3, R)]),
        (SidePattern.NONE, [(1, None), (2, None), (3, None)]),
    ],
)
def test_sets_are_per_side_in_the_pattern_order(
    sides: SidePattern, expected: list[tuple[int, Side | None]]
) -> None:
    tl = compile_prescription(reps_rx(sets=3, sides=sides))
    assert [(n, side) for n, _, side in set_order(tl)] == expected


def test_step_sequence_of_an_alternating_exercise() -> None:
    tl = compile_prescription(reps_rx(sets=2, reps=2))
    work = [K.COUNTDOWN, K.REP, K.REP]
    between = [K.REST, K.SWITCH_SIDE]
    assert kinds(tl) == [
        K.INTRO,
        *work,
        *between,
        *work,
        *between,
        *work,
        *between,
        *work,
        K.DONE,
    ]


def test_each_switches_once_and_none_never() -> None:
    each = compile_prescription(reps_rx(sets=3, sides=SidePattern.EACH))
    none = compile_prescription(reps_rx(sets=3, sides=SidePattern.NONE))
    assert kinds(each).count(K.SWITCH_SIDE) == 1
    assert K.SWITCH_SIDE not in kinds(none)
    switch = first_step(each, K.SWITCH_SIDE)
    assert switch.side is R
    assert texts(switch) == ["Switch sides. Now your right leg."]


def test_zero_rest_leaves_the_rest_step_out() -> None:
    tl = compile_prescription(reps_rx(rest_s=0.0))
    assert K.REST not in kinds(tl)


def test_step_fields_say_where_we_are() -> None:
    tl = compile_prescription(reps_rx(sets=2, reps=3))
    rep = first_step(tl, K.REP, set=2, side=R, rep=3)
    assert (rep.exercise_index, rep.exercise_id, rep.title) == (0, "clamshell", "Clamshell")
    assert (rep.sets_total, rep.reps_total) == (2, 3)
    assert [s.index for s in tl.steps] == list(range(len(tl.steps)))
    assert tl.name == "Clamshell"


# -- intro, countdown, switch, rest, done -----------------------------------------------
def test_intro_names_the_exercise_and_two_key_points() -> None:
    tl = compile_prescription(reps_rx())
    intro = tl.steps[0]
    (text,) = texts(intro)
    assert text == "Clamshell. Keep your hips stacked. Move slowly."
    assert intro.cues[0].at_s == 0.0
    assert intro.cues[0].priority is CuePriority.INSTRUCTION
    assert intro.duration_s == 5.0  # 7 words: the 5 s minimum


def test_a_long_intro_gets_time_from_its_word_count() -> None:
    long_point = " ".join(["word"] * 30)
    intro = compile_prescription(reps_rx(key_points=(long_point,))).steps[0]
    words = cue_text.word_count(texts(intro)[0])
    assert intro.duration_s == pytest.approx(words / 2.5 + 1.0)


def test_countdown_announces_then_pips_three_two_one_and_go_starts_the_work() -> None:
    tl = compile_prescription(reps_rx(sets=3))
    countdown = first_step(tl, K.COUNTDOWN, set=2, side=L)
    start = countdown.start_s
    assert texts(countdown) == ["Set 2 of 3, left leg.", "3", "2", "1"]
    announce_ends = start + cue_text.speech_s("Set 2 of 3, left leg.")
    pips = [at for at, tone in tones(countdown) if tone is Tone.PIP]
    assert pips[0] >= announce_ends
    assert [b - a for a, b in itertools.pairwise(pips)] == [1.0, 1.0]
    assert countdown.end_s == pips[-1] + 1.0
    numbers = [c.at_s for c in countdown.cues if c.text in {"3", "2", "1"}]
    assert numbers == pips
    work = tl.steps[countdown.index + 1]
    assert (work.cues[0].at_s, work.cues[0].tone) == (countdown.end_s, Tone.GO)


def test_countdown_without_sides() -> None:
    tl = compile_prescription(reps_rx(sets=2, sides=SidePattern.NONE))
    assert texts(first_step(tl, K.COUNTDOWN, set=1))[0] == "Set 1 of 2."


def test_a_single_set_is_not_counted() -> None:
    tl = compile_prescription(reps_rx(sets=1, sides=SidePattern.EACH))
    assert texts(first_step(tl, K.COUNTDOWN, side=L))[0] == "Left leg."
    rest = first_step(tl, K.REST)
    assert texts(rest) == ["Rest. Next: right leg."]
    assert rest.next_up == "Right leg"
    single = compile_prescription(reps_rx(sets=1, sides=SidePattern.NONE))
    assert texts(first_step(single, K.COUNTDOWN))[0] == "Get ready."


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (Position.SIDE_LYING, 8.0),
        (Position.PRONE, 8.0),
        (Position.STANDING, 6.0),
        (None, 6.0),
    ],
)
def test_switching_sides_takes_longer_when_the_patient_turns_over(
    position: Position | None, expected: float
) -> None:
    tl = compile_prescription(reps_rx(position=position))
    assert first_step(tl, K.SWITCH_SIDE).duration_s == expected


def test_rest_between_sets_says_what_is_next() -> None:
    tl = compile_prescription(reps_rx(sets=2, rest_s=20.0))
    rest = first_step(tl, K.REST)
    assert rest.duration_s == 20.0
    assert texts(rest) == ["Rest. Next: set 1 of 2, right leg."]
    assert rest.next_up == "Set 1 of 2, right leg"
    assert (rest.set, rest.side, rest.title) == (1, R, "Rest")
    # On an alternating exercise the switch follows the rest.
    assert tl.steps[rest.index + 1].kind is K.SWITCH_SIDE


@pytest.mark.parametrize(
    ("rest_s", "expected"),
    [(4.0, ["Rest. Next: set 1 of 2, right leg."]), (3.0, ["Rest."]), (0.2, [])],
)
def test_a_short_rest_says_less_rather_than_talk_over_the_next_step(
    rest_s: float, expected: list[str]
) -> None:
    rest = first_step(compile_prescription(reps_rx(rest_s=rest_s)), K.REST)
    assert rest.duration_s == rest_s
    assert texts(rest) == expected


def test_rest_between_exercises_names_the_next_one() -> None:
    tl = compile_program(program(reps_rx(), hold_rx(), rest_between_exercises_s=15.0))
    intro2 = first_step(tl, K.INTRO, exercise_index=1)
    rest = tl.steps[intro2.index - 1]
    assert rest.kind is K.REST
    assert rest.duration_s == 15.0
    assert texts(rest) == ["Next up: Wall press."]
    assert rest.next_up == "Wall press"
    assert rest.exercise_index == 0  # it belongs to the exercise just finished
    no_rest = compile_program(program(reps_rx(), hold_rx(), rest_between_exercises_s=0.0))
    intro2 = first_step(no_rest, K.INTRO, exercise_index=1)
    assert no_rest.steps[intro2.index - 1].kind is K.REP


def test_done_closes_the_session() -> None:
    done = compile_prescription(reps_rx()).steps[-1]
    assert done.kind is K.DONE
    assert texts(done) == ["Well done. That's the end of today's session."]
    assert done.duration_s == 5.0
    assert (done.exercise_index, done.set, done.title) == (None, None, "Well done")


# -- repetitions -------------------------------------------------------------------------
def test_rep_phases_follow_the_tempo_with_the_rep_hold_after_the_first_phase() -> None:
    tempo = (Phase("raise", 2.0, "Lift"), Phase("lower", 3.0, "Lower"))
    tl = compile_prescription(reps_rx(tempo=tempo, rep_hold_s=1.5))
    rep = first_step(tl, K.REP, set=1, side=L, rep=2)
    assert [(p.name, p.word, p.duration_s) for p in rep.phases] == [
        ("raise", "Lift", 2.0),
        ("hold", "Hold", 1.5),
        ("lower", "Lower", 3.0),
    ]
    assert rep.phases[0].start_s == rep.start_s
    assert rep.phases[1].start_s == rep.start_s + 2.0
    assert rep.phases[-1].end_s == pytest.approx(rep.end_s)
    assert rep.duration_s == 6.5


def test_first_rep_instructs_and_later_reps_count() -> None:
    tl = compile_prescription(reps_rx(reps=3))
    rep1 = first_step(tl, K.REP, set=1, side=L, rep=1)
    rep2 = first_step(tl, K.REP, set=1, side=L, rep=2)
    assert texts(rep1) == ["Lift", "Lower"]
    assert all(c.priority is CuePriority.INSTRUCTION for c in rep1.cues)
    assert tones(rep1) == [(rep1.start_s, Tone.GO)]
    assert texts(rep2) == ["2", "Lower"]
    assert rep2.cues[0].at_s == rep2.start_s
    assert rep2.cues[0].priority is CuePriority.COUNT
    assert tones(rep2) == []


@pytest.mark.parametrize(("reps", "rep"), [(6, 4), (7, 5), (10, 6), (15, 9)])
def test_halfway_is_said_at_the_start_of_the_rep_after_the_midpoint(reps: int, rep: int) -> None:
    assert halfway_rep(reps) == rep
    tl = compile_prescription(reps_rx(reps=reps, sets=1, sides=SidePattern.NONE))
    halfway = [(s.rep, c) for s in tl.steps for c in s.cues if c.text == t("cue.halfway")]
    assert [r for r, _ in halfway] == [rep]
    step = first_step(tl, K.REP, rep=rep)
    assert halfway[0][1].priority is CuePriority.ENCOURAGEMENT
    assert halfway[0][1].at_s == step.start_s + cue_text.speech_s(str(rep))


def test_no_halfway_under_six_reps() -> None:
    tl = compile_prescription(reps_rx(reps=5))
    assert all(c.text != t("cue.halfway") for c in tl.cues())


def test_counts_that_do_not_fit_a_fast_tempo_are_dropped() -> None:
    tempo = (Phase("up", 0.3, "Up"), Phase("down", 0.3, "Down"))
    tl = compile_prescription(reps_rx(tempo=tempo, reps=4))
    # "Up"/"2" take 0.4 s: "Down" at 0.3 s would talk over them.
    assert texts(first_step(tl, K.REP, rep=1)) == ["Up"]
    assert texts(first_step(tl, K.REP, rep=2)) == ["2"]
    faster = (Phase("up", 0.15, "Up"), Phase("down", 0.15, "Down"))
    tl = compile_prescription(reps_rx(tempo=faster, reps=4))
    assert texts(first_step(tl, K.REP, rep=2)) == []  # "2" would outlast the rep


# -- holds -------------------------------------------------------------------------------
def test_a_30_s_hold_step() -> None:
    tl = compile_prescription(hold_rx(hold_s=30.0))
    hold = first_step(tl, K.HOLD, set=1, side=L)
    s = hold.start_s
    assert hold.duration_s == 30.0
    assert hold.rep is None
    assert [(c.at_s - s, c.text or c.tone) for c in hold.cues] == [
        (0.0, Tone.GO),
        (0.0, "Hold"),
        (15.0, "Halfway"),
        (25.0, "5"),
        (26.0, "4"),
        (27.0, "3"),
        (28.0, "2"),
        (29.0, "1"),
        (30.0, Tone.HOLD_END),
    ]
    assert hold.cues[-1].at_s == hold.end_s  # HOLD_END: inside the hold, at its very end
    assert [(p.name, p.duration_s) for p in hold.phases] == [("hold", 30.0)]


def test_a_short_hold_has_no_halfway_and_counts_only_what_fits() -> None:
    hold = first_step(compile_prescription(hold_rx(hold_s=4.0)), K.HOLD)
    assert texts(hold) == ["Hold", "3", "2", "1"]
    assert hold.cues[-1].tone is Tone.HOLD_END


def test_final_hold_is_its_own_hold_step_closing_each_set() -> None:
    tl = compile_prescription(reps_rx(reps=3, final_hold_s=10.0, sides=SidePattern.EACH))
    last_rep = first_step(tl, K.REP, set=1, side=L, rep=3)
    final = tl.steps[last_rep.index + 1]
    assert final.kind is K.HOLD
    assert (final.set, final.side, final.duration_s) == (1, L, 10.0)
    assert texts(final)[0] == "Hold"
    assert final.cues[-1].tone is Tone.HOLD_END
    assert sum(1 for s in tl.steps if s.kind is K.HOLD) == 4


# -- side series -------------------------------------------------------------------------
def test_side_series_runs_everything_left_then_everything_right() -> None:
    a = reps_rx(exercise_id="a", name="Small leg raises", sets=1, sides=SidePattern.EACH)
    b = reps_rx(exercise_id="b", name="Big leg lifts", sets=2, sides=SidePattern.ALTERNATE)
    c = reps_rx(exercise_id="c", name="Bridge", sets=1, sides=SidePattern.NONE)
    tl = compile_program(program(a, b, c, side_series=True, rest_between_exercises_s=5.0))
    assert set_order(tl) == [
        (1, "a", L),
        (1, "b", L),
        (2, "b", L),
        (1, "c", None),
        (1, "a", R),
        (1, "b", R),
        (2, "b", R),
    ]
    assert kinds(tl).count(K.SWITCH_SIDE) == 1
    assert [s.exercise_id for s in tl.steps if s.kind is K.INTRO] == ["a", "b", "c"]
    switch = first_step(tl, K.SWITCH_SIDE)
    assert (switch.exercise_id, switch.side) == ("a", R)
    assert texts(first_step(tl, K.COUNTDOWN, exercise_id="a", side=R)) == [
        "Small leg raises, right side.",
        "3",
        "2",
        "1",
    ]
    assert texts(first_step(tl, K.COUNTDOWN, exercise_id="b", side=R, set=1))[0] == (
        "Big leg lifts, right side. Set 1 of 2."
    )
    assert texts(first_step(tl, K.COUNTDOWN, exercise_id="b", side=R, set=2))[0] == (
        "Set 2 of 2, right leg."
    )
    rest_before_b_right = tl.steps[first_step(tl, K.COUNTDOWN, exercise_id="b", side=R).index - 1]
    assert rest_before_b_right.kind is K.REST
    assert rest_before_b_right.next_up == "Big leg lifts"


# -- helpers for the cards and the CLI ---------------------------------------------------
def test_estimate_is_the_exercise_without_the_closing_step() -> None:
    for rx in (reps_rx(), hold_rx(), reps_rx(final_hold_s=10.0, sides=SidePattern.EACH)):
        tl = compile_prescription(rx)
        assert estimate_duration_s(rx) == pytest.approx(tl.total_s - tl.steps[-1].duration_s)


def test_timeline_to_dict_is_the_cli_json_shape() -> None:
    tl = compile_prescription(hold_rx(hold_s=10.0 / 3, sides=SidePattern.EACH, sets=1))
    d = timeline_to_dict(tl)
    json.dumps(d)  # plain JSON types only
    assert d["exercise"] == "Wall press"
    assert d["total_s"] == round(tl.total_s, 3)
    assert [s["kind"] for s in d["steps"]] == [s.kind.value for s in tl.steps]
    hold = next(s for s in d["steps"] if s["kind"] == "hold")
    assert set(hold) == {
        "kind",
        "set",
        "side",
        "rep",
        "start_s",
        "duration_s",
        "title",
        "phases",
        "cues",
    }
    assert (hold["set"], hold["side"], hold["rep"], hold["title"]) == (
        1,
        "left",
        None,
        "Wall press",
    )
    assert hold["duration_s"] == 3.333
    assert hold["cues"][0] == {"at_s": hold["start_s"], "tone": "go"}
    assert hold["cues"][1] == {"at_s": hold["start_s"], "text": "Hold"}
    assert hold["phases"][0]["name"] == "hold"
    assert d["steps"][0]["side"] is None
