"""Dosage in words for cards, handouts, staff screens and the command line.

Written for a patient reading from a metre away: "of" rather than "×", the side pattern in
words, and any extra hold as its own clause after a dot. The words come from the catalog
(``dose.*`` in ``kiosk.text``); ranges from the library ("10-15") take the plural form.
"""

from __future__ import annotations

from kiosk.core.prescription import Prescription
from kiosk.text import t, tn
from media.schema import Dosage, SidePattern

_SIDES = {SidePattern.ALTERNATE: "dose.alternate", SidePattern.EACH: "dose.each"}


def _seconds(value: float | str) -> str:
    return value if isinstance(value, str) else t("dose.seconds", seconds=f"{value:g}")


def _count(value: int | str) -> int:
    """The number a word's form follows: a range such as "10-15" reads as many."""
    return int(value) if str(value).isdigit() else 2


def describe_dose(
    *,
    sets: int | str,
    reps: int | str | None,
    hold_s: float | str | None,
    sides: SidePattern,
    rep_hold_s: float | None = None,
    final_hold_s: float | None = None,
) -> str:
    """E.g. "3 sets of 8 reps on each side, switching sides after every set"."""
    if reps is None:
        work = tn("dose.holds", _count(sets), sets=sets, hold=_seconds(hold_s or 0))
    else:
        work = t(
            "dose.sets_of_reps",
            sets=tn("dose.sets", _count(sets), sets=sets),
            reps=tn("dose.reps", _count(reps), reps=reps),
        )
    text = t(_SIDES[sides], work=work) if sides in _SIDES else work
    if rep_hold_s:
        text = t("dose.joined", first=text, then=t("dose.rep_hold", seconds=_seconds(rep_hold_s)))
    if final_hold_s:
        extra = t("dose.final_hold", seconds=_seconds(final_hold_s))
        text = t("dose.joined", first=text, then=extra)
    return text


def describe_prescription(p: Prescription, *, side_series: bool = False) -> str:
    """One exercise's dose as it is done today, in words. In a side series the program, not
    the exercise, switches sides: the sides are said once, for the whole program."""
    return describe_dose(
        sets=p.sets,
        reps=p.reps,
        hold_s=p.hold_s,
        sides=SidePattern.NONE if side_series else p.sides,
        rep_hold_s=p.rep_hold_s,
        final_hold_s=p.final_hold_s,
    )


def describe_dosage(dosage: Dosage) -> str:
    """The library's default dose, with ranges kept: "3 sets of 10-15 reps ..."."""
    return describe_dose(
        sets=str(dosage.sets),
        reps=str(dosage.reps) if dosage.reps is not None else None,
        hold_s=t("dose.seconds", seconds=dosage.hold_s) if dosage.hold_s is not None else None,
        sides=dosage.sides,
        rep_hold_s=dosage.rep_hold_s,
        final_hold_s=dosage.final_hold_s,
    )
