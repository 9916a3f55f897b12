from __future__ import annotations

from kiosk.core.describe import describe_dosage, describe_dose
from media.schema import Dosage, IntRange, Phase, SidePattern


def test_rep_dose_with_sides() -> None:
    text = describe_dose(sets=3, reps=8, hold_s=None, sides=SidePattern.ALTERNATE)
    assert text == "3 sets of 8 reps on each side, switching sides after every set"


def test_hold_dose_without_sides() -> None:
    assert describe_dose(sets=1, reps=None, hold_s=20, sides=SidePattern.NONE) == ("1 hold of 20 s")


def test_library_dosage_keeps_ranges_and_final_hold() -> None:
    dosage = Dosage(
        sets=IntRange(3, 3),
        reps=IntRange(10, 15),
        hold_s=None,
        sides=SidePattern.EACH,
        rest_s=30,
        tempo=(Phase("raise", 2, "Lift"), Phase("lower", 2, "Lower")),
        final_hold_s=10,
    )
    assert describe_dosage(dosage) == (
        "3 sets of 10-15 reps on each side, one side at a time · hold 10 s at the end of each set"
    )
