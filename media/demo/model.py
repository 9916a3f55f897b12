"""What a demonstration is made of: keyframe poses, a camera, props. Pure data.

One :class:`Demonstration` per exercise (see :mod:`media.demo.catalog`). It is written for the
LEFT side (the left leg works); the right side is its mirror image, made by the renderer, so
every pose is written once. Timing is not here: the tempo comes from the exercise (and the
engine), and a :class:`Move` only says which poses a phase passes through.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from media.demo.body import Pose


class Ease(StrEnum):
    """How a move spends its time: SMOOTH starts and stops gently (a lift that settles at the
    top, so "hold" looks still), LINEAR keeps one speed (a circle drawn with the foot)."""

    SMOOTH = "smooth"
    LINEAR = "linear"


@dataclass(frozen=True)
class Move:
    """One tempo phase: the poses passed through, in order; the last is where it ends.

    The phase starts wherever the previous phase ended. ``key_at`` is the moment (0-1) that
    best shows the phase in a still (a circle's widest point rather than its end).
    """

    poses: tuple[Pose, ...]
    ease: Ease = Ease.SMOOTH
    key_at: float = 1.0


class Camera(NamedTuple):
    """An orthographic camera: ``yaw`` walks round the figure (positive: towards its left),
    ``pitch`` looks down from above. Degrees."""

    yaw: float = 0.0
    pitch: float = 0.0


# -- props (positions in metres, world frame, for the LEFT-side scene) ----------------------


class Mat(NamedTuple):
    """An exercise mat on the floor, ``x0..x1`` by ``z0..z1``."""

    x0: float
    x1: float
    z0: float
    z1: float


class Wall(NamedTuple):
    """A wall whose face is the plane ``x = face``; it stands on the side of ``x`` beyond the
    face (``towards`` +1 or -1), from ``z0`` to ``z1``."""

    face: float
    towards: float
    z0: float = -1.3
    z1: float = 0.35
    height: float = 1.95


class Chair(NamedTuple):
    """A sturdy chair standing at ``(x, z)``; its back is on the side ``back`` (+1: +x)."""

    x: float
    z: float
    back: float = 1.0


class Ball(NamedTuple):
    """A soft ball of radius ``radius`` beside a joint (or between two): its centre is the mean
    of ``joints`` moved by ``offset``; ``squash`` flattens it along x (a press)."""

    joints: tuple[str, ...]
    radius: float
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    squash_joint: str = ""
    wall_face: float | None = None


class Pillow(NamedTuple):
    """A pillow or folded towel held between a joint and a wall face at ``x = face``."""

    joint: str
    face: float
    height: float = 0.16
    depth: float = 0.22


class Band(NamedTuple):
    """An elastic band looped round both legs, ``at`` of the way from hip to knee (1.0: at the
    knees); it looks thinner as it stretches."""

    at: float = 0.85
    rest_width: float = 0.24


Prop = Mat | Wall | Chair | Ball | Pillow | Band


class Guide(StrEnum):
    """What the patient should watch, drawn as a faint line: LEVEL, a line across the pelvis
    that stays level (standing, hands and knees); STACKED, a line through the two hips, one
    above the other (side-lying); NONE."""

    LEVEL = "level"
    STACKED = "stacked"
    NONE = ""


class Limb(StrEnum):
    LEFT_LEG = "l_leg"
    RIGHT_LEG = "r_leg"
    LEFT_ARM = "l_arm"
    RIGHT_ARM = "r_arm"


@dataclass(frozen=True, eq=False)  # hashed by identity: the layout caches key on it
class Demonstration:
    """An exercise's animated demonstration (LEFT side; the right is mirrored).

    ``start`` is the starting position (intro, rests); ``setup`` the poses of getting set
    during the countdown (sliding a leg back, lifting the knee to the pillow), the last of which
    is where every repetition starts and ends. ``moves`` maps each tempo phase name to its
    move; ``hold`` is the pose of a hold exercise, or of the hold after the last repetition.
    ``anchor`` keeps those joints still on the floor (see :func:`media.demo.body.skeleton`).
    ``working`` limbs are drawn in the side's colour. ``travel`` is how far (metres, towards
    the figure's left) one repetition carries the body — the camera follows and the floor
    moves. ``mirror_left``: draw the left side as the mirror image of
    the camera's view (True for a camera in front of the figure; False for one behind it, whose
    own view already has the figure's left on the screen's left). ``keep_screen_direction``: on
    the mirrored side, run the moves backwards, so a
    clockwise circle stays clockwise on the screen. ``thumbnail`` names the phase whose key
    moment is the still on the cards and handouts. ``guide`` is the "what to watch" line;
    ``ghost`` shows the working limbs' key position faintly behind the figure; ``arrow``
    names a joint whose way in the key phase an arrow beside it shows.
    """

    exercise_id: str
    start: Pose
    moves: dict[str, Move]
    camera: Camera
    setup: tuple[Pose, ...] = ()
    hold: Pose | None = None
    props: tuple[Prop, ...] = ()
    anchor: tuple[str, ...] = ()
    working: tuple[Limb, ...] = (Limb.LEFT_LEG,)
    sided: bool = True
    travel: float = 0.0
    keep_screen_direction: bool = False
    mirror_left: bool = True
    thumbnail: str = ""
    trail: str = ""  # a joint whose path is drawn faintly (the foot of a circle)
    guide: Guide = Guide.NONE
    ghost: bool = True  # a faint ghost of the working limbs at the key moment
    arrow: str = ""  # a joint whose movement in the key phase an arrow beside it shows

    @property
    def ready(self) -> Pose:
        """Where each repetition starts: the end of the set-up, or the start."""
        return self.setup[-1] if self.setup else self.start
