"""Floor demonstrations: face down (prone) and on hands and knees.

Both turn the body so its front faces the floor (``pitch = 90``) and its head points along the
mat (``yaw = -90``); the camera looks from behind and above, where legs going up and out to the
side both show (so the four-point lift is not mirrored: see ``mirror_left``).
"""

from __future__ import annotations

from media.demo.body import Pose
from media.demo.model import Camera, Demonstration, Guide, Limb, Mat, Move

MAT = Mat(x0=-1.15, x1=1.2, z0=-0.45, z1=0.45)


def _four_point() -> Demonstration:
    # "Hands right under your shoulders, and knees right under your hips. Keep your back long."
    # The trunk tilts 8° (head higher): arms are longer than thighs. Arms and thighs upright,
    # shins and the tops of the feet flat on the mat.
    tilt = 8.0
    start = Pose(
        yaw=-90.0,
        pitch=90.0 - tilt,
        neck_flex=-12.0,
        l_hip_flex=90.0 - tilt, r_hip_flex=90.0 - tilt,  # thighs upright
        l_knee=90.0, r_knee=90.0,
        l_ankle=80.0, r_ankle=80.0,
        l_hip_abd=0.0, r_hip_abd=0.0,
        l_sh_flex=90.0 - tilt, r_sh_flex=90.0 - tilt,
        l_sh_abd=0.0, r_sh_abd=0.0, l_elbow=0.0, r_elbow=0.0,
        l_wrist=80.0, r_wrist=80.0,  # palms flat on the mat
    )  # fmt: skip
    # "Slide one leg straight back behind you. Lift that leg until it is level with the floor."
    slid = start._replace(l_hip_flex=40.0, l_knee=35.0, l_ankle=80.0)  # the toes on the mat
    level = start._replace(l_hip_flex=-tilt, l_knee=0.0, l_ankle=30.0)
    # "Slowly move the straight leg out to the side, then bring it back in line."
    out = level._replace(l_hip_abd=32.0)
    return Demonstration(
        exercise_id="four-point-hip-abduction",
        arrow="l_ankle",
        start=start,
        setup=(slid, level),
        moves={"out": Move((out,)), "in": Move((level,))},
        # From behind, a little to the right and above: the straight leg swings out to the
        # side across the picture. Seen from behind, the figure's left is already on the
        # screen's left, so this view is not mirrored.
        camera=Camera(yaw=125.0, pitch=35.0),
        guide=Guide.LEVEL,
        mirror_left=False,
        props=(MAT,),
        # The hands and the supporting knee stay where they are on the mat.
        anchor=("l_wrist", "r_wrist", "r_knee"),
        thumbnail="out",
    )


def _prone_straddle() -> Demonstration:
    # "Lie on your front. Reach your arms out past your head, beside your ears."
    start = Pose(
        yaw=-90.0,
        pitch=90.0,
        neck_flex=-8.0,
        l_sh_flex=172.0, r_sh_flex=172.0, l_sh_abd=8.0, r_sh_abd=8.0,
        l_elbow=5.0, r_elbow=5.0,
        l_hip_abd=2.0, r_hip_abd=2.0, l_ankle=80.0, r_ankle=80.0,
    )  # fmt: skip
    # "Lift both legs off the floor, keeping them straight."
    lifted = start._replace(l_hip_flex=-16.0, r_hip_flex=-16.0)
    # "Move your legs apart, out to the sides, at the same height. Hold them there."
    opened = lifted._replace(l_hip_abd=24.0, r_hip_abd=24.0)
    return Demonstration(
        exercise_id="prone-straddle-hold",
        arrow="l_ankle",
        start=start,
        setup=(lifted, opened),
        moves={},
        hold=opened,
        # From behind the feet and above: the legs open into a V.
        camera=Camera(yaw=120.0, pitch=30.0),
        props=(MAT,),
        anchor=("pelvis",),  # the body rests on the mat while the legs lift
        working=(Limb.LEFT_LEG, Limb.RIGHT_LEG),
        sided=False,
    )


DEMONSTRATIONS = (_four_point(), _prone_straddle())
