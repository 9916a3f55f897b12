"""Standing demonstrations: at a chair, at a wall, squatting, and in the athletic stance.

The figure faces the patient (who sees it as in a mirror), the camera a little to one side so a
hinge at the hips and a bent knee show as well as a leg going out to the side. Written for the
LEFT leg; standing on one leg means standing on the right, whose ankle is the anchor so the
standing foot never slides.
"""

from __future__ import annotations

from media.demo.body import Pose
from media.demo.model import (
    Ball,
    Band,
    Camera,
    Chair,
    Demonstration,
    Guide,
    Limb,
    Move,
    Pillow,
    Wall,
)

FRONT = Camera(yaw=18.0, pitch=6.0)
#: At a wall on the figure's left: the camera stands to its right, looking at the wall's face.
AT_WALL = Camera(yaw=-25.0, pitch=15.0)

STANDING = Pose(l_sh_abd=10.0, r_sh_abd=10.0, l_elbow=12.0, r_elbow=12.0)

#: Hands resting on the hips, elbows out.
HANDS_ON_HIPS = dict(
    l_sh_abd=34.0, l_sh_rot=80.0, l_elbow=100.0, l_sh_flex=-14.0,
    r_sh_abd=34.0, r_sh_rot=80.0, r_elbow=100.0, r_sh_flex=-14.0,
)  # fmt: skip

#: The athletic ("ready") position: feet apart, knees softly bent, hips back a little.
ATHLETIC = STANDING._replace(
    trunk_flex=22.0,
    neck_flex=-14.0,
    l_hip_flex=32.0, r_hip_flex=32.0,
    l_knee=30.0, r_knee=30.0,
    l_ankle=-4.0, r_ankle=-4.0,
    l_hip_abd=9.0, r_hip_abd=9.0,
    **HANDS_ON_HIPS,
)  # fmt: skip


def _lateral_leg_raise() -> Demonstration:
    # "Stand beside a sturdy chair ... so you can hold on": right hand on the chair's back.
    start = STANDING._replace(
        r_sh_abd=30.0, r_sh_flex=8.0, r_elbow=28.0, r_sh_rot=10.0,
        l_sh_abd=42.0, l_sh_rot=70.0, l_elbow=105.0, l_sh_flex=-12.0,
        l_hip_abd=4.0, r_hip_abd=2.0,
    )  # fmt: skip
    # "Slowly lift that leg out to the side" — toes forward, hips level, body upright.
    raised = start._replace(l_hip_abd=32.0, l_ankle=8.0)
    return Demonstration(
        exercise_id="standing-lateral-leg-raise",
        arrow="l_ankle",
        start=start,
        moves={"raise": Move((raised,)), "lower": Move((start,))},
        camera=FRONT,
        props=(Chair(x=-0.62, z=0.02, back=1.0),),
        anchor=("r_ankle",),
        guide=Guide.LEVEL,
    )


def _wall_press() -> Demonstration:
    start = STANDING._replace(**HANDS_ON_HIPS)
    # "Lift the knee nearest the wall, about two thirds of the way up to hip height."
    lifted = start._replace(l_hip_flex=62.0, l_knee=85.0, l_ankle=15.0, l_hip_abd=6.0)
    # "Gently press your knee out into the pillow, and hold."
    pressed = lifted._replace(l_hip_abd=10.0, trunk_side=0.0)
    face = 0.36
    return Demonstration(
        exercise_id="standing-wall-press",
        arrow="l_knee",
        start=start,
        setup=(lifted,),
        moves={},
        hold=pressed,
        camera=AT_WALL,
        guide=Guide.LEVEL,
        props=(Wall(face=face, towards=1.0), Pillow(joint="l_knee", face=face)),
        anchor=("r_ankle",),
    )


def _ball_press() -> Demonstration:
    start = STANDING._replace(**HANDS_ON_HIPS)
    # "Bend the knee that has the ball beside it": the foot comes up behind, the thigh stays
    # down, the ball sits between the outside of the knee and the wall.
    bent = start._replace(l_knee=85.0, l_hip_flex=-4.0, l_ankle=25.0, l_hip_abd=5.0)
    # "Press the ball into the wall, and hold."
    pressed = bent._replace(l_hip_abd=9.0)
    face = 0.40
    return Demonstration(
        exercise_id="standing-ball-squeeze",
        arrow="l_knee",
        start=start,
        # The foot leaves the floor flat, then the knee bends it up behind.
        setup=(start._replace(l_hip_flex=10.0, l_knee=25.0, l_ankle=-15.0, l_hip_abd=5.0), bent),
        moves={},
        hold=pressed,
        camera=Camera(yaw=-15.0, pitch=10.0),
        guide=Guide.LEVEL,
        props=(
            Wall(face=face, towards=1.0),
            Ball(("l_knee",), 0.1, offset=(0.12, 0.07, 0.0), squash_joint="l_knee", wall_face=face),
        ),
        anchor=("r_ankle",),
    )


def _ball_squat() -> Demonstration:
    # "Stand tall with the ball in place": here between the knees (see docs/demonstrations.md).
    start = STANDING._replace(l_hip_abd=4.5, r_hip_abd=4.5)
    # "Bend at your hips and knees to squat down, keeping your back straight"; arms forward
    # for balance, knees over the feet.
    down = start._replace(
        trunk_flex=38.0, neck_flex=-20.0,
        l_hip_flex=85.0, r_hip_flex=85.0, l_knee=95.0, r_knee=95.0,
        l_ankle=-10.0, r_ankle=-10.0,  # feet flat: the shank leans as far as the thigh
        l_sh_flex=75.0, r_sh_flex=75.0, l_sh_abd=4.0, r_sh_abd=4.0, l_elbow=5.0, r_elbow=5.0,
    )  # fmt: skip
    return Demonstration(
        exercise_id="ball-squeeze-squat",
        start=start,
        moves={"lower": Move((down,)), "raise": Move((start,))},
        camera=Camera(yaw=38.0, pitch=6.0),
        props=(Ball(("l_knee", "r_knee"), 0.075, offset=(0.0, 0.0, 0.03)),),
        anchor=("l_ankle", "r_ankle"),
        working=(Limb.LEFT_LEG, Limb.RIGHT_LEG),
        sided=False,
        thumbnail="lower",
    )


def _functional_clamshell() -> Demonstration:
    # "Let one knee drift slowly inwards, just a little. Then turn that knee out, against the
    # pull of the band."
    # A deeper bend than the band walk's stance: the knee sits well in front of the line from
    # hip to ankle, so turning the leg about that line carries the knee visibly sideways.
    stance = ATHLETIC._replace(
        trunk_flex=28.0, l_hip_flex=50.0, r_hip_flex=50.0, l_knee=55.0, r_knee=55.0,
        l_ankle=-12.0, r_ankle=-12.0,
    )  # fmt: skip
    drift_in = stance._replace(l_swing=-18.0)
    turn_out = stance._replace(l_swing=40.0)
    return Demonstration(
        exercise_id="functional-clamshell",
        arrow="l_knee",
        start=stance,
        # "Come back to the start, and go again": the knee turns out, then back to neutral.
        moves={"in": Move((drift_in,)), "out": Move((turn_out, stance), key_at=0.5)},
        # From in front and above: the knee's path across, and the thigh turning out.
        camera=Camera(yaw=0.0, pitch=35.0),
        guide=Guide.LEVEL,
        props=(Band(at=0.88),),
        anchor=("l_ankle", "r_ankle"),
        thumbnail="out",
    )


STEP = 0.30  # metres carried sideways by one step


def _band_walk() -> Demonstration:
    # "Balance on one leg": standing on the right, the leading left foot just off the floor.
    ready = ATHLETIC._replace(
        r_hip_abd=7.0, l_hip_abd=12.0, l_hip_flex=55.0, l_knee=85.0, l_ankle=10.0
    )
    # "Step out to the side": the left foot lands wide, the body half-way across.
    wide = ATHLETIC._replace(x=STEP / 2, l_hip_abd=17.0, r_hip_abd=17.0)
    # "... then balance again on that same leg": the right foot follows, the left lifts.
    following = ATHLETIC._replace(
        x=STEP * 0.9, l_hip_abd=8.0, r_hip_abd=12.0, r_hip_flex=55.0, r_knee=85.0
    )
    return Demonstration(
        exercise_id="lateral-band-walk",
        start=ATHLETIC._replace(l_hip_abd=8.0, r_hip_abd=8.0),
        setup=(ready,),
        moves={"step": Move((wide,)), "balance": Move((following, ready._replace(x=STEP)))},
        camera=Camera(yaw=30.0, pitch=14.0),
        guide=Guide.LEVEL,
        props=(Band(at=0.9),),
        travel=STEP,
        thumbnail="step",
    )


def _single_leg_stance() -> Demonstration:
    """The balance check (the library's assessment ``single-leg-stance``)."""
    # "Stand beside a sturdy chair ... Stand tall, with your weight on both feet."
    start = STANDING._replace(
        r_sh_abd=30.0, r_sh_flex=8.0, r_elbow=28.0, r_sh_rot=10.0,
        l_hip_abd=4.0, r_hip_abd=2.0,
    )  # fmt: skip
    # "Lift one foot a little way off the floor": the knee comes forward a little and the foot
    # clears the floor in front, where the camera in front sees the gap under it.
    clear = start._replace(l_hip_flex=12.0, l_knee=18.0, l_ankle=-6.0)
    lifted = start._replace(l_hip_flex=42.0, l_knee=58.0, l_ankle=-4.0)
    return Demonstration(
        exercise_id="single-leg-stance",
        start=start,
        setup=(clear, lifted),
        moves={},
        hold=lifted,
        camera=FRONT,
        props=(Chair(x=-0.62, z=0.02, back=1.0),),
        anchor=("r_ankle",),
        guide=Guide.LEVEL,
    )


DEMONSTRATIONS = (
    _single_leg_stance(),
    _lateral_leg_raise(),
    _wall_press(),
    _ball_press(),
    _ball_squat(),
    _functional_clamshell(),
    _band_walk(),
)
