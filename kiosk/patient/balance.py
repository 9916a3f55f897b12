"""The balance check (the library's single-leg stance) as something the engine runs.

It is compiled into an ordinary timeline, one hold per side, so the engine, the voice and the
countdown ring run it unchanged. Each side's result, with the patient's answers to the
library's "watch for" questions, is stored for the physiotherapist (``AssessmentLog``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.compiler import compile_stance_check
from kiosk.core.prescription import Prescription
from kiosk.core.timeline import Timeline
from media.schema import Assessment

#: The library's balance check.
STANCE_CHECK_ID = "single-leg-stance"


@dataclass(frozen=True)
class StanceCheck:
    """The library's balance check as something the engine runs: one hold per side."""

    assessment: Assessment
    prescription: Prescription
    timeline: Timeline

    @property
    def questions(self) -> tuple[str, ...]:
        """What to watch for, asked as yes/no for each side, in the library's words."""
        return self.assessment.watch_for


def stance_check(assessment: Assessment) -> StanceCheck:
    """Compile ``assessment`` (a hold on each side) into a timeline."""
    prescription = Prescription(
        exercise_id=assessment.id,
        name=assessment.name,
        sets=1,
        reps=None,
        hold_s=float(assessment.hold_s),
        tempo=(),
        sides=assessment.sides,
        rest_s=0.0,
        key_points=assessment.safety,  # said in the intro: support close, foot down any time
        position=assessment.position,
    )
    return StanceCheck(assessment, prescription, compile_stance_check(prescription))
