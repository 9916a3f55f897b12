"""Every exercise's demonstration, by exercise id. Qt-free.

``tests/media/demo`` checks that every exercise in the library has one, that its phases are the
exercise's tempo phases, and that each renders.
"""

from __future__ import annotations

from media.demo import floor, lying, standing
from media.demo.model import Demonstration

_ALL: dict[str, Demonstration] = {
    d.exercise_id: d
    for d in (*lying.DEMONSTRATIONS, *standing.DEMONSTRATIONS, *floor.DEMONSTRATIONS)
}


def demonstration(exercise_id: str) -> Demonstration:
    """The demonstration of ``exercise_id``; ``KeyError`` naming the known ids if none."""
    try:
        return _ALL[exercise_id]
    except KeyError:
        known = ", ".join(sorted(_ALL))
        raise KeyError(f"no demonstration for {exercise_id!r}; known: {known}") from None


def demonstration_ids() -> tuple[str, ...]:
    return tuple(sorted(_ALL))
