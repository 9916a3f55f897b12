"""The demonstration figure's body: a pose in joint angles, and where that puts each joint.

A pose is written the way a physiotherapist describes one ("hip flexed 45°, knee bent 90°,
top knee opened 35°"), not as screen coordinates: angles interpolate without limbs stretching
or shrinking half-way, one pose serves every camera angle, and the same leg lift reads the same
standing, lying on the side or on hands and knees. Forward kinematics turns the angles into 3-D
joint positions (metres); :mod:`media.demo.scene` projects them for the renderer.

Coordinates. The body frame: X to the figure's LEFT, Y up (towards the head), Z forwards (the
way the chest faces); a right-handed frame. The world: Y up, the floor is ``y = 0``. A pose's
``yaw``/``pitch``/``roll`` turn the body frame into the world (``roll = 90`` lies the figure on
its right side), and the body is then put down on the floor (see :func:`skeleton`).

Pure Python and Qt-free: the kiosk's start-up never pays for it, and mypy checks it strictly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows

# -- body measurements (metres): friendly proportions, a slightly large head ---------------

HEAD_R = 0.115
NECK = 0.07
TRUNK = 0.50  # pelvis centre to the base of the neck
SHOULDER_HALF = 0.18
HIP_HALF = 0.095
THIGH = 0.44
SHANK = 0.43
FOOT = 0.16
UPPER_ARM = 0.29
FOREARM = 0.25
HAND = 0.09

#: Half the drawn thickness of each part, also used to rest the body on the floor.
RADIUS = {
    "head": HEAD_R,
    "neck": 0.05,
    "shoulder": 0.06,
    "elbow": 0.042,
    "wrist": 0.036,
    "hand": 0.045,
    "pelvis": 0.11,
    "chest": 0.11,
    "hip": 0.075,
    "knee": 0.055,
    "ankle": 0.045,
    "toe": 0.035,
    "heel": 0.04,
}


class Pose(NamedTuple):
    """One moment of the figure, in degrees (and metres for ``x``/``z``/``lift``).

    Legs: ``hip_flex`` brings the thigh forwards, ``hip_abd`` out to the side, ``hip_rot``
    turns it outwards (external rotation; toes point out), ``knee`` bends it, ``ankle`` points
    the toes, ``swing`` turns the whole leg about the line from hip to ankle (positive: the knee
    goes outwards while the foot stays put — a clamshell opening, a knee turning out against a
    band). Arms: ``sh_flex`` raises the arm forwards, ``sh_abd`` out to the side, ``sh_rot``
    turns it inwards, ``elbow`` bends it. Trunk: ``trunk_flex`` bends forwards, ``trunk_side``
    bends towards the left. ``x``/``z`` place the body on the floor (see the demonstration's
    anchor); ``lift`` raises it off the floor (rarely needed).

    A NamedTuple of floats so that blending two poses is one loop over the fields.
    """

    x: float = 0.0
    z: float = 0.0
    lift: float = 0.0
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    trunk_flex: float = 0.0
    trunk_side: float = 0.0
    trunk_twist: float = 0.0
    neck_flex: float = 0.0
    neck_side: float = 0.0
    l_hip_flex: float = 0.0
    l_hip_abd: float = 3.0
    l_hip_rot: float = 0.0
    l_knee: float = 0.0
    l_ankle: float = 0.0
    l_swing: float = 0.0
    r_hip_flex: float = 0.0
    r_hip_abd: float = 3.0
    r_hip_rot: float = 0.0
    r_knee: float = 0.0
    r_ankle: float = 0.0
    r_swing: float = 0.0
    l_sh_flex: float = 0.0
    l_sh_abd: float = 8.0
    l_sh_rot: float = 0.0
    l_elbow: float = 10.0
    r_sh_flex: float = 0.0
    r_sh_abd: float = 8.0
    r_sh_rot: float = 0.0
    r_elbow: float = 10.0
    pelvis_tilt: float = 0.0
    pelvis_drop: float = 0.0
    l_wrist: float = 0.0
    r_wrist: float = 0.0


#: What a body can do (degrees), per :class:`Pose` field; ``tests/media/demo`` checks every
#: demonstration stays inside them. A friendly adult's ranges, not an athlete's.
LIMITS: dict[str, tuple[float, float]] = {
    "trunk_flex": (-20.0, 60.0),
    "trunk_side": (-30.0, 30.0),
    "trunk_twist": (-30.0, 30.0),
    "neck_flex": (-40.0, 40.0),
    "neck_side": (-30.0, 30.0),
    "hip_flex": (-30.0, 125.0),
    "hip_abd": (-25.0, 50.0),
    "hip_rot": (-40.0, 45.0),
    "knee": (0.0, 140.0),
    "ankle": (-25.0, 85.0),  # to a pointed foot lying flat behind a kneeling leg
    "swing": (-25.0, 50.0),
    "sh_flex": (-40.0, 180.0),
    "sh_abd": (-10.0, 180.0),
    "sh_rot": (-90.0, 90.0),
    "elbow": (0.0, 150.0),
    "pelvis_tilt": (-15.0, 20.0),
    "pelvis_drop": (-10.0, 10.0),
    "wrist": (-20.0, 90.0),
}


def limit_of(field: str) -> tuple[float, float] | None:
    """The range of a :class:`Pose` field (``l_knee`` → the knee's), None for placement."""
    return LIMITS.get(field) or LIMITS.get(field[2:] if field[:2] in ("l_", "r_") else "")


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``a`` to ``b`` (angle by angle)."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    return Pose(*(p + (q - p) * t for p, q in zip(a, b, strict=True)))


def difference(a: Pose, b: Pose) -> float:
    """The largest change of any one angle (or centimetre of position) between two poses."""
    return max(
        abs(p - q) * (100.0 if i < 3 else 1.0) for i, (p, q) in enumerate(zip(a, b, strict=True))
    )


# -- small 3-D helpers ----------------------------------------------------------------------


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def mul(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def matmul(a: Mat, b: Mat) -> Mat:
    cols = ((b[0][0], b[1][0], b[2][0]), (b[0][1], b[1][1], b[2][1]), (b[0][2], b[1][2], b[2][2]))
    return (
        (dot(a[0], cols[0]), dot(a[0], cols[1]), dot(a[0], cols[2])),
        (dot(a[1], cols[0]), dot(a[1], cols[1]), dot(a[1], cols[2])),
        (dot(a[2], cols[0]), dot(a[2], cols[1]), dot(a[2], cols[2])),
    )


def rot_x(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def rotate_about(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rodrigues' rotation of ``v`` about the unit vector ``axis``."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return add(add(scale(v, c), scale(cross(axis, v), s)), scale(axis, dot(axis, v) * (1.0 - c)))


def unit(v: Vec) -> Vec:
    length = math.sqrt(dot(v, v))
    return scale(v, 1.0 / length) if length > 1e-9 else (0.0, 0.0, 0.0)


DOWN: Vec = (0.0, -1.0, 0.0)
UP: Vec = (0.0, 1.0, 0.0)
FORWARD: Vec = (0.0, 0.0, 1.0)


# -- forward kinematics ---------------------------------------------------------------------


class Skeleton(NamedTuple):
    """World positions of the joints, plus the directions the face needs."""

    joints: dict[str, Vec]
    facing: Vec  # the way the face looks (world)
    head_up: Vec  # the top of the head (world)
    left: Vec  # the figure's left (world), for the eyes
    pelvis: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))  # its frame (world)
    trunk: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def _leg(pose: Pose, side: str, body: Mat, hip: Vec, joints: dict[str, Vec], lateral: Vec) -> None:
    sign = 1.0 if side == "l" else -1.0
    flex, abd, rot, knee, ankle, swing = (
        getattr(pose, f"{side}_{name}")
        for name in ("hip_flex", "hip_abd", "hip_rot", "knee", "ankle", "swing")
    )
    r_hip = matmul(body, matmul(rot_x(-flex), matmul(rot_z(sign * abd), rot_y(sign * rot))))
    r_knee = matmul(r_hip, rot_x(knee))
    knee_at = add(hip, mul(r_hip, scale(DOWN, THIGH)))
    ankle_at = add(knee_at, mul(r_knee, scale(DOWN, SHANK)))
    r_foot = matmul(r_knee, rot_x(ankle))
    toe_at = add(ankle_at, mul(r_foot, (0.0, -0.012, FOOT)))
    heel_at = add(ankle_at, mul(r_foot, (0.0, -0.006, -0.045)))
    if abs(swing) > 1e-6:
        axis = unit(sub(ankle_at, hip))
        offset = sub(knee_at, hip)
        # Positive swing moves the knee towards the leg's outer side.
        direction = 1.0 if dot(cross(axis, offset), lateral) >= 0.0 else -1.0
        knee_at = add(hip, rotate_about(offset, axis, direction * swing))  # the foot stays put
    joints[f"{side}_hip"] = hip
    joints[f"{side}_knee"] = knee_at
    joints[f"{side}_ankle"] = ankle_at
    joints[f"{side}_heel"] = heel_at
    joints[f"{side}_toe"] = toe_at


def _arm(pose: Pose, side: str, trunk: Mat, shoulder: Vec, joints: dict[str, Vec]) -> None:
    sign = 1.0 if side == "l" else -1.0
    flex, abd, rot, elbow, wrist = (
        getattr(pose, f"{side}_{name}")
        for name in ("sh_flex", "sh_abd", "sh_rot", "elbow", "wrist")
    )
    r_shoulder = matmul(trunk, matmul(rot_x(-flex), matmul(rot_z(sign * abd), rot_y(-sign * rot))))
    elbow_at = add(shoulder, mul(r_shoulder, scale(DOWN, UPPER_ARM)))
    r_forearm = matmul(r_shoulder, rot_x(-elbow))
    wrist_at = add(elbow_at, mul(r_forearm, scale(DOWN, FOREARM)))
    joints[f"{side}_shoulder"] = shoulder
    joints[f"{side}_elbow"] = elbow_at
    joints[f"{side}_wrist"] = wrist_at
    r_hand = matmul(r_forearm, rot_x(-wrist))  # the hand bent back (a palm flat on the floor)
    joints[f"{side}_hand"] = add(wrist_at, mul(r_hand, scale(DOWN, HAND)))


def skeleton(pose: Pose, anchor: Sequence[str] = ()) -> Skeleton:
    """Where every joint is for ``pose``, with the body resting on the floor.

    The lowest point of the body (a joint less its drawn radius, or the torso's surface)
    touches ``y = 0`` (plus ``pose.lift``), so a side-lying body rests on its side without
    anyone working out heights. ``anchor`` names joints whose mean position is kept at
    ``(pose.x, pose.z)`` across the floor (the feet of a squat, the standing foot of a leg
    raise), so that feet do not slide while the body moves; with no anchor the pelvis is. An
    anchored foot also stays on the floor: a squat lowers the pelvis, and a leg that lifts
    never lifts the body with it.
    """
    body = matmul(rot_y(pose.yaw), matmul(rot_x(pose.pitch), rot_z(pose.roll)))
    trunk = matmul(
        body,
        matmul(rot_x(pose.trunk_flex), matmul(rot_z(-pose.trunk_side), rot_y(pose.trunk_twist))),
    )
    neck = matmul(trunk, matmul(rot_x(pose.neck_flex), rot_z(-pose.neck_side)))
    # The pelvis is a segment of its own: tipped forwards (``pelvis_tilt``) or dropped on the
    # left (``pelvis_drop``), the hips and legs go with it, the trunk stays upright.
    pelvis = matmul(body, matmul(rot_x(pose.pelvis_tilt), rot_z(-pose.pelvis_drop)))
    origin: Vec = (0.0, 0.0, 0.0)
    left = mul(body, (1.0, 0.0, 0.0))
    joints: dict[str, Vec] = {"pelvis": origin}
    _leg(pose, "l", pelvis, mul(pelvis, (HIP_HALF, 0.0, 0.0)), joints, left)
    _leg(pose, "r", pelvis, mul(pelvis, (-HIP_HALF, 0.0, 0.0)), joints, scale(left, -1.0))
    neck_base = mul(trunk, (0.0, TRUNK, 0.0))
    joints["neck"] = neck_base
    joints["chest"] = mul(trunk, (0.0, TRUNK * 0.55, 0.0))
    _arm(pose, "l", trunk, add(neck_base, mul(trunk, (SHOULDER_HALF, -0.045, 0.0))), joints)
    _arm(pose, "r", trunk, add(neck_base, mul(trunk, (-SHOULDER_HALF, -0.045, 0.0))), joints)
    joints["head"] = add(neck_base, mul(neck, (0.0, NECK + HEAD_R, 0.012)))

    if anchor:
        # Standing: the anchored feet are on the floor, whatever the other leg does.
        feet = [
            n for a in anchor for n in (a, a.replace("ankle", "heel"), a.replace("ankle", "toe"))
        ]
        floor = min(joints[n][1] - _radius(n) for n in feet)
    else:
        floor = min(
            min(p[1] - _radius(name) for name, p in joints.items()),
            min(p[1] for p in torso_points(pelvis, trunk)),
        )
    if anchor:
        ax = sum(joints[n][0] for n in anchor) / len(anchor)
        az = sum(joints[n][2] for n in anchor) / len(anchor)
    else:
        ax = az = 0.0
    shift: Vec = (pose.x - ax, pose.lift - floor, pose.z - az)
    placed = {name: add(p, shift) for name, p in joints.items()}
    return Skeleton(
        joints=placed,
        facing=mul(neck, FORWARD),
        head_up=mul(neck, UP),
        left=mul(trunk, (1.0, 0.0, 0.0)),
        pelvis=pelvis,
        trunk=trunk,
    )


# -- the body's volumes ----------------------------------------------------------------------

#: The torso and the pelvis as stacked elliptical rings (their outline is the hull of the
#: rings' projections): ``(height in the frame, half width, half depth, forward offset)``. The
#: pelvis (the shorts) from the buttocks to the waist; the trunk from the waist to the neck —
#: broad shoulders, a chest, a narrower waist. Metres.
PELVIS_RINGS: tuple[tuple[float, float, float, float], ...] = (
    (-0.075, 0.150, 0.095, -0.01),
    (0.0, 0.178, 0.108, 0.0),
    (0.085, 0.150, 0.095, 0.0),
)
TRUNK_RINGS: tuple[tuple[float, float, float, float], ...] = (
    (0.10, 0.145, 0.098, 0.0),
    (0.30, 0.172, 0.112, 0.012),
    (0.43, 0.205, 0.092, 0.0),
    (TRUNK - 0.01, 0.135, 0.070, -0.005),
)
RING_STEPS = 10
_RING = tuple(
    (math.cos(2 * math.pi * k / RING_STEPS), math.sin(2 * math.pi * k / RING_STEPS))
    for k in range(RING_STEPS)
)


def ring_points(frame: Mat, rings: Sequence[tuple[float, float, float, float]]) -> list[Vec]:
    """The points of ``rings`` in ``frame`` (body-centred; add the pelvis position)."""
    x_axis = (frame[0][0], frame[1][0], frame[2][0])
    y_axis = (frame[0][1], frame[1][1], frame[2][1])
    z_axis = (frame[0][2], frame[1][2], frame[2][2])
    points = []
    for height, half_w, half_d, fwd in rings:
        centre = add(scale(y_axis, height), scale(z_axis, fwd))
        for c, s in _RING:
            points.append(add(centre, add(scale(x_axis, c * half_w), scale(z_axis, s * half_d))))
    return points


def torso_points(pelvis: Mat, trunk: Mat) -> list[Vec]:
    """Every point of the torso's surface rings, relative to the pelvis centre."""
    return ring_points(pelvis, PELVIS_RINGS) + ring_points(trunk, TRUNK_RINGS)


#: The limbs as tapered solids: (group, from joint, to joint, radius there, radius here). The
#: group names the part's colour (``l_leg``...: the limb; ``skin``: head and neck).
SEGMENTS: tuple[tuple[str, str, str, float, float], ...] = (
    ("l_leg", "l_hip", "l_knee", 0.088, 0.056),
    ("l_leg", "l_knee", "l_ankle", 0.056, 0.036),
    ("l_leg", "l_heel", "l_toe", 0.038, 0.027),
    ("r_leg", "r_hip", "r_knee", 0.088, 0.056),
    ("r_leg", "r_knee", "r_ankle", 0.056, 0.036),
    ("r_leg", "r_heel", "r_toe", 0.038, 0.027),
    ("l_arm", "l_shoulder", "l_elbow", 0.054, 0.04),
    ("l_arm", "l_elbow", "l_wrist", 0.039, 0.028),
    ("l_arm", "l_wrist", "l_hand", 0.034, 0.03),
    ("r_arm", "r_shoulder", "r_elbow", 0.054, 0.04),
    ("r_arm", "r_elbow", "r_wrist", 0.039, 0.028),
    ("r_arm", "r_wrist", "r_hand", 0.034, 0.03),
)


def _radius(joint: str) -> float:
    return RADIUS.get(joint.split("_", 1)[-1], 0.05)


def lowest(points: Iterable[Vec]) -> float:
    return min(p[1] for p in points)
