"""Plain-English dosage lines for cards, handouts and the command line.

Written for a patient reading from a metre away: "of" rather than "×", the side pattern in
words, and any extra hold as its own clause after a dot.
"""

from __future__ import annotations

from media.schema import Dosage, SidePattern

_SIDE_TEXT = {
    SidePattern.ALTERNATE: " on each side, switching sides after every set",
    SidePattern.EACH: " on each side, one side at a time",
    SidePattern.NONE: "",
}


def _seconds(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g} s"


def _plural(count: int | str, one: str, many: str) -> str:
    return one if str(count) == "1" else many


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
        work = f"{sets} {_plural(sets, 'hold', 'holds')} of {_seconds(hold_s or 0)}"
    else:
        work = f"{sets} {_plural(sets, 'set', 'sets')} of {reps} {_plural(reps, 'rep', 'reps')}"
    text = work + _SIDE_TEXT[sides]
    if rep_hold_s:
        text += f" · hold {_seconds(rep_hold_s)} in every rep"
    if final_hold_s:
        text += f" · hold {_seconds(final_hold_s)} at the end of each set"
    return text


def describe_dosage(dosage: Dosage) -> str:
    """The library's default dose, with ranges kept: "3 sets of 10-15 reps ..."."""
    return describe_dose(
        sets=str(dosage.sets),
        reps=str(dosage.reps) if dosage.reps is not None else None,
        hold_s=f"{dosage.hold_s} s" if dosage.hold_s is not None else None,
        sides=dosage.sides,
        rep_hold_s=dosage.rep_hold_s,
        final_hold_s=dosage.final_hold_s,
    )
