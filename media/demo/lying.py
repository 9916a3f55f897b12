"""Side-lying demonstrations: the clamshell, the lift and sweep, and the 3-minute hip series.

All lie on the right side so the LEFT leg is on top and works (the renderer mirrors them for
the right side). Hips are stacked one above the other (``roll = 90``: the pelvis square to the
floor), and the camera looks from in front and a little above, so a knee opening towards the
ceiling and a leg sweeping back are both visible. Each pose is checked against the exercise's
steps in ``media/library/exercises/<id>.toml``; the comments quote the step it shows.
"""

from __future__ import annotations

import math

from media.demo.body import Pose
from media.demo.model import Camera, Demonstration, Ease, Guide, Mat, Move

#: The hip series' camera: in front, towards the feet and a little above, so lifts (up), kicks
#: (forwards and back) and circles all show; one camera for the whole series, so the picture
#: does not jump between its exercises.
SIDE_CAMERA = Camera(yaw=28.0, pitch=30.0)
MAT = Mat(x0=-1.2, x1=1.0, z0=-0.3, z1=0.42)

#: Lying on the right side, head resting on the outstretched lower arm; the top hand rests on
#: the top hip. Legs straight and in line with the body.
SIDE_LYING = Pose(
    roll=90.0,
    trunk_side=-4.0,
    neck_side=-14.0,
    r_sh_abd=168.0,
    r_sh_flex=8.0,
    r_elbow=25.0,
    l_sh_abd=12.0,
    l_sh_flex=-5.0,
    l_sh_rot=0.0,
    l_elbow=35.0,
    l_hip_abd=-2.0,
    r_hip_abd=2.0,
    l_ankle=10.0,
    r_ankle=10.0,
)

#: Propped on the lower forearm, head on the hand ("rest your head on your hand").
HEAD_ON_HAND = SIDE_LYING._replace(
    trunk_side=22.0,  # the chest raised off the mat on the lower elbow
    neck_side=-6.0,
    r_sh_abd=120.0,  # the lower upper arm goes down to the elbow on the mat ...
    r_sh_flex=0.0,
    r_sh_rot=-90.0,  # ... turned so the forearm rises to the head
    r_elbow=140.0,
)


def _clamshell() -> Demonstration:
    # "Bring your knees forward, so your hips are bent about halfway. Bend your knees."
    bent = SIDE_LYING._replace(
        l_hip_flex=45.0, r_hip_flex=45.0, l_knee=95.0, r_knee=95.0, l_hip_abd=-4.0
    )
    # "Slowly lift your top knee away from the bottom knee ... while your feet stay together."
    opened = bent._replace(l_swing=42.0, l_hip_rot=0.0)
    return Demonstration(
        exercise_id="clamshell",
        arrow="l_knee",
        start=bent,
        moves={"raise": Move((opened,)), "lower": Move((bent,))},
        # From in front, a little towards the head and above: the knees come forwards and the
        # top one opens like a shell while the feet stay together.
        camera=Camera(yaw=60.0, pitch=35.0),
        props=(MAT,),
        guide=Guide.STACKED,
        thumbnail="raise",
    )


def _lift_and_sweep() -> Demonstration:
    # "Lie on your side, and rest your head on your hand. Bend your bottom knee."
    start = HEAD_ON_HAND._replace(
        r_hip_flex=40.0, r_knee=80.0, l_hip_flex=10.0, l_sh_abd=25.0, l_elbow=100.0
    )
    # "Bend your top knee. Let the foot touch down softly on the mat, ahead of you."
    foot_down = start._replace(l_hip_flex=55.0, l_knee=85.0, l_hip_abd=-14.0, l_ankle=20.0)
    # "Make your top leg straight, then raise it a little. Keep your body still."
    raised = start._replace(l_hip_flex=5.0, l_knee=0.0, l_hip_abd=28.0, l_ankle=15.0)
    # "Move the leg a little way back, without letting your hip rock."
    swept = raised._replace(l_hip_flex=-22.0, l_hip_abd=26.0)
    return Demonstration(
        exercise_id="side-lying-lift-and-sweep",
        arrow="l_ankle",
        start=foot_down,
        moves={
            "raise": Move((raised,)),
            "sweep": Move((swept,)),
            # Bending the knee on the way down: through a lower leg still behind, to the mat.
            "lower": Move((swept._replace(l_hip_abd=8.0, l_knee=40.0, l_hip_flex=10.0), foot_down)),
        },
        # "After the last repetition, keep the leg raised and behind you."
        hold=swept,
        camera=Camera(yaw=35.0, pitch=25.0),
        props=(MAT,),
        guide=Guide.STACKED,
        thumbnail="sweep",
    )


#: The hip series' shared start: lying on the side, head on the arm, bottom knee a little bent
#: for balance, top leg straight and in line with the body.
SERIES = SIDE_LYING._replace(r_hip_flex=30.0, r_knee=60.0, l_hip_flex=8.0)


def _small_leg_raises() -> Demonstration:
    # "Keep your top leg straight, with the foot pointing straight ahead. Lift it a small way."
    up = SERIES._replace(l_hip_abd=20.0)
    return Demonstration(
        exercise_id="small-leg-raises",
        arrow="l_ankle",
        start=SERIES,
        moves={"raise": Move((up,)), "lower": Move((SERIES,))},
        camera=SIDE_CAMERA,
        props=(MAT,),
        guide=Guide.STACKED,
    )


def _big_leg_lifts() -> Demonstration:
    # "Lift it up as high as you can while your body stays in line."
    up = SERIES._replace(l_hip_abd=48.0)
    return Demonstration(
        exercise_id="big-leg-lifts",
        arrow="l_ankle",
        start=SERIES,
        moves={"raise": Move((up,)), "lower": Move((SERIES,))},
        camera=SIDE_CAMERA,
        props=(MAT,),
        guide=Guide.STACKED,
    )


def _bicycle_to_sidekick() -> Demonstration:
    # The top leg is held at hip height throughout, so it can travel forwards and back.
    level = SERIES._replace(l_hip_abd=12.0, l_hip_flex=0.0)
    # "Bend at the top hip to bring your top leg forward" — the knee folds like pedalling.
    forward = level._replace(l_hip_flex=75.0, l_knee=70.0, l_hip_abd=10.0)
    # "Then kick that leg back behind you. Squeeze your buttock as the leg goes back."
    back = level._replace(l_hip_flex=-25.0, l_knee=5.0, l_hip_abd=14.0, l_ankle=25.0)
    return Demonstration(
        exercise_id="bicycle-to-sidekick",
        start=SERIES,
        setup=(level,),
        moves={
            "forward": Move((forward,)),
            # The kick goes back through a straightening leg, then returns to hip height
            # in line with the body, ready for the next forward.
            "back": Move((level._replace(l_hip_flex=30.0, l_knee=40.0), back, level), key_at=0.62),
        },
        camera=SIDE_CAMERA,
        props=(MAT,),
        guide=Guide.STACKED,
        thumbnail="forward",
    )


def _circle(direction: float) -> tuple[Pose, ...]:
    """Small circles drawn with the straight top leg: up, forward, down, back (or reversed).

    The foot goes round in the plane of the screen as the camera sees it; ``direction`` +1 is
    clockwise in the mirrored (left side) picture, and :attr:`keep_screen_direction` keeps it
    clockwise on the other side too.
    """
    steps = 8
    poses = []
    for k in range(1, steps + 1):
        angle = direction * 2 * math.pi * k / steps
        poses.append(
            SERIES._replace(
                l_hip_abd=18.0 + 8.0 * math.cos(angle), l_hip_flex=8.0 + 14.0 * math.sin(angle)
            )
        )
    return tuple(poses)


def _leg_circles(exercise_id: str, direction: float) -> Demonstration:
    circle = _circle(direction)
    # "Keep your top leg straight, and lift it a little." Circles start and end there.
    lifted = circle[-1]
    return Demonstration(
        exercise_id=exercise_id,
        start=SERIES,
        setup=(lifted,),
        moves={"circle": Move(circle, ease=Ease.LINEAR, key_at=0.25)},
        camera=SIDE_CAMERA,
        props=(MAT,),
        guide=Guide.STACKED,
        keep_screen_direction=True,
        thumbnail="circle",
        trail="l_ankle",
    )


DEMONSTRATIONS = (
    _clamshell(),
    _lift_and_sweep(),
    _small_leg_raises(),
    _big_leg_lifts(),
    _bicycle_to_sidekick(),
    _leg_circles("leg-circles-clockwise", 1.0),
    _leg_circles("leg-circles-counterclockwise", -1.0),
)
