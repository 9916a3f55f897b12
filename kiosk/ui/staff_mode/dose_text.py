"""A program item's dose in words, with the library's defaults filled in: the editor's
sentence ("3 sets of 10 reps on each side, ...") and the builder list's two-line row
("1. Clamshell" over "3 × 10 reps · alternating sides").

Both read the dose through :class:`Prescription`, as the patient's program screen does, so
staff see the same dose the patient will; a dose the library refuses shows its reason
instead. In a side series the program, not the item, switches sides, so no sides are named.
"""

from __future__ import annotations

from kiosk.core.describe import describe_prescription
from kiosk.core.prescription import Prescription, PrescriptionError
from kiosk.core.program_builder import DraftItem
from kiosk.text import t
from kiosk.ui.staff_mode.steppers import format_number
from media.schema import Library, SidePattern

#: A side pattern in a program row's short dose.
_SIDES_SHORT = {
    SidePattern.ALTERNATE: "staff.sides_short.alternate",
    SidePattern.EACH: "staff.sides_short.each",
    SidePattern.NONE: "staff.sides_short.none",
}


def dose_words(item: DraftItem, library: Library, *, side_series: bool = False) -> str:
    """The dose in words with the library's defaults filled in; in a side series the program,
    not the item, switches sides (as on the patient's program screen)."""
    try:
        p = Prescription.from_spec(library.exercise(item.exercise_id), item)
    except (KeyError, PrescriptionError) as error:
        return str(error)
    return describe_prescription(p, side_series=side_series)


def short_dose(item: DraftItem, library: Library, *, side_series: bool = False) -> str:
    """ "3 × 10 reps · alternating sides": the list's line (the editor has the words)."""
    try:
        p = Prescription.from_spec(library.exercise(item.exercise_id), item)
    except (KeyError, PrescriptionError) as error:
        return str(error)
    if p.reps is None:
        dose = t("staff.programs.short_hold", sets=p.sets, hold=format_number(p.hold_s or 0))
    else:
        dose = t("staff.programs.short_reps", sets=p.sets, reps=p.reps)
    sides = "" if side_series else t(_SIDES_SHORT[p.sides])
    return f"{dose} · {sides}" if sides else dose


def item_text(number: int, item: DraftItem, library: Library, side_series: bool) -> str:
    """Two lines: "1. Clamshell (Light band)" and the dose, short."""
    exercise = library.exercises.get(item.exercise_id)
    name = (exercise.name if exercise else item.exercise_id) + (
        f" ({item.variation})" if item.variation else ""
    )
    dose = short_dose(item, library, side_series=side_series)
    return f"{t('staff.programs.item', number=number, name=name)}\n{dose}"
