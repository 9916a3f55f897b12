"""A program item with every field set, for the tests that follow an item through the layers.

The layers copy an item by enumerating its fields (``dataclasses.fields``), so adding a dose
field should need only the spec, its migration and the screens that edit it. These tests hold
that: :data:`EVERY_FIELD` must set every field (a test checks it, so a new field has to be
given a value here), and then a layer that drops or alters any field makes its round trip fail.
"""

from __future__ import annotations

from dataclasses import fields

from kiosk.core.program_builder import DraftItem
from media.schema import SidePattern

#: Clamshell with none of its fields at the default (the library's dose is 3 × 10 reps,
#: alternating sides, 30 s rest, Open 2 s · Close 2 s), and still a dose the builder accepts.
EVERY_FIELD = DraftItem(
    exercise_id="clamshell",
    sets=2,
    reps=12,
    hold_s=3.0,
    sides=SidePattern.EACH,
    rest_s=20.0,
    notes="slowly, knees together",
    tempo_s=(3.0, 2.5),
    variation="Light band",
)


def fields_left_at_default(item: DraftItem) -> list[str]:
    return [f.name for f in fields(item) if getattr(item, f.name) == f.default]
