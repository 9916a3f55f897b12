"""Plain-English dosage lines for cards, handouts and the command line."""

from __future__ import annotations

from media.schema import Dosage, SidePattern

_SIDE_TEXT = {
    SidePattern.ALTERNATE: "each side, switching sides between sets",
    SidePattern.EACH: "each side, all of one side first",
    SidePattern.NONE: "",
}


def _seconds(value: float) -> str:
    return f"{value:g} s"


def describe_dose(
    *,
    sets: int | str,
    reps: int | str | None,
    hold_s: float | str | None,
    sides: SidePattern,
    rep_hold_s: float | None = None,
    final_hold_s: float | None = None,
) -> str:
    """E.g. "3 sets × 8 reps each side, switching sides between sets"."""
    set_word = "set" if str(sets) == "1" else "sets"
    if reps is None:
        hold = hold_s if isinstance(hold_s, str) else _seconds(hold_s or 0)
        work = f"{sets} {set_word} × {hold} hold"
    else:
        rep_word = "rep" if str(reps) == "1" else "reps"
        work = f"{sets} {set_word} × {reps} {rep_word}"
        if rep_hold_s:
            work += f", hold {_seconds(rep_hold_s)} each rep"
        if final_hold_s:
            work += f", then hold {_seconds(final_hold_s)}"
    side = _SIDE_TEXT[sides]
    return f"{work} {side}".strip() if side else work


def describe_dosage(dosage: Dosage) -> str:
    """The library's default dose, with ranges kept: "3 sets × 10-15 reps ..."."""
    return describe_dose(
        sets=str(dosage.sets),
        reps=str(dosage.reps) if dosage.reps is not None else None,
        hold_s=f"{dosage.hold_s} s" if dosage.hold_s is not None else None,
        sides=dosage.sides,
        rep_hold_s=dosage.rep_hold_s,
        final_hold_s=dosage.final_hold_s,
    )
