"""The program templates every clinic starts with: the seeds' programs and a few groupings.

Created once per database (a marker row in ``clinic_settings`` remembers it), so a template
staff deleted or renamed does not come back at the next start. Doses are left to the library
(None), so each template follows the library's defaults.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from db.connection import one_at_a_time
from db.models import ClinicSetting
from db.repositories.audit import SYSTEM, Action, audit_row
from db.repositories.program_store import draft_row
from kiosk.core.program_builder import DraftItem, ProgramDraft
from media.schema import Library

#: A ``clinic_settings`` key outside the typed settings (they ignore unknown keys).
SEEDED_MARKER = "_seed_templates"
SEED_VERSION = 1


class SeedTemplate(NamedTuple):
    name: str
    exercise_ids: tuple[str, ...]
    notes: str


#: One per seed document's program (by the exercise's source), then groupings by position.
SEED_TEMPLATES: tuple[SeedTemplate, ...] = (
    SeedTemplate(
        "Back and SI joint: glute med basics",
        ("clamshell", "standing-lateral-leg-raise", "standing-wall-press"),
        "From seed 000: the three exercises of the back and SI joint program.",
    ),
    SeedTemplate(
        "Hip and knee: glute med program",
        (
            "clamshell",
            "four-point-hip-abduction",
            "prone-straddle-hold",
            "standing-ball-squeeze",
            "ball-squeeze-squat",
        ),
        "From seed 001: lying, kneeling and standing exercises with a ball.",
    ),
    SeedTemplate(
        "Low back: side-lying lift and sweep",
        ("side-lying-lift-and-sweep",),
        "From seed 002: one beginner exercise for low back pain.",
    ),
    SeedTemplate(
        "Hip muscle training with a band",
        ("clamshell", "functional-clamshell", "lateral-band-walk"),
        "From seed 003: from lying down to standing and walking with a band.",
    ),
    SeedTemplate(
        "Side-lying only",
        ("clamshell", "side-lying-lift-and-sweep", "small-leg-raises", "big-leg-lifts"),
        "A grouping: everything on a mat, lying on one side (no standing balance needed).",
    ),
    SeedTemplate(
        "Standing only",
        (
            "standing-lateral-leg-raise",
            "standing-wall-press",
            "functional-clamshell",
            "ball-squeeze-squat",
        ),
        "A grouping: no mat needed; keep a chair or the wall within reach.",
    ),
)


def seed_drafts(library: Library) -> tuple[ProgramDraft, ...]:
    """Every seed template as a draft, the library's routines first; exercises missing from
    ``library`` are left out, and a template left empty is skipped."""
    drafts: list[ProgramDraft] = []
    for routine in library.routines.values():
        draft = ProgramDraft(
            name=routine.name,
            items=tuple(DraftItem(e) for e in routine.exercise_ids),
            side_series=routine.side_series,
            notes=" ".join(routine.notes) or None,
            routine_id=routine.id,
        )
        drafts.append(draft)
    for seed in SEED_TEMPLATES:
        items = tuple(DraftItem(e) for e in seed.exercise_ids if e in library.exercises)
        if items:
            drafts.append(ProgramDraft(name=seed.name, items=items, notes=seed.notes))
    return tuple(drafts)


def ensure_seed_templates(engine: Engine, library: Library) -> int:
    """Create the seed templates unless this database already got them; returns how many."""
    # Kiosks entering staff mode together on a shared server take turns (see one_at_a_time).
    with one_at_a_time(engine) as session:
        if session.get(ClinicSetting, SEEDED_MARKER) is not None:
            return 0
        drafts = seed_drafts(library)
        for draft in drafts:
            session.add(draft_row(draft, is_template=True))
        session.add(ClinicSetting(key=SEEDED_MARKER, value=json.dumps(SEED_VERSION)))
        session.add(audit_row(SYSTEM, Action.TEMPLATE_SAVED, f"{len(drafts)} seed templates", None))
        try:
            session.commit()
        except IntegrityError:
            return 0  # another kiosk on the same server seeded them this instant
    return len(drafts)
